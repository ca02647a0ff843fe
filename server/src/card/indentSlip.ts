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

/**
 * The slip of the key line starting at `lineStart`, if it is one: a key (not an item) whose
 * indentation lies strictly between its parent's column and its siblings' column. The siblings
 * are the shallowest keys deeper than it, going back to its parent (the first line, blank and
 * comment lines and lines in `skip` aside, indented less than it), the nearest one named; those
 * of a list item count from the item's dash.
 */
export function dedentSlipAt(text: string, lineStart: number, skip: readonly [number, number][] = []): DedentSlip | undefined {
  const own = KEY_LINE.exec(lineAt(text, lineStart));
  if (!own || own[2] !== '' || own[1].length === 0) return undefined;
  const indent = own[1].length;
  let column = Infinity;
  let sibling: DedentSlip['sibling'] | undefined;
  let parent = false;
  for (let at = lineStart; at > 0 && !parent; ) {
    const start = lineStartOf(text, at - 1);
    at = start;
    if (skip.some(([s, e]) => start >= s && start < e)) continue;
    const lineIndent = indentOf(text, start, lineEndOf(text, start));
    if (lineIndent < 0) continue;
    const m = KEY_LINE.exec(lineAt(text, start));
    if (m && m[1].length + m[2].length > indent && m[1].length + m[2].length < column) {
      column = m[1].length + m[2].length;
      sibling = { start: start + column, key: m[3] };
    }
    if (text.slice(start, start + lineIndent).includes('\t')) return undefined;
    if (lineIndent < indent) parent = true;
    else if (lineIndent === indent) return undefined; // a line of its own column: not a slip of this kind
  }
  if (!parent || !sibling) return undefined;
  // Its value's lines: blank ones, and those indented past its siblings.
  let end = lineEndOf(text, lineStart);
  for (let line = end + 1; line < text.length; ) {
    const le = lineEndOf(text, line);
    const i = indentOf(text, line, le);
    if (i >= 0 && i <= column) break;
    if (i >= 0) end = le;
    line = le + 1;
  }
  const keyStart = lineStart + indent;
  return { line: lineStart, keyStart, keyEnd: keyStart + own[3].length, indent, column, sibling, end };
}

/**
 * The keys yaml's errors show mis-indented between their parent's and their siblings' columns,
 * and the key lines after each at the same column (yaml reads them into the same wrong place and
 * says nothing more), in text order.
 */
function dedentSlips(text: string, issues: readonly YamlIssue[]): DedentSlip[] {
  const out: DedentSlip[] = [];
  const masks: [number, number][] = [];
  for (const issue of issues) {
    if (issue.code !== 'BAD_INDENT' && issue.code !== 'MISSING_CHAR') continue;
    let line = lineStartOf(text, issue.start);
    if (masks.some(([s, e]) => line >= s && line < e)) continue;
    let slip = dedentSlipAt(text, line, masks);
    while (slip) {
      out.push(slip);
      masks.push([slip.line, slip.end]);
      // The next line, when it is a key at the same column, is in the same wrong place.
      line = slip.end + 1;
      while (line < text.length && indentOf(text, line, lineEndOf(text, line)) < 0) line = lineEndOf(text, line) + 1;
      const next: DedentSlip | undefined = line < text.length && indentOf(text, line, lineEndOf(text, line)) === slip.indent ? dedentSlipAt(text, line, masks) : undefined;
      slip = next;
    }
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
  for (const slip of dedentSlips(text, issues)) {
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
  for (const [s, e] of masks.sort((a, b) => a[0] - b[0])) {
    masked += text.slice(from, s) + text.slice(s, e).replace(/[^\r\n]/g, ' ');
    from = e;
  }
  masked += text.slice(from);
  return { masked, problems };
}
