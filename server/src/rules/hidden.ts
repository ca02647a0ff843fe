/**
 * `hidden-character`: a character in the card's text that is not seen as it acts — a bidi
 * override, embedding, isolate or mark, a zero-width character, another invisible character or
 * a control character. The text then reads differently than it is stored (a bidi override
 * reverses what follows it on its line: the Trojan Source attack, CVE-2021-42574). Found by
 * one linear scan of a block's text, wherever it stands (a key, a value, a comment), one problem
 * per run of such characters, on exactly that run.
 */
import { LIMITS } from '../limits';
import { HIDDEN_CHARACTER } from '../text/hidden';
import { problem, type Problem } from './problem';

/** What a hidden character does, for the message. */
type Kind = 'bidi' | 'zero-width' | 'invisible' | 'control';

/** The names of the characters the rule knows by name (the rest are named by their kind). */
const NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x3164: 'HANGUL FILLER',
  0x0000: 'NULL',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
};

/**
 * Every character the rule looks at: the one set of hidden characters (text/hidden.ts), which
 * the links and the placeholders read too.
 */
const HIDDEN = new RegExp(HIDDEN_CHARACTER, 'g');

function kindOf(c: number): Kind {
  if (c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return 'bidi';
  if ((c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff) return 'zero-width';
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return 'control';
  return 'invisible';
}

const EMOJI = /\p{Extended_Pictographic}/u;
/** Letters and marks of scripts that join with ZWJ / ZWNJ (Arabic, Indic, …): not Latin, Greek or Cyrillic. */
const JOINING = /(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])[\p{L}\p{M}]/u;
const LETTER = /[\p{L}\p{M}]/u;

/** The code point ending just before `at` (a surrogate pair read whole). */
function before(text: string, at: number): string {
  if (at <= 0) return '';
  const lo = text.charCodeAt(at - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && at >= 2) {
    const hi = text.charCodeAt(at - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return text.slice(at - 2, at);
  }
  return text[at - 1];
}

function after(text: string, at: number): string {
  const c = text.codePointAt(at);
  return c === undefined ? '' : String.fromCodePoint(c);
}

/** The code point before `at`, past emoji modifiers and variation selectors. */
function beforeModifiers(text: string, at: number): string {
  let i = at;
  for (;;) {
    const c = before(text, i);
    const cp = c.codePointAt(0) ?? 0;
    if (cp === 0xfe0f || cp === 0xfe0e || (cp >= 0x1f3fb && cp <= 0x1f3ff)) i -= c.length;
    else return c;
  }
}

/**
 * Whether the joiner or non-joiner at `at` is part of the text as written, not hidden in it:
 * a zero-width joiner inside an emoji sequence (👩‍💻), a joiner or non-joiner between the
 * letters of a script that shapes with them (Persian, Devanagari…).
 */
function isJoinerOfText(text: string, at: number, c: number): boolean {
  if (c === 0x200d && EMOJI.test(beforeModifiers(text, at)) && EMOJI.test(after(text, at + 1))) return true;
  return (c === 0x200c || c === 0x200d) && JOINING.test(before(text, at)) && LETTER.test(after(text, at + 1));
}

/**
 * The end of the run of tag characters (U+E0000–E007F) starting at `at`, and whether it is a
 * flag's: 🏴 (U+1F3F4) before it, tags after it ending with the cancel tag (U+E007F).
 */
function tagRun(text: string, at: number): { end: number; flag: boolean } {
  let e = at;
  while (text.charCodeAt(e) === 0xdb40 && (text.charCodeAt(e + 1) & 0xff80) === 0xdc00) e += 2;
  return { end: e, flag: text.codePointAt(at - 2) === 0x1f3f4 && text.charCodeAt(e - 1) === 0xdc7f };
}

/** `U+202E RIGHT-TO-LEFT OVERRIDE`. */
function named(c: number): string {
  const hex = c.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[c] ?? (c >= 0xe0000 ? 'TAG' : kindOf(c) === 'control' ? 'CONTROL CHARACTER' : 'INVISIBLE CHARACTER');
  return `U+${hex} ${name}`;
}

/** How a character is written as an escape in a double-quoted YAML value. */
export function yamlEscape(c: number): string {
  if (c > 0xffff) return `\\U${c.toString(16).padStart(8, '0')}`;
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

const WHY: Record<Kind, string> = {
  bidi: 'a bidi control reorders the text shown around it: the Trojan Source attack, CVE-2021-42574',
  'zero-width': 'a zero-width character is not shown, so values that look the same differ',
  invisible: 'an invisible character is not shown, so values that look the same differ',
  control: 'a control character is not shown, or acts on the terminal that prints it',
};

/** The message of one run of hidden characters. */
function message(codes: readonly number[]): string {
  const distinct = [...new Set(codes)];
  const kinds = distinct.map(kindOf);
  const kind: Kind = kinds.includes('bidi') ? 'bidi' : kinds.includes('control') ? 'control' : kinds[0];
  const shown = distinct.slice(0, 3).map(named).join(', ') + (distinct.length > 3 ? `, and ${distinct.length - 3} more` : '');
  const one = codes.length === 1;
  const what = one ? `Hidden character ${shown}` : `${codes.length} hidden characters (${shown})`;
  const escapes = distinct.slice(0, 3).map((c) => '`' + yamlEscape(c) + '`').join(', ');
  return `${what}: the text reads differently than it is stored (${WHY[kind]}). Remove ${one ? 'it' : 'them'}, or if ${one ? 'it is' : 'they are'} meant, write ${one ? 'it as the escape' : 'them as the escapes'} ${escapes} in a double-quoted value.`;
}

/** A run of hidden characters: where it stands and its code points. */
export interface HiddenRun {
  start: number;
  end: number;
  codes: number[];
}

/**
 * The runs of hidden characters of a text, in order, by one scan: the first `max`, and how
 * many more there are. A byte-order mark at the text's start is a run of its own.
 */
function scan(text: string, max: number): { runs: HiddenRun[]; more: number } {
  const runs: HiddenRun[] = [];
  let more = 0;
  let run: HiddenRun | undefined;
  /** Where the last hidden character ends (runs past `max` are counted, not kept). */
  let lastEnd = -1;
  /** The run of tags the scan is in (found once, at its first tag), and whether it is a flag's. */
  let tags = { end: -1, flag: false };
  for (const m of text.matchAll(HIDDEN)) {
    const at = m.index!;
    const first = m[0].charCodeAt(0);
    if (first === 0xdb40) {
      if (at >= tags.end) tags = tagRun(text, at);
      if (tags.flag) continue;
    } else if ((first === 0x200c || first === 0x200d) && isJoinerOfText(text, at, first)) continue;
    const end = at + m[0].length;
    const goesOn = at === lastEnd && !(lastEnd === 1 && text.charCodeAt(0) === 0xfeff);
    lastEnd = end;
    if (goesOn && run) {
      run.end = end;
      run.codes.push(m[0].codePointAt(0)!);
    } else if (goesOn) continue;
    else if (runs.length < max) runs.push((run = { start: at, end, codes: [m[0].codePointAt(0)!] }));
    else {
      run = undefined;
      more++;
    }
  }
  return { runs, more };
}

/** The runs of hidden characters of a text, in order (see `scan`). */
export function hiddenRuns(text: string): HiddenRun[] {
  return scan(text, Infinity).runs;
}

/**
 * `text` with each of its hidden characters written as a double-quoted YAML escape, and `\`
 * and `"` escaped: the inside of a double-quoted scalar whose value is `text`.
 */
export function escapedForDoubleQuotes(text: string): string {
  let out = '';
  let at = 0;
  for (const r of hiddenRuns(text)) {
    out += text.slice(at, r.start).replace(/[\\"]/g, (c) => '\\' + c) + r.codes.map(yamlEscape).join('');
    at = r.end;
  }
  return out + text.slice(at).replace(/[\\"]/g, (c) => '\\' + c);
}

/**
 * The hidden characters of a block's text, one problem per run, block-relative offsets. A
 * byte-order mark at the block's start is a run of its own, marked `data.bom`: at the card's
 * start it is the file's, not hidden text, and the caller drops it (a block does not know
 * where it stands). Past `LIMITS.maxHiddenCharacters` runs, one more problem counts the rest.
 */
export function hiddenProblems(text: string): Problem[] {
  const max = LIMITS.maxHiddenCharacters;
  // Two runs more than the bound: a byte-order mark at the start is not one of them.
  const { runs, more } = scan(text, max + 2);
  const out: Problem[] = [];
  let listed = 0;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    const bom = r.start === 0 && r.end === 1 && r.codes[0] === 0xfeff;
    if (!bom && listed === max) {
      const n = more + runs.length - i;
      out.push(problem('hidden-character', `${n} more run${n === 1 ? '' : 's'} of hidden characters in this part of the card, past the ${max} reported one by one: the text reads differently than it is stored. Remove them, or write them as escapes in double-quoted values.`, r.start, r.end));
      break;
    }
    if (!bom) listed++;
    out.push(problem('hidden-character', message(r.codes), r.start, r.end, undefined, bom ? { bom } : undefined));
  }
  return out;
}
