/** Every card New Card makes, at each level 0–9, passes the checker with no error. */
import * as assert from 'assert';
import { newCard, slugOf, invalidName } from '../../server/src/services/newCard';
import { parse as parseYaml } from 'yaml';
import { run, tempDir, type JsonRow } from './checker';

describe('New Card', () => {
  const { dir, write, remove } = tempDir('trl-newcard-');
  after(remove);

  it('makes a card at every level that the checker passes: no error, and warnings only on what the level leaves to the team', () => {
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
    assert.deepStrictEqual(
      rows.filter((x) => x.severity === 'error'),
      [],
    );
    assert.strictEqual(out.code, 0, out.err);
    // Warnings left are states the placeholders cannot decide (a requirement not yet validated, an
    // ethics review not done), never a field the level requires; suggestions stay information.
    for (const row of rows.filter((x) => x.severity === 'warning')) assert.doesNotMatch(row.message, /needs `/, `${row.file}: ${row.code} ${row.message}`);
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
