/** `hidden-character` (rules/hidden.ts): which characters, which runs, the bound, the byte-order mark. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getLanguageService } from '../../server/src/languageService';
import { LIMITS } from '../../server/src/limits';
import { escapedForDoubleQuotes, hiddenProblems, hiddenRuns } from '../../server/src/rules/hidden';
import { parseDocument } from 'yaml';
import { cardPath, webUrl } from '../../server/src/text/links';
import { isBlankText, isPlaceholderText } from '../../server/src/text/placeholder';
import { trimHidden } from '../../server/src/text/hidden';
import { FIXTURES, ROOT } from '../helpers';

const service = getLanguageService();
const hidden = (text: string) => service.problems(service.parse(text)).filter((p) => p.code === 'hidden-character');

describe('hidden characters', () => {
  it('finds every bidi, zero-width, invisible and control character the rule names, alone in a value', () => {
    const each = [
      0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, // bidi
      0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, // zero width (ZWJ and ZWNJ between Latin letters)
      0x00ad, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e, 0x2028, 0x2029, 0x2061, 0x2064, 0x206a, 0x206f, 0x3164, 0xffa0, 0xfff9, 0xfffb, 0xe0001, 0xe0041, 0xe007f, // invisible
      0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f, // control
    ];
    for (const c of each) {
      const ch = String.fromCodePoint(c);
      const text = `a${ch}b`;
      assert.deepStrictEqual(hiddenRuns(text).map((r) => [r.start, r.end, r.codes]), [[1, 1 + ch.length, [c]]], `U+${c.toString(16)}`);
    }
  });

  it('is one set with the links and the placeholders: a character the rule reports makes a value text, not a link, and is trimmed as blank', () => {
    // Every code point below U+10000 and the tags: the rule's verdict on each, alone between two letters.
    const all = [...Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 0xd800 || c > 0xdfff), 0xe0000, 0xe0041, 0xe007f, 0xe0080];
    let hidden = 0;
    for (const c of all) {
      const ch = String.fromCodePoint(c);
      if (ch === '\t' || ch === '\n' || ch === '\r') continue;
      const reported = hiddenRuns(`a${ch}b`).length > 0;
      const where = `U+${c.toString(16).toUpperCase()}`;
      if (reported) {
        hidden++;
        assert.strictEqual(webUrl(`https://example.com/a${ch}b`), undefined, `${where}: not a link`);
        assert.strictEqual(cardPath(`./a${ch}b.trl.yaml`), undefined, `${where}: not a card path`);
        assert.ok(isBlankText(ch + ch), `${where}: blank`);
        assert.ok(isPlaceholderText(`${ch}TODO${ch}`), `${where}: trimmed around a placeholder`);
      } else if (!/[\s"'<>`\\]/.test(ch)) {
        assert.strictEqual(webUrl(`https://example.com/a${ch}b`), `https://example.com/a${ch}b`, `${where}: a link`);
        if (!/[:?#%|*]/.test(ch)) assert.strictEqual(cardPath(`./a${ch}b.trl.yaml`), `./a${ch}b.trl.yaml`, `${where}: a card path`);
        // Format characters and fillers the rule leaves alone are still no content of a placeholder (text/placeholder.ts).
        if (!/[\p{Cf}\u034f]/u.test(ch)) assert.ok(!isBlankText(ch), `${where}: not blank`);
      }
    }
    assert.strictEqual(hidden, 105, 'the C0 and C1 controls but tab and line ends, and DEL (62), 40 more below U+10000, three tags');
    // A joiner of a script that uses it is text to the rule, and still no part of a link (it could hide in a host name).
    assert.strictEqual(webUrl('https://example.com/\u0645\u06cc\u200c\u062e'), undefined);
    // Trimmed in one pass: a long run of spaces inside a value is passed once from each end (a regular expression anchored at the end passed it once per space).
    const inner = 'a' + ' \u200b'.repeat(500000) + 'b';
    assert.strictEqual(trimHidden(`\u200e ${inner}\u{e0041} `), inner);
    assert.ok(!isBlankText(inner));
  });

  it('leaves alone what is part of the text: emoji sequences, joiners of scripts that use them, flags, tabs and line ends, escapes', () => {
    for (const ok of [
      '👩\u200d💻 and 👨🏽\u200d🚀 and ❤\ufe0f\u200d🔥', // ZWJ emoji sequences, with a skin tone and a variation selector
      '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', // Persian: ZWNJ between letters
      '\u0915\u094d\u200d\u0937', // Devanagari: ZWJ after a virama
      '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', // the flag of Scotland: tags ended by the cancel tag
      'tab\there\r\nline\nend',
      '"\\u202e \\u200b \\x07"',
    ]) {
      assert.deepStrictEqual(hiddenRuns(ok), [], JSON.stringify(ok));
    }
    // But not a joiner between Latin letters, tags without a flag, or a flag's tags left open.
    assert.strictEqual(hiddenRuns('pass\u200dword').length, 1);
    assert.strictEqual(hiddenRuns('x\u{e0067}\u{e0062}\u{e007f}').length, 1);
    assert.strictEqual(hiddenRuns('🏴\u{e0067}\u{e0062}').length, 1);
    assert.strictEqual(hiddenRuns('👩\u200d').length, 1, 'a joiner with nothing to join');
  });

  it('has no false hit on the published cards, the practitioner cards, the examples or any other card of the repository', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, d.name);
        if (d.isDirectory()) walk(full);
        else if (/\.trl\.ya?ml$/.test(d.name)) files.push(full);
      }
    };
    walk(FIXTURES);
    walk(path.join(ROOT, 'examples'));
    const published = files.filter((f) => f.includes(`${path.sep}published${path.sep}`));
    assert.strictEqual(published.length, 4, 'the four published cards');
    // The authors' cards use en and em dashes, ellipses, § and ×: text, not hidden characters.
    assert.ok(/[–—…§×]/.test(published.map((f) => fs.readFileSync(f, 'utf8')).join('')));
    const found: string[] = [];
    for (const f of files) {
      // The fixtures written for this rule.
      if (/hidden-character/.test(path.basename(f))) continue;
      const text = fs.readFileSync(f, 'utf8');
      for (const p of hidden(text)) found.push(`${path.relative(ROOT, f)}:${p.start} ${p.message}`);
    }
    assert.ok(files.length > 100, `${files.length} cards`);
    assert.deepStrictEqual(found, []);
  });

  it('reports a run once, on exactly its characters, and two runs twice', () => {
    assert.deepStrictEqual(
      hiddenRuns('a\u202e\u2066\u200bb\u2069').map((r) => [r.start, r.end]),
      [
        [1, 4],
        [5, 6],
      ],
    );
    const text = 'technology: "x\u202e\u202dy"\nlevel: 0\n';
    const [p, ...rest] = hidden(text);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(text.slice(p.start, p.end), '\u202e\u202d');
    assert.strictEqual(p.severity, 'warning');
    assert.match(p.message, /^2 hidden characters \(U\+202E RIGHT-TO-LEFT OVERRIDE, U\+202D LEFT-TO-RIGHT OVERRIDE\): the text reads differently than it is stored \(.*CVE-2021-42574\)\. Remove them, or if they are meant, write them as the escapes `\\u202e`, `\\u202d` in a double-quoted value\.$/);
    assert.doesNotMatch(p.message, /[\u202a-\u202e]/, 'the message holds no raw bidi character');
  });

  it('drops a byte-order mark only where it starts the card', () => {
    assert.deepStrictEqual(hidden('\ufefftechnology: x\nlevel: 0\n'), []);
    const later = 'technology: x\n\ufefflevel: 0\n';
    const [p] = hidden(later);
    assert.strictEqual(p?.start, later.indexOf('\ufeff'), 'a mark that starts a later field is reported');
    const twice = '\ufeff\ufefftechnology: x\n';
    assert.deepStrictEqual(hidden(twice).map((x) => [x.start, x.end]), [[1, 2]], 'the second mark is hidden text');
    const list = 'technology: x\nrequirements:\n  - id: "1"\n    text: a\n  - id: "2"\n    text: "\ufeffb"\n';
    assert.deepStrictEqual(hidden(list).map((x) => list.slice(x.start, x.end)), ['\ufeff'], 'in an item of a split list');
  });

  it(`lists ${LIMITS.maxHiddenCharacters} runs of one field, then counts the rest in one problem`, () => {
    const n = LIMITS.maxHiddenCharacters + 50;
    const text = 'tldr: ' + 'a\u200b'.repeat(n) + '\n';
    const found = hiddenProblems(text);
    assert.strictEqual(found.length, LIMITS.maxHiddenCharacters + 1);
    assert.match(found[found.length - 1].message, /^50 more runs of hidden characters/);
    assert.strictEqual(text.slice(found[found.length - 1].start, found[found.length - 1].end), '\u200b', 'the count stands on the first run not listed');
    // A mark at the start does not take one of the places.
    assert.strictEqual(hiddenProblems('\ufeff' + text).length, LIMITS.maxHiddenCharacters + 2);
    // Exactly the bound: no count.
    assert.strictEqual(hiddenProblems('tldr: ' + 'a\u200b'.repeat(LIMITS.maxHiddenCharacters)).length, LIMITS.maxHiddenCharacters);
  });

  it('writes a value with its hidden characters as escapes inside double quotes: YAML reads the same value', () => {
    for (const v of ['Mallory \u202emoc.elpmaxe', 'a "quoted" \\ back\u200bslash', '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} \u{e0041}', 'bell\x07 \x85 \u2028']) {
      const written = `"${escapedForDoubleQuotes(v)}"`;
      assert.deepStrictEqual(hiddenRuns(written), [], written);
      assert.strictEqual(parseDocument(`x: ${written}`).get('x'), v);
    }
  });
});
