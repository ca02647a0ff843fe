/**
 * `.trl.md` cards: YAML front matter (`---` on the first line, a byte order mark allowed, closed
 * by the next `---` line) over a Markdown body. The card is the front matter read as YAML with
 * every character outside it (the `---` lines and the body) replaced by a space, line ends kept
 * (the closing line's first by `#`, see `yamlView`):
 * the **view**, as long as the file, so every offset, line and column is the file's own and the
 * whole YAML pipeline (parse, rules, fixes, hovers, completion, symbols) works on it unchanged.
 * The body's sections (the template's headings, depth 2 to 6, outside code fences, the table of
 * import/sections.ts) give the prose fields, merged into the card's value by `cardValue`.
 * Pure; never throws.
 */
import MarkdownIt from 'markdown-it';
import { CARD_MARKDOWN } from '../../../protocol/cardFile';
import { sectionField, headingSections, sectionValue, type SectionField } from '../import/sections';
import { cardLength, cardSlice } from './document';
import type { Edit } from './incremental';
import type { BodyField, BodyProblem, CardBody, CardModel } from './model';
import { parseCard, parseCardFields } from './parse';
import { q } from '../rules/problem';

const md = new MarkdownIt({ html: true });

/** Whether a URI or path names a `.trl.md` card. */
export function isMarkdownCard(uriOrPath: string | undefined): boolean {
  return uriOrPath !== undefined && CARD_MARKDOWN.test(uriOrPath);
}

/** A `---` line (trailing spaces and tabs allowed) starting at `at`: the offset of its line end, or -1. */
function fenceLineEnd(text: string, at: number): number {
  if (!text.startsWith('---', at)) return -1;
  let i = at + 3;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i === text.length || text[i] === '\n' || text[i] === '\r' ? i : -1;
}

/** After the line break at `i` (CRLF, LF or CR). */
function afterBreak(text: string, i: number): number {
  return text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i < text.length ? i + 1 : i;
}

/**
 * The front matter's YAML: `start` after the opening `---` line, `end` at the closing `---`
 * line's start (the YAML is text[start, end)); `bodyStart` after the closing line. Undefined
 * when the file does not open with a `---` line, or no later `---` line closes it.
 */
export function frontMatter(text: string): { start: number; end: number; bodyStart: number } | undefined {
  const open = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const openEnd = fenceLineEnd(text, open);
  if (openEnd < 0 || openEnd === text.length) return undefined;
  const start = afterBreak(text, openEnd);
  for (let at = start; at < text.length; ) {
    const end = fenceLineEnd(text, at);
    if (end >= 0) return { start, end: at, bodyStart: afterBreak(text, end) };
    const nl = nextBreak(text, at);
    if (nl === text.length) break;
    at = afterBreak(text, nl);
  }
  return undefined;
}

function nextBreak(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Every character but line breaks as a space. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/**
 * The view: the front matter's YAML where it is, every other character but line breaks a space,
 * but for the closing `---`, whose first character becomes `#`: a comment at column 0 ends a
 * block scalar on the YAML's last lines, which would otherwise take the blanked body's lines
 * indented deeper than its own as lines of spaces (`notes: >-` above a long heading).
 */
export function yamlView(text: string, fm = frontMatter(text)): string {
  if (!fm) return blank(text);
  return blank(text.slice(0, fm.start)) + text.slice(fm.start, fm.end) + '#' + blank(text.slice(fm.end + 1));
}

/** Line starts of a text (CRLF, LF or CR), as the body's token maps count lines. */
function lineStarts(text: string, from: number): number[] {
  const starts = [from];
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

/** The first line's range, for a problem of the whole file. */
function firstLine(text: string): [number, number] {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return [from, Math.max(from + 1, Math.min(nextBreak(text, from), from + 200))];
}

/** The prose fields of a body (text[bodyStart, …)) and its problems: an empty section, a section given twice. */
export function bodyFields(text: string, bodyStart: number): { fields: BodyField[]; problems: BodyProblem[] } {
  const starts = lineStarts(text, bodyStart);
  const lines = starts.map((s, k) => text.slice(s, k + 1 < starts.length ? starts[k + 1] : text.length).replace(/\r?\n$|\r$/, ''));
  const tokens = md.parse(lines.join('\n'), {});
  const fields: BodyField[] = [];
  const problems: BodyProblem[] = [];
  const seen = new Map<SectionField, BodyField>();
  for (const s of headingSections(tokens, lines.length)) {
    if (s.depth < 2) continue;
    const field = sectionField(s.title);
    if (field === undefined || field === 'requirements') continue;
    // The heading's text on its line (an ATX heading's `#`s and a setext heading's whole first line).
    const line = lines[s.line];
    const lead = /^\s*(#{1,6}\s+)?/.exec(line)![0].length;
    const trail = line.replace(/(\s+#+)?\s*$/, '').length;
    const start = starts[s.line] + lead;
    const end = starts[s.line] + Math.max(lead + 1, trail);
    const title = q(s.title.trim());
    const first = seen.get(field);
    if (first) {
      problems.push({ code: 'section-and-field', message: `A second ${title} section: \`${field}\` is given by the section above already. Merge the two sections into one.`, start, end });
      continue;
    }
    const { value } = sectionValue(field, s, lines, tokens);
    if (value === undefined) {
      problems.push({ code: 'empty-section', message: `The section ${title} is empty: write its text (\`${field}\`) below the heading, or remove the heading.`, start, end });
      continue;
    }
    const f: BodyField = { path: field, value, start, end };
    seen.set(field, f);
    fields.push(f);
  }
  return { fields, problems };
}

/** A `.trl.md` card's model: the view parsed as a YAML card, with the body's prose fields. Never throws. */
export function parseMarkdownCard(text: string): CardModel {
  const fm = frontMatter(text);
  const card = parseCard(yamlView(text, fm));
  card.body = bodyOf(text, fm);
  return card;
}

/** The fields `keys` of a `.trl.md` card's front matter only (what the workspace index needs). */
export function parseMarkdownCardFields(text: string, keys: ReadonlySet<string>): CardModel {
  return parseCardFields(yamlView(text), keys);
}

function bodyOf(text: string, fm: ReturnType<typeof frontMatter>): CardBody {
  if (!fm) {
    const [start, end] = firstLine(text);
    const message =
      fenceLineEnd(text, start) >= 0
        ? 'The front matter is not closed: end the card\'s YAML with a `---` line, then write the Markdown body.'
        : 'This .trl.md card has no front matter: start the file with a `---` line, then the card\'s YAML (`technology:`, `level:`, …), then a `---` line, then the Markdown body.';
    return { text, fields: [], problems: [{ code: 'front-matter', message, start, end }] };
  }
  const { fields, problems } = bodyFields(text, fm.bodyStart);
  return { text, frontMatter: { start: fm.start, end: fm.end }, fields, problems };
}

/** A `.trl.md` card after an edit of its file: parsed again (the front matter and the body). */
export function updateMarkdownCard(card: CardModel & { body: CardBody }, edit: Edit): CardModel {
  const old = card.body.text;
  return parseMarkdownCard(old.slice(0, edit.start) + edit.text + old.slice(edit.end));
}

/**
 * A `.trl.md` card whose view was edited (a fix): the card of the file with the same edit, or
 * undefined when the edit reached outside the front matter's YAML (a fix never may).
 */
export function reparseView(card: CardModel & { body: CardBody }, view: string): CardModel | undefined {
  const fm = card.body.frontMatter;
  if (!fm) return undefined;
  const delta = view.length - cardLength(card);
  const head = cardSlice(card, 0, fm.start);
  const tail = cardSlice(card, fm.end, cardLength(card));
  if (view.slice(0, fm.start) !== head || view.slice(fm.end + delta) !== tail || fm.end + delta < fm.start) return undefined;
  const old = card.body.text;
  return parseMarkdownCard(old.slice(0, fm.start) + view.slice(fm.start, fm.end + delta) + old.slice(fm.end));
}

/** Where a new top-level field goes: the end of the front matter's YAML in a `.trl.md` card, else the end of the card. */
export function cardEnd(card: CardModel): number {
  return card.body?.frontMatter ? card.body.frontMatter.end : cardLength(card);
}

/** Whether an offset lies in a `.trl.md` card's front matter (always, in a YAML card). */
export function inFrontMatter(card: CardModel, offset: number): boolean {
  if (!card.body) return true;
  const fm = card.body.frontMatter;
  return fm !== undefined && offset >= fm.start && offset <= fm.end;
}
