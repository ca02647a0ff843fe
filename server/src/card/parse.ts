/**
 * Parsing never throws: `parseCard(text)` always returns a model, with syntax problems inside.
 *
 * A card is a YAML mapping. In YAML, a line that starts in column 0 with a key always starts a
 * new top-level entry, so the text is cut at those lines and each piece is parsed alone. A card
 * that cannot be cut safely (document markers, directives, a root that is not a block mapping,
 * an alias to an anchor in another section) is parsed as one piece.
 */
import { isMap, isScalar, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { CardModel, Entry, ParseProblem, Section } from './model';

const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' } as const;
const TO_JS_OPTIONS = { maxAliasCount: 100 } as const;

/** Where a line starting with this text may not start a section, and the card cannot be cut. */
function blocksCutting(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  // '%' directive, '?' explicit key, '[' '{' flow root, '&' anchor, '*' alias, '!' tag, '|' '>' block scalar root
  if (c === 37 || c === 63 || c === 91 || c === 123 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62) return true;
  // '---' or '...' document markers
  if ((c === 45 || c === 46) && text.startsWith(c === 45 ? '---' : '...', i)) {
    const after = text.charCodeAt(i + 3);
    return Number.isNaN(after) || after === 32 || after === 10 || after === 13 || after === 9;
  }
  return false;
}

/** True for a line that continues the current section: indented, blank, a comment, or a `- ` item. */
function continuesSection(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13 || c === 35) return true;
  if (c === 45) {
    const after = text.charCodeAt(i + 1);
    return Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 13;
  }
  return false;
}

/**
 * The offsets where sections start, or undefined when the card must be parsed whole.
 * Section boundaries depend only on lines starting in column 0.
 */
export function sectionStarts(text: string): number[] | undefined {
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

function problemsOf(doc: Document.Parsed): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    out.push({ code: e.code, message: e.message, start: e.pos[0], end: e.pos[1] });
  }
  return out;
}

class UnresolvedAlias extends Error {}

/** Parse one section's text. Offsets in the result are relative to the section. */
export function parseSection(text: string, offset: number, aliasesMustResolve = true): Section {
  const doc = parseDocument(text, PARSE_OPTIONS) as Document.Parsed;
  const problems = problemsOf(doc);
  if (!aliasesMustResolve) problems.push(...unresolvedAliases(doc));
  const entries: Entry[] = [];
  const contents = doc.contents as YamlNode | null;
  let notAMapping = false;
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') continue;
      const valueNode = (pair.value ?? null) as YamlNode | null;
      let value: unknown;
      try {
        value = valueNode === null ? null : valueNode.toJS(doc, TO_JS_OPTIONS);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/Unresolved alias/.test(message)) {
          if (aliasesMustResolve) throw new UnresolvedAlias(message);
        } else {
          const range = valueNode?.range ?? [0, 0];
          problems.push({ code: 'ALIAS_LIMIT', message, start: range[0], end: range[1] });
        }
        value = undefined;
      }
      entries.push({ key: String(keyNode.value), keyNode, valueNode, pair, value });
    }
  } else if (contents !== null && !(isScalar(contents) && contents.value === null)) {
    notAMapping = true;
  }
  return { offset, text, doc, entries, problems, notAMapping, memo: new Map() };
}

/** Parse a whole card. Never throws. */
export function parseCard(text: string): CardModel {
  const starts = sectionStarts(text);
  if (starts) {
    try {
      const sections: Section[] = [];
      for (let k = 0; k < starts.length; k++) {
        const start = starts[k];
        const end = k + 1 < starts.length ? starts[k + 1] : text.length;
        sections.push(parseSection(text.slice(start, end), start));
      }
      return { text, sections, whole: false };
    } catch (err) {
      if (!(err instanceof UnresolvedAlias)) throw err;
      // An alias points into another section: fall through to a whole parse.
    }
  }
  return { text, sections: [parseWhole(text)], whole: true };
}

function parseWhole(text: string): Section {
  return parseSection(text, 0, false);
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
