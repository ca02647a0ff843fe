/** The indentation slip of a key between its parent's and its siblings' columns (card/indentSlip.ts), through the façade. */
import * as assert from 'assert';
import { getLanguageService } from '../../server/src/languageService';
import { dedentSlips } from '../../server/src/card/indentSlip';
import { doc } from '../helpers';

const service = getLanguageService();
const slips = (text: string) =>
  service
    .problems(service.parse(text))
    .filter((p) => p.code === 'syntax')
    .map((p) => ({ key: text.slice(p.start, p.end), column: p.data?.column, yaml: p.data?.yaml }));

describe('indentation slips', () => {
  it('reports each mis-indented key once, with its siblings’ column, and reads the rest of its mapping', () => {
    const text = 'technology: x\nrisk_notes:\n    a: 1\n   b: 2\n   c: 3\n    d: 4\n';
    assert.deepStrictEqual(slips(text), [
      { key: 'b', column: 4, yaml: 'INDENT_SLIP' },
      { key: 'c', column: 4, yaml: 'INDENT_SLIP' },
    ]);
    const card = service.parse(text);
    assert.deepStrictEqual(card.sections.find((s) => s.entries[0]?.key === 'risk_notes')?.entries[0].value, { a: 1, d: 4 });
  });

  it('moves a key with the lines of its value, as the parse blanks them', () => {
    const text = 'technology: x\nmonitoring:\n    what: w\n   alerts:\n       - one\n       - two\n    dashboard: d\n';
    assert.deepStrictEqual(slips(text), [{ key: 'alerts', column: 4, yaml: 'INDENT_SLIP' }]);
    const d = doc(text);
    const card = service.parse(text);
    const diagnostics = service.diagnostics(d, card).filter((x) => x.code === 'syntax');
    const [fix] = service.codeActions(d, card, diagnostics[0].range, { diagnostics });
    assert.strictEqual(fix?.title, 'Indent `alerts` by 4 spaces, like its siblings');
    const edits = fix.edit!.changes![d.uri];
    assert.deepStrictEqual(edits.map((e) => [e.range.start.line, e.newText]), [[3, ' '], [4, ' '], [5, ' ']]);
  });

  it('finds the siblings past a block scalar and nested values, and a list item’s from its dash', () => {
    assert.deepStrictEqual(slips('technology: x\nrequirements:\n  - id: "1"\n    text: |\n      a: b\n    nested:\n      deep: 1\n   risk: 0.4\n'), [{ key: 'risk', column: 4, yaml: 'INDENT_SLIP' }]);
    assert.deepStrictEqual(slips('technology: x\nrequirements:\n  - id: "1"\n   risk: 0.4\n'), [{ key: 'risk', column: 4, yaml: 'INDENT_SLIP' }]);
    // CRLF line ends.
    assert.deepStrictEqual(slips('technology: x\r\nowners:\r\n    rnd:\r\n        owner: a\r\n       reviewers: [b]\r\n'), [{ key: 'reviewers', column: 8, yaml: 'INDENT_SLIP' }]);
  });

  it('leaves yaml’s own message where the key is not between two columns', () => {
    // Deeper than its siblings (under a key with a value: the other slip), or a list item out of line.
    assert.ok(slips('technology: x\nrisk_notes:\n    a: 1\n     b: 2\n').every((s) => s.yaml !== 'INDENT_SLIP'));
    assert.ok(slips('technology: x\nrequirements:\n  - id: 1\n    text: x\n   - id: 2\n').every((s) => s.yaml !== 'INDENT_SLIP'));
    // A tab in the indentation above: columns cannot be compared.
    assert.ok(slips('technology: x\nrisk_notes:\n\t  a: 1\n   b: 2\n').every((s) => s.yaml !== 'INDENT_SLIP'));
  });

  it('blanks a slip among the lines under a key that already has a value once: every offset after stays', () => {
    const text = 'technology: x\nmonitoring:\n    what: fine\n        a:\n            x: 1\n           y: 2\n    alerts: 5\n';
    const problems = service.problems(service.parse(text));
    assert.deepStrictEqual(
      problems.filter((p) => p.code === 'syntax').map((p) => [text.slice(p.start, p.end), p.data?.yaml]),
      [
        ['a', 'BAD_INDENT'],
        ['y', 'INDENT_SLIP'],
      ],
    );
    const alerts = problems.find((p) => p.code === 'wrong-type');
    assert.strictEqual(text.slice(alerts?.start, alerts?.end), '5', 'the problem after them stands on its value');
    assert.ok(problems.every((p) => p.end <= text.length));
  });

  it('finds every slip of a long mapping in one pass', () => {
    const n = 5000;
    const lines = ['technology: x', 'risk_notes:'];
    for (let i = 0; i < n; i++) lines.push(i % 2 ? `   k${i}: ${i}` : `    k${i}: ${i}`);
    const text = lines.join('\n') + '\n';
    const found = dedentSlips(text);
    assert.strictEqual(found.length, n / 2);
    assert.ok(found.every((s) => s.column === 4));
    // Every one a problem (the editor's bound is applied where the problems are drawn).
    const listed = slips(text);
    assert.strictEqual(listed.length, n / 2);
    assert.ok(listed.every((s) => s.column === 4 && s.yaml === 'INDENT_SLIP'));
  });
});
