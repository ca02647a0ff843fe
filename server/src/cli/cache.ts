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
 * The file is bounded (`MAX_CACHE_ENTRIES`, `MAX_CACHE_FILE_BYTES`), written atomically, and a
 * missing, unreadable, oversized or corrupt file is the same as an empty cache.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_CACHE_ENTRIES, MAX_CACHE_FILE_BYTES } from '../limits';
import type { CardFacts, CardReferences } from '../languageService';
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

/** A cache file path: a directory (existing, or written with a trailing slash) holds `trl-cards-cache.json`. */
export function cacheFile(location: string, cwd: string): string {
  const resolved = path.resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  try {
    isDir ||= fs.statSync(resolved).isDirectory();
  } catch {
    // not there yet
  }
  return isDir ? path.join(resolved, 'trl-cards-cache.json') : resolved;
}

function isEntry(e: unknown): e is CachedCard {
  const c = e as CachedCard;
  return !!c && typeof c.hash === 'string' && Array.isArray(c.rows) && !!c.facts && typeof c.facts.uri === 'string' && !!c.refs && Array.isArray(c.positions);
}

/** JSON keeps this result as it is (a `.nan` or `.inf` level would come back as null). */
function survivesJson(c: CachedCard): boolean {
  const level = c.refs.level;
  return typeof level !== 'number' || Number.isFinite(level);
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
  readonly dropped?: string;

  constructor(readonly file: string, private readonly key: string) {
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) {
        this.dropped = 'it is not a regular file';
        return;
      }
      if (stat.size > MAX_CACHE_FILE_BYTES) {
        this.dropped = `it is larger than ${MAX_CACHE_FILE_BYTES / 1024 / 1024} MB`;
        return;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return; // no cache yet
    }
    let data: CacheFile;
    try {
      data = JSON.parse(text) as CacheFile;
    } catch {
      this.dropped = 'it is not valid JSON';
      return;
    }
    if (!data || data.trlCardsCache !== FORMAT || typeof data.entries !== 'object' || !data.entries) {
      this.dropped = 'it is not a trl-cards cache';
      return;
    }
    if (data.key !== key) return; // another version or configuration: start again, silently
    for (const [uri, entry] of Object.entries(data.entries)) {
      if (!isEntry(entry)) continue;
      if (entry.stamp !== undefined && !isStamp(entry.stamp)) delete entry.stamp;
      this.old.set(uri, entry);
    }
  }

  /** The cached check of the card at `uri`, if its text is still `hash`. */
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
    // Nothing new: the file on disk says it all already (and is not rewritten on every run).
    if (!this.dirty) return undefined;
    const entries: Record<string, CachedCard> = {};
    let n = 0;
    for (const [uri, e] of this.fresh) if (n++ < MAX_CACHE_ENTRIES) entries[uri] = e;
    for (const [uri, e] of this.old) if (!this.fresh.has(uri) && n++ < MAX_CACHE_ENTRIES) entries[uri] = e;
    const text = JSON.stringify({ trlCardsCache: FORMAT, key: this.key, entries } satisfies CacheFile);
    if (text.length > MAX_CACHE_FILE_BYTES) return `the cache would be larger than ${MAX_CACHE_FILE_BYTES / 1024 / 1024} MB; not written`;
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(temp, text);
      fs.renameSync(temp, this.file);
    } catch (err) {
      fs.rmSync(temp, { force: true });
      return (err as Error).message;
    }
    return undefined;
  }
}
