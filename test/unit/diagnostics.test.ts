/** Fixture-driven diagnostics: each fixture carries its expected diagnostics inline. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getLanguageService } from '../../server/src/languageService';
import { FIXTURES, expectationReport } from '../helpers';

const dir = path.join(FIXTURES, 'diagnostics');
const service = getLanguageService();

describe('diagnostics fixtures', () => {
  const files = fs.readdirSync(dir).filter((f) => /\.trl\.ya?ml$/.test(f)).sort();
  it('has fixtures', () => assert.ok(files.length >= 5));
  for (const file of files) {
    it(file, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      // A fixture may fix "today" for the targets rules with a comment line `# today: YYYY-MM-DD`.
      const today = /^# today: (\d{4}-\d{2}-\d{2})$/m.exec(text)?.[1];
      const report = expectationReport(text, service.problems(service.parse(text), today ? { today } : {}));
      assert.deepStrictEqual(report, [], `\n${report.join('\n')}`);
    });
  }
});
