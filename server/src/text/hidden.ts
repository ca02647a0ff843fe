/**
 * The one set of hidden characters: characters not seen as they act, so that a text reads
 * differently than it is stored. Read by the `hidden-character` rule (rules/hidden.ts, which
 * also leaves alone the joiners and tags that are part of the text as written), by the links
 * (text/links.ts: a value holding one is text, not a link) and by the placeholders
 * (text/placeholder.ts: trimmed from a value's edges; a value of nothing else is blank). Pure
 * string functions.
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

const ONE = new RegExp(`^(?:${HIDDEN_CHARACTER})`);
const ANY = new RegExp(HIDDEN_CHARACTER);

/** Whether `text` holds a hidden character. */
export function hasHiddenCharacter(text: string): boolean {
  return ANY.test(text);
}

/** The length of the hidden character at `at` (1, or 2 for a tag), or 0 when there is none. */
function hiddenAt(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === 0xdb40) {
    const lo = text.charCodeAt(at + 1);
    return lo >= 0xdc00 && lo <= 0xdc7f ? 2 : 0;
  }
  return ONE.test(text[at] ?? '') ? 1 : 0;
}

/** The length of the hidden character that ends at `end`, or 0. */
function hiddenBefore(text: string, end: number): number {
  if (end >= 2 && text.charCodeAt(end - 2) === 0xdb40 && hiddenAt(text, end - 2) === 2) return 2;
  return end >= 1 && text.charCodeAt(end - 1) !== 0xdb40 && hiddenAt(text, end - 1) === 1 ? 1 : 0;
}

const SPACE = /\s/;

/** `text` without the white space and hidden characters at its two ends, in linear time. */
export function trimHidden(text: string): string {
  let s = 0;
  let e = text.length;
  for (;;) {
    if (s < e && SPACE.test(text[s])) s++;
    else {
      const n = s < e ? hiddenAt(text, s) : 0;
      if (n === 0 || s + n > e) break;
      s += n;
    }
  }
  for (;;) {
    if (e > s && SPACE.test(text[e - 1])) e--;
    else {
      const n = e > s ? hiddenBefore(text, e) : 0;
      if (n === 0 || e - n < s) break;
      e -= n;
    }
  }
  return s === 0 && e === text.length ? text : text.slice(s, e);
}
