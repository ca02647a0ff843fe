/**
 * Properties, not golden files (issue 22): "ready" on random cards built from the level table,
 * and the escapers on random text. A regenerated golden file would bake in a slip; these say
 * what must hold for every input.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { marked } from 'marked';
import { stringify } from 'yaml';
import { cardValue } from '../../server/src/card/model';
import { getLanguageService } from '../../server/src/languageService';
import { LEVELS, levelStatus } from '../../server/src/levels';
import { htmlEntities, markdownText } from '../../server/src/text/escape';
import { ROOT } from '../helpers';

const service = getLanguageService();
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** The fullest example card: every field a level up to 7 asks for, with real values. */
const DONOR = cardValue(service.parse(fs.readFileSync(path.join(ROOT, 'examples', 'solar-array', 'solar-array.level-7.trl.yaml'), 'utf8')));
/**
 * Fields left out of the random cards: components (the verdict would wait for the index), and
 * the decisions, generated apart. Without an index, `previous` is not followed.
 */
const LEFT_OUT = new Set(['technology', 'level', 'components', 'coupled', 'history', 'review']);
const FIELDS = Object.keys(DONOR).filter((k) => !LEFT_OUT.has(k));
const STOPPING = new Set(['hold', 'revert', 'stop']);

const DECODE: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
function decode(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39|#(\d+)|#x([0-9a-f]+));/gi, (m, name: string, dec?: string, hex?: string) => (dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : DECODE[name.toLowerCase()] ?? m));
}

/** Text that Markdown and HTML act on, and plain words between. */
const MARKUP = [...'<>&"\'`*_[]()!#-+=|~$@:./\\{}%;'].concat(['<b>', '</p>', '<script>alert(1)</script>', '&amp;', '&lt;', '&#60;', 'http://x.org', 'www.x.org', 'a@b.c', '1.', '- ', '> ', '# ', '    ', '***', '[a](http://x)', '![i](x)', '<http://x>', 'p_failure', 'R&D', ' ', 'word', 'é', '中']);
const markupText = fc.array(fc.constantFrom(...MARKUP), { maxLength: 12 }).map((a) => a.join(''));

describe('properties', () => {
  it('ready ⇔ no error or warning level entry unmet, no error, no placeholder, no holding decision', () => {
    let ready = 0;
    let onlyAWarningGap = 0;
    const field = fc.oneof({ weight: 40, arbitrary: fc.constant('keep') }, { weight: 4, arbitrary: fc.constant('omit') }, { weight: 1, arbitrary: fc.constant('todo') });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.array(field, { minLength: FIELDS.length, maxLength: FIELDS.length }), fc.constantFrom(undefined, 'graduate', 'hold', 'revert', 'stop'), (level, choices, decision) => {
        const data: Record<string, unknown> = { technology: 'Random card', level };
        FIELDS.forEach((k, i) => {
          if (choices[i] === 'keep') data[k] = DONOR[k];
          else if (choices[i] === 'todo') data[k] = 'TODO';
        });
        if (decision) data.review = { ...(DONOR.review as object), decision };
        const text = stringify(data);
        const card = service.parse(text);
        const verdict = service.readiness(card, 'file:///ws/random.trl.yaml')!;
        const problems = service.problems(card);
        const gaps = levelStatus(cardValue(card), level, LEVELS).unmet.filter((u) => u.req.severity === 'error' || u.req.severity === 'warning');
        const errors = problems.some((p) => p.severity === 'error' && p.code !== 'level-requirement');
        const placeholders = problems.some((p) => p.code === 'placeholder');
        const held = decision !== undefined && STOPPING.has(decision);
        const expected = gaps.length === 0 && !errors && !placeholders && !held;
        assert.strictEqual(verdict.ready, expected, `${text}\n${verdict.reasons.join('\n')}`);
        if (expected) ready++;
        if (gaps.length && gaps.every((g) => g.req.severity === 'warning') && !errors && !placeholders && !held) onlyAWarningGap++;
      }),
      { numRuns: RUNS, seed: 22 },
    );
    // Not vacuous: some cards were ready, and some were kept back by a warning-level gap alone.
    assert.ok(ready > 0 && onlyAWarningGap > 0, `${ready} ready, ${onlyAWarningGap} with only a warning-level gap`);
  });

  it('htmlEntities: no raw < > & " \' in its output, which decodes back to the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), markupText), (s) => {
        const out = htmlEntities(s);
        assert.ok(!/[<>"']/.test(out), out);
        assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(out), out);
        assert.strictEqual(decode(out), s);
      }),
      { numRuns: RUNS * 10, seed: 22 },
    );
  });

  it('markdownText, rendered by marked: shows the text as written, and makes no element or link of it', () => {
    fc.assert(
      fc.property(markupText, (s) => {
        const html = marked.parse(markdownText(s), { async: false, gfm: true });
        const tags = html.match(/<\/?([a-z][a-z0-9]*)/gi) ?? [];
        assert.deepStrictEqual([...new Set(tags.map((t) => t.replace(/[</]/g, '').toLowerCase()))].filter((t) => t !== 'p'), [], `${s} → ${html}`);
        assert.strictEqual(decode(html.replace(/<\/?p>/g, '')).trim(), s.trim(), `${JSON.stringify(s)} → ${html}`);
      }),
      { numRuns: RUNS * 10, seed: 22 },
    );
  });
});
