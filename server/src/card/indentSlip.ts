/**
 * Two common slips of indentation, each reported once where it is, on the mis-indented key.
 *
 * A key indented less than its siblings but more than their parent (`   risk: 0.4` among keys
 * indented by 4):
 *
 *     risk:
 *         value: 2
 *        risk: 0.4
 *
 * yaml reports "Sequence item without - indicator" (in a list item) or "All mapping items must
 * start at the same column" on column 1, and may read the key into the parent. Here the key is
 * found from that error, reported with its siblings' column (the quick fix moves it there), and
 * its lines (the key's, and those of its value indented past the siblings) are blanked before
 * the block is parsed again: the mapping reads as it would without the key.
 *
 * And a key indented under a key whose value is already on its line,
 *
 *     tldr: fine
 *       bad: indentation
 *
 * yaml reads `fine\n  bad` as a two-line key of a nested mapping and reports two errors on
 * `fine`, and the value then becomes a mapping (a third, schema, error). Here the mis-indented
 * lines are found from yaml's two errors, reported once on the mis-indented key, and blanked
 * (same length, so every offset stays) before the block is parsed again: the value stays
 * `fine` and the rest of the block is checked as usual.
 */
import type { ParseProblem } from './model';

interface YamlIssue {
  code: string;
  start: number;
  end: number;
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEndOf(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

/** Column of the first character that is not a space or tab, or -1 for a blank or comment line. */
function indentOf(text: string, start: number, end: number): number {
  let p = start;
  while (p < end && (text[p] === ' ' || text[p] === '\t')) p++;
  if (p >= end || text[p] === '#' || (text[p] === '\r' && p + 1 >= end)) return -1;
  return p - start;
}

/** A key or value for a message: one line, at most 40 characters, no backticks. */
function shown(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim().replace(/`/g, "'");
  return one.length > 40 ? one.slice(0, 39) + '…' : one;
}

/** `<indent>(- )*key: ` before the value at `valueStart`: the key's column and text. */
const OWNER_LINE = /^( *)((?:- +)*)((?:"[^"\n]*"|'[^'\n]*'|[^\s#"'][^\n#]*?))[ \t]*:[ \t]+$/;

/** `<indent>(- )*key:` followed by a space, a tab or the line's end: a key line. */
const KEY_LINE = /^( *)((?:- +)*)("[^"\n]*"|'[^'\n]*'|[^\s#"'?:,[\]{}-][^\n#]*?|-[^\s#][^\n#]*?)[ \t]*:(?=[ \t]|\r?$)/;

/** A key indented between its parent's column and its siblings'. */
export interface DedentSlip {
  /** Its line, and where its key stands: offsets in the text. */
  line: number;
  keyStart: number;
  keyEnd: number;
  /** Its column, and its siblings' (where the quick fix moves it). */
  indent: number;
  column: number;
  /** A sibling key before it: where its key starts, and its text. */
  sibling: { start: number; key: string };
  /** The lines that move with it: its own and the lines of its value indented past `column`. */
  end: number;
}

/** The line starting at `start` without its line break. */
function lineAt(text: string, start: number): string {
  const end = lineEndOf(text, start);
  return text.slice(start, text[end - 1] === '\r' ? end - 1 : end);
}

/** A line still open above the one being read: its indentation, and its key's column and text (-1: not a key line). */
interface Open {
  indent: number;
  keyColumn: number;
  keyStart: number;
  key: string;
}

/** How many open lines a slip's siblings are looked for among (deeper is past the nesting limit anyway). */
const MAX_OPEN_LOOKED_AT = 64;

/**
 * The slip of a key line indented by `indent`, given the lines open above it (indentation
 * increasing): its siblings are the open lines deeper than it (those it would close), and its
 * parent the first open line less indented; the siblings' column is the least key column past
 * `indent` among them and the parent's own keys (a list item's keys count from its dash).
 * Undefined when an open line has its very indentation, when it has no parent, or no sibling.
 */
function siblingsOf(open: readonly Open[], indent: number): { column: number; sibling: Open } | undefined {
  let best: Open | undefined;
  for (let k = open.length - 1, seen = 0; k >= 0; k--, seen++) {
    if (seen > MAX_OPEN_LOOKED_AT) return undefined;
    const o = open[k];
    if (o.keyColumn > indent && (!best || o.keyColumn < best.keyColumn)) best = o;
    if (o.indent === indent) return undefined;
    if (o.indent < indent) return best ? { column: best.keyColumn, sibling: best } : undefined;
  }
  return undefined;
}

/**
 * The keys of a text indented between their parent's and their siblings' columns, in text
 * order: one pass over the text, keeping the lines still open above the current one. Such a
 * key is never valid YAML, so it is looked for on every key line once yaml has reported a
 * misplaced line in the text (yaml reports the first of a run, or the line after, not each).
 * A slip's lines (its own and those of its value indented past its siblings) are left out of
 * what follows, as the parse that blanks them sees it.
 */
export function dedentSlips(text: string): DedentSlip[] {
  const out: DedentSlip[] = [];
  const open: Open[] = [];
  for (let line = 0; line < text.length; ) {
    const le = lineEndOf(text, line);
    const indent = indentOf(text, line, le);
    if (indent < 0) {
      line = le + 1;
      continue;
    }
    const m = KEY_LINE.exec(lineAt(text, line));
    if (m && m[2] === '' && indent > 0) {
      const found = siblingsOf(open, indent);
      if (found) {
        // Its value's lines: blank ones, and those indented past its siblings.
        let end = le;
        for (let next = le + 1; next < text.length; ) {
          const ne = lineEndOf(text, next);
          const i = indentOf(text, next, ne);
          if (i >= 0 && i <= found.column) break;
          if (i >= 0) end = ne;
          next = ne + 1;
        }
        const keyStart = line + indent;
        out.push({
          line,
          keyStart,
          keyEnd: keyStart + m[3].length,
          indent,
          column: found.column,
          sibling: { start: found.sibling.keyStart, key: found.sibling.key },
          end,
        });
        line = end + 1;
        continue;
      }
    }
    // A tab in the indentation: columns cannot be compared past it.
    if (text.slice(line, line + indent).includes('\t')) open.length = 0;
    while (open.length && open[open.length - 1].indent >= indent) open.pop();
    const keyColumn = m ? m[1].length + m[2].length : -1;
    open.push({ indent, keyColumn, keyStart: line + keyColumn, key: m ? m[3] : '' });
    line = le + 1;
  }
  return out;
}

export interface IndentSlips {
  /** The block's text with the mis-indented lines blanked, to be parsed instead. */
  masked: string;
  problems: ParseProblem[];
}

/** The slips among yaml's errors for `text`, or undefined when there are none. */
export function indentSlips(text: string, issues: readonly YamlIssue[]): IndentSlips | undefined {
  const problems: ParseProblem[] = [];
  const masks: [number, number][] = [];
  const misplaced = issues.some((issue) => issue.code === 'BAD_INDENT' || issue.code === 'MISSING_CHAR');
  for (const slip of misplaced ? dedentSlips(text) : []) {
    masks.push([slip.line, slip.end]);
    const key = shown(text.slice(slip.keyStart, slip.keyEnd));
    const spaces = (n: number) => `${n} space${n === 1 ? '' : 's'}`;
    problems.push({
      code: 'INDENT_SLIP',
      message: `\`${key}\` is indented by ${spaces(slip.indent)}, but the other keys of its mapping (\`${shown(slip.sibling.key)}\`…) by ${slip.column}: indent it by ${spaces(slip.column)}, like them`,
      start: slip.keyStart,
      end: slip.keyEnd,
      column: slip.column,
    });
  }
  for (const issue of issues) {
    if (issue.code !== 'BLOCK_AS_IMPLICIT_KEY') continue;
    const p = issue.start;
    if (masks.some(([s, e]) => p >= s && p < e)) continue;
    const multiline = issues.find((x) => x.code === 'MULTILINE_IMPLICIT_KEY' && x.start === p && x.end > p);
    if (!multiline) continue;
    const ownerStart = lineStartOf(text, p);
    const owner = OWNER_LINE.exec(text.slice(ownerStart, p));
    if (!owner) continue;
    const keyColumn = owner[1].length + owner[2].length;
    // The mis-indented key ends where yaml's two-line key ends.
    const badLine = lineStartOf(text, multiline.end - 1);
    if (badLine <= ownerStart) continue;
    const badIndent = indentOf(text, badLine, lineEndOf(text, badLine));
    if (badIndent <= keyColumn) continue;
    let keyStart = badLine + badIndent;
    while (text[keyStart] === '-' && (text[keyStart + 1] === ' ' || text[keyStart + 1] === '\t')) {
      keyStart++;
      while (text[keyStart] === ' ' || text[keyStart] === '\t') keyStart++;
    }
    const keyEnd = Math.max(keyStart + 1, Math.min(multiline.end, lineEndOf(text, badLine)));
    // Every line from there on that is blank or indented deeper than the owner's key.
    let end = badLine;
    for (let line = badLine; line < text.length; ) {
      const le = lineEndOf(text, line);
      const indent = indentOf(text, line, le);
      if (indent >= 0 && indent <= keyColumn) break;
      end = le;
      line = le + 1;
    }
    masks.push([badLine, end]);
    const ownerKey = owner[3];
    problems.push({
      code: 'BAD_INDENT',
      message: `\`${shown(text.slice(keyStart, keyEnd))}\` is indented under \`${shown(ownerKey)}\`, which already has a value (\`${shown(text.slice(p, lineEndOf(text, p)))}\`) on its line, so it cannot hold a nested field`,
      start: keyStart,
      end: keyEnd,
    });
  }
  if (problems.length === 0) return undefined;
  let masked = '';
  let from = 0;
  // Masks may overlap (a slip among the lines under a key that already has a value): each
  // character is blanked once, so the masked text keeps the text's length and every offset.
  for (const [s, e] of masks.sort((a, b) => a[0] - b[0])) {
    if (e <= from) continue;
    const at = Math.max(s, from);
    masked += text.slice(from, at) + text.slice(at, e).replace(/[^\r\n]/g, ' ');
    from = e;
  }
  masked += text.slice(from);
  return { masked, problems };
}
