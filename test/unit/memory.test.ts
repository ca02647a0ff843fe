/**
 * Memory stays flat while a card is edited: no edit keeps the previous model alive. Measured in
 * a child process (this same file, run with --expose-gc), where a full garbage collection
 * before each measurement makes the numbers mean something.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { CardDocument, getLanguageService } from '../../server/src/languageService';
import { generatedCard } from '../helpers';

const EDITS = 600;

/** The cards to edit, each with where to type. */
const CARDS: Record<string, string> = {
  'two documents': generatedCard(20) + '---\nother: card\n',
  'text after the end marker': generatedCard(20) + '...\ntrailing text\n',
  'one document': generatedCard(20),
};

/** In the child: type EDITS characters into each card as the server does, heap after each phase. */
function measure(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const service = getLanguageService();
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const out: Record<string, number> = {};
  for (const [name, text] of Object.entries(CARDS)) {
    let card = service.parse(text);
    const document = new CardDocument('file:///memory.trl.yaml', 'trl-card', 0, card);
    const at = text.indexOf('research_plan: x') + 'research_plan: x'.length;
    let before = 0;
    for (let k = 0; k < EDITS; k++) {
      if (k === 50) before = heap(); // after the warm-up edits
      const edit = { start: at + k, end: at + k, text: 'y' };
      card = service.update(card, edit);
      document.edited(card, edit.start, edit.end, edit.text, k + 1);
      service.diagnostics(document, card);
      service.symbols(document, card);
    }
    out[name] = heap() - before;
  }
  process.stdout.write(JSON.stringify(out));
}

if (process.env.TRL_MEMORY_CHILD) measure();
else {
  describe('memory', () => {
    it(`stays flat over ${EDITS} keystrokes, with one document or several`, function () {
      this.timeout(60000);
      const child = spawnSync(process.execPath, ['--expose-gc', __filename], { env: { ...process.env, TRL_MEMORY_CHILD: '1' }, encoding: 'utf8' });
      assert.strictEqual(child.status, 0, child.stderr);
      const growth = JSON.parse(child.stdout) as Record<string, number>;
      for (const [name, bytes] of Object.entries(growth)) {
        // Before the fix, each keystroke kept the previous parse: tens of MB over these edits.
        assert.ok(bytes < 4 * 1024 * 1024, `${name}: the heap grew by ${(bytes / 1024 / 1024).toFixed(1)} MB`);
      }
    });
  });
}
