/**
 * The authors' own published cards, transcribed into the card format (test/fixtures/published):
 * every problem reported on them must be expected inline, with the source text that makes it a
 * real gap; the cards are checked together, as one workspace, so the cross-card rules run too.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { WorkspaceIndex, cardFacts, getLanguageService } from '../../server/src/languageService';
import { FIXTURES, doc, expectations } from '../helpers';

const dir = path.join(FIXTURES, 'published');
const service = getLanguageService();

describe('published cards (the paper, the authors\' template and example cards)', () => {
  const files = fs.readdirSync(dir).filter((f) => /\.trl\.ya?ml$/.test(f)).sort();
  const cards = files.map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    return { file: f, text, uri: pathToFileURL(path.join(dir, f)).toString(), card: service.parse(text) };
  });
  const index = new WorkspaceIndex();
  for (const c of cards) index.set(cardFacts(c.uri, c.card));
  index.complete = true;

  it('has the four transcriptions', () => assert.deepStrictEqual(files, ['mltrl-bo.level-4.trl.yaml', 'mltrl-bo.level-8.trl.yaml', 'mltrl-template.trl.yaml', 'paper-figure-2.level-7.trl.yaml']));

  for (const c of cards) {
    it(`${c.file}: every problem is expected, and every expectation is reported`, () => {
      const d = doc(c.text);
      const actual = service.problems(c.card, {}, { uri: c.uri, index }).map((p) => {
        const s = d.positionAt(p.start);
        const e = d.positionAt(p.end);
        return { line: s.line, start: s.character, end: e.line === s.line ? e.character : -1, code: p.code, severity: p.severity, message: p.message };
      });
      const unmatched = [...actual];
      const missing: string[] = [];
      for (const exp of expectations(c.text)) {
        const i = unmatched.findIndex((a) => a.line === exp.line && a.start === exp.start && a.end === exp.end && a.code === exp.code && (!exp.message || a.message.includes(exp.message)));
        if (i >= 0) unmatched.splice(i, 1);
        else missing.push(`${exp.line + 1}:${exp.start + 1}-${exp.end + 1} ${exp.code} "${exp.message ?? ''}"`);
      }
      const report = [...missing.map((m) => `expected but not reported: ${m}`), ...unmatched.map((a) => `reported but not expected: ${a.line + 1}:${a.start + 1}-${a.end + 1} ${a.code} (${a.severity}) — ${a.message}`)];
      assert.deepStrictEqual(report, [], `\n${report.join('\n')}`);
    });
  }

  it('the example cards, checked together, are coupled peers: no component-level problem', () => {
    const codes = cards.filter((c) => c.file.startsWith('mltrl-bo')).flatMap((c) => service.problems(c.card, {}, { uri: c.uri, index }).map((p) => p.code));
    assert.ok(!codes.includes('component-level'));
    assert.ok(!codes.includes('coupled-one-way'), 'each lists the other');
  });

  it('no error on the authors\' own example cards or template', () => {
    for (const c of cards.filter((x) => !x.file.startsWith('paper'))) {
      const errors = service.problems(c.card, {}, { uri: c.uri, index }).filter((p) => p.severity === 'error');
      assert.deepStrictEqual(errors.map((p) => p.message), [], c.file);
    }
  });
});
