/**
 * `trl-cards import SOURCE.md [--out TARGET]`: a card in the authors' Markdown layout read into
 * a `.trl.md` (or, with a TARGET named `*.trl.yaml`, a `.trl.yaml`) by import/authorsCard.ts.
 * Never overwrites a file: TARGET is created exclusively (flag `wx`). What is left for a person
 * and what a person should know go to stderr, one line each, `SOURCE:line: what`.
 */
import { CARD_FILE, CARD_MARKDOWN } from '../../../protocol/cardFile';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { importAuthorsCard } from '../import/authorsCard';
import { showControls } from '../text/escape';
import { describeFsError, readCardFileSync } from '../workspace/read';
import type { CliIO } from '../cli';

export const IMPORT_USAGE = `Usage: trl-cards import SOURCE.md [--out TARGET]

Reads a card in the authors' Markdown layout (the mltrl repository's template: a
"Summary info | Content, links" table, a TL;DR, numbered top-level requirements,
then headed sections) and writes it as a TRL card: a *.trl.md (the card's fields
as YAML front matter over the source's own body) or, for a TARGET named
*.trl.yaml, a *.trl.yaml (the sections in their fields). With no --out, the
*.trl.md is printed. Nothing is invented: what a person must decide (each
requirement's kind and risk, the datasets and whether they are simulated, the
ethics status, the test statuses) is written as a TODO placeholder and listed on
stderr, one line each: SOURCE:line: what.

Options:
  --out TARGET   write the card to TARGET (*.trl.md or *.trl.yaml); an existing
                 file is never overwritten
  -h, --help     show this help

Exit status: 0 when the card was written (placeholders and notes are listed, not
errors); 2 on a usage error, when SOURCE cannot be read, or when TARGET exists or
cannot be written.`;

export function runImport(args: readonly string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.err(`trl-cards import: ${showControls((err as Error).message)}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(IMPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`trl-cards import: give exactly one Markdown card (got ${positionals.length}).\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const source = positionals[0];
  const out = values.out;
  if (out !== undefined && !/\.trl\.(md|ya?ml)$/i.test(out)) {
    io.err(`trl-cards import: --out names the card to write: a *.trl.md or *.trl.yaml file, not '${showControls(out)}'.`);
    return 2;
  }
  const read = readCardFileSync(path.resolve(io.cwd, source));
  if (read.error !== undefined) {
    io.err(`trl-cards import: ${showControls(source)}: ${showControls(read.error)}.`);
    return 2;
  }
  const markdown = read.text;
  const target = out !== undefined && CARD_FILE.test(out) && !CARD_MARKDOWN.test(out) ? 'yaml' : 'md';
  const result = importAuthorsCard(markdown, { target });
  if (out === undefined) io.out(result.text.replace(/\r?\n$/, ''));
  else {
    try {
      fs.writeFileSync(path.resolve(io.cwd, out), result.text, { flag: 'wx' });
    } catch (err) {
      const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
      io.err(`trl-cards import: ${showControls(out)}: ${exists ? 'the file exists, and import never overwrites a file: name another --out, or move the file away' : describeFsError(err, 'written')}.`);
      return 2;
    }
  }
  const notes = [...result.left, ...result.warnings.map((w) => ({ line: w.line, what: `note: ${w.what}` }))].sort((a, b) => a.line - b.line);
  for (const n of notes) io.err(`${showControls(source)}:${n.line}: ${showControls(n.what)}`);
  if (out !== undefined) io.err(`trl-cards import: wrote ${showControls(out)}; ${result.left.length} placeholder${result.left.length === 1 ? '' : 's'} left for a person.`);
  return 0;
}
