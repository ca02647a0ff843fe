/**
 * Everything the checker prints, as lines: problem rows (text or JSON), paths not checked,
 * the summary, error messages. Every piece of text that comes from a card, a file name or an
 * argument goes through the escaping here, so a line prints what it says and a row is one line.
 */
import type { Problem } from '../rules/problem';
import { jsonForTerminal, showControls } from '../text/escape';

/** What the checker says of a card it could not check because of its own failure (the details are no use to the user; `--debug` prints them). */
export const INTERNAL = 'trl-cards failed on this card (an internal error: please report it, with the card if you can, and the output of the same run with --debug)';

/** One problem as the checker reports it (1-based lines and columns). */
export interface Row {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Problem['severity'];
  code: string;
  message: string;
}

/** `file:line:col severity code message`, on exactly one line. */
export function textRow(r: Row): string {
  return `${showControls(r.file)}:${r.line}:${r.column} ${r.severity} ${r.code} ${showControls(r.message)}`;
}

/**
 * The lines of the JSON report, `JSON.stringify(rows, null, 2)` written a row at a time (so a
 * large report is never one string): valid JSON whatever the text, with no raw control
 * character, bidi override or lone surrogate.
 */
export function* jsonLines(rows: readonly Row[]): Generator<string> {
  if (rows.length === 0) {
    yield '[]';
    return;
  }
  yield '[';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const row = {
      file: r.file,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      severity: r.severity,
      code: r.code,
      message: r.message,
    };
    yield '  ' + jsonForTerminal(JSON.stringify(row, null, 2)).replace(/\n/g, '\n  ') + (i + 1 < rows.length ? ',' : '');
  }
  yield ']';
}

function plural(n: number, word: string, words = word + 's'): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** The closing line of a text report. */
export function summaryLine(cards: number, errors: number, warnings: number, notChecked: number): string {
  const skipped = notChecked ? `; ${plural(notChecked, 'path')} not checked (listed above)` : '';
  return `${plural(cards, 'card')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${skipped}.`;
}

/** A path that was found but could not be checked, and why. */
export function notCheckedLine(shownPath: string, reason: string): string {
  return `trl-cards: ${showControls(shownPath)}: not checked: ${showControls(reason)}.`;
}

/** A message of the checker itself about an argument (`arg` is shown escaped). */
export function argumentLine(arg: string, message: string): string {
  return `trl-cards: ${showControls(arg)}: ${message}`;
}

/** What `--quiet` left out. */
export function hiddenLine(warnings: number, others: number): string {
  const parts = [];
  if (warnings) parts.push(plural(warnings, 'warning'));
  if (others) parts.push(`${plural(others, 'note')} (information and hints)`);
  return `trl-cards: --quiet hid ${parts.join(' and ')}.`;
}
