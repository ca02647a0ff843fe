import * as assert from 'assert';
import { parse as yamlParse } from 'yaml';
import { cardValue } from '../../server/src/card/model';
import { parseCard, sectionStarts } from '../../server/src/card/parse';
import { getLanguageService } from '../../server/src/languageService';
import { doc, repositoryCards, rng } from '../helpers';

const service = getLanguageService();

const cards = repositoryCards;

describe('parseCard', () => {
  it('cuts a card at top-level keys and nowhere else', () => {
    const text = 'a: 1\nb:\n  - x\n- y\n# comment\nc: |\n  text\n\n  more\nd: 4\n';
    assert.deepStrictEqual(sectionStarts(text), [0, 5, 28, 48]);
  });

  it('parses a card with document markers or cross-section aliases as a whole', () => {
    assert.strictEqual(sectionStarts('---\na: 1\n'), undefined);
    const card = parseCard('a: &x 1\nb: *x\n');
    assert.strictEqual(card.whole, true);
    assert.deepStrictEqual(cardValue(card), { a: 1, b: 1 });
  });

  it('gives the same data as a plain YAML parse on every valid card', () => {
    for (const { name, text } of cards()) {
      let expected: unknown;
      try {
        expected = yamlParse(text, { uniqueKeys: true });
      } catch {
        continue; // cards with deliberate syntax errors
      }
      const card = parseCard(text);
      if (card.sections.some((s) => s.head.problems.length || s.items?.some((i) => i.problems.length))) continue;
      assert.deepStrictEqual(cardValue(card), expected ?? {}, name);
    }
  });

  it('reports a tab used for indentation on the tab', () => {
    const text = 'technology: x\nlevel: 0\nowners:\n\trnd: {}\n';
    const tab = service.problems(parseCard(text)).find((p) => p.code === 'tab-indent');
    assert.ok(tab, 'tab-indent reported');
    assert.deepStrictEqual([tab.start, tab.end], [text.indexOf('\t'), text.indexOf('\t') + 1]);
  });

  it('reports an empty card, and a card of only comments', () => {
    for (const text of ['', '\n\n', '# just a comment\n']) {
      const codes = service.problems(parseCard(text)).map((p) => p.code);
      assert.deepStrictEqual(codes, ['empty-card'], JSON.stringify(text));
    }
  });

  it('never throws, whatever the text (random edits of real cards)', function () {
    // Thousands of parses: a minute on a loaded machine.
    this.timeout(120_000);
    const next = rng(42);
    const alphabet = ['\n', ' ', '\t', ':', '-', '"', "'", '[', ']', '{', '}', '#', '&a', '*a', '|', '>', '---', 'x', '0', '%', '!', '?', ','];
    for (const { name, text } of cards()) {
      let t = text;
      for (let i = 0; i < 60; i++) {
        const at = Math.floor(next() * (t.length + 1));
        if (next() < 0.5) t = t.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + t.slice(at);
        else t = t.slice(0, at) + t.slice(at + 1 + Math.floor(next() * 5));
        const d = { positionAt: () => ({ line: 0, character: 0 }) };
        assert.doesNotThrow(() => {
          const card = service.parse(t);
          service.problems(card);
          void d;
        }, `${name} after edit ${i}`);
      }
    }
  });

  it('survives hostile YAML: alias bombs, deep nesting, huge keys', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const deep = 'technology: ' + '['.repeat(2000) + ']'.repeat(2000) + '\nlevel: 0\n';
    const long = 'k'.repeat(100000) + ': 1\nlevel: 0\n';
    for (const text of [bomb, deep, long]) {
      assert.doesNotThrow(() => service.problems(service.parse(text)));
    }
    const codes = service.problems(service.parse(bomb)).map((p) => p.code);
    assert.ok(codes.includes('syntax'), 'the alias bomb is reported');
  });

  it('survives data with the names of object methods (toString, valueOf, __proto__, constructor)', () => {
    const names = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'toJSON'];
    for (const name of names) {
      for (const text of [
        `version: [{${name}: x}]\n`,
        `version: {${name}: 1}\n`,
        `requirements:\n  - id: [{${name}: x}]\n    p_failure: {${name}: 2}\n`,
        `technology: x\nlevel: {${name}: 1}\n${name}: 3\nowners: {rnd: {${name}: x}}\n`,
      ]) {
        const card = service.parse(text);
        const d = doc(text);
        assert.doesNotThrow(() => {
          service.problems(card);
          service.symbols(d, card);
          service.folding(d, card);
          service.hover(d, card, d.positionAt(text.indexOf(name) + 1));
          service.complete(d, card, d.positionAt(text.length));
        }, text);
      }
    }
  });
});
