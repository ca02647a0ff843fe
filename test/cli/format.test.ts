/** The checker's output formats (cli/format.ts): a text row is one line, JSON is valid and written a row at a time. */
import * as assert from 'assert';
import { jsonLines, notCheckedLine, summaryLine, textRow, type Row } from '../../server/src/cli/format';

// eslint-disable-next-line no-control-regex -- the characters the output must not hold
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('checker output formats', () => {
  it('prints a row as one line and JSON as valid JSON, a row at a time', () => {
    const row: Row = { file: 'dir/we\nird\x1b].trl.yaml', line: 1, column: 2, endLine: 1, endColumn: 3, severity: 'error', code: 'syntax', message: 'm\r\u2028\u202e' };
    const line = textRow(row);
    assert.ok(!RAW_CONTROL.test(line), line);
    assert.strictEqual(line, 'dir/we\\nird\\x1b].trl.yaml:1:2 error syntax m\\r\\u2028\\u202e');
    const rows = [row, { ...row, line: 2 }];
    const json = [...jsonLines(rows)].join('\n');
    assert.strictEqual(json, JSON.stringify(rows, null, 2).replace(/[\u2028\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`));
    assert.deepStrictEqual(JSON.parse(json), rows);
    assert.strictEqual([...jsonLines([])].join('\n'), '[]');
  });

  it('escapes the paths and reasons it reports as not checked, and counts them in the summary', () => {
    assert.strictEqual(notCheckedLine('a\x1b[2J.trl.yaml', 'it is\na pipe'), 'trl-cards: a\\x1b[2J.trl.yaml: not checked: it is\\na pipe.');
    assert.strictEqual(summaryLine(1, 0, 2, 0), '1 card checked: 0 errors, 2 warnings.');
    assert.strictEqual(summaryLine(3, 1, 1, 2), '3 cards checked: 1 error, 1 warning; 2 paths not checked (listed above).');
  });
});
