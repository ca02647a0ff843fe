/**
 * `--cache`: the single-card part of each card's check, kept between runs in one JSON file, so
 * a re-run over unchanged cards parses and checks none.
 *
 * What is kept, per card URI: the SHA-256 of its bytes, its problems (1-based rows), its index
 * facts and its references, and the file's stamp when it was hashed (size, times, inode). A
 * card whose stamp is the same and which had last changed well before it was hashed (git's
 * rule against "racily clean" files: `RACY_MS`) is not read again; any other is read and
 * hashed, and its content decides. The cache as a whole is valid for one key: the tool (its version and
 * a hash of the checker's own code) and the effective team configuration; another key starts
 * an empty cache. The cross-card rules (`component-level`, `unknown-previous`, …) are never
 * cached: they are recomputed on every run from the facts of all the cards, which is cheap, so
 * a changed card never leaves a stale cross-card result in another.
 *
 * The file is bounded (`MAX_CACHE_ENTRIES`, `MAX_CACHE_FILE_BYTES`). Every entry is checked for
 * the shape the checker reads when the file is read: a file that is not valid JSON, not a
 * cache, oversized, a symbolic link (never followed) or has one malformed entry is not used,
 * the run says so once, and it is written anew. It is written atomically: a new file with a
 * random name, created exclusively beside it, renamed over it (over a link, not through it).
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_CACHE_ENTRIES, MAX_CACHE_FILE_BYTES } from '../limits';
import { referenceOffsets, type CardFacts, type CardReferences } from '../languageService';
import { describeFsError, readCardBytesSync } from '../workspace/read';
import type { Row } from './format';

/** The default cache file, relative to the folder the checker runs in. */
export const DEFAULT_CACHE_LOCATION = '.trl-cards-cache';
const FORMAT = 1;

/** What is cached of one card: its single-card check. */
export interface CachedCard {
  hash: string;
  /** The file when it was hashed: set when it was read from disk by the checker. */
  stamp?: FileStamp;
  rows: Omit<Row, 'file'>[];
  facts: CardFacts;
  refs: CardReferences;
  positions: [number, number, number][];
}

interface CacheFile {
  trlCardsCache: number;
  key: string;
  entries: Record<string, CachedCard>;
}

export function contentHash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('base64');
}

/** What `fstat` said of a file, and when (ms since the epoch) it was looked at. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
  seenAt: number;
}

/**
 * A file changed this close (ms) to the moment it was hashed may change again within the same
 * tick of the file system's clock, its stamp unchanged: such a file is hashed again next time.
 * Two seconds cover the coarsest common timestamps (FAT's), and the kernel's coarse clock.
 */
export const RACY_MS = 2000;

/** `RACY_MS`, or `TRL_CARDS_RACY_MS` (how the tests see the stamp rule at work without waiting two seconds). */
const RACY = (() => {
  const v = Number(typeof process === 'undefined' ? undefined : process.env.TRL_CARDS_RACY_MS);
  return Number.isFinite(v) && v >= 0 ? v : RACY_MS;
})();

export function stampOf(stat: fs.Stats, seenAt: number): FileStamp {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, dev: stat.dev, seenAt };
}

function sameFile(s: FileStamp, stat: fs.Stats): boolean {
  return stat.size === s.size && stat.mtimeMs === s.mtimeMs && stat.ctimeMs === s.ctimeMs && stat.ino === s.ino && stat.dev === s.dev;
}

function isStamp(s: unknown): s is FileStamp {
  const t = s as FileStamp;
  return !!t && typeof t === 'object' && [t.size, t.mtimeMs, t.ctimeMs, t.ino, t.dev, t.seenAt].every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** The cache key: tool version, a hash of the running checker's code, and the configuration. */
export function cacheKey(version: string, config: unknown): string {
  const h = createHash('sha256').update(version).update('\0');
  try {
    h.update(fs.readFileSync(__filename));
  } catch {
    h.update(String(Date.now())); // code unknown: never reuse
  }
  h.update('\0').update(JSON.stringify(config ?? null));
  return h.digest('base64');
}

/**
 * A cache file path: a directory (existing, or written with a trailing slash) holds
 * `trl-cards-cache.json`. A symbolic link is not a directory here: the cache path itself is
 * never followed through a link (a link planted at `.trl-cards-cache` is replaced, not written
 * through).
 */
export function cacheFile(location: string, cwd: string): string {
  const resolved = path.resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  try {
    isDir ||= fs.lstatSync(resolved).isDirectory();
  } catch {
    // not there yet
  }
  return isDir ? path.join(resolved, 'trl-cards-cache.json') : resolved;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isOptional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);
const isList = (v: unknown, test: (v: unknown) => boolean) => Array.isArray(v) && v.every(test);
const isPair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every(isCount);
const isPosition = (v: unknown) => isObject(v) && isCount(v.line) && isCount(v.character);
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

function isRow(v: unknown): boolean {
  return (
    isObject(v) &&
    [v.line, v.column, v.endLine, v.endColumn].every(isCount) &&
    SEVERITIES.has(v.severity as string) &&
    isString(v.code) &&
    isString(v.message)
  );
}

function isFacts(v: unknown, uri: string): boolean {
  return (
    isObject(v) &&
    v.uri === uri &&
    isOptional(v.id, isString) &&
    isOptional(v.technology, isString) &&
    isOptional(v.level, (l) => typeof l === 'number') &&
    isStrings(v.components) &&
    isStrings(v.previous) &&
    isStrings(v.coupled) &&
    isOptional(v.levelRange, (r) => isObject(r) && isPosition(r.start) && isPosition(r.end))
  );
}

const isListValue = (v: unknown) => isObject(v) && isString(v.value) && isCount(v.start) && isCount(v.end);

function isRefs(v: unknown): boolean {
  return (
    isObject(v) &&
    isOptional(v.id, isString) &&
    isList(v.previous, isListValue) &&
    isList(v.components, isListValue) &&
    isList(v.coupled, isListValue) &&
    isOptional(v.path, (p) => isObject(p) && isOptional(p.enteredAt, (l) => typeof l === 'number') && isList(p.history, (h) => isObject(h) && typeof h.level === 'number' && typeof h.revert === 'boolean')) &&
    isOptional(v.targets, (t) => isList(t, (x) => isObject(x) && typeof x.level === 'number' && isString(x.by) && isPair(x.levelAt) && isPair(x.byAt)))
  );
}

/**
 * Whether `e` has the shape the checker reads of a cached card (a hand-edited or damaged entry
 * would otherwise stop the run): rows, facts for this very URI, references, and a line and
 * column for every offset the references use.
 */
function isEntry(e: unknown, uri: string): e is CachedCard {
  if (!isObject(e) || !isString(e.hash) || !isList(e.rows, isRow) || !isFacts(e.facts, uri) || !isRefs(e.refs)) return false;
  if (!isList(e.positions, (p) => Array.isArray(p) && p.length === 3 && p.every(isCount))) return false;
  const placed = new Set((e.positions as number[][]).map((p) => p[0]));
  return referenceOffsets(e.refs as CardReferences).every((o) => placed.has(o));
}

/** JSON keeps this result as it is (a `.nan` or `.inf` level would come back as null). */
function survivesJson(c: CachedCard): boolean {
  const level = c.refs.level;
  return typeof level !== 'number' || Number.isFinite(level);
}

/**
 * The cache file's text; undefined when there is none; what is wrong with it when it cannot be
 * used. Read like a card (never a pipe or a device, bounded), and never through a symbolic link.
 */
function readCache(file: string): string | undefined | { dropped: string } {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) return { dropped: 'it is a symbolic link, which the checker does not follow' };
  if (!stat.isFile()) return { dropped: 'it is not a regular file' };
  if (stat.size > MAX_CACHE_FILE_BYTES) return { dropped: `it is larger than ${MAX_CACHE_FILE_BYTES / 1024 / 1024} MB` };
  const read = readCardBytesSync(file, { knownFile: true, noFollow: true, maxBytes: MAX_CACHE_FILE_BYTES });
  if (read.error !== undefined) return read.missing ? undefined : { dropped: read.error };
  return read.bytes.toString('utf8');
}

export class CheckCache {
  private readonly old = new Map<string, CachedCard>();
  private readonly fresh = new Map<string, CachedCard>();
  hits = 0;
  misses = 0;
  /** Hits known by their file's stamp, without reading the file. */
  unread = 0;
  /** Whether this run changed anything to write back. */
  private dirty = false;
  /** Why the file on disk was not used, when it existed but could not be. */
  dropped?: string;

  constructor(readonly file: string, private readonly key: string) {
    const read = readCache(file);
    if (read === undefined) return; // no cache yet
    // An empty file is someone's (a card being written, a .gitkeep): never taken for a cache.
    if (read === '') {
      this.drop('it is an empty file', true);
      return;
    }
    // A file that is not a cache (a card named by mistake, a link, a folder) is never overwritten.
    if (typeof read === 'object') {
      this.drop(read.dropped, true);
      return;
    }
    let data: CacheFile;
    try {
      data = JSON.parse(read) as CacheFile;
    } catch {
      // A cache cut short is still a cache (it starts as every cache does): written anew.
      this.drop('it is not valid JSON', !read.startsWith('{"trlCardsCache":'));
      return;
    }
    if (!isObject(data) || typeof data.trlCardsCache !== 'number') {
      this.drop('it is not a trl-cards cache', true);
      return;
    }
    if (data.trlCardsCache !== FORMAT || !isObject(data.entries)) {
      this.drop('it is a cache of another version of trl-cards');
      return;
    }
    if (data.key !== key) return; // another version or configuration: start again, silently
    for (const [uri, entry] of Object.entries(data.entries)) {
      if (!isEntry(entry, uri) || (entry.stamp !== undefined && !isStamp(entry.stamp))) {
        this.old.clear();
        this.drop('it has a malformed entry');
        return;
      }
      this.old.set(uri, entry);
    }
  }

  /**
   * The file on disk is not used: said once (`dropped`), and written anew at the end of the run,
   * unless it is `foreign` (not a trl-cards cache at all), which is left as it is.
   */
  private drop(why: string, foreign = false): void {
    this.dropped = why;
    this.dirty = !foreign;
    this.foreign = foreign;
  }

  /** The file at the cache's place is not a trl-cards cache: it is neither used nor overwritten. */
  foreign = false;

  /** The hash each card had when it was cached: what a thread reading a card compares its bytes' hash with. */
  hashes(uris: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const uri of uris) {
      const h = this.old.get(uri)?.hash;
      if (h !== undefined) out[uri] = h;
    }
    return out;
  }

  /**
   * The cached check of the card at `uri` when the file, by its `stat`, is the one hashed: the
   * same stamp, and last changed `RACY_MS` before it was hashed. Undefined means "read it".
   */
  unchanged(uri: string, stat: fs.Stats): CachedCard | undefined {
    const entry = this.old.get(uri);
    const s = entry?.stamp;
    if (!entry || !s || !sameFile(s, stat) || !(Math.max(s.mtimeMs, s.ctimeMs) < s.seenAt - RACY)) return undefined;
    this.hits++;
    this.unread++;
    this.fresh.set(uri, entry);
    return entry;
  }

  /** The cached check of the card at `uri`, if its content is still `hash`; `stamp` is the file as it was hashed. */
  get(uri: string, hash: string, stamp?: FileStamp): CachedCard | undefined {
    const entry = this.old.get(uri);
    if (entry && entry.hash === hash) {
      this.hits++;
      const kept = stamp ? { ...entry, stamp } : entry;
      if (kept !== entry) this.dirty = true;
      this.fresh.set(uri, kept);
      return kept;
    }
    this.misses++;
    return undefined;
  }

  set(uri: string, entry: CachedCard): void {
    if (!survivesJson(entry)) return;
    this.fresh.set(uri, entry);
    this.dirty = true;
  }

  /** Writes the cache: this run's cards, then earlier ones not seen this run, up to the bound. Atomic; failures are reported, not thrown. */
  save(): string | undefined {
    if (this.foreign) return 'the file there is not a trl-cards cache, and is left as it is';
    // Nothing new: the file on disk says it all already (and is not rewritten on every run).
    if (!this.dirty) return undefined;
    const entries: Record<string, CachedCard> = {};
    let n = 0;
    for (const [uri, e] of this.fresh) if (n++ < MAX_CACHE_ENTRIES) entries[uri] = e;
    for (const [uri, e] of this.old) if (!this.fresh.has(uri) && n++ < MAX_CACHE_ENTRIES) entries[uri] = e;
    const text = JSON.stringify({ trlCardsCache: FORMAT, key: this.key, entries } satisfies CacheFile);
    if (text.length > MAX_CACHE_FILE_BYTES) return `the cache would be larger than ${MAX_CACHE_FILE_BYTES / 1024 / 1024} MB; not written`;
    const dir = path.dirname(this.file);
    // Created exclusively (never through a link planted at its name), then renamed over the
    // cache (over a link there, not through it).
    const temp = path.join(dir, `.${path.basename(this.file)}.${randomBytes(8).toString('hex')}.tmp`);
    let made = false;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(temp, text, { flag: 'wx' });
      made = true;
      fs.renameSync(temp, this.file);
    } catch (err) {
      if (made) fs.rmSync(temp, { force: true });
      return describeFsError(err, 'written');
    }
    return undefined;
  }
}
