/**
 * `--format github`: one GitHub Actions workflow command per problem,
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, which the runner turns
 * into an annotation on the line. Escaping as the runner reads it: `%`, CR and LF in the
 * message; also `:` and `,` in the properties.
 */
import type { Row } from './format';
import { showControls } from '../text/escape';

const COMMAND: Record<Row['severity'], string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** The message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command (`file=…`, `title=…`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One problem as a workflow command. Columns are given only on a one-line range: GitHub
 * places `col`/`endColumn` on a single line and drops an annotation whose columns span lines.
 */
export function githubLine(r: Row): string {
  // A file name's CR and LF are %-encoded (the runner decodes them); other controls are shown escaped.
  const props = [`file=${showControls(escapeProperty(r.file))}`, `line=${r.line}`];
  if (r.endLine === r.line) props.push(`col=${r.column}`, `endLine=${r.endLine}`, `endColumn=${Math.max(r.endColumn, r.column)}`);
  else props.push(`endLine=${r.endLine}`);
  props.push(`title=${escapeProperty(`trl-cards ${r.code}`)}`);
  return `::${COMMAND[r.severity]} ${props.join(',')}::${escapeData(showControls(r.message))}`;
}
