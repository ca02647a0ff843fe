/** Fixture-driven diagnostics: each fixture carries its expected diagnostics inline. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getLanguageService } from '../../server/src/languageService';
import { FIXTURES, doc, expectations, type Expected } from '../helpers';

const dir = path.join(FIXTURES, 'diagnostics');
const service = getLanguageService();

function fmt(e: Expected): string {
  return `${e.line + 1}:${e.start + 1}-${e.end + 1} ${e.code}${e.message ? ` "${e.message}"` : ''}`;
}

describe('diagnostics fixtures', () => {
  const files = fs.readdirSync(dir).filter((f) => /\.trl\.ya?ml$/.test(f)).sort();
  it('has fixtures', () => assert.ok(files.length >= 5));
  for (const file of files) {
    it(file, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const expected = expectations(text);
      const d = doc(text);
      // A fixture may fix "today" for the targets rules with a comment line `# today: YYYY-MM-DD`.
      const today = /^# today: (\d{4}-\d{2}-\d{2})$/m.exec(text)?.[1];
      const actual = service.problems(service.parse(text), today ? { today } : {}).map((p) => {
        const s = d.positionAt(p.start);
        const e = d.positionAt(p.end);
        return { line: s.line, start: s.character, end: e.line === s.line ? e.character : -1, code: p.code, fullMessage: p.message };
      });
      const unmatched = [...actual];
      const missing: Expected[] = [];
      for (const exp of expected) {
        const i = unmatched.findIndex((a) => a.line === exp.line && a.start === exp.start && a.end === exp.end && a.code === exp.code && (!exp.message || a.fullMessage.includes(exp.message)));
        if (i >= 0) unmatched.splice(i, 1);
        else missing.push(exp);
      }
      const report = [
        ...missing.map((m) => `expected but not reported: ${fmt(m)}`),
        ...unmatched.map((a) => `reported but not expected: ${fmt(a)} — ${a.fullMessage}`),
      ];
      assert.deepStrictEqual(report, [], `\n${report.join('\n')}`);
    });
  }
});
