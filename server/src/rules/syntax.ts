/** YAML syntax problems of one section: `syntax`, `duplicate-key`, `tab-indent`, `not-a-mapping`. */
import { isScalar, visit } from 'yaml';
import type { Block, ParseProblem } from '../card/model';
import { problem, type Problem } from './problem';

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

/** yaml's messages end with " at line L, column C:" and a code frame: the editor shows both. */
function clean(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '').replace(/\s+$/, '').replace(/([^.])$/, '$1.');
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

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
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
      out.push(problem('tab-indent', 'Tab used for indentation: YAML allows only spaces here. Replace the tab with spaces.', p.start, Math.max(e, p.start + 1)));
      continue;
    }
    if (p.code === 'DUPLICATE_KEY') {
      const [s, e] = widen(text, p.start, p.end);
      out.push(problem('duplicate-key', `Duplicate key ${JSON.stringify(text.slice(s, e))}: this mapping already has it. Remove one of the two, or merge them.`, s, e));
      continue;
    }
    const range = (p.code === 'MISSING_CHAR' && unterminatedQuote(block, p)) || widen(text, p.start, p.end);
    const hint = HINTS[p.code] ?? 'Fix the YAML syntax here.';
    const severity = p.code === 'TAG_RESOLVE_FAILED' ? 'warning' : 'error';
    out.push(problem('syntax', `${clean(p.message)} ${hint}`, range[0], range[1], severity));
  }
  if (notAMapping) {
    const contents = block.doc.contents;
    const start = contents?.range?.[0] ?? 0;
    const what = isScalar(contents) ? `the text ${JSON.stringify(String(contents.value).slice(0, 30))}` : 'a list or other value';
    out.push(problem('not-a-mapping', `Expected a \`key: value\` field here, found ${what}. Every top-level line of a card starts a field such as \`technology: …\`; indent it if it continues the field above.`, start, lineEnd(text, start)));
  }
  return out;
}
