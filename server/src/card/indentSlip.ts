/**
 * One common slip, reported once where it is: a key indented under a key whose value is
 * already on its line,
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

export interface IndentSlips {
  /** The block's text with the mis-indented lines blanked, to be parsed instead. */
  masked: string;
  problems: ParseProblem[];
}

/** The slips among yaml's errors for `text`, or undefined when there are none. */
export function indentSlips(text: string, issues: readonly YamlIssue[]): IndentSlips | undefined {
  const problems: ParseProblem[] = [];
  const masks: [number, number][] = [];
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
