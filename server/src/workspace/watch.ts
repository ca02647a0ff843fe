/**
 * Watching the workspace folders ourselves, for clients that cannot watch files for the server
 * (no dynamic registration of `workspace/didChangeWatchedFiles`, e.g. Neovim 0.10 on Linux).
 * Node 20 has no recursive `fs.watch` on Linux, so each directory is watched on its own: the
 * directories the workspace scan walks, and the new ones that appear, at most
 * `LIMITS.maxWatchedDirectories` (past it, a log line says what is not watched). Events are
 * gathered for `LIMITS.watchDebounceMs` and reported as one batch of LSP-style changes, each
 * path checked on disk (there: changed; gone: deleted). Knows nothing of LSP's connection.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LIMITS } from '../limits';
import { SKIP_DIRS } from '../files';

/** LSP's FileChangeType values. */
export const CHANGED = 2;
export const DELETED = 3;

export interface WatchedChange {
  uri: string;
  type: typeof CHANGED | typeof DELETED;
}

export interface FolderWatcherOptions {
  /** The file names worth reporting (card files, the team configuration). */
  matches: (name: string) => boolean;
  onChanges: (changes: WatchedChange[]) => void;
  log: (message: string) => void;
  maxDirectories?: number;
  debounceMs?: number;
}

export class FolderWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private warned = false;
  private closed = false;
  private readonly max: number;
  private readonly delay: number;

  constructor(private readonly options: FolderWatcherOptions) {
    this.max = options.maxDirectories ?? LIMITS.maxWatchedDirectories;
    this.delay = options.debounceMs ?? LIMITS.watchDebounceMs;
  }

  get size(): number {
    return this.watchers.size;
  }

  /** Watches one directory (not its subdirectories: add those too). False past the limit. */
  add(dir: string): boolean {
    if (this.closed || this.watchers.has(dir)) return !this.closed;
    if (this.watchers.size >= this.max) {
      if (!this.warned) this.options.log(`Watching ${this.max} folders (LIMITS.maxWatchedDirectories): cards changed on disk in other folders are seen only when opened.`);
      this.warned = true;
      return false;
    }
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name) this.touched(path.join(dir, name.toString()));
      });
    } catch (err) {
      this.options.log(`Not watching ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
      return true;
    }
    // The directory went away (or the watch failed): stop watching it; its parent reports it.
    watcher.on('error', () => this.remove(dir));
    this.watchers.set(dir, watcher);
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.pending.clear();
  }

  private remove(dir: string): void {
    for (const [d, w] of this.watchers) {
      if (d === dir || d.startsWith(dir + path.sep)) {
        w.close();
        this.watchers.delete(d);
      }
    }
  }

  private touched(file: string): void {
    if (this.closed) return;
    this.pending.add(file);
    if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.delay);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const files = [...this.pending];
    this.pending.clear();
    const changes: WatchedChange[] = [];
    for (const file of files) await this.check(file, changes);
    if (changes.length && !this.closed) this.options.onChanges(changes);
  }

  /** What a path that had an event is now: a card (changed), gone (deleted), or a new folder. */
  private async check(file: string, changes: WatchedChange[], depth = 0): Promise<void> {
    const uri = pathToFileURL(file).toString();
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(file);
    } catch {
      // Gone: a card, or a folder whose cards the server drops (it is told the folder's URI).
      const folder = this.watchers.has(file);
      if (folder) this.remove(file);
      if (folder || this.options.matches(path.basename(file))) changes.push({ uri, type: DELETED });
      return;
    }
    if (stat.isDirectory()) {
      if (SKIP_DIRS.has(path.basename(file)) || this.watchers.has(file) || depth > 32) return;
      // A new folder (created, moved in, checked out): watch it, and report the cards already in it.
      if (!this.add(file)) return;
      let names: string[];
      try {
        names = await fs.promises.readdir(file);
      } catch {
        return;
      }
      for (const name of names) await this.check(path.join(file, name), changes, depth + 1);
      return;
    }
    if (this.options.matches(path.basename(file))) changes.push({ uri, type: CHANGED });
  }
}
