/** The bounds of server/src/limits.ts: past each, one clear diagnostic and no crash or stall. */
import * as assert from 'assert';
import { depthExceeded } from '../../server/src/card/depth';
import { CardDocument, getLanguageService } from '../../server/src/languageService';
import { LIMITS } from '../../server/src/limits';

const service = getLanguageService();
const MAX = LIMITS.maxNestingDepth;

/** Texts nesting `n` levels, each a different way. */
const NESTERS: Record<string, (n: number) => string> = {
  'flow sequences': (n) => 'technology: ' + '['.repeat(n) + ']'.repeat(n) + '\n',
  'unclosed flow sequences': (n) => 'technology: ' + '['.repeat(n) + '\n',
  'flow mappings': (n) => 'technology: ' + '{a: '.repeat(n) + '}'.repeat(n) + '\n',
  'flow across lines': (n) => 'technology:\n' + Array.from({ length: n }, () => '  [').join('\n') + '\n',
  'block mappings': (n) => Array.from({ length: n }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' x\n',
  'compact list items': (n) => 'technology:\n  ' + '- '.repeat(n) + 'x\n',
  'keys on one line': (n) => 'technology: ' + 'k: '.repeat(n) + 'x\n',
  'list items on lines': (n) => 'requirements:\n' + Array.from({ length: n }, (_, i) => ' '.repeat(2 * i + 2) + '-').join('\n') + ' x\n',
  'mixed': (n) => 'data:\n' + Array.from({ length: n / 2 }, (_, i) => ' '.repeat(2 * i + 2) + 'k:').join('\n') + ' ' + '['.repeat(n / 2) + '\n',
};

function codes(text: string): string[] {
  return service.problems(service.parse(text)).map((p) => p.code);
}

describe('limits', () => {
  describe('nesting depth', () => {
    for (const [name, nest] of Object.entries(NESTERS)) {
      it(`${name}: 1,000 levels give one too-deep problem, twice in a row`, () => {
        const text = nest(1000) + 'level: 0\n';
        for (let round = 0; round < 2; round++) {
          const problems = service.problems(service.parse(text));
          assert.deepStrictEqual(problems.map((p) => p.code), ['too-deep'], JSON.stringify(problems.map((p) => p.message)));
          const p = problems[0];
          // On the token that went past the limit, inside the deep field.
          assert.ok(p.start > 0 && p.end > p.start && p.end <= text.indexOf('level: 0'), `${p.start}-${p.end}`);
          assert.match(p.message, new RegExp(`more than ${MAX} levels`));
        }
      });
      it(`${name}: a few levels are parsed as usual`, () => {
        const text = nest(6) + 'level: 0\n';
        assert.strictEqual(depthExceeded(text, MAX), -1);
        assert.ok(!codes(text).includes('too-deep'));
      });
    }

    it('counts what the parser nests, not brackets in quotes, comments or block scalars', () => {
      const deepText = '['.repeat(200);
      const texts = [
        `technology: "${deepText}"\n`,
        `technology: '${deepText}'\n`,
        `technology: x # ${deepText}\n`,
        `technology: |\n  ${deepText}\n` + Array.from({ length: 200 }, (_, i) => ' '.repeat(i + 2) + 'k:').join('\n') + '\n',
        `technology: plain text with ${deepText} inside\n`,
        `technology: ["${'['.repeat(200)}", '${'{'.repeat(200)}']\n`,
        `technology: {"a":"${'['.repeat(200)}", "b": '${'{'.repeat(200)}'}\n`,
      ];
      for (const text of texts) assert.strictEqual(depthExceeded(text, MAX), -1, text.slice(0, 60));
    });

    it('checks the rest of the card, but not the checks of the whole card', () => {
      const text = 'technology: x\nlevel: 12\ndata: ' + '['.repeat(500) + '\nversion: 1.0\n';
      // `version` is still checked; `level` (whose checks need the whole card) is not reported as missing requirements.
      assert.deepStrictEqual(codes(text), ['invalid-level', 'too-deep', 'invalid-semver']);
    });

    it('applies to one item of a split list, which is then the only one not checked', () => {
      const text = 'technology: x\nlevel: 0\nhypotheses:\n  - statement: a\n  - statement: ' + '{a: '.repeat(300) + '\n  - statment: b\n';
      assert.deepStrictEqual(codes(text), ['too-deep', 'unknown-field', 'missing-field']);
    });

    it('takes linear time on any nesting', () => {
      const huge = 'technology: ' + '['.repeat(400000) + '\n' + Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n');
      const t = process.hrtime.bigint();
      assert.ok(depthExceeded(huge, MAX) > 0);
      assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 1000);
    });
  });

  describe('card size', () => {
    const big = 'technology: x\nlevel: 0\n' + 'tldr: ' + 'x'.repeat(LIMITS.maxCardLength + 5000) + '\n';

    it('a card over the limit gets one too-large problem on its first line, and no other answer', () => {
      const card = service.parse(big);
      const problems = service.problems(card);
      assert.deepStrictEqual(problems.map((p) => [p.code, p.start, p.end]), [['too-large', 0, 'technology: x'.length]]);
      assert.match(problems[0].message, /over the 4 MB/);
      const d = new CardDocument('file:///big.trl.yaml', 'trl-card', 1, card);
      assert.deepStrictEqual(service.symbols(d, card), []);
      assert.deepStrictEqual(service.folding(d, card), []);
      assert.strictEqual(service.hover(d, card, { line: 1, character: 2 }), null);
      assert.deepStrictEqual(service.complete(d, card, { line: 2, character: 0 }).items, []);
    });

    it('an edit that brings the card under the limit parses it again', () => {
      let card = service.parse(big);
      const start = big.indexOf('tldr: ') + 'tldr: '.length;
      card = service.update(card, { start, end: start + 1000, text: '' });
      assert.deepStrictEqual(service.problems(card).map((p) => p.code), ['too-large']);
      card = service.update(card, { start, end: big.length - 1 - 1000, text: 'short' });
      const problems = service.problems(card).map((p) => p.code);
      assert.ok(!problems.includes('too-large'), problems.join());
      assert.ok(problems.includes('level-requirement'));
    });

    it('a card that must be parsed whole (it has ---) is parsed up to its own, lower limit', () => {
      const body = 'technology: x\nlevel: 0\ntldr: ' + 'x'.repeat(LIMITS.maxWholeCardLength) + '\n';
      // Cut into fields, the same text is parsed as usual.
      assert.ok(!codes(body).includes('too-large'));
      const whole = body + '---\nother: 1\n';
      const problems = service.problems(service.parse(whole));
      assert.deepStrictEqual(problems.map((p) => p.code), ['too-large']);
      assert.match(problems[0].message, /read as one piece/);
      // Every edit of it stays as cheap: no parse.
      let card = service.parse(whole);
      const t = process.hrtime.bigint();
      for (let k = 0; k < 20; k++) card = service.update(card, { start: 5, end: 5, text: 'y' });
      assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 1000);
      assert.deepStrictEqual(service.problems(card).map((p) => p.code), ['too-large']);
      // Below the limit it is parsed whole, as before.
      assert.ok(!codes('technology: x\nlevel: 0\n---\nother: 1\n').includes('too-large'));
    });

    it('a card at the limit is parsed', () => {
      const text = 'technology: x\nlevel: 0\ntldr: ' + 'x'.repeat(LIMITS.maxCardLength - 30) + '\n';
      assert.ok(text.length <= LIMITS.maxCardLength);
      assert.ok(!codes(text).includes('too-large'));
    });
  });

  it('an alias bomb is stopped at the alias limit', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const problems = service.problems(service.parse(bomb));
    assert.ok(problems.some((p) => p.code === 'syntax' && /alias/i.test(p.message)), JSON.stringify(problems));
  });
});
