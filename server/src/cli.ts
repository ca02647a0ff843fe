/**
 * The checker: `trl-cards check [paths, directories or globs…]`. The same engine as the
 * language server; exit 1 if any error, 0 otherwise, 2 on a usage error or when no card could
 * be checked. Paths that cannot be checked are listed on stderr, and the rest are checked.
 * This is the only module that knows the terminal; what it prints is made in cli/format.ts.
 */
import * as fs from 'fs';
import { isMainThread, parentPort, workerData } from 'worker_threads';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { textPositions } from './card/document';
import { argumentLine, hiddenLine, jsonLines, notCheckedLine, summaryLine, textRow, type Row } from './cli/format';
import { levelTableMarkdown } from './docs';
import { FACTS_JOB, serveFacts } from './cli/reportFacts';
import { defaultThreads, inThreads, serveChunks } from './cli/threads';
import { CARD_FILE, CARD_NAMES, findCards, insideRoots, realRoots } from './files';
import { fileURLToPath, pathToFileURL } from 'url';
import { CONFIG_FILES, WorkspaceIndex, cardFacts, cardReferences, getLanguageService, localDate, parseConfig, referenceOffsets, referenceProblems, type CardFacts, type CardReferences, type Problem, type TeamConfig } from './languageService';
import { showControls } from './text/escape';
import { ownCopy } from './text/own';
import { uriKey } from './workspace/index';
import { describeFsError, isBelow, readCardBytesSync, readCardFileSync } from './workspace/read';
import { MAX_CONFIG_FILE_BYTES } from './limits';
import { factsOf } from './workspace/scan';
import { runRender } from './cli/render';
import { githubLine } from './cli/github';
import { defaultRulesUrl, sarifLines, sarifLog } from './cli/sarif';
import { diffLines, fixText, fixedLine } from './cli/fix';
import { writeFixed } from './cli/write';
import { CheckCache, DEFAULT_CACHE_LOCATION, cacheFile, cacheKey, contentHash, stampOf, type CachedCard, type FileStamp } from './cli/cache';
import { LEVELS_USAGE, OVERVIEW, REPORT_USAGE } from './cli/usage';
import { RENDER_USAGE } from './cli/render';
import { version as VERSION } from 'virtual:package';

const OUTSIDE = 'it is outside the folders being checked, so the checker does not read it: check a folder that holds both cards';

/** What the checker says of a card it could not check because of its own failure (the details are no use to the user). */
const INTERNAL = 'trl-cards failed on this card (an internal error: please report it, with the card if you can)';

/**
 * The checker's index: the cards being checked, plus any card named by path that is safe to
 * read (read on first use): a regular file named like a card (`*.trl.yaml`, `*.trl.yml`),
 * below the folders being checked (also once symbolic links are followed), under the size
 * limit. For the rest it says why (`whyMissing`), for the problem on the entry that names it.
 */
class DiskIndex extends WorkspaceIndex {
  private readonly tried = new Set<string>();
  private readonly refused = new Map<string, string>();
  private readonly realRoots: string[];
  constructor(private readonly roots: readonly string[]) {
    super();
    this.complete = true;
    this.realRoots = realRoots(roots);
  }
  override byUri(uri: string): CardFacts | undefined {
    const known = super.byUri(uri);
    const key = uriKey(uri);
    if (known || this.tried.has(key)) return known;
    this.tried.add(key);
    const why = this.read(uri);
    if (why !== undefined) this.refused.set(key, why);
    return super.byUri(uri);
  }
  whyMissing(uri: string): string | undefined {
    return this.refused.get(uriKey(uri));
  }
  /** Reads the card at `uri` into the index; returns why not, when there is more to say than "no such file". */
  private read(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    if (!CARD_FILE.test(file)) return `it is not a card file: card files are named ${CARD_NAMES}`;
    if (!this.roots.some((r) => isBelow(file, r))) return OUTSIDE;
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : describeFsError(err);
    }
    if (!insideRoots(real, this.realRoots)) return `${OUTSIDE} (a symbolic link leads there)`;
    const read = readCardFileSync(real);
    if (read.error !== undefined) return read.missing ? undefined : read.error;
    try {
      this.set(factsOf(uri, read.text));
    } catch {
      return INTERNAL;
    }
    return undefined;
  }
}

/** `trl-cards check --help`. The other commands' help: cli/usage.ts, cli/render.ts, cli/report.ts. */
const USAGE = `Usage: trl-cards check [options] [paths, directories or globs…]

Checks TRL cards (${CARD_NAMES}) with the same rules as the editor.
Directories are searched for card files; with no path, the current directory.
Paths that cannot be checked (unreadable, named pipes, devices, over 8 MB) are
listed on stderr with the reason, and the others are checked.

Options:
  --format FORMAT      text (default), json, sarif (SARIF 2.1.0, for code scanning) or
                       github (GitHub Actions annotations)
  --config FILE        the team configuration (default: trl-cards.config.yaml in the
                       current folder or the nearest folder above it)
  --no-config          ignore any team configuration
  --quiet              report errors only (and say how many warnings were hidden)
  --max-warnings N     exit 1 when there are more than N warnings
  --fix                apply the safe quick fixes to the card files, then report what is left
  --fix-dry-run        print the safe fixes as a unified diff; write nothing
  --cache              keep each card's result in a cache file; unchanged cards are not checked again
  --cache-location P   the cache file (default: .trl-cards-cache; a folder holds trl-cards-cache.json)
  --rules-url URL      where the rules reference is on the web (SARIF help links; default:
                       docs/rules.md in the repository package.json names, or no links)
  --jobs N             check cards in N threads (default: one per CPU but one, up to 8)
  -h, --help           show this help
  --                   the end of the options: every argument after it is a path

Exit status: 1 if any card has an error (or more warnings than --max-warnings), 0
otherwise; 2 on a usage error, an invalid team configuration, or when no card
could be checked at all.`;

/** Each command's help, for `trl-cards help <command>`. */
const COMMAND_HELP: Record<string, string> = { check: USAGE, render: RENDER_USAGE, report: REPORT_USAGE, levels: LEVELS_USAGE };

export interface CliIO {
  cwd: string;
  /** Writes one line to stdout. */
  out: (text: string) => void;
  /** Writes one line (or the usage text) to stderr. */
  err: (text: string) => void;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    // `trl-cards help <command>`: that command's help.
    const help = command === 'help' && rest.length ? COMMAND_HELP[rest[0]] : OVERVIEW;
    if (help === undefined) {
      io.err(`trl-cards: no command '${showControls(rest[0])}': the commands are ${Object.keys(COMMAND_HELP).join(', ')}.`);
      return 2;
    }
    (command === undefined ? io.err : io.out)(help);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (command === 'levels') {
    if (rest.length === 1 && (rest[0] === '-h' || rest[0] === '--help')) io.out(LEVELS_USAGE);
    else if (rest.length) {
      io.err(`trl-cards levels: unexpected '${showControls(rest[0])}': levels takes no arguments.\n\n${LEVELS_USAGE}`);
      return 2;
    } else io.out(levelTableMarkdown().replace(/\n$/, ''));
    return 0;
  }
  if (command === 'render') return runRender(rest, io, { findConfig, loadConfigFile });
  // Loaded on demand: the report's charting library is not needed to check cards.
  if (command === 'report') return (await import('./cli/report')).runReport(rest, io);
  if (command !== 'check') {
    io.err(`trl-cards: unknown command '${showControls(command)}'.\n\n${OVERVIEW}`);
    return 2;
  }
  let format: 'text' | 'json' | 'sarif' | 'github' = 'text';
  let quiet = false;
  let maxWarnings: number | undefined;
  let fix: 'write' | 'dry-run' | undefined;
  let cacheLocation: string | undefined;
  let rulesUrl: string | undefined;
  let configPath: string | undefined;
  let useConfig = true;
  let jobs = defaultThreads();
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (value !== 'text' && value !== 'json' && value !== 'sarif' && value !== 'github') {
        io.err(`trl-cards: --format takes 'text', 'json', 'sarif' or 'github', not '${showControls(value ?? '')}'.`);
        return 2;
      }
      format = value;
    } else if (a === '--quiet') quiet = true;
    else if (a === '--fix') fix = fix ?? 'write';
    else if (a === '--fix-dry-run') fix = 'dry-run';
    else if (a === '--cache') cacheLocation = cacheLocation ?? DEFAULT_CACHE_LOCATION;
    else if (a === '--max-warnings' || a.startsWith('--max-warnings=') || a === '--cache-location' || a.startsWith('--cache-location=') || a === '--rules-url' || a.startsWith('--rules-url=')) {
      const name = a.split('=')[0];
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (name === '--max-warnings') {
        const n = Number(value);
        if (!value || !Number.isInteger(n) || n < 0) {
          io.err(`trl-cards: --max-warnings takes a whole number of 0 or more, not '${showControls(value ?? '')}'.`);
          return 2;
        }
        maxWarnings = n;
      } else if (!value) {
        io.err(`trl-cards: ${name} takes a ${name === '--rules-url' ? 'URL' : 'path'}.`);
        return 2;
      } else if (name === '--cache-location') cacheLocation = value;
      else rulesUrl = value;
    }
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
        io.err(`trl-cards: --jobs takes a whole number of 1 or more, not '${showControls(value ?? '')}'.`);
        return 2;
      }
      jobs = n;
    }
    else if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    } else if (a === '--') {
      // The end of the options: what follows are paths, whatever they start with (a hook passes
      // the file names it is given as they are, after `--`).
      paths.push(...rest.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      io.err(`trl-cards: unknown option '${showControls(a)}'.\n\n${USAGE}`);
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
  const shown = (file: string) => path.relative(io.cwd, file) || file;
  for (const s of found.skipped) io.err(notCheckedLine(shown(s.path), s.reason));
  if (found.errors.length) {
    for (const e of found.errors) io.err(argumentLine(e.arg, e.message + '.'));
    return 2;
  }
  if (found.files.length === 0) {
    io.err('trl-cards: no card could be checked.');
    return 2;
  }
  // --fix checks the fixed text, so it neither reads nor writes the cache.
  const cache = cacheLocation !== undefined && !fix ? new CheckCache(cacheFile(cacheLocation, io.cwd), cacheKey(VERSION, config)) : undefined;
  if (cache?.dropped) io.err(`trl-cards: ${showControls(shown(cache.file))}: the cache file is not used (${showControls(cache.dropped)}); ${cache.foreign ? 'it is not overwritten: name a cache file of its own with --cache-location' : 'it is written anew'}.`);
  const options: CheckOptions = { config, fix: fix !== undefined };
  let results: FileResult[];
  try {
    results = await checkAll(found.files, io.cwd, options, jobs, cache);
  } catch {
    io.err(`trl-cards: the check stopped: ${INTERNAL.replace(' on this card', '')}.`);
    return 2;
  }
  let notChecked = found.skipped.length;
  const checked: FileResult[] = [];
  for (const r of results) {
    if (r.error === undefined) checked.push(r);
    else {
      io.err(notCheckedLine(r.rel, r.error));
      notChecked++;
    }
  }
  if (checked.length === 0) {
    io.err('trl-cards: no card could be checked.');
    return 2;
  }
  let fixFailed = false;
  if (fix) {
    const roots = realRoots(found.roots);
    checked.forEach((r, i) => {
      if (!r.fix) return;
      if (fix === 'dry-run') {
        for (const line of diffLines(r.rel, r.fix.before, r.fix.after)) io.out(line);
        io.err(fixedLine(r.rel, r.fix.fixed, true));
        return;
      }
      const written = writeFixed(fileURLToPath(r.uri), r.fix.before, r.fix.after, roots);
      if (written.written) {
        io.err(fixedLine(r.rel, r.fix.fixed, false));
        return;
      }
      if (written.failed) {
        io.err(argumentLine(r.rel, `the fixes were not written: ${showControls(written.why)}.`));
        fixFailed = true;
      } else io.err(argumentLine(r.rel, `not fixed: ${showControls(written.why)} (--fix-dry-run shows the fixes).`));
      // The card as it is on disk: its problems are those of the text that was read.
      checked[i] = checkText(r.rel, r.uri, r.fix.before, { ...options, fix: false });
    });
  }
  // Cross-card rules once every card is indexed: each card's references, against all facts.
  const index = new DiskIndex(found.roots);
  for (const r of checked) index.set(r.facts);
  const today = localDate(new Date());
  const rows: Row[] = [];
  for (const r of checked) {
    rows.push(...r.rows);
    const at = new Map(r.positions.map(([offset, line, character]) => [offset, { line, character }]));
    let problems: Problem[];
    try {
      problems = withSeverities(referenceProblems(r.refs, r.uri, index, today), config);
    } catch {
      io.err(notCheckedLine(r.rel, `its links to other cards: ${INTERNAL}`));
      notChecked++;
      continue;
    }
    rows.push(...toRows(r.rel, problems, (offset) => at.get(offset)!));
  }
  if (cache) {
    for (const r of checked) if (r.hash !== undefined) cache.set(r.uri, { hash: r.hash, ...(r.stamp ? { stamp: r.stamp } : {}), rows: r.rows.map(({ file: _, ...row }) => row), facts: r.facts, refs: r.refs, positions: r.positions });
    const failed = cache.save();
    io.err(`trl-cards: cache: ${cache.hits} of ${checked.length} card${checked.length === 1 ? '' : 's'} unchanged (not checked again${cache.unread ? `; ${cache.unread} not even read` : ''}), ${cache.misses} checked; ${showControls(shown(cache.file))}${failed ? `: not written: ${showControls(failed)}` : ''}.`);
  }
  // Text order within each file, as the editor shows them.
  const order = new Map(checked.map((r, i) => [r.rel, i]));
  rows.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn);
  let errors = 0;
  let warnings = 0;
  for (const r of rows) {
    if (r.severity === 'error') errors++;
    else if (r.severity === 'warning') warnings++;
  }
  const shownRows = quiet ? rows.filter((r) => r.severity === 'error') : rows;
  if (fix === 'dry-run') {
    // The diff is the output.
  } else if (format === 'json') for (const line of jsonLines(shownRows)) io.out(line);
  else if (format === 'sarif') for (const line of sarifLines(sarifLog(shownRows, { srcRoot: io.cwd, version: VERSION, rulesUrl: rulesUrl ?? defaultRulesUrl() }))) io.out(line);
  else for (const r of shownRows) io.out(format === 'github' ? githubLine(r) : textRow(r));
  if (format !== 'json' && format !== 'sarif') io.err(summaryLine(checked.length, errors, warnings, notChecked));
  const hidden = rows.length - shownRows.length;
  if (hidden) io.err(hiddenLine(warnings, hidden - warnings));
  if (maxWarnings !== undefined && warnings > maxWarnings) io.err(`trl-cards: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings} allows.`);
  if (fixFailed) return 2;
  return errors > 0 || (maxWarnings !== undefined && warnings > maxWarnings) ? 1 : 0;
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
  /** Why the file could not be checked. */
  error?: string;
  /** SHA-256 of the bytes checked (with --cache). */
  hash?: string;
  /** With --cache: the file as it was hashed. */
  stamp?: FileStamp;
  /** With --cache: the bytes read had the hash the cache holds for this card, so they were not checked (the cache has the result). */
  cached?: boolean;
  /** With --fix: the text before and after the safe fixes, and what they fixed. */
  fix?: { before: string; after: string; fixed: Record<string, number> };
}

interface CheckOptions {
  config?: TeamConfig;
  fix: boolean;
  /** With --cache: the hash each card had when cached, by URI (and a card read is hashed). */
  hashes?: Record<string, string>;
}

/**
 * Every file's single-card check: from the cache where its text is unchanged, else checked (in
 * threads for many). With the cache, each card is read once: the bytes hashed are the bytes
 * checked (a card that changes between two reads cannot get the other text's result).
 */
async function checkAll(files: readonly string[], cwd: string, options: CheckOptions, jobs: number, cache: CheckCache | undefined): Promise<FileResult[]> {
  const out: FileResult[] = new Array(files.length);
  const todo: number[] = [];
  const cached = (rel: string, uri: string, hit: CachedCard): FileResult => ({ rel, uri, rows: hit.rows.map((row) => ({ file: rel, ...row })), facts: hit.facts, refs: hit.refs, positions: hit.positions });
  files.forEach((file, i) => {
    if (cache) {
      // A card whose file is as it was when hashed is not read at all.
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(file);
      } catch {
        // read below, which says why it cannot be
      }
      const uri = pathToFileURL(file).toString();
      const hit = stat && cache.unchanged(uri, stat);
      if (hit) {
        out[i] = cached(path.relative(cwd, file) || file, uri, hit);
        return;
      }
    }
    todo.push(i);
  });
  const misses = todo.map((i) => files[i]);
  const read = cache ? { ...options, hashes: cache.hashes(misses.map((f) => pathToFileURL(f).toString())) } : options;
  const checked = jobs > 1 && misses.length >= PARALLEL_FROM ? await checkInWorkers(misses, cwd, read, jobs) : checkFiles(misses, cwd, read);
  todo.forEach((i, k) => {
    const r = checked[k];
    // With the cache: the bytes read had the cached hash (the cache's result), or they are checked here, kept under their hash.
    const hit = cache && r.error === undefined && r.hash !== undefined ? cache.get(r.uri, r.hash, r.stamp) : undefined;
    if (hit) out[i] = cached(r.rel, r.uri, hit);
    else if (r.cached) throw new Error('a card the cache held is no longer in it');
    else out[i] = r;
  });
  return out;
}

/** Output rows (1-based) of a file's problems, given how to place an offset. */
function toRows(rel: string, problems: readonly Problem[], place: (offset: number) => { line: number; character: number }): Row[] {
  const rows: Row[] = [];
  for (const p of problems) {
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
  // Read like a card (never a pipe or a device), with a smaller limit.
  const read = readCardFileSync(file, { maxBytes: MAX_CONFIG_FILE_BYTES });
  if (read.error !== undefined) {
    io.err(`trl-cards: ${showControls(rel)}: cannot read the configuration: ${read.error}.`);
    return 'invalid';
  }
  const text = read.text;
  const { config, problems } = parseConfig(text);
  if (problems.length === 0) return config;
  const document = TextDocument.create(pathToFileURL(file).toString(), 'yaml', 0, text);
  for (const p of problems) {
    const s = document.positionAt(p.start);
    const e = document.positionAt(p.end);
    io.err(textRow({ file: rel, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: 'error', code: p.code, message: p.message }));
  }
  io.err(`trl-cards: ${showControls(rel)}: the team configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} (or run with --no-config).`);
  return 'invalid';
}

/** Cards below this many are checked in the main thread: starting workers costs more. */
const PARALLEL_FROM = 64;

/** What the cross-card rules read of a card's facts: no navigation ranges, no portfolio progress. */
const CHECKER_FACTS = { navigation: false, progress: false } as const;

/** The single-card check of each file, read once (with `options.hashes`: hashed too, and not checked when its hash is the cached one). */
function checkFiles(files: readonly string[], cwd: string, options: CheckOptions): FileResult[] {
  return files.map((file) => {
    const rel = path.relative(cwd, file) || file;
    const uri = pathToFileURL(file).toString();
    const seenAt = Date.now();
    // The file was listed or stat'ed as a regular file: reading checks that it still is one.
    const read = readCardBytesSync(file, { knownFile: true });
    if (read.error !== undefined) return failed(rel, uri, read.error);
    if (!options.hashes) return checkText(rel, uri, read.bytes.toString('utf8'), options);
    const hash = contentHash(read.bytes);
    const stamp = stampOf(read.stat, seenAt);
    if (options.hashes[uri] === hash) return { ...failed(rel, uri, undefined), hash, stamp, cached: true };
    return { ...checkText(rel, uri, read.bytes.toString('utf8'), options), hash, stamp };
  });
}

/** A file's result with nothing checked: why, or (undefined) that the cache has it. */
function failed(rel: string, uri: string, error: string | undefined): FileResult {
  return { rel, uri, rows: [], facts: { uri, components: [], previous: [], coupled: [] }, refs: { level: undefined, previous: [], components: [], coupled: [] }, positions: [], ...(error !== undefined ? { error } : {}) };
}

/** The single-card check of a card's text (after the safe fixes, with `options.fix`). */
function checkText(rel: string, uri: string, original: string, options: CheckOptions): FileResult {
  const service = getLanguageService();
  const settings = options.config ? { config: options.config } : {};
  try {
    let text = original;
    const fixed = options.fix ? fixText(service, uri, text, settings) : undefined;
    if (fixed) text = fixed.text;
    const positionAt = textPositions(text);
    const card = fixed ? fixed.card : service.parse(text);
    const rows = toRows(rel, service.problems(card, settings), positionAt);
    const refs = cardReferences(card);
    const positions: [number, number, number][] = [];
    for (const offset of referenceOffsets(refs)) {
      const pos = positionAt(offset);
      positions.push([offset, pos.line, pos.character]);
    }
    // Kept until every card is checked: no string of them may hold on to the card's text (text/own.ts).
    const owned = ownCopy({ rows, refs });
    const result: FileResult = { rel, uri, rows: owned.rows, facts: cardFacts(uri, card, positionAt, CHECKER_FACTS), refs: owned.refs, positions };
    if (fixed) result.fix = { before: original, after: text, fixed: fixed.fixed };
    return result;
  } catch {
    return failed(rel, uri, INTERNAL);
  }
}

/** Checks the files in worker threads (this same script), keeping the files' order. */
/** The job of a checker thread (cli/threads.ts): each chunk of files checked. */
const CHECK_JOB = 'trl-cards/check';

/** The check of many files: in this thread and `jobs - 1` workers, a chunk at a time. */
function checkInWorkers(files: readonly string[], cwd: string, options: CheckOptions, jobs: number): Promise<FileResult[]> {
  // TRL_CARDS_WORKERS_ONLY=1 leaves every chunk to the workers: how a test makes sure they check some.
  const mainThread = process.env.TRL_CARDS_WORKERS_ONLY !== '1';
  return inThreads(files, jobs, { script: __filename, workerData: { job: CHECK_JOB, cwd, options }, local: (chunk) => checkFiles(chunk, cwd, options), decode: (m) => m as FileResult[], mainThread });
}

/**
 * Writes lines to a stream. Once the stream fails — EPIPE when the reader has gone
 * (`trl-cards check | head`) — it quietly writes nothing more: no stack trace, and the check
 * ends with its own exit status.
 */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return (line) => {
    if (open) stream.write(line + '\n');
  };
}

if (!isMainThread && workerData && (workerData as { job?: string }).job === FACTS_JOB) {
  serveFacts(parentPort!);
} else if (!isMainThread && workerData && (workerData as { job?: string }).job === CHECK_JOB) {
  const { cwd, options } = workerData as { cwd: string; options: CheckOptions };
  serveChunks(parentPort!, (files) => checkFiles(files, cwd, options));
} else if (require.main === module) {
  const err = lineWriter(process.stderr);
  void runCli(process.argv.slice(2), { cwd: process.cwd(), out: lineWriter(process.stdout), err }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      err(`trl-cards: the check stopped: ${INTERNAL.replace(' on this card', '')}.`);
      process.exitCode = 2;
    },
  );
}
