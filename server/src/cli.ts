/**
 * The checker: `trl-cards check [paths, directories or globs…]`. The same engine as the
 * language server; exit 1 if any error, 0 otherwise, 2 on a usage error or unreadable path.
 */
import * as fs from 'fs';
import * as os from 'os';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { levelTableMarkdown } from './docs';
import { findCards } from './files';
import { pathToFileURL } from 'url';
import { CONFIG_FILES, WorkspaceIndex, cardFacts, cardReferences, getLanguageService, parseConfig, referenceProblems, type CardFacts, type CardReferences, type Problem, type TeamConfig } from './languageService';
import { factsOf } from './workspace/scan';

/**
 * The checker's index: the cards being checked, plus any card named by path that exists on
 * disk (read on first use). Ids resolve among the cards being checked and those read.
 */
class DiskIndex extends WorkspaceIndex {
  private readonly tried = new Set<string>();
  constructor() {
    super();
    this.complete = true;
  }
  override byUri(uri: string): CardFacts | undefined {
    const known = super.byUri(uri);
    if (known || this.tried.has(uri)) return known;
    this.tried.add(uri);
    try {
      this.set(factsOf(uri, fs.readFileSync(new URL(uri), 'utf8')));
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
  --config FILE        the team configuration (default: trl-cards.config.yaml in the
                       current folder or the nearest folder above it)
  --no-config          ignore any team configuration
  --quiet              report errors only
  --jobs N             check cards in N threads (default: the number of CPUs, up to 8)
  -h, --help           show this help
  -v, --version        show the version

Exit status: 1 if any card has an error, 0 otherwise, 2 on a usage error, an unreadable path
or an invalid team configuration.`;

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

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
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
  let configPath: string | undefined;
  let useConfig = true;
  let jobs = Math.max(1, Math.min(os.availableParallelism(), 8));
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
    else if (a === '--no-config') useConfig = false;
    else if (a === '--config' || a.startsWith('--config=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (!value) {
        io.err('trl-cards: --config takes the path of a configuration file.');
        return 2;
      }
      configPath = path.resolve(io.cwd, value);
    }
    else if (a === '--jobs' || a.startsWith('--jobs=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) {
        io.err(`trl-cards: --jobs takes a whole number of 1 or more, not '${value ?? ''}'.`);
        return 2;
      }
      jobs = n;
    }
    else if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      io.err(`trl-cards: unknown option '${a}'.\n\n${USAGE}`);
      return 2;
    } else paths.push(a);
  }
  let config: TeamConfig | undefined;
  if (useConfig) {
    const loaded = loadConfigFile(configPath ?? findConfig(io.cwd), io);
    if (loaded === 'invalid') return 2;
    config = loaded;
  }
  const found = findCards(paths.length ? paths : ['.'], io.cwd);
  if (found.errors.length) {
    for (const e of found.errors) io.err(`trl-cards: ${e}`);
    return 2;
  }
  let results: FileResult[];
  try {
    results = jobs > 1 && found.files.length >= PARALLEL_FROM ? await checkInWorkers(found.files, io.cwd, quiet, jobs, config) : checkFiles(found.files, io.cwd, quiet, config);
  } catch (err) {
    io.err(`trl-cards: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const unreadable = results.find((r) => r.error);
  if (unreadable) {
    io.err(`trl-cards: ${unreadable.rel}: ${unreadable.error}`);
    return 2;
  }
  // Cross-card rules once every card is indexed: each card's references, against all facts.
  const index = new DiskIndex();
  for (const r of results) index.set(r.facts);
  const rows: Row[] = [];
  for (const r of results) {
    rows.push(...r.rows);
    const at = new Map(r.positions.map(([offset, line, character]) => [offset, { line, character }]));
    rows.push(...toRows(r.rel, withSeverities(referenceProblems(r.refs, r.uri, index), config), (offset) => at.get(offset)!, quiet));
  }
  // Text order within each file, as the editor shows them.
  const order = new Map(results.map((r, i) => [r.rel, i]));
  rows.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn);
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

/** The checked part of one card file: what the main thread needs, and nothing heavier. */
interface FileResult {
  rel: string;
  uri: string;
  rows: Row[];
  facts: CardFacts;
  refs: CardReferences;
  /** Line and column of each offset the references use: [offset, line, character]. */
  positions: [number, number, number][];
  error?: string;
}

/** Output rows (1-based) of a file's problems, given how to place an offset. */
function toRows(rel: string, problems: readonly Problem[], place: (offset: number) => { line: number; character: number }, quiet: boolean): Row[] {
  const rows: Row[] = [];
  for (const p of problems) {
    if (quiet && p.severity !== 'error') continue;
    const s = place(p.start);
    const e = place(p.end);
    rows.push({ file: rel, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: p.severity, code: p.code, message: p.message });
  }
  return rows;
}

/** The team's severities applied to problems computed outside the language service. */
function withSeverities(problems: Problem[], config: TeamConfig | undefined): Problem[] {
  const rules = config?.rules;
  if (!rules) return problems;
  const out: Problem[] = [];
  for (const p of problems) {
    const setting = rules[p.code];
    if (setting === 'off') continue;
    out.push(setting ? { ...p, severity: setting } : p);
  }
  return out;
}

/** The nearest trl-cards.config.yaml from `dir` up, stopping at a repository root. */
function findConfig(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(d, name);
      try {
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) return undefined;
  }
}

/** Reads and checks a configuration file; prints its problems. 'invalid' when it has any. */
function loadConfigFile(file: string | undefined, io: CliIO): TeamConfig | undefined | 'invalid' {
  if (!file) return undefined;
  const rel = path.relative(io.cwd, file) || file;
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'not a regular file' });
    if (stat.size > 1024 * 1024) throw Object.assign(new Error('too large'), { code: 'larger than 1 MB' });
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`trl-cards: ${rel}: cannot read the configuration (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    return 'invalid';
  }
  const { config, problems } = parseConfig(text);
  if (problems.length === 0) return config;
  const document = TextDocument.create(pathToFileURL(file).toString(), 'yaml', 0, text);
  for (const p of problems) {
    const s = document.positionAt(p.start);
    io.err(`${rel}:${s.line + 1}:${s.character + 1} error ${p.code} ${p.message}`);
  }
  io.err(`trl-cards: ${rel}: the team configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} (or run with --no-config).`);
  return 'invalid';
}

/** Cards below this many are checked in the main thread: starting workers costs more. */
const PARALLEL_FROM = 64;

function checkFiles(files: readonly string[], cwd: string, quiet: boolean, config?: TeamConfig): FileResult[] {
  const service = getLanguageService();
  return files.map((file) => {
    const rel = path.relative(cwd, file) || file;
    const uri = pathToFileURL(file).toString();
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      return { rel, uri, rows: [], facts: { uri, components: [], previous: [], coupled: [] }, refs: { level: undefined, previous: [], components: [], coupled: [] }, positions: [], error: `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
    const document = TextDocument.create(uri, 'trl-card', 0, text);
    const card = service.parse(text);
    const rows = toRows(rel, service.problems(card, config ? { config } : {}), (offset) => document.positionAt(offset), quiet);
    const refs = cardReferences(card);
    const positions: [number, number, number][] = [];
    for (const v of [...refs.previous, ...refs.components, ...refs.coupled]) {
      for (const offset of [v.start, v.end]) {
        const pos = document.positionAt(offset);
        positions.push([offset, pos.line, pos.character]);
      }
    }
    return { rel, uri, rows, facts: cardFacts(uri, card), refs, positions };
  });
}

/** Checks the files in worker threads (this same script), keeping the files' order. */
function checkInWorkers(files: readonly string[], cwd: string, quiet: boolean, jobs: number, config?: TeamConfig): Promise<FileResult[]> {
  const n = Math.min(jobs, Math.ceil(files.length / PARALLEL_FROM));
  const shares = Array.from({ length: n }, (_, w) => files.filter((_, i) => i % n === w));
  return Promise.all(
    shares.map(
      (share) =>
        new Promise<FileResult[]>((resolve, reject) => {
          const worker = new Worker(__filename, { workerData: { files: share, cwd, quiet, config } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`a checker thread stopped with code ${code}`)));
        }),
    ),
  ).then((parts) => files.map((_, i) => parts[i % n][Math.floor(i / n)]));
}

if (!isMainThread && workerData) {
  const { files, cwd, quiet, config } = workerData as { files: string[]; cwd: string; quiet: boolean; config?: TeamConfig };
  parentPort!.postMessage(checkFiles(files, cwd, quiet, config));
} else if (require.main === module) {
  void runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
  }).then((code) => {
    process.exitCode = code;
  });
}
