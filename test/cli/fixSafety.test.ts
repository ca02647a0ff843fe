/**
 * `--fix` as a process on the cards that lost text before issue 18: a block-scalar version
 * (top level and under `versions:`), a plain value over two lines, a tab under a nested parent.
 * The card comes out with every field it had, no problem added, and a second run changes nothing.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { COMPLETE, run, tempDir, type JsonRow } from './checker';

function check(dir: string, file: string): { code: number | null; rows: JsonRow[] } {
  const r = run(['check', '--format', 'json', file], dir);
  return { code: r.code, rows: JSON.parse(r.out) as JsonRow[] };
}

describe('trl-cards check --fix never loses text', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir('trl-fix-');
  });
  afterEach(() => t.remove());

  it('a block-scalar version: a clean card stays clean, every field kept', () => {
    const text = `${COMPLETE}version: >-\n  1.0\nintended_use: keep me\nversions:\n  code: |-\n    2.1\n  data: "1.0.0"\ncaveats: [kept]\n`;
    t.write('card.trl.yaml', text);
    const before = check(t.dir, 'card.trl.yaml');
    assert.strictEqual(before.code, 0, JSON.stringify(before.rows));
    assert.deepStrictEqual(before.rows.map((r) => r.code), ['invalid-semver', 'invalid-semver']);
    const r = run(['check', '--fix', 'card.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /fixed 2 problems \(invalid-semver ×2\)/);
    const after = fs.readFileSync(path.join(t.dir, 'card.trl.yaml'), 'utf8');
    assert.ok(after.includes('version: "1.0.0"\nintended_use: keep me\n') && after.includes('  code: "2.1.0"\n  data: "1.0.0"\n'), after);
    const value = parse(after) as Record<string, unknown>;
    const expected = { ...(parse(text) as Record<string, unknown>), version: '1.0.0', versions: { code: '2.1.0', data: '1.0.0' } };
    assert.deepStrictEqual(value, expected);
    assert.deepStrictEqual(check(t.dir, 'card.trl.yaml').rows, []);
    assert.doesNotMatch(run(['check', '--fix', 'card.trl.yaml'], t.dir).err, /fixed/, 'a second --fix has nothing to do');
  });

  it('a plain value over two lines is quoted whole; a tab keeps its key under its parent; CRLF stays', () => {
    // Two tabs, two levels of this card's indentation (2 spaces): `reviewers` stays beside `owner`, under `rnd`.
    const text = COMPLETE.replace('tldr: x\n', 'tldr: Note: it works\n  and more\n').replace('    reviewers: [Grace]\n', '\t\treviewers: [Grace]\n');
    assert.notStrictEqual(text, COMPLETE);
    const file = path.join(t.dir, 'card.trl.yaml');
    fs.writeFileSync(file, text.replace(/\n/g, '\r\n'));
    const before = check(t.dir, 'card.trl.yaml');
    for (const code of ['syntax', 'tab-indent']) assert.ok(before.rows.some((r) => r.code === code), JSON.stringify(before.rows));
    const r = run(['check', '--fix', 'card.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    const after = fs.readFileSync(file, 'utf8');
    assert.ok(!/(?<!\r)\n/.test(after), 'CRLF kept');
    assert.ok(after.includes('tldr: "Note: it works\r\n  and more"\r\n') && after.includes('\r\n    reviewers: [Grace]\r\n'), after);
    assert.deepStrictEqual(parse(after), { ...(parse(COMPLETE) as object), tldr: 'Note: it works and more' });
    assert.deepStrictEqual(check(t.dir, 'card.trl.yaml').rows, []);
    assert.doesNotMatch(run(['check', '--fix', 'card.trl.yaml'], t.dir).err, /fixed/, 'a second --fix has nothing to do');
  });
});
