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
import { FIXTURES, expectationReport } from '../helpers';

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
      const report = expectationReport(c.text, service.problems(c.card, {}, { uri: c.uri, index }));
      assert.deepStrictEqual(report, [], `\n${report.join('\n')}`);
    });
  }

  it('the example cards, checked together, are coupled peers: no component-level problem', () => {
    const codes = cards.filter((c) => c.file.startsWith('mltrl-bo')).flatMap((c) => service.problems(c.card, {}, { uri: c.uri, index }).map((p) => p.code));
    assert.ok(!codes.includes('component-level'));
    assert.ok(!codes.includes('coupled-one-way'), 'each lists the other');
  });

  // The authors' example cards state no V&V for their requirements, and their link to the
  // requirements doc is the template's placeholder: a real gap ("An important deliverable at this
  // stage is the formal requirements document (with well-specified V&V steps)", the paper's
  // level 2). Those are their only errors; the template, unfilled, has the errors of an empty card.
  it("no error on the authors' own example cards but the V&V their requirements leave out", () => {
    for (const c of cards.filter((x) => x.file.startsWith('mltrl-bo'))) {
      const errors = service.problems(c.card, {}, { uri: c.uri, index }).filter((p) => p.severity === 'error');
      assert.ok(errors.length > 0, c.file);
      for (const e of errors) assert.match(`${e.code} ${e.message}`, /^missing-field requirement `\d+` lacks `verification`, `validation`, `p_failure`, `value`/, c.file);
    }
  });
});
