/** Showing user text: control characters escaped, cuts at character boundaries, YAML numbers, one quoting helper. */
import * as assert from 'assert';
import { MAX_MESSAGE_LENGTH, MAX_QUOTED_LENGTH } from '../../server/src/limits';
import { problem, q } from '../../server/src/rules/problem';
import { cutPoint, hiddenHtml, jsonForTerminal, plainText, showControls, showHidden, truncate, visibleText, yamlNumber } from '../../server/src/text/escape';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Every character a terminal could act on, or that breaks a line. */
// eslint-disable-next-line no-control-regex -- the characters the output must not hold
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('escaping user text', () => {
  it('shows C0, DEL, C1, line separators and bidi controls as escapes, and leaves other text alone', () => {
    assert.strictEqual(showControls('red\x1b[31m!\x07'), 'red\\x1b[31m!\\x07');
    assert.strictEqual(showControls('one\ntwo\rthree\tfour\x0bfive\x0c'), 'one\\ntwo\\rthree\\tfour\\x0bfive\\x0c');
    assert.strictEqual(showControls('del\x7f csi\u009b nel\u0085'), 'del\\x7f csi\\x9b nel\\x85');
    assert.strictEqual(showControls('ls\u2028ps\u2029'), 'ls\\u2028ps\\u2029');
    assert.strictEqual(showControls('abc\u202edcba\u2066x\u2069\u200f'), 'abc\\u202edcba\\u2066x\\u2069\\u200f');
    assert.strictEqual(showControls('lone \ud83d and \ude00'), 'lone \\ud83d and \\ude00');
    const plain = 'Ünïcödé ✓ 😀 👨‍👩‍👧 🇫🇷 e\u0301 中文';
    assert.strictEqual(showControls(plain), plain);
  });

  it('shows hidden characters, one list for every output: bidi controls, zero-width and other invisible characters, tags', () => {
    const hidden = ['\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u200c', '\u2060', '\ufeff', '\u00ad', '\u3164', '\u{e0041}', '\x1b', '\x7f', '\u0085', '\u2028'];
    for (const c of hidden) {
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      assert.strictEqual(visibleText(`a${c}b`), `a⟨${code}⟩b`, code);
      assert.notStrictEqual(showControls(`a${c}b`), `a${c}b`, code);
    }
    // What shows is left alone: emoji sequences joined by U+200D, a flag's tag characters, tabs and line ends.
    const shown = 'Ünïcödé ✓ 😀 👨‍👩‍👧 ❤️‍🔥 🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f} e\u0301 中文 עברית\tx\ny';
    assert.strictEqual(visibleText(shown), shown);
    // A joiner that joins no emoji is hidden.
    assert.strictEqual(visibleText('a\u200db'), 'a⟨U+200D⟩b');
    assert.strictEqual(visibleText('lone \ud83d'), 'lone ⟨U+D83D⟩');
    // The runs between hidden characters and the characters, each by its own writer.
    assert.strictEqual(showHidden('Mallory \u202emoc.elpmaxe', (s) => `[${s}]`, (h) => `<${h.code} ${h.name}>`), '[Mallory ]<U+202E right-to-left override>[moc.elpmaxe]');
    assert.strictEqual(hiddenHtml('<a>\u202e'), '&lt;a&gt;<span class="hidden-char" title="U+202E right-to-left override: a hidden character, shown here as its code (the text reads differently than it is stored)">⟨U+202E⟩</span>');
    assert.strictEqual(showControls('zero\u200bwidth \u{e0041}'), 'zero\\u200bwidth \\u{e0041}');
  });

  it('keeps JSON the same value while escaping what a terminal would act on', () => {
    const value = { m: 'a\u202eb\u0085c\u2028d\x7f\x1b\ud800' };
    const json = jsonForTerminal(JSON.stringify(value));
    assert.deepStrictEqual(JSON.parse(json), value);
    assert.ok(!RAW_CONTROL.test(json), json);
    assert.ok(!LONE_SURROGATE.test(json), json);
  });

  it('cuts at grapheme boundaries: never inside a surrogate pair, a ZWJ sequence, a flag or a letter and its accents', () => {
    const emoji = 'x'.repeat(38) + '😀' + 'tail';
    assert.strictEqual(truncate(emoji, 40), 'x'.repeat(38) + '…');
    const family = 'ab' + '👨‍👩‍👧' + 'cd';
    for (let max = 3; max < family.length; max++) {
      const cut = truncate(family, max);
      assert.ok(cut === 'ab…' || cut === 'ab👨‍👩‍👧…', `${max}: ${JSON.stringify(cut)}`);
    }
    const flag = 'go 🇫🇷 now';
    assert.strictEqual(truncate(flag, 6), 'go …');
    const accent = 'cafe\u0301\u0327 ok';
    assert.strictEqual(truncate(accent, 6), 'caf…');
    for (let n = 0; n <= emoji.length; n++) assert.ok(!LONE_SURROGATE.test(emoji.slice(0, cutPoint(emoji, n))), String(n));
    assert.strictEqual(truncate('short', 40), 'short');
  });

  it('cuts an overlong combining sequence at a code point rather than dropping everything', () => {
    const zalgo = 'z' + '\u0301'.repeat(200);
    const cut = truncate(zalgo, 50);
    assert.strictEqual(cut.length, 50);
    assert.ok(cut.startsWith('z\u0301'));
  });

  it('writes numbers as YAML does, and never throws on a value', () => {
    assert.deepStrictEqual([NaN, Infinity, -Infinity, 0.25].map(yamlNumber), ['.nan', '.inf', '-.inf', '0.25']);
    assert.strictEqual(plainText({ a: NaN, b: [Infinity] }), '{"a":".nan","b":[".inf"]}');
    const loop: unknown[] = [];
    loop.push(loop);
    assert.strictEqual(plainText(loop), 'a list');
  });

  it('quotes through one helper: shortened, escaped, in backticks', () => {
    assert.strictEqual(q(NaN), '`.nan`');
    assert.strictEqual(q('a`b'), "`a'b`");
    assert.strictEqual(q('k\ney\x1b[8m'), '`k\\ney\\x1b[8m`');
    const long = q('y'.repeat(100_000));
    assert.strictEqual(long, '`' + 'y'.repeat(MAX_QUOTED_LENGTH - 1) + '…`');
  });

  it('caps every message and makes it one line', () => {
    const p = problem('syntax', 'Bad ' + 'v'.repeat(100_000) + '\n\x1b[2J', 0, 1);
    assert.ok(p.message.length <= MAX_MESSAGE_LENGTH, String(p.message.length));
    assert.ok(!RAW_CONTROL.test(p.message));
    const short = problem('syntax', 'two\nlines\u202e', 0, 1);
    assert.strictEqual(short.message, 'two\\nlines\\u202e');
  });
});
