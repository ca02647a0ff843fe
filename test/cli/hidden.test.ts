/** `hidden-character` from the checker: the same problems as the editor's, at the same places, printed without the raw characters. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getLanguageService } from '../../server/src/languageService';
import { FIXTURES, ROOT, doc } from '../helpers';
import { RAW_CONTROL, run, type JsonRow } from './checker';

describe('trl-cards check and hidden characters', () => {
  it('reports the hidden characters of a card as the editor does: code, place, severity and message', () => {
    const file = path.join(FIXTURES, 'diagnostics', 'hidden-characters.trl.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const service = getLanguageService();
    const document = doc(text);
    const editor = service
      .problems(service.parse(text))
      .filter((p) => p.code === 'hidden-character')
      .map((p) => {
        const at = document.positionAt(p.start);
        return { line: at.line + 1, column: at.character + 1, severity: p.severity, message: p.message };
      });
    assert.ok(editor.length >= 8, `the fixture has hidden characters: ${editor.length}`);
    const r = run(['check', '--format', 'json', path.relative(ROOT, file)], ROOT);
    const rows = (JSON.parse(r.out) as JsonRow[]).filter((x) => x.code === 'hidden-character').map((x) => ({ line: x.line, column: x.column, severity: x.severity, message: x.message }));
    assert.deepStrictEqual(rows, editor);
    const textOut = run(['check', path.relative(ROOT, file)], ROOT).out;
    assert.strictEqual(textOut.split('\n').filter((l) => / warning hidden-character /.test(l)).length, editor.length);
    assert.ok(!RAW_CONTROL.test(textOut.replace(/\n/g, '')), 'no raw bidi or control character printed');
  });
});
