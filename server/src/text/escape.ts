/**
 * Showing user text safely — the project's one place for escaping: control and other hidden
 * characters made visible (`showHidden`), never applied or executed; text as HTML or Markdown
 * that shows as written; text cut at a character boundary, never inside a surrogate pair or a
 * combining sequence. Pure string functions (no DOM, no Node), used by the rules' messages
 * (`q()` in rules/problem.ts), by every line the checker prints (cli/format.ts), by hovers, by
 * the preview and its exports (render/html.ts, render/markdown.ts), by the portfolio report,
 * and by the client's tree and dashboard.
 */
import { cardPath, webUrl } from './links';

/**
 * Characters that do not show, or make text read differently than it is stored — the one list,
 * read by every output: C0 controls but tab and line ends, DEL, C1 controls, the soft hyphen,
 * the bidi marks, embeddings, overrides and isolates (U+061C, U+200E–F, U+202A–E, U+2066–9),
 * zero-width and other invisible characters (U+200B–D, U+2060–4, U+FEFF, the Hangul fillers,
 * …), the line and paragraph separators, interlinear annotations, tag characters (U+E0000–7F)
 * and surrogates without their pair. A zero-width joiner between two emoji and the tags of an
 * emoji flag (🏴 + tags) are part of what shows, and are left alone.
 */
const HIDDEN_CLASS =
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b\\u200c\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb]' +
  // A joiner is hidden unless it joins two emoji (an emoji modifier or VS16 may sit before it).
  '|\\u200d(?:(?<!\\p{Extended_Pictographic}[\\u{1f3fb}-\\u{1f3ff}\\ufe0f]?\\u200d)|(?!\\p{Extended_Pictographic}))' +
  // Tag characters are hidden unless they spell an emoji flag's region after 🏴 (U+1F3F4).
  '|[\\u{e0000}-\\u{e007f}](?<!\\u{1f3f4}[\\u{e0020}-\\u{e007e}]*[\\u{e0020}-\\u{e007f}])' +
  // With the `u` flag, a surrogate matches only when it is not half of a pair.
  '|[\\ud800-\\udfff]';
// eslint-disable-next-line no-misleading-character-class -- VS16 (U+FE0F) alone in a class is meant: an emoji's, before a joiner
const HIDDEN = new RegExp(HIDDEN_CLASS, 'gu');
// eslint-disable-next-line no-misleading-character-class -- VS16 (U+FE0F) alone in a class is meant: an emoji's, before a joiner
const HIDDEN_ONE = new RegExp(HIDDEN_CLASS, 'u');

/**
 * What must never reach a terminal or a one-line report raw: the hidden characters above, and
 * line breaks and tabs.
 */
// eslint-disable-next-line no-misleading-character-class -- VS16 (U+FE0F) alone in a class is meant: an emoji's, before a joiner
const UNSAFE = new RegExp(`[\\n\\r\\t]|${HIDDEN_CLASS}`, 'gu');
// eslint-disable-next-line no-misleading-character-class -- VS16 (U+FE0F) alone in a class is meant: an emoji's, before a joiner
const UNSAFE_ONE = new RegExp(UNSAFE.source, 'u');

/** The characters a JSON text may carry raw but a terminal must not see (JSON.stringify escapes C0 and lone surrogates). */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(c: string, digits: number): string {
  return c.charCodeAt(0).toString(16).padStart(digits, '0');
}

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${hex(c, 2)}` : code <= 0xffff ? `\\u${hex(c, 4)}` : `\\u{${code.toString(16)}}`;
}

/**
 * The text with every control character shown as an escape (`\x1b`, `\n`, `\u202e`): what it
 * prints is what it says, on one line. Text without such characters is returned as it is.
 */
export function showControls(text: string): string {
  return UNSAFE_ONE.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/** A hidden character as the outputs show it: its code point (`U+202E`) and its name. */
export interface HiddenChar {
  char: string;
  /** `U+202E`. */
  code: string;
  /** `right-to-left override`; a general name for the characters without one here. */
  name: string;
}

const HIDDEN_NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen',
  0x034f: 'combining grapheme joiner',
  0x061c: 'Arabic letter mark',
  0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x3164: 'Hangul filler',
  0xfeff: 'zero-width no-break space (byte order mark)',
};

function hiddenChar(c: string): HiddenChar {
  const cp = c.codePointAt(0)!;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name =
    HIDDEN_NAMES[cp] ??
    (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)
      ? 'control character'
      : cp >= 0xd800 && cp <= 0xdfff
        ? 'half of a surrogate pair'
        : cp >= 0xe0000
          ? 'tag character'
          : (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
            ? 'bidi control'
            : 'invisible character');
  return { char: c, code, name };
}

/**
 * THE way hidden characters are shown, in every output (the preview, the dashboard, the tree,
 * the HTML and Markdown exports, `trl-cards render` and `report`): `text` with the runs between
 * hidden characters written by `plain` and each hidden character by `mark` (a chip, a code
 * span, `⟨U+202E⟩`), so a bidi override is shown, never applied, and a zero-width space is seen.
 * Tabs and line ends are not hidden characters: each output lays them out its own way.
 */
export function showHidden(text: string, plain: (s: string) => string, mark: (h: HiddenChar) => string): string {
  if (!HIDDEN_ONE.test(text)) return plain(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    out += plain(text.slice(last, m.index)) + mark(hiddenChar(m[0]));
    last = m.index + m[0].length;
  }
  return out + plain(text.slice(last));
}

/** Whether `text` holds a hidden character (see `showHidden`). */
export function hasHidden(text: string): boolean {
  return HIDDEN_ONE.test(text);
}

/** How a hidden character reads in plain text: `⟨U+202E⟩`. */
export const hiddenLabel = (h: HiddenChar): string => `⟨${h.code}⟩`;

/** Plain text (a tree label, a tooltip, an attribute) with each hidden character as `⟨U+202E⟩`. */
export function visibleText(text: string): string {
  return showHidden(text, (s) => s, hiddenLabel);
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

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * One run of text (no line break, no hidden character) as inline Markdown, escaping only what
 * Markdown (CommonMark, GitHub's extensions, `marked`) would act on there:
 * - always: `` ` `` (code), `*` (emphasis: also inside a word), `[` and `]` (links, images,
 *   footnotes), `~` (strikethrough), `$` (GitHub's math), `|` (a table cell), `<` as `&lt;`
 *   (raw HTML never becomes HTML, nor an autolink);
 * - `_` only at a word's edge (inside a word, `p_failure`, it cannot open emphasis);
 * - `\` only before punctuation or at the end (`C:\Users` stays);
 * - `&` only where it would start an entity (`R&D` stays, `&amp;` is shown as written);
 * - `@` before a letter or digit, `:` in `://` and `.` after `www`: GitHub's Markdown makes
 *   links of bare addresses (a `mailto:`, or a URL cut where it would not be);
 * - at the start of a block (`start`): `#`, `>`, `-`, `+`, `=` and `1.` where they would make a
 *   heading, a quote, a list item, a rule or a setext line; leading spaces and tabs as entities.
 */
function markdownRun(run: string, start: boolean): string {
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const c = run[i];
    const next = run[i + 1];
    switch (c) {
      case '`':
      case '*':
      case '[':
      case ']':
      case '~':
      case '$':
      case '|':
        out += '\\' + c;
        break;
      case '<':
        out += '&lt;';
        break;
      case '_':
        out += isWordChar(run[i - 1]) && isWordChar(next) ? '_' : '\\_';
        break;
      case '\\':
        out += next === undefined || ASCII_PUNCTUATION.test(next) ? '\\\\' : '\\';
        break;
      case '&':
        out += /^&#?[a-z0-9]+;/i.test(run.slice(i, i + 40)) ? '&amp;' : '&';
        break;
      case '@':
        out += next !== undefined && /[a-z0-9]/i.test(next) ? '\\@' : '@';
        break;
      case ':':
        out += next === '/' && run[i + 2] === '/' && /[a-z]/i.test(run[i - 1] ?? '') ? '\\:' : ':';
        break;
      case '.':
        out += /www$/i.test(run.slice(Math.max(0, i - 3), i)) ? '\\.' : '.';
        break;
      default:
        out += c;
    }
  }
  if (!start) return out;
  // Leading spaces and tabs as entities: four spaces would start a code block, and a block's
  // leading spaces would be dropped.
  const lead = /^[ \t]+/.exec(out)?.[0] ?? '';
  let rest = out.slice(lead.length);
  const ends = (k: number) => rest.length === k || rest[k] === ' ' || rest[k] === '\t';
  if (rest.startsWith('>')) rest = '&gt;' + rest.slice(1);
  else if (/^#{1,6}(?:[ \t]|$)/.test(rest)) rest = '\\' + rest;
  else if ((rest[0] === '-' || rest[0] === '+') && (ends(1) || /^[-+][ \t-]*$/.test(rest))) rest = '\\' + rest;
  else if (/^=+[ \t]*$/.test(rest)) rest = '\\' + rest;
  else {
    const list = /^\d{1,9}[.)]/.exec(rest);
    if (list && ends(list[0].length)) rest = `${list[0].slice(0, -1)}\\${list[0].slice(-1)}${rest.slice(list[0].length)}`;
  }
  return lead.replace(/ /g, '&#32;').replace(/\t/g, '&#9;') + rest;
}

function markdownInline(text: string, start: boolean): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, i) => {
      let first = start && i === 0;
      // Hidden characters side by side share one code span (two spans side by side would read as one fence).
      let chips = '';
      const flush = () => {
        const md = chips ? codeSpan(chips) : '';
        chips = '';
        return md;
      };
      const md = showHidden(
        line,
        (run) => {
          if (run === '') return '';
          const out = flush() + markdownRun(run, first);
          first = false;
          return out;
        },
        (h) => {
          first = false;
          chips += hiddenLabel(h);
          return '';
        },
      );
      return md + flush();
    })
    .join('<br>');
}

/**
 * Text as Markdown that shows exactly this text, at the start of a paragraph or a list item or
 * anywhere inside one: escaped only where Markdown would act on a character (`markdownRun`),
 * so `1.0.0`, `p_failure` and `R&D` read as written; line breaks as `<br>` (the only HTML the
 * export writes); hidden characters as `⟨U+202E⟩` code spans (`showHidden`). Raw HTML in a card
 * never becomes HTML, whatever the renderer's HTML setting.
 */
export function markdownText(text: string): string {
  return markdownInline(text, true);
}

/** A Markdown link to a safe target (text/links.ts: `webUrl`, or a relative `cardPath`), its label escaped; the label alone otherwise. */
export function markdownLink(label: string, target: string): string {
  const url = webUrl(target);
  // A web address that is its own label: an autolink, as it reads.
  if (url && label === url) return `<${url}>`;
  const href = url ?? cardPath(target);
  return href ? `[${markdownInline(label, false)}](<${href}>)` : markdownText(label);
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
 * Text for a Markdown table cell (GitHub Flavored Markdown): as `markdownText`, without the
 * escapes only the start of a block needs (a cell holds no block); `|` is escaped, line breaks
 * are `<br>`, so a cell stays one cell of one row.
 */
export function markdownCell(text: string): string {
  return markdownInline(text, false);
}

/** The title of a hidden character's chip: what it is, and why it is shown. */
export function hiddenTitle(h: HiddenChar): string {
  return `${h.code} ${h.name}: a hidden character, shown here as its code (the text reads differently than it is stored)`;
}

/** Text as HTML element content: `htmlEntities`, each hidden character a chip (`showHidden`). */
export function hiddenHtml(text: string): string {
  return showHidden(text, htmlEntities, (h) => `<span class="hidden-char" title="${htmlEntities(hiddenTitle(h))}">${hiddenLabel(h)}</span>`);
}
