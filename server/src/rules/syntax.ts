/** YAML syntax problems of one section: `syntax`, `duplicate-key`, `tab-indent`, `not-a-mapping`. */
import { isScalar, visit } from 'yaml';
import type { Block, ParseProblem } from '../card/model';
import { problem, q, type Problem } from './problem';

const HINTS: Record<string, string> = {
  MISSING_CHAR: 'Add the missing character.',
  BAD_INDENT: 'Indent this line like the other entries of its mapping or list.',
  BLOCK_AS_IMPLICIT_KEY: 'If this is text that contains `: `, put it in quotes; if it is a nested mapping, put it on its own lines, indented under its key.',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line: check the indentation, or add the missing `:` after the key.',
  UNEXPECTED_TOKEN: 'Remove it, or quote the value if it is text.',
  BAD_SCALAR_START: 'Quote the value if it is text.',
  BAD_DQ_ESCAPE: 'Use a valid escape (\\n, \\t, \\", \\\\) or single quotes.',
  MISSING_ANCHOR: 'Define the anchor (`&name`) before using the alias.',
  BAD_ALIAS: 'Define the anchor (`&name`) before using the alias, or write the value out.',
  ALIAS_LIMIT: 'Write the values out instead of expanding aliases so many times.',
};

/**
 * Plain words for the problems whose yaml message speaks of the library, not of the card
 * ("please use YAML.parseAllDocuments()", "Maximum call stack size exceeded", token types).
 */
const NESTED_TOO_DEEP = 'This value is nested too deeply to read: a card needs only a few levels of lists and mappings. Flatten it.';
const PLAIN: Record<string, string> = {
  MULTIPLE_DOCS: 'A card is one YAML document: remove the second `---` line and what follows it, or move that part into a card file of its own.',
  RESOURCE_EXHAUSTION: NESTED_TOO_DEEP,
  IMPOSSIBLE: 'The YAML here cannot be read. Check the indentation and punctuation of these lines.',
};

/** A message that names the yaml library's insides rather than the card. */
const INTERNAL = /YAML\.\w+\(|call stack|\btoken\b|\(type: |Cannot read propert|is not a function|is not defined/i;

/** yaml's messages end with " at line L, column C:" and a code frame: the editor shows both. */
function clean(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '').replace(/\s+$/, '').replace(/([^.])$/, '$1.');
}

/** The message of a yaml problem, in plain words that say what to do. */
function syntaxMessage(p: ParseProblem): string {
  // A stack overflow while building a value (reported as ALIAS_LIMIT by the parser) is nesting too.
  if (/call stack/i.test(p.message)) return NESTED_TOO_DEEP;
  const plain = PLAIN[p.code];
  if (plain) return plain;
  // Our own message (card/indentSlip.ts): it says what to do.
  if (p.code === 'INDENT_SLIP') return clean(p.message);
  const hint = HINTS[p.code] ?? 'Fix the YAML syntax here.';
  if (INTERNAL.test(p.message)) return `The YAML here cannot be read. ${hint}`;
  return `${clean(p.message)} ${hint}`;
}

/** Widens a one-character position to the token it starts, on its line. */
function widen(text: string, start: number, end: number): [number, number] {
  if (end > start + 1) return [start, end];
  if (start >= text.length) {
    // At end of file: point at the last non-blank character instead.
    let i = text.length - 1;
    while (i > 0 && /\s/.test(text[i])) i--;
    return [Math.max(0, i), Math.max(0, i) + 1];
  }
  let e = start;
  while (e < text.length && !/[\s:,\]}]/.test(text[e])) e++;
  return [start, Math.max(e, start + 1)];
}

/** Where the line holding `from` ends (at `\n` or `\r`, both line breaks). */
function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** For a missing closing quote, the opening quote of the scalar it belongs to. */
function unterminatedQuote(block: Block, p: ParseProblem): [number, number] | undefined {
  let found: [number, number] | undefined;
  visit(block.doc, {
    Scalar(_, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= p.start && node.range[0] < p.start) {
        found = [node.range[0], lineEnd(block.text, node.range[0])];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Syntax problems of one block, offsets relative to the block. */
export function syntaxProblems(block: Block, notAMapping = false): Problem[] {
  const out: Problem[] = [];
  const text = block.text;
  for (const p of block.problems) {
    if (p.code === 'TAB_AS_INDENT') {
      let e = p.start;
      while (text[e] === '\t' || text[e] === ' ') e++;
      out.push(problem('tab-indent', 'Tab used for indentation: YAML allows only spaces here. Replace the tab with spaces.', p.start, Math.max(e, p.start + 1), undefined, { tabs: true }));
      continue;
    }
    if (p.code === 'DUPLICATE_KEY') {
      const [s, e] = widen(text, p.start, p.end);
      out.push(problem('duplicate-key', `Duplicate key ${q(text.slice(s, e))}: this mapping already has it. Remove one of the two, or merge them.`, s, e, undefined, { key: text.slice(s, e) }));
      continue;
    }
    const range = (p.code === 'MISSING_CHAR' && unterminatedQuote(block, p)) || widen(text, p.start, p.end);
    const severity = p.code === 'TAG_RESOLVE_FAILED' ? 'warning' : 'error';
    // The yaml code tells a fix what went wrong (BLOCK_AS_IMPLICIT_KEY: a plain value holding `: `).
    out.push(problem('syntax', syntaxMessage(p), range[0], range[1], severity, p.column !== undefined ? { yaml: p.code, column: p.column } : { yaml: p.code }));
  }
  if (notAMapping) {
    const contents = block.doc.contents;
    const start = contents?.range?.[0] ?? 0;
    const what = isScalar(contents) ? `the text ${q(String(contents.value))}` : 'a list or other value';
    out.push(problem('not-a-mapping', `Expected a \`key: value\` field here, found ${what}. Every top-level line of a card starts a field such as \`technology: …\`; indent it if it continues the field above.`, start, lineEnd(text, start)));
  }
  return out;
}
