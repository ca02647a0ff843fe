/**
 * `trl-cards check [paths, directories or globs…]`: the same engine as the language server; exit 1
 * if any error, 0 otherwise, 2 on a usage error or when no card could be checked. Paths that
 * cannot be checked are listed on stderr, and the rest are checked. What it prints is made in
 * cli/format.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { version as VERSION } from 'virtual:package';
import { textPositions } from '../card/document';
import { CARD_FILE, CARD_NAMES, findCards, realRoots } from '../files';
import { cardFacts, cardReferences, getLanguageService, localDate, referenceOffsets, referenceProblems, type CardFacts, type CardReferences, type Problem, type TeamConfig } from '../languageService';
import { applyRuleSettings } from '../services/diagnostics';
import { showControls } from '../text/escape';
import { ownCopy } from '../text/own';
import { commandArgs, type OptionSpec } from './args';
import { CheckCache, DEFAULT_CACHE_LOCATION, cacheFile, cacheKey, contentHash, stampOf, type CachedCard, type FileStamp } from './cache';
import { findConfig, loadConfigFile } from './config';
import { DiskIndex } from './diskIndex';
import { diffLines, fixText, fixedLine } from './fix';
import { INTERNAL, argumentLine, hiddenLine, jsonLines, notCheckedLine, summaryLine, textRow, type Row } from './format';
import { githubLine } from './github';
import type { CliIO } from './io';
import { defaultRulesUrl, sarifLines, sarifLog } from './sarif';
import { defaultThreads, inThreads } from './threads';
import { writeFixed } from './write';
import { readCardBytesSync } from '../workspace/read';

/** `trl-cards check --help`. The other commands' help: cli/usage.ts, cli/render.ts. */
export const CHECK_USAGE = `Usage: trl-cards check [options] [paths, directories or globs…]

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
  --debug              print an internal error's stack (to report it)
  -h, --help           show this help
  --                   the end of the options: every argument after it is a path

Exit status: 1 if any card has an error (or more warnings than --max-warnings), 0
otherwise; 2 on a usage error, an invalid team configuration, or when no card
could be checked at all.`;

const CHECK_OPTIONS: OptionSpec = {
  format: { type: 'string' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  quiet: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  'rules-url': { type: 'string' },
  jobs: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * The arguments with every card file named like an option (`--cache-location=x.trl.yaml`, a file
 * of that name in the folder) moved after `--`: a hook passes the names of the files it is given
 * as they are, after its own options, and a file's name must never act as an option.
 */
function filesNamedLikeOptions(args: readonly string[], cwd: string): string[] {
  const end = args.indexOf('--');
  const options = end < 0 ? [...args] : args.slice(0, end);
  const files = options.filter((a) => a.startsWith('-') && CARD_FILE.test(a) && existsAsEntry(path.resolve(cwd, a)));
  if (files.length === 0) return [...args];
  return [...options.filter((a) => !files.includes(a)), '--', ...files, ...(end < 0 ? [] : args.slice(end + 1))];
}

function existsAsEntry(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export async function runCheck(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = commandArgs(filesNamedLikeOptions(args, io.cwd), CHECK_OPTIONS, io, 'trl-cards', CHECK_USAGE);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (v.debug) io = { ...io, debug: true };
  const format = (v.format ?? 'text') as string;
  if (format !== 'text' && format !== 'json' && format !== 'sarif' && format !== 'github') {
    io.err(`trl-cards: --format takes 'text', 'json', 'sarif' or 'github', not '${showControls(format)}'.`);
    return 2;
  }
  const quiet = v.quiet === true;
  let maxWarnings: number | undefined;
  if (v['max-warnings'] !== undefined) {
    const value = v['max-warnings'] as string;
    const n = Number(value);
    if (!value || !Number.isInteger(n) || n < 0) {
      io.err(`trl-cards: --max-warnings takes a whole number of 0 or more, not '${showControls(value)}'.`);
      return 2;
    }
    maxWarnings = n;
  }
  const fix: 'write' | 'dry-run' | undefined = v['fix-dry-run'] ? 'dry-run' : v.fix ? 'write' : undefined;
  for (const [name, what] of [['cache-location', 'path'], ['rules-url', 'URL']] as const) {
    if (v[name] === '') {
      io.err(`trl-cards: --${name} takes a ${what}.`);
      return 2;
    }
  }
  const cacheLocation = (v['cache-location'] as string | undefined) ?? (v.cache ? DEFAULT_CACHE_LOCATION : undefined);
  const rulesUrl = v['rules-url'] as string | undefined;
  if (v.config === '') {
    io.err('trl-cards: --config takes the path of a configuration file.');
    return 2;
  }
  const configPath = v.config !== undefined ? path.resolve(io.cwd, v.config as string) : undefined;
  const useConfig = v['no-config'] !== true;
  let jobs = defaultThreads();
  if (v.jobs !== undefined) {
    const n = Number(v.jobs);
    if (!v.jobs || !Number.isInteger(n) || n < 1) {
      io.err(`trl-cards: --jobs takes a whole number of 1 or more, not '${showControls(v.jobs as string)}'.`);
      return 2;
    }
    jobs = n;
  }
  const paths = parsed.positionals;
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
  const options: CheckOptions = { config, fix: fix !== undefined, ...(io.debug ? { debug: true } : {}) };
  let results: FileResult[];
  try {
    results = await checkAll(found.files, io.cwd, options, jobs, cache);
  } catch (err) {
    io.err(`trl-cards: the check stopped: ${INTERNAL.replace(' on this card', '')}.`);
    if (io.debug) io.err(String((err as Error)?.stack ?? err));
    return 2;
  }
  let notChecked = found.skipped.length;
  const checked: FileResult[] = [];
  for (const r of results) {
    if (r.error === undefined) checked.push(r);
    else {
      io.err(notCheckedLine(r.rel, r.error));
      if (r.stack) io.err(r.stack);
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
      problems = applyRuleSettings(referenceProblems(r.refs, r.uri, index, today), { config });
    } catch {
      io.err(notCheckedLine(r.rel, `its links to other cards: ${INTERNAL}`));
      notChecked++;
      continue;
    }
    rows.push(...toRows(r.rel, problems, (offset) => at.get(offset)!));
  }
  if (cache) {
    for (const r of checked)
      if (r.hash !== undefined)
        cache.set(r.uri, {
          hash: r.hash,
          ...(r.stamp ? { stamp: r.stamp } : {}),
          rows: r.rows.map(({ file: _, ...row }) => row),
          facts: r.facts,
          refs: r.refs,
          positions: r.positions,
        });
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
  /** With --debug: the stack of the internal error that stopped its check. */
  stack?: string;
  /** SHA-256 of the bytes checked (with --cache). */
  hash?: string;
  /** With --cache: the file as it was hashed. */
  stamp?: FileStamp;
  /** With --cache: the bytes read had the hash the cache holds for this card, so they were not checked (the cache has the result). */
  cached?: boolean;
  /** With --fix: the text before and after the safe fixes, and what they fixed. */
  fix?: { before: string; after: string; fixed: Record<string, number> };
}

export interface CheckOptions {
  config?: TeamConfig;
  fix: boolean;
  /** With --cache: the hash each card had when cached, by URI (and a card read is hashed). */
  hashes?: Record<string, string>;
  /** --debug: an internal error on a card is said with its stack. */
  debug?: boolean;
}

/**
 * Every file's single-card check: from the cache where its text is unchanged, else checked (in
 * threads for many). With the cache, each card is read once: the bytes hashed are the bytes
 * checked (a card that changes between two reads cannot get the other text's result).
 */
async function checkAll(files: readonly string[], cwd: string, options: CheckOptions, jobs: number, cache: CheckCache | undefined): Promise<FileResult[]> {
  const out: FileResult[] = new Array(files.length);
  const todo: number[] = [];
  const cached = (rel: string, uri: string, hit: CachedCard): FileResult => ({
    rel,
    uri,
    rows: hit.rows.map((row) => ({ file: rel, ...row })),
    facts: hit.facts,
    refs: hit.refs,
    positions: hit.positions,
  });
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
    rows.push({
      file: rel,
      line: s.line + 1,
      column: s.character + 1,
      endLine: e.line + 1,
      endColumn: e.character + 1,
      severity: p.severity,
      code: p.code,
      message: p.message,
    });
  }
  return rows;
}

/** Cards below this many are checked in the main thread: starting workers costs more. */
const PARALLEL_FROM = 64;

/** What the cross-card rules read of a card's facts: no navigation ranges, no portfolio progress. */
const CHECKER_FACTS = { navigation: false, progress: false } as const;

/** The single-card check of each file, read once (with `options.hashes`: hashed too, and not checked when its hash is the cached one). */
export function checkFiles(files: readonly string[], cwd: string, options: CheckOptions): FileResult[] {
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
  return {
    rel,
    uri,
    rows: [],
    facts: { uri, components: [], previous: [], coupled: [] },
    refs: { level: undefined, previous: [], components: [], coupled: [] },
    positions: [],
    ...(error !== undefined ? { error } : {}),
  };
}

/** The single-card check of a card's text (after the safe fixes, with `options.fix`). */
function checkText(rel: string, uri: string, original: string, options: CheckOptions): FileResult {
  const service = getLanguageService();
  const settings = options.config ? { config: options.config } : {};
  try {
    // How the tests make the checker fail on a card: no card makes it fail on purpose.
    const crash = process.env.TRL_CARDS_TEST_CRASH;
    if (crash && original.includes(crash)) throw new Error('the crash TRL_CARDS_TEST_CRASH asks for');
    let text = original;
    const fixed = options.fix ? fixText(service, uri, text, settings) : undefined;
    if (fixed) text = fixed.text;
    const positionAt = textPositions(text);
    const card = fixed ? fixed.card : service.parse(text, uri);
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
  } catch (err) {
    return { ...failed(rel, uri, INTERNAL), ...(options.debug ? { stack: String((err as Error)?.stack ?? err) } : {}) };
  }
}

/** The job of a checker thread (cli/threads.ts): each chunk of files checked. */
export const CHECK_JOB = 'trl-cards/check';

/** The check of many files: in this thread and `jobs - 1` workers, a chunk at a time. */
function checkInWorkers(files: readonly string[], cwd: string, options: CheckOptions, jobs: number): Promise<FileResult[]> {
  // TRL_CARDS_WORKERS_ONLY=1 leaves every chunk to the workers: how a test makes sure they check some.
  const mainThread = process.env.TRL_CARDS_WORKERS_ONLY !== '1';
  return inThreads(files, jobs, {
    script: __filename,
    workerData: { job: CHECK_JOB, cwd, options },
    local: (chunk) => checkFiles(chunk, cwd, options),
    decode: (m) => m as FileResult[],
    mainThread,
  });
}
