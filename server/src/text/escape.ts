/**
 * Showing user text safely: control characters made visible, never executed; text cut at a
 * character boundary, never inside a surrogate pair or a combining sequence. Pure string
 * functions, used by the rules' messages (`q()` in rules/problem.ts), by every line the
 * checker prints (cli/format.ts), by hovers and by the Markdown export (render/markdown.ts).
 */
import { cardPath, webUrl } from './links';

/**
 * What must never reach a terminal or a one-line report raw: C0 controls (line breaks, tab,
 * ESC…), DEL, C1 controls (NEL, CSI…), the Unicode line and paragraph separators, the bidi
 * marks, embeddings, overrides and isolates (U+061C, U+200E–F, U+202A–E, U+2066–9), and
 * surrogates without their pair.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_ONE = new RegExp(UNSAFE.source);

/** The characters a JSON text may carry raw but a terminal must not see (JSON.stringify escapes C0 and lone surrogates). */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(c: string, digits: number): string {
  return c.charCodeAt(0).toString(16).padStart(digits, '0');
}

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

/**
 * The text with every control character shown as an escape (`\x1b`, `\n`, `\u202e`): what it
 * prints is what it says, on one line. Text without such characters is returned as it is.
 */
export function showControls(text: string): string {
  return UNSAFE_ONE.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/** A JSON text (from JSON.stringify) with the characters a terminal would act on written as `\uXXXX`: the same JSON value. */
export function jsonForTerminal(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${hex(c, 4)}`);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The grapheme segmenter, made on first use: making it loads ICU's data (about 12 ms of every start). */
let segmenter: Intl.Segmenter | null | undefined;
function graphemeSegmenter(): Intl.Segmenter | null {
  if (segmenter === undefined) segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  return segmenter;
}

/** How far a grapheme boundary is looked for before the cut point. */
const WINDOW = 64;

/**
 * The largest offset ≤ `limit` where `text` may be cut: a grapheme boundary (so an emoji, a
 * flag or a letter with its accents stays whole) or, inside an overlong combining sequence, a
 * code-point boundary. Never inside a surrogate pair.
 */
export function cutPoint(text: string, limit: number): number {
  let c = Math.max(0, Math.min(limit, text.length));
  if (c >= text.length) return text.length;
  if (c > 0 && isLow(text.charCodeAt(c)) && isHigh(text.charCodeAt(c - 1))) c--;
  const graphemes = c === 0 ? null : graphemeSegmenter();
  if (!graphemes) return c;
  const from = Math.max(0, c - WINDOW);
  let best = -1;
  for (const { index } of graphemes.segment(text.slice(from, Math.min(text.length, c + WINDOW)))) {
    if (from + index > c) break;
    best = from + index;
  }
  return best > from ? best : c;
}

/** `text` cut to at most `max` characters, ending in `…` when cut. */
/** `text` with each match of `urls` (a global pattern) written by `link`, and the text between by `plain`. */
export function linkify(text: string, urls: RegExp, plain: (s: string) => string, link: (url: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(urls)) {
    out += plain(text.slice(last, m.index)) + link(m[0]);
    last = m.index! + m[0].length;
  }
  return out + plain(text.slice(last));
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, cutPoint(text, max - 1)) + '…';
}

/** A number as YAML writes it: `.nan`, `.inf`, `-.inf` for the values that are not finite. */
export function yamlNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}

/** Any value as short plain text: strings as they are, numbers as YAML writes them, the rest as JSON. Never throws. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return yamlNumber(value);
  try {
    const json = JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? yamlNumber(v) : typeof v === 'bigint' ? String(v) : v));
    if (json !== undefined) return json;
  } catch {
    // a value that refers to itself (YAML aliases can build one)
    return Array.isArray(value) ? 'a list' : 'a mapping';
  }
  return String(value);
}

// --- Markdown: hovers and the Markdown export ---

/**
 * Escapes text for Markdown so user content is shown, never interpreted. `:` and `@` are
 * escaped too: GitHub-flavoured Markdown (VS Code renders hovers with `marked`) links bare
 * URLs and e-mail addresses even when their dots are escaped.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&:@]/g, (c) => '\\' + c);
}

/**
 * `text` as a Markdown code span, shown exactly: no escapes (inside a code span a backslash is
 * shown as it is), a fence of more backticks than the longest run inside, a space inside the
 * fence when the text starts or ends with a backtick or a space. Line breaks become spaces (a
 * code span cannot hold them: a line starting with `#` would end it). Code spans are never
 * turned into links.
 */
export function codeSpan(text: string): string {
  let one = text.replace(/\r\n|[\r\n]/g, ' ');
  if (one.length === 0) one = '""';
  let longest = 0;
  for (const run of one.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(one) && one.trim() !== '' ? ' ' : '';
  return fence + pad + one + pad + fence;
}

/**
 * Markdown punctuation escaped with a backslash in `markdownText`: everything that can open
 * emphasis, code, a link, an image, a heading, a list, a table cell, a setext underline or
 * math; `:` and `@` too (GitHub-flavoured Markdown links bare URLs and e-mail addresses).
 */
const MD_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~:@=$^]/g;
const MD_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Text as inline Markdown that shows exactly this text, in a paragraph, a list item or a table
 * cell: punctuation backslash-escaped, `&`, `<` and `>` as entities (so raw HTML in a card never
 * becomes HTML, whatever the renderer's HTML setting), line breaks as `<br>` (the only HTML the
 * export writes), control characters shown as escapes (`\x1b`), leading spaces as `&#32;`.
 */
export function markdownText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) =>
      showControls(line)
        .replace(MD_PUNCTUATION, (c) => '\\' + c)
        .replace(/[&<>]/g, (c) => MD_ENTITIES[c])
        // Leading spaces as entities: four of them would start a code block.
        .replace(/^ +/, (s) => '&#32;'.repeat(s.length)),
    )
    .join('<br>');
}

/** A Markdown link to a safe target (text/links.ts: `webUrl`, or a relative `cardPath`), its label escaped; the label alone otherwise. */
export function markdownLink(label: string, target: string): string {
  const href = webUrl(target) ?? cardPath(target);
  return href ? `[${markdownText(label)}](<${href}>)` : markdownText(label);
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The one HTML escaper, for the server's pages, the webviews and the exports alike: `&`, `<`,
 * `>`, `"` and `'` as entities, so the text is text in element content and in quoted attribute
 * values (double or single).
 */
export function htmlEntities(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]);
}

/** Text for one line of HTML (the report): control characters shown as escapes, then `htmlEntities`. */
export function escapeHtml(text: string): string {
  return htmlEntities(showControls(text));
}

/**
 * Text for a Markdown table cell or paragraph (GitHub Flavored Markdown): every character
 * Markdown or inline HTML could act on is backslash-escaped, `|` included, and line breaks and
 * other control characters are shown as escapes, so a cell stays one cell of one row.
 */
export function markdownCell(text: string): string {
  return showControls(text).replace(/[\\`*_[\]<>|~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c));
}
