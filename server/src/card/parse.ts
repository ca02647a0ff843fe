/**
 * Parsing never throws: `parseCard(text)` always returns a model, with syntax problems inside.
 *
 * A card is a YAML mapping. In YAML, a line that starts in column 0 with a key always starts a
 * new top-level entry, so the text is cut at those lines and each piece (section) is parsed
 * alone. A section whose value is a block list (`requirements:` then `- …` items) is cut again
 * at each item's dash, and each item is parsed alone. A card that cannot be cut safely
 * (document markers, directives, a root that is not a block mapping, an alias to an anchor in
 * another piece, line ends that are a lone CR) is parsed as one piece.
 */
import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import { LIMITS } from '../limits';
import { bracketsExceeded, depthExceeded } from './depth';
import { fastParse, isFastDocument, PARSE_OPTIONS, plainValue } from './fastParse';
import { indentSlips } from './indentSlip';
import type { Block, CardModel, Entry, Item, LimitHit, ParseProblem, Section } from './model';
import { Memo } from './memo';

const TO_JS_OPTIONS = { maxAliasCount: LIMITS.maxAliasCount } as const;

/**
 * Whether blocks go through the fast path first. `TRL_CARDS_FAST_PARSE=0` sends every block to
 * yaml's parser: how a test runs the checker both ways and compares what it prints.
 */
const FAST_PARSE = typeof process === 'undefined' || process.env.TRL_CARDS_FAST_PARSE !== '0';

/** Thrown when a piece uses an alias whose anchor is in another piece: parse the card whole. */
export class UnresolvedAlias extends Error {}

function isBreak(c: number): boolean {
  return Number.isNaN(c) || c === 10 || c === 13;
}

/** Where a line starting at `i` forbids cutting the card into sections. */
function blocksCutting(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  // '%' directive, '?' explicit key, '[' '{' flow root, '&' anchor, '*' alias, '!' tag, '|' '>' block scalar root
  if (c === 37 || c === 63 || c === 91 || c === 123 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62) return true;
  // '---' or '...' document markers
  if ((c === 45 || c === 46) && text.startsWith(c === 45 ? '---' : '...', i)) {
    const after = text.charCodeAt(i + 3);
    return isBreak(after) || after === 32 || after === 9;
  }
  return false;
}

/**
 * True for a line that continues the current section: indented, blank, a comment, a `- ` item,
 * or the `]` or `}` that closes a flow collection (yaml takes one in column 0).
 */
function continuesSection(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isBreak(c) || c === 32 || c === 9 || c === 35 || c === 93 || c === 125) return true;
  if (c === 45) {
    const after = text.charCodeAt(i + 1);
    return isBreak(after) || after === 32 || after === 9;
  }
  return false;
}

/**
 * The offsets where sections start in `text`, or undefined when it must be parsed whole.
 * Offset 0 always starts a section. Boundaries depend only on lines starting in column 0.
 */
export function sectionStarts(text: string): number[] | undefined {
  if (hasLoneCR(text)) return undefined;
  const starts: number[] = [0];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (blocksCutting(text, i)) return undefined;
    if (i > 0 && !continuesSection(text, i)) starts.push(i);
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  return starts;
}

const KEY_ONLY_LINE = /^(?:[A-Za-z_][\w.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:[ \t]*(?:#.*)?\r?$/;

/**
 * Where the list items of `text` start, when every non-blank line from `from` on is a `- `
 * item at one indentation or is indented deeper. With `indent`, the items must have it.
 */
export function cutItems(text: string, from: number, indent = -1): { indent: number; starts: number[] } | undefined {
  const starts: number[] = [];
  let i = from;
  const n = text.length;
  while (i < n) {
    let j = i;
    while (text.charCodeAt(j) === 32) j++;
    const c = text.charCodeAt(j);
    if (!(isBreak(c) || c === 35)) {
      const after = text.charCodeAt(j + 1);
      const dash = c === 45 && (isBreak(after) || after === 32);
      const col = j - i;
      if (starts.length === 0 && indent < 0) {
        if (!dash) return undefined;
        indent = col;
        starts.push(i);
      } else if (col === indent && dash) starts.push(i);
      else if (col <= indent || starts.length === 0) return undefined;
    }
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  return starts.length ? { indent, starts } : undefined;
}

/** For a section `key:` followed by block-list items: the items' indentation and starts. */
export function sectionItems(text: string): { indent: number; starts: number[] } | undefined {
  const nl = text.indexOf('\n');
  if (nl < 0 || !KEY_ONLY_LINE.test(text.slice(0, nl))) return undefined;
  return cutItems(text, nl + 1);
}

/**
 * yaml's errors and warnings as plain data; the Error objects are then dropped from the
 * document. An Error keeps its stack trace, and with it the functions (and their closures)
 * that were running when it was made: kept in a block, they would keep the previous model
 * alive after every edit.
 */
function problemsOf(doc: Document.Parsed): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) out.push({ code: e.code, message: String(e.message), start: e.pos[0], end: e.pos[1] });
  doc.errors.length = 0;
  doc.warnings.length = 0;
  return out;
}

/** A parsed document of nothing: what a block that was not parsed holds. */
function emptyDocument(): Document.Parsed {
  return parseDocument('', PARSE_OPTIONS) as Document.Parsed;
}

/** The end of the token at `at` (for a diagnostic's range): up to a space, a bracket, `:` or `,`. */
function tokenEnd(text: string, at: number): number {
  let e = at + 1;
  while (e < text.length && !/[\s:,[\]{}]/.test(text[e])) e++;
  return e;
}

function unresolvedAliases(doc: Document.Parsed): ParseProblem[] {
  const out: ParseProblem[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined && node.range) {
        out.push({ code: 'BAD_ALIAS', message: `Unresolved alias *${node.source}: no anchor &${node.source} is set before it.`, start: node.range[0], end: node.range[1] });
      }
    },
  });
  return out;
}

/** A node's plain value. Never throws but for an alias to another piece, when that matters. */
function valueOf(node: YamlNode | null, doc: Document.Parsed, problems: ParseProblem[], aliasesMustResolve: boolean): unknown {
  if (node === null) return null;
  if (isFastDocument(doc)) return plainValue(node);
  try {
    return node.toJS(doc, TO_JS_OPTIONS);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/Unresolved alias/.test(message)) {
      if (aliasesMustResolve) throw new UnresolvedAlias(message);
    } else {
      const range = node.range ?? [0, 0];
      problems.push({ code: 'ALIAS_LIMIT', message, start: range[0], end: range[1] });
    }
    return undefined;
  }
}

/**
 * A CR not followed by LF: a line break in YAML, but neither to the yaml library nor to the
 * cutter. Such a card is parsed whole, with each lone CR read as LF (same length, same offsets).
 */
function hasLoneCR(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/** A block that goes past a bound and is not parsed: it holds its text and an empty document. */
function unparsed(text: string, offset: number, limit: LimitHit): Block {
  return { offset, text, doc: emptyDocument(), problems: [], memo: new Memo(), limit };
}

/**
 * The fast path answers only for blocks nested at most this deep (collections within
 * collections): half the depth limit. `depthExceeded`'s structural scan counts no more levels
 * than the collections nest on such text (the fast-path test checks it), so only its bracket
 * backstop could fire there, and only that runs before the fast path.
 */
const FAST_MAX_DEPTH = LIMITS.maxNestingDepth / 2;

function parseBlock(text: string, offset: number, aliasesMustResolve: boolean): Block {
  // The common card YAML, read by a scanner that yields yaml's own document or nothing (it takes
  // no CR, so a lone CR never reaches it).
  const fast = FAST_PARSE && bracketsExceeded(text, LIMITS.maxNestingDepth) < 0 ? fastParse(text, FAST_MAX_DEPTH) : undefined;
  if (fast) return { offset, text, doc: fast, problems: [], memo: new Memo() };
  // Measured before the parser runs: it, the value builder and the validators recurse per level.
  const deep = depthExceeded(text, LIMITS.maxNestingDepth);
  if (deep >= 0) return unparsed(text, offset, { rule: 'too-deep', start: deep, end: tokenEnd(text, deep) });
  // A lone CR is a line break to YAML but not to the yaml library: read it as LF (same offsets).
  const source = hasLoneCR(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
  let doc = parseDocument(source, PARSE_OPTIONS) as Document.Parsed;
  let problems = problemsOf(doc);
  const slips = indentSlips(source, problems);
  if (slips) {
    doc = parseDocument(slips.masked, PARSE_OPTIONS) as Document.Parsed;
    problems = [...problemsOf(doc), ...slips.problems].sort((a, b) => a.start - b.start);
  }
  if (!aliasesMustResolve) problems.push(...unresolvedAliases(doc));
  return { offset, text, doc, problems, memo: new Memo() };
}

/** Parse one list item's text (a `- …` line and the lines under it). */
export function parseItem(text: string, offset: number): Item {
  const block = parseBlock(text, offset, true);
  const contents = block.doc.contents as YamlNode | null;
  const node = isSeq(contents) && contents.items.length > 0 ? ((contents.items[0] ?? null) as YamlNode | null) : null;
  const value = node ? valueOf(node, block.doc, block.problems, true) : null;
  // Spelled out rather than spread: a spread of the block was a measurable cost per item.
  const item: Item = { offset: block.offset, text: block.text, doc: block.doc, problems: block.problems, memo: block.memo, node, value };
  if (block.limit) item.limit = block.limit;
  return item;
}

/** Parse one section's text. Offsets inside are relative to the section. */
export function parseSection(text: string, offset: number, aliasesMustResolve = true): Section {
  const split = aliasesMustResolve ? sectionItems(text) : undefined;
  const headText = split ? text.slice(0, split.starts[0]) : text;
  const head = parseBlock(headText, 0, aliasesMustResolve);
  let items: Item[] | undefined;
  if (split) {
    items = split.starts.map((s, k) => parseItem(text.slice(s, k + 1 < split.starts.length ? split.starts[k + 1] : text.length), s));
  }
  const entries: Entry[] = [];
  const contents = head.doc.contents as YamlNode | null;
  let notAMapping = false;
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') continue;
      const valueNode = (pair.value ?? null) as YamlNode | null;
      const value = items ? items.map((i) => i.value) : valueOf(valueNode, head.doc, head.problems, aliasesMustResolve);
      entries.push({ key: String(keyNode.value), keyNode, valueNode, pair, value });
    }
  } else if (contents !== null && !(isScalar(contents) && contents.value === null)) {
    notAMapping = true;
  }
  return { offset, length: text.length, head, items, entries, notAMapping, itemLog: [], memo: new Memo() };
}

/** Parse the sections of `text` that start at `starts` (relative), placing them at `base`. */
export function parseSections(text: string, starts: readonly number[], base: number): Section[] {
  return starts.map((start, k) => parseSection(text.slice(start, k + 1 < starts.length ? starts[k + 1] : text.length), base + start));
}

/** The model of a card too large to parse (see limits.ts): one unparsed block holding the text. */
function tooLargeCard(text: string, whole = false): CardModel {
  const nl = text.indexOf('\n');
  const head = unparsed(text, 0, { rule: 'too-large', start: 0, end: Math.max(1, Math.min(nl < 0 ? text.length : nl, 200)), ...(whole ? { whole } : {}) });
  return { sections: [{ offset: 0, length: text.length, head, entries: [], notAMapping: false, itemLog: [], memo: new Memo() }], whole: true };
}

/** Parse a whole card. Never throws. */
export function parseCard(text: string): CardModel {
  if (text.length > LIMITS.maxCardLength) return tooLargeCard(text);
  const starts = sectionStarts(text);
  if (starts) {
    try {
      return { sections: parseSections(text, starts, 0), whole: false };
    } catch (err) {
      if (!(err instanceof UnresolvedAlias)) throw err;
      // An alias points into another piece: parse the card as one piece.
    }
  }
  // Parsed whole again on every edit: bounded (see limits.ts).
  if (text.length > LIMITS.maxWholeCardLength) return tooLargeCard(text, true);
  return { sections: [parseSection(text, 0, false)], whole: true };
}

const KEY_AT_LINE_START = /^(?:([A-Za-z_][\w.-]*)|"([^"\n]*)"|'([^'\n]*)')[ \t]*:/;

/**
 * A model holding only the top-level fields named in `keys` (parsed as `parseCard` would):
 * what the workspace index needs of a card, at the cost of a scan of its line starts.
 */
export function parseCardFields(text: string, keys: ReadonlySet<string>): CardModel {
  if (text.length > LIMITS.maxCardLength) return tooLargeCard(text);
  const starts = sectionStarts(text);
  if (!starts) return parseCard(text);
  const sections: Section[] = [];
  try {
    for (let k = 0; k < starts.length; k++) {
      const m = KEY_AT_LINE_START.exec(text.slice(starts[k], starts[k] + 256));
      const key = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
      if (key === undefined || !keys.has(key)) continue;
      sections.push(parseSection(text.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : text.length), starts[k]));
    }
  } catch (err) {
    if (err instanceof UnresolvedAlias) return parseCard(text);
    throw err;
  }
  return { sections, whole: false };
}
