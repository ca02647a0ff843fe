/**
 * The checker's help texts: the overview (`trl-cards --help`), `levels --help` and
 * `report --help` (here, so that printing it does not load the report). Each command's help says
 * what it does, its options and its exit status; `check`'s is in cli.ts, `render`'s in
 * cli/render.ts.
 */

import { CARD_NAMES } from '../../../protocol/cardFile';

export const OVERVIEW = `Usage: trl-cards <command> [options] [arguments]

Checks TRL cards (${CARD_NAMES}) with the same rules as the editor, and
renders and reports on them.

Commands:
  check [paths…]    check cards and print their problems (file:line:col severity
                    code message); exit 1 when a card has an error
  render <card>     the card as the preview shows it: an HTML page or Markdown tables
  report [paths…]   the portfolio of the cards: Markdown, an HTML page, or JSON
  import <card.md>  a card in the authors' Markdown layout as a *.trl.md or
                    *.trl.yaml card, with what is left for a person listed
  levels            print the level table (what each TRL asks of a card) as Markdown
  help [command]    show this help, or a command's

Run 'trl-cards <command> --help' for what a command does and its options.

Options:
  -h, --help        show this help
  -v, --version     show the version`;

export const LEVELS_USAGE = `Usage: trl-cards levels

Prints the level table as Markdown: for each TRL (0-9), its name and what a card
at that level needs, with the sentence of the paper or the authors' template each
need rests on. docs/levels.md is this output.

Options:
  -h, --help        show this help

Exit status: 0; 2 on a usage error.`;

export const REPORT_USAGE = `Usage: trl-cards report [options] [paths, directories or globs…]

The portfolio of the cards found: where each technology stands, time per level,
paths and cycles, targets and the highest risks. Directories are searched for
card files; with no path, the current directory.

Options:
  --format md|html|json  output format (default: md): Markdown for a pull request or
                         a job summary, a self-contained HTML page with SVG charts,
                         or the portfolio as JSON
  --out FILE             write the report to FILE (default: stdout); links are relative to it
  --today YYYY-MM-DD     the date to report for (default: today)
  -h, --help             show this help

Exit status: 0; 2 when no card could be read, on a usage error, or when FILE cannot be written.`;
