/**
 * Memory stays flat while a card is edited: no edit keeps the previous model alive. Measured in
 * a child process (this same file, run with --expose-gc), where a full garbage collection
 * before each measurement makes the numbers mean something.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { CardDocument, getLanguageService } from '../../server/src/languageService';
import { generatedCard } from '../helpers';
import { factsOf } from '../../server/src/workspace/scan';

const EDITS = 600;
const FACT_CARDS = 300;

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
  // The index keeps the facts of every card in the workspace, for as long as the server runs:
  // they must not keep the cards' texts alive (text/own.ts).
  const card = generatedCard(60);
  const before = heap();
  const texts: string[] = [];
  for (let i = 0; i < FACT_CARDS; i++) texts.push(card.replace('technology: Generated', `id: card-${i}\ntechnology: A generated technology, number ${i}\ncomponents: [part-${i}.trl.yaml]`));
  out.textBytes = texts.reduce((n, t) => n + t.length, 0);
  const kept = texts.map((t, i) => factsOf(`file:///cards/card-${i}.trl.yaml`, t));
  texts.length = 0;
  out.facts = heap() - before;
  assert.strictEqual(kept.length, FACT_CARDS);
  process.stdout.write(JSON.stringify(out));
}

if (process.env.TRL_MEMORY_CHILD) measure();
else {
  describe('memory', () => {
    it(`stays flat over ${EDITS} keystrokes, with one document or several; the index's facts keep no card's text`, function () {
      this.timeout(60000);
      const child = spawnSync(process.execPath, ['--expose-gc', __filename], { env: { ...process.env, TRL_MEMORY_CHILD: '1' }, encoding: 'utf8' });
      assert.strictEqual(child.status, 0, child.stderr);
      const { facts, textBytes, ...growth } = JSON.parse(child.stdout) as Record<string, number>;
      // Before text/own.ts, the facts kept every card's whole text: more than the texts' size.
      assert.ok(facts < textBytes / 2, `the facts of ${FACT_CARDS} cards take ${(facts / 1024 / 1024).toFixed(1)} MB of heap, for ${(textBytes / 1024 / 1024).toFixed(1)} MB of card text`);
      for (const [name, bytes] of Object.entries(growth)) {
        // Before the fix, each keystroke kept the previous parse: tens of MB over these edits.
        assert.ok(bytes < 4 * 1024 * 1024, `${name}: the heap grew by ${(bytes / 1024 / 1024).toFixed(1)} MB`);
      }
    });
  });
}
