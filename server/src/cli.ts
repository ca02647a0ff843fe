/**
 * The checker: `trl-cards check [paths, directories or globs…]`. The same engine as the
 * language server; exit 1 if any error, 0 otherwise, 2 on a usage error or unreadable path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { levelTableMarkdown } from './docs';
import { findCards } from './files';
import { pathToFileURL } from 'url';
import { WorkspaceIndex, cardFacts, getLanguageService, type CardFacts, type CardModel, type Problem } from './languageService';

/**
 * The checker's index: the cards being checked, plus any card named by path that exists on
 * disk (read on first use). Ids resolve among the cards being checked and those read.
 */
class DiskIndex extends WorkspaceIndex {
  private readonly tried = new Set<string>();
  constructor(private readonly parse: (text: string) => CardModel) {
    super();
    this.complete = true;
  }
  override byUri(uri: string): CardFacts | undefined {
    const known = super.byUri(uri);
    if (known || this.tried.has(uri)) return known;
    this.tried.add(uri);
    try {
      this.set(cardFacts(uri, this.parse(fs.readFileSync(new URL(uri), 'utf8'))));
    } catch {
      return undefined;
    }
    return super.byUri(uri);
  }
}

const USAGE = `Usage: trl-cards check [options] [paths, directories or globs…]
       trl-cards levels        print the level table as Markdown

Checks TRL cards (*.trl.yaml, *.trl.yml) with the same rules as the editor.
Directories are searched for card files; with no path, the current directory.

Options:
  --format text|json   output format (default: text)
  --quiet              report errors only
  -h, --help           show this help
  -v, --version        show the version

Exit status: 1 if any card has an error, 0 otherwise, 2 on a usage error or an unreadable path.`;

const VERSION = '0.1.0';

interface Row {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Problem['severity'];
  code: string;
  message: string;
}

export interface CliIO {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

export function runCli(argv: readonly string[], io: CliIO): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (command === 'levels') {
    io.out(levelTableMarkdown().replace(/\n$/, ''));
    return 0;
  }
  if (command !== 'check') {
    io.err(`trl-cards: unknown command '${command}'.\n\n${USAGE}`);
    return 2;
  }
  let format: 'text' | 'json' = 'text';
  let quiet = false;
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (value !== 'text' && value !== 'json') {
        io.err(`trl-cards: --format takes 'text' or 'json', not '${value ?? ''}'.`);
        return 2;
      }
      format = value;
    } else if (a === '--quiet') quiet = true;
    else if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      io.err(`trl-cards: unknown option '${a}'.\n\n${USAGE}`);
      return 2;
    } else paths.push(a);
  }
  const found = findCards(paths.length ? paths : ['.'], io.cwd);
  if (found.errors.length) {
    for (const e of found.errors) io.err(`trl-cards: ${e}`);
    return 2;
  }
  const service = getLanguageService();
  const rows: Row[] = [];
  // Read and parse every card first: the index of them serves the cross-card rules.
  const cards: { file: string; uri: string; document: TextDocument; card: CardModel }[] = [];
  const index = new DiskIndex((text) => service.parse(text));
  for (const file of found.files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      io.err(`trl-cards: ${path.relative(io.cwd, file) || file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      return 2;
    }
    const uri = pathToFileURL(file).toString();
    const card = service.parse(text);
    index.set(cardFacts(uri, card));
    cards.push({ file, uri, document: TextDocument.create(uri, 'trl-card', 0, text), card });
  }
  for (const { file, uri, document, card } of cards) {
    const rel = path.relative(io.cwd, file) || file;
    for (const p of service.problems(card, {}, { uri, index })) {
      if (quiet && p.severity !== 'error') continue;
      const s = document.positionAt(p.start);
      const e = document.positionAt(p.end);
      rows.push({ file: rel, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: p.severity, code: p.code, message: p.message });
    }
  }
  const errors = rows.filter((r) => r.severity === 'error').length;
  if (format === 'json') io.out(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) io.out(`${r.file}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}`);
    const warnings = rows.filter((r) => r.severity === 'warning').length;
    const cards = found.files.length;
    io.err(`${cards} card${cards === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  }
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  const code = runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
  });
  process.exitCode = code;
}
