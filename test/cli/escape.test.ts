/** Showing user text: control characters escaped, cuts at character boundaries, YAML numbers, one quoting helper. */
import * as assert from 'assert';
import { MAX_MESSAGE_LENGTH, MAX_QUOTED_LENGTH } from '../../server/src/limits';
import { problem, q } from '../../server/src/rules/problem';
import { cutPoint, jsonForTerminal, plainText, showControls, truncate, yamlNumber } from '../../server/src/text/escape';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Every character a terminal could act on, or that breaks a line. */
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
