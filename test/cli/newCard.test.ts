/** Every card New Card makes, at each level 0–9: no problem of its form, its placeholders reported as what the level still asks. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { newCard, slugOf, invalidName } from '../../server/src/services/newCard';
import { parse as parseYaml } from 'yaml';
import { run, tempDir, type JsonRow } from './checker';

describe('New Card', () => {
  const { dir, write, remove } = tempDir('trl-newcard-');
  after(remove);

  it('makes a card at every level whose only problems are what it asks the author to write: placeholders, never ready', () => {
    const levels = Array.from({ length: 10 }, (_, l) => l);
    for (const level of levels) {
      const r = newCard(`Radar ${level}`, level, '2026-12-01');
      assert.ok('text' in r, JSON.stringify(r));
      assert.strictEqual(r.fileName, `radar-${level}.trl.yaml`);
      write(r.fileName, r.text);
      const data = parseYaml(r.text) as Record<string, unknown>;
      assert.strictEqual(data.level, level);
      assert.strictEqual(data.entered_at, level > 0 ? level : undefined);
      assert.match(r.text, /TODO/, 'the card has placeholders to fill');
    }
    const out = run(['check', '--format', 'json', '.'], dir);
    const rows = JSON.parse(out.out) as JsonRow[];
    // No problem of the card's form (YAML, schema, versions, values): each is a placeholder the
    // level reports as what it still asks for, or a state a placeholder cannot decide.
    const lines = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    for (const row of rows) {
      assert.ok(['level-requirement', 'placeholder'].includes(row.code), `${row.file}: ${row.code} ${row.message}`);
      if (row.severity === 'error') {
        // An error sits on a placeholder (`TODO …`), or on the level for a condition the placeholders leave open.
        const at = lines(row.file)[row.line - 1].slice(row.column - 1);
        assert.ok(/^(?:- )?TODO\b/.test(at) || /`kind: product`/.test(row.message), `${row.file}:${row.line}: ${row.message}`);
      }
    }
    // Every card but level 0's has errors (its level asks for fields at error severity), and none is ready.
    assert.strictEqual(out.code, 1, out.err);
  });

  it('names the file after the technology, and refuses names it cannot use', () => {
    assert.strictEqual(slugOf('  Radar Détection: v2! '), 'radar-detection-v2');
    assert.strictEqual(slugOf('Ünïcödé 雷达'), 'unicode-雷达');
    assert.match(invalidName('') ?? '', /Type the name/);
    assert.match(invalidName('a\nb') ?? '', /one line/);
    assert.match(invalidName('!!!') ?? '', /letter or digit/);
    assert.deepStrictEqual(newCard('Radar', 10, '2026-12-01'), { error: 'The level is a whole number from 0 to 9.' });
    assert.ok('error' in newCard('Radar', 0, 'today'));
  });

  it('writes a name YAML would read otherwise in quotes', () => {
    for (const name of ['yes', '1.5', 'Radar: v2', '#1 radar', 'null', "it's \"quoted\""]) {
      const r = newCard(name, 0, '2026-12-01');
      assert.ok('text' in r);
      assert.strictEqual((parseYaml(r.text) as { technology: unknown }).technology, name);
    }
  });
});
