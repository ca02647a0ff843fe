/** What the checker says about hostile card text: escape sequences and line breaks shown escaped, huge values capped, emoji cut whole, `.nan` as YAML writes it, CR-only line ends, no library internals. */
import * as assert from 'assert';
import { MAX_MESSAGE_LENGTH } from '../../server/src/limits';
import { COMPLETE, LONE_SURROGATE, RAW_CONTROL, TEXT_ROW, run, tempDir, type JsonRow } from './checker';

describe('trl-cards check and hostile card text', () => {
  let dir: string;
  let write: (rel: string, text: string) => void;
  let remove: () => void;
  before(() => ({ dir, write, remove } = tempDir('trl-text-')));
  after(() => remove());

  it('shows escape sequences, bidi overrides and line breaks from a card escaped, one problem per line', () => {
    // Clear screen, conceal, a C1 CSI, a right-to-left override, a key with a line break.
    write('esc/evil.trl.yaml', COMPLETE + '"own\\x1b[2J\\x1b[8mer": 1\n"line\\nbreak\\u009b31m": 2\nversion: "\\u202e1.0.0"\nprevious: ["\\ud83d", "\\u0007.trl.yaml"]\n');
    const r = run(['check', 'esc/evil.trl.yaml'], dir);
    assert.strictEqual(r.code, 1);
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) {
      assert.match(l, TEXT_ROW);
      assert.ok(!RAW_CONTROL.test(l), JSON.stringify(l));
      assert.ok(!LONE_SURROGATE.test(l), JSON.stringify(l));
    }
    assert.ok(lines.some((l) => l.includes('Unknown field `own\\x1b[2J\\x1b[8mer`')), r.out);
    assert.ok(lines.some((l) => l.includes('Unknown field `line\\nbreak\\x9b31m`')), r.out);
    assert.ok(lines.some((l) => l.includes('`\\u202e1.0.0`')), r.out);
    assert.ok(lines.some((l) => l.includes('`\\ud83d`')), r.out);
    assert.ok(lines.some((l) => l.includes('`\\x07.trl.yaml`')), r.out);
    const json = run(['check', '--format', 'json', 'esc/evil.trl.yaml'], dir);
    assert.ok(!RAW_CONTROL.test(json.out.replace(/\n/g, '')) && !LONE_SURROGATE.test(json.out));
    const rows = JSON.parse(json.out) as JsonRow[];
    assert.strictEqual(rows.length, lines.length, 'as many JSON rows as text lines');
    for (const row of rows) assert.ok(!RAW_CONTROL.test(row.message) && !LONE_SURROGATE.test(row.message), row.message);
  });

  it('caps messages about 100,000-character keys and values, and cuts emoji whole', () => {
    const huge = 'k'.repeat(100_000);
    const emojiAtCut = 'v'.repeat(38) + '😀😀' + 'w'.repeat(100);
    write('long/big.trl.yaml', COMPLETE + `${huge}: 1\nversion: "${huge}"\ncomponents: ["${huge}.trl.yaml"]\nprevious: ["${emojiAtCut}", "${'🇫🇷'.repeat(30)}"]\n`);
    const r = run(['check', '--format', 'json', 'long/big.trl.yaml'], dir);
    const rows = JSON.parse(r.out) as JsonRow[];
    assert.ok(rows.length >= 5, r.out.slice(0, 2000));
    for (const row of rows) {
      assert.ok(row.message.length <= MAX_MESSAGE_LENGTH, `${row.code}: ${row.message.length} characters`);
      assert.ok(!LONE_SURROGATE.test(row.message), row.message);
    }
    const prev = rows.filter((x) => x.code === 'unknown-previous').map((x) => x.message);
    assert.ok(prev[0].startsWith('No card at `' + 'v'.repeat(38) + '…`'), prev[0]);
    assert.ok(prev[1].startsWith('No card at `' + '🇫🇷'.repeat(9) + '…`'), prev[1]);
    // The text report: one line per problem, nothing huge.
    const text = run(['check', 'long/big.trl.yaml'], dir);
    for (const l of text.out.trimEnd().split('\n')) assert.ok(TEXT_ROW.test(l) && l.length < MAX_MESSAGE_LENGTH + 200, l.slice(0, 200));
  });

  it('writes .nan and .inf as YAML does, and suggests no NaN', () => {
    write('nan/n.trl.yaml', COMPLETE.replace('level: 0', 'level: 1') + 'requirements:\n  - id: "1"\n    kind: product\n    text: t\n    verification: v\n    validation: v\n    p_failure: .nan\n    value: 2\n    risk: 1\n  - id: "2"\n    kind: product\n    text: t\n    verification: v\n    validation: v\n    p_failure: 0.5\n    value: 2\n    risk: .inf\n');
    const r = run(['check', 'nan/n.trl.yaml'], dir);
    assert.ok(!/NaN|Infinity|`null`/.test(r.out), r.out);
    assert.match(r.out, /:18:16 error out-of-range `p_failure` of requirement `1` must be between 0 and 1; it is `\.nan`\./);
    assert.match(r.out, /:28:11 error out-of-range `risk` of requirement `2` must be between 0 and 10; it is `\.inf`\./);
    assert.match(r.out, /:28:11 warning risk-mismatch `risk` is \.inf, but p_failure × value = 0\.5 × 2 = 1: write `risk: 1`/);
    assert.strictEqual((r.out.match(/risk-mismatch/g) ?? []).length, 1, 'no product to suggest from .nan');
    write('nan/level.trl.yaml', 'technology: x\nlevel: .nan\n');
    assert.match(run(['check', 'nan/level.trl.yaml'], dir).out, /invalid-level .*it is the number `\.nan`\./);
  });

  it('reads a card with CR-only line ends like one with LF', () => {
    write('cr/lf.trl.yaml', '# A card\n' + COMPLETE + 'version: 1.0\n');
    write('cr/cr.trl.yaml', ('# A card\n' + COMPLETE + 'version: 1.0\n').replace(/\n/g, '\r'));
    const lf = run(['check', '--format', 'json', 'cr/lf.trl.yaml'], dir);
    const cr = run(['check', '--format', 'json', 'cr/cr.trl.yaml'], dir);
    const strip = (out: string) => (JSON.parse(out) as JsonRow[]).map(({ file: _, ...rest }) => rest);
    assert.deepStrictEqual(strip(cr.out), strip(lf.out));
    assert.deepStrictEqual(strip(lf.out).map((x) => [x.code, x.line, x.column]), [['invalid-semver', 13, 10]]);
  });

  it('says plainly what is wrong instead of quoting the YAML library or an internal error', () => {
    write('plain/two.trl.yaml', COMPLETE + '---\nmore: 1\n');
    write('plain/deep.trl.yaml', COMPLETE + 'assumptions: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n');
    const r = run(['check', 'plain'], dir);
    assert.strictEqual(r.signal, null);
    assert.ok(!/parseAllDocuments|YAML\.|call stack|Error:|\bat \S+:\d+/.test(r.out + r.err), r.out + r.err);
    assert.match(r.out, /two\.trl\.yaml:12:1 error syntax A card is one YAML document: remove the second `---` line/);
    assert.match(r.out, /deep\.trl\.yaml:12:\d+ error too-deep Nested more than 64 levels deep here/);
  });
});
