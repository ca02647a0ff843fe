/**
 * `trl-cards render <card> --format html|md [--out file]`: the card as the preview shows it,
 * from the same render model (services/previewModel.ts) — one self-contained HTML page (no
 * scripts) or Markdown tables. The cards it names (components, previous cards) are looked up
 * among the cards below the root folder: the current folder when the card is inside it,
 * otherwise the card's own folder (or `--root`).
 */
import { commandArgs, type OptionSpec } from './args';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { CardDocument, WorkspaceIndex, getLanguageService, previousCardOf, type PreviousCard, type TeamConfig } from '../languageService';
import { cardValue } from '../card/model';
import { cardMarkdown } from '../render/markdown';
import { CARD_FILE, findCards } from '../files';
import { cardHtmlFile } from '../render/export';
import { showControls } from '../text/escape';
import { isBelow, readCardFileSync } from '../workspace/read';
import { factsOf } from '../workspace/facts';
import type { CliIO } from '../cli';

export const RENDER_USAGE = `Usage: trl-cards render <card> [--format html|md] [--review] [--out FILE]
                       [--root DIR] [--compare PREVIOUS] [--config FILE | --no-config]

Renders one TRL card as the editor's preview shows it: a self-contained HTML page
(inline CSS, no scripts) or Markdown for a wiki or a pull request. Both start with
the verdict (ready to graduate, or what is missing), the problems and the risks,
and show what changed since the previous card.

Options:
  --format html|md   output format (default: html)
  --review           Markdown: the review only (verdict, checklist, problems, changes
                     since the previous card), without the card itself: for a
                     pull-request comment or a CI job summary
  --compare PREVIOUS the entry of the card's previous list to show the changes
                     against (default: the card of the highest level below it)
  --out FILE         write to FILE instead of stdout
  --root DIR         the folder whose cards the card's components and previous cards
                     are looked up in (default: the current folder when the card is
                     inside it, else the card's folder)
  --config FILE      the team configuration (default: the nearest trl-cards.config.yaml)
  --no-config        ignore any team configuration
  -h, --help         show this help

Exit status: 0; 2 on a usage error, an invalid team configuration, or when the card
cannot be read or FILE cannot be written.`;

export interface RenderDeps {
  findConfig(dir: string): string | undefined;
  loadConfigFile(file: string | undefined, io: CliIO): TeamConfig | undefined | 'invalid';
}

const RENDER_OPTIONS: OptionSpec = {
  format: { type: 'string' },
  out: { type: 'string' },
  root: { type: 'string' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  review: { type: 'boolean' },
  compare: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export function runRender(args: readonly string[], io: CliIO, deps: RenderDeps): number {
  const parsed = commandArgs(args, RENDER_OPTIONS, io, 'trl-cards render', RENDER_USAGE);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  for (const name of ['format', 'out', 'root', 'config', 'compare']) {
    if (v[name] === '') {
      io.err(`trl-cards render: --${name} needs a value.\n\n${RENDER_USAGE}`);
      return 2;
    }
  }
  const format = (v.format ?? 'html') as string;
  if (format !== 'html' && format !== 'md') {
    io.err(`trl-cards render: --format takes 'html' or 'md', not '${showControls(format)}'.`);
    return 2;
  }
  const out = v.out as string | undefined;
  const root = v.root as string | undefined;
  const configPath = v.config as string | undefined;
  const compare = v.compare as string | undefined;
  const useConfig = v['no-config'] !== true;
  const review = v.review === true;
  const files = parsed.positionals;
  if (files.length !== 1) {
    io.err(`trl-cards render: give exactly one card${files.length ? ` (got ${files.length})` : ''}.\n\n${RENDER_USAGE}`);
    return 2;
  }
  const file = path.resolve(io.cwd, files[0]);
  const read = readCardFileSync(file);
  if (read.error !== undefined) {
    io.err(`trl-cards render: ${showControls(files[0])}: ${read.error}.`);
    return 2;
  }
  const config = useConfig ? deps.loadConfigFile(configPath ? path.resolve(io.cwd, configPath) : deps.findConfig(path.dirname(file)), io) : undefined;
  if (config === 'invalid') return 2;
  // The cards it may name: every card below the root, by their facts (what the index keeps).
  const base = root ? path.resolve(io.cwd, root) : isBelow(file, io.cwd) ? io.cwd : path.dirname(file);
  const index = new WorkspaceIndex();
  for (const f of findCards([base], io.cwd).files) {
    if (path.resolve(f) === file) continue;
    const r = readCardFileSync(f);
    if (r.error === undefined) index.set(factsOf(pathToFileURL(f).toString(), r.text));
  }
  const uri = pathToFileURL(file).toString();
  const service = getLanguageService();
  const card = service.parse(read.text, uri);
  index.set(factsOf(uri, read.text));
  index.complete = true;
  const document = new CardDocument(uri, 'trl-card', 0, card);
  // What changed since the previous card, when it is below the root too.
  let previous: PreviousCard | undefined;
  const before = previousCardOf(uri, cardValue(card), index, compare);
  if (compare !== undefined && before?.written !== compare) {
    io.err(`trl-cards render: --compare: '${showControls(compare)}' is not an entry of the card's previous list that names a card below the root.`);
    return 2;
  }
  if (before) {
    const r = readCardFileSync(fileURLToPath(before.uri));
    if (r.error === undefined) previous = { ...before, data: cardValue(service.parse(r.text, before.uri)) };
  }
  const model = service.preview(document, card, null, config ? { config } : {}, index, previous);
  const text = format === 'html' ? cardHtmlFile(model) : cardMarkdown(model, { review });
  if (out === undefined) {
    io.out(text.replace(/\n$/, ''));
    return 0;
  }
  const target = path.resolve(io.cwd, out);
  if (CARD_FILE.test(target)) {
    io.err('trl-cards render: --out names a card file; the renderer never writes over a card.');
    return 2;
  }
  try {
    fs.writeFileSync(target, text);
  } catch (err) {
    io.err(`trl-cards render: cannot write ${showControls(out)}: ${(err as Error).message}.`);
    return 2;
  }
  return 0;
}
