/**
 * What the language server takes of the machine, injected (as VS Code's JSON language server
 * takes its `RuntimeEnvironment`): reading, listing and watching card files, timers, the process.
 * `main.ts` builds the Node runtime from `fs` (workspace/scan.ts, watch.ts, read.ts); a browser
 * build would read through the client. No module of `host/` reaches for `fs` itself, so each is
 * tested with a fake runtime.
 */
import type { ReadResult } from '../workspace/read';
import type { WatchedChange } from '../workspace/watch';

export type { WatchedChange };

export interface Disposable {
  dispose(): void;
}

export interface WatchOptions {
  /** The file names worth reporting (card files, the team configuration). */
  matches: (name: string) => boolean;
  onChanges: (changes: WatchedChange[]) => void;
  log: (message: string) => void;
}

/** The server's own watcher of folders, for clients that cannot watch files for it. */
export interface FolderWatch {
  /** Watches one folder (not its subfolders); false past the limit. */
  add(dir: string): boolean;
  close(): void;
}

/** Card files (and team configurations) on the machine, by absolute path. Never throws. */
export interface CardFiles {
  /**
   * The card files below `root`, folders walked but never followed through links; `listed`: the
   * listing said it is a regular file (so reading need not look again). `onDirectory` hears of
   * each folder walked.
   */
  list(root: string, onDirectory?: (dir: string) => void): AsyncIterable<{ file: string; listed: boolean }>;
  /** A card file's text, or why not, in words (workspace/read.ts: never a pipe, bounded). */
  read(file: string, options?: { maxBytes?: number; knownFile?: boolean }): Promise<ReadResult>;
  /** Where `file` really is (links resolved), or undefined when it cannot be resolved. */
  realPath(file: string): Promise<string | undefined>;
  /** The real paths of folders (each itself when it cannot be resolved). */
  realRoots(roots: readonly string[]): string[];
  /** What changes when a file is written (size, times, inode), or undefined when there is no file. */
  stamp(file: string): Promise<string | undefined>;
  /** Starts a watcher of folders (bounded, debounced: workspace/watch.ts). */
  watch(options: WatchOptions): FolderWatch;
}

export interface Timers {
  setImmediate(callback: () => void): Disposable;
  setTimeout(callback: () => void, ms: number): Disposable;
}

export interface Runtime {
  files: CardFiles;
  timer: Timers;
  process: { pid: number };
  /** The rules reference (docs/rules.md): its URL, and its text (throws when it cannot be read). */
  rulesDoc: { url: string; read(): string };
  /** A fresh random name (a few bytes of hex), different in each process. */
  randomId(): string;
}
