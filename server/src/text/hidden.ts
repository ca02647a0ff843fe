/**
 * The one set of hidden characters: characters not seen as they act, so that a text reads
 * differently than it is stored. Read by the `hidden-character` rule (rules/hidden.ts, which
 * also leaves alone the joiners and tags that are part of the text as written), by the links
 * (text/links.ts: a value holding one is text, not a link) and by the placeholders
 * (text/placeholder.ts: trimmed from a value's edges with the other invisible characters; a
 * value of nothing else is blank). Pure string functions.
 *
 * The set: bidi controls (U+061C, U+200E–F, U+202A–E, U+2066–9), zero-width characters
 * (U+200B–D, U+2060, U+FEFF), other invisible ones (soft hyphen, Hangul fillers, Khmer inherent
 * vowels, Mongolian vowel separator, invisible operators, deprecated format characters,
 * interlinear annotations, tags, line and paragraph separators), and control characters (C0 but
 * tab, LF and CR; DEL; C1).
 */

/** The characters of the set below U+10000, as the inside of a regular expression's character class. */
const BMP = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb';

/** One hidden character (a tag, U+E0000–E007F, is a surrogate pair): a regular expression's source, no flags. */
export const HIDDEN_CHARACTER = `[${BMP}]|\\udb40[\\udc00-\\udc7f]`;

// eslint-disable-next-line no-misleading-character-class -- a tag's low surrogate, after its high one, is meant
const ONE = new RegExp(`^(?:${HIDDEN_CHARACTER})`);
// eslint-disable-next-line no-misleading-character-class -- as above
const ANY = new RegExp(HIDDEN_CHARACTER);

/** Whether `text` holds a hidden character. */
export function hasHiddenCharacter(text: string): boolean {
  return ANY.test(text);
}

/**
 * What a placeholder's value is trimmed of besides the hidden characters: white space, every
 * format character (`\p{Cf}`: the bidi marks, zero-width characters, the soft hyphen, invisible
 * operators, the byte order mark, tags…), the combining grapheme joiner and the Hangul fillers.
 */
const INVISIBLE = /^[\s\p{Cf}\u034f\u115f\u1160\u3164\uffa0]$/u;

/** Whether the code point `cp` is trimmed from a value's edges: invisible, or hidden. */
function atEdge(cp: number): boolean {
  if (cp >= 0xe0000 && cp <= 0xe007f) return true; // the tags
  const ch = String.fromCodePoint(cp);
  return INVISIBLE.test(ch) || (ch.length === 1 && ONE.test(ch));
}

/**
 * `text` without the white space, invisible and hidden characters at its two ends: one pass
 * from each end, a code point at a time (a pattern anchored at the end, `[…]+$`, passed a long
 * run of spaces inside a value once per space).
 */
export function trimHidden(text: string): string {
  let s = 0;
  let e = text.length;
  while (s < e) {
    const cp = text.codePointAt(s)!;
    const n = cp > 0xffff ? 2 : 1;
    if (s + n > e || !atEdge(cp)) break;
    s += n;
  }
  while (e > s) {
    const lo = text.charCodeAt(e - 1);
    const hi = e - 2 >= s ? text.charCodeAt(e - 2) : 0;
    const n = lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff ? 2 : 1;
    if (!atEdge(text.codePointAt(e - n)!)) break;
    e -= n;
  }
  return s === 0 && e === text.length ? text : text.slice(s, e);
}
