/**
 * Index reconciliation: the workspace index kept in step with the cards — scanned from the
 * workspace folders in the background (a file per event-loop turn), open cards from their live
 * text, other cards from disk on watcher events and when their editor closes — never reading a
 * file whose real path is outside `bounds` (the real paths of the workspace folders). Each
 * change answers the open cards that depend on the changed card (they need checking again).
 */
import { fileURLToPath, pathToFileURL } from 'url';
import type { CardDocument } from '../card/document';
import { CONFIG_FILE } from '../config';
import { CARD_FILE, insideRoots } from '../files';
import { LIMITS } from '../limits';
import { cardFacts, dependsOn, uriKey, WorkspaceIndex } from '../workspace/index';
import { factsOf } from '../workspace/facts';
import { containersOf } from '../workspace/rollup';
import type { CardFacts } from '../workspace/index';
import type { CardFiles, Timers } from './runtime';

/** LSP's FileChangeType.Deleted. */
const DELETED = 3;

export interface IndexKeeperOptions {
  files: CardFiles;
  timer: Timers;
  /** The open cards: indexed from their live text, never from disk. */
  open: { has(uri: string): boolean; all(): readonly CardDocument[] };
  /** Hears of every change of a card's facts (the portfolio notifier). */
  factsChanged?: (before: CardFacts | undefined, after: CardFacts | undefined) => void;
  log: (message: string) => void;
  maxCards?: number;
}

export class IndexKeeper {
  /** Every card of the workspace, for cross-card rules and navigation. */
  readonly index = new WorkspaceIndex();
  /** The workspace folders' URIs (of any scheme): where a card path may link to. */
  folderUris: string[] = [];
  /** The workspace folders on disk (paths). */
  roots: string[] = [];
  /** The real paths of the workspace folders: no card file is read from disk outside them. */
  bounds: string[] = [];

  constructor(private readonly options: IndexKeeperOptions) {}

  /** At most this many cards are indexed (LIMITS.maxIndexedCards). */
  get maxCards(): number {
    return this.options.maxCards ?? LIMITS.maxIndexedCards;
  }

  setFolders(folderUris: readonly string[]): void {
    this.folderUris = [...folderUris];
    this.roots = folderUris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    this.bounds = this.options.files.realRoots(this.roots);
  }

  /**
   * Indexes every card of the workspace folders (but open cards), a file per event-loop turn, so
   * requests for open cards are answered meanwhile; `onDirectory` hears of each folder walked.
   * Past `maxCards` the index stays incomplete (the cross-card rules stay silent rather than
   * report the cards left out as missing); else it is marked complete.
   */
  async scan(onDirectory?: (dir: string) => void): Promise<{ count: number; complete: boolean }> {
    const { files, log } = this.options;
    const max = this.maxCards;
    let truncated = false;
    const skip = (uri: string) => {
      if (this.index.size >= max) truncated = true;
      return truncated || this.options.open.has(uri);
    };
    let count = 0;
    for (const root of this.roots) {
      for await (const { file, listed } of files.list(root, onDirectory)) {
        const uri = uriOf(file);
        if (skip(uri)) continue;
        try {
          // Folders are walked, never followed through links: only a link to a file can lead out.
          const outside = listed ? undefined : await this.leadsOutside(file);
          if (outside) {
            log(`Not indexing ${file}: ${outside}.`);
            continue;
          }
          const read = await files.read(file, { knownFile: listed });
          if (read.error !== undefined) {
            // A link to a directory is not a card; anything else named like one is worth a word.
            if (!/^it is a directory/.test(read.error)) log(`Not indexing ${file}: ${read.error}.`);
          } else {
            if (!skip(uri)) this.index.set(factsOf(uri, read.text));
            count++;
          }
        } catch (err) {
          log(`Indexing ${file} failed: ${String(err)}`);
        }
        await new Promise<void>((resolve) => this.options.timer.setImmediate(resolve));
      }
    }
    if (!truncated) this.index.complete = true;
    return { count, complete: !truncated };
  }

  /** Why the card file at `file` is not read: its real path is outside `bounds` (no bounds: no limit). */
  async leadsOutside(file: string): Promise<string | undefined> {
    if (!this.bounds.length) return undefined;
    const real = await this.options.files.realPath(file);
    // A path that cannot be resolved: reading it says why it cannot be read.
    if (real === undefined || insideRoots(real, this.bounds)) return undefined;
    return `it is a symbolic link to ${real}, outside the workspace folders, so it is not read`;
  }

  /**
   * Reads one card file into the index again. What is not a regular card file under the size
   * limit (a pipe, a device, a directory) leaves the index, never opened in a way that could
   * block; so does a file outside `bounds`. True when its facts changed.
   */
  async indexFile(uri: string): Promise<boolean> {
    try {
      const file = fileURLToPath(uri);
      if (await this.leadsOutside(file)) return this.index.delete(uri);
      const read = await this.options.files.read(file);
      return read.error === undefined ? this.index.set(factsOf(uri, read.text)) : this.index.delete(uri);
    } catch {
      return this.index.delete(uri);
    }
  }

  /**
   * Reads one card file into the index again, with the file's stamp when it held still while it
   * was read (`steady`: the same before and after), so that a caller can ask later whether it
   * changed since (`stillAt`); and the open cards that depend on it.
   */
  async reread(uri: string): Promise<{ dependents: string[]; stamp?: string; steady: boolean }> {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return { dependents: await this.changeFacts(uri, () => this.index.delete(uri)), steady: true };
    }
    const { files } = this.options;
    const before = await files.stamp(file);
    const dependents = await this.changeFacts(uri, () => this.indexFile(uri));
    const after = await files.stamp(file);
    return { dependents, ...(after !== undefined ? { stamp: after } : {}), steady: before === after };
  }

  /** Whether the file at `uri` still has the stamp `reread` gave. */
  async stillAt(uri: string, stamp: string | undefined): Promise<boolean> {
    try {
      return (await this.options.files.stamp(fileURLToPath(uri))) === stamp;
    } catch {
      return stamp === undefined;
    }
  }

  /** An open card's facts from its live text (on opening and every change). */
  edited(document: CardDocument): Promise<string[]> {
    return this.changeFacts(document.uri, () => this.index.set(cardFacts(document.uri, document.card, (offset) => document.positionAt(offset))));
  }

  /** An open card closed: the file on disk is what counts again (its unsaved changes were dropped). */
  closed(uri: string): Promise<string[]> {
    return this.changeFacts(uri, () => (uri.startsWith('file:') ? this.indexFile(uri) : this.index.delete(uri)));
  }

  /** Files changed on disk (the client's watchers or ours): cards read again or dropped, and a deleted folder's cards. */
  async filesChanged(all: readonly { uri: string; type: number }[]): Promise<string[]> {
    const open = this.options.open;
    // One event per file, the last one: a file created then changed in one batch is read once.
    const changes = [...new Map(all.map((c) => [c.uri, c])).values()];
    const dependents: string[] = [];
    for (const c of changes) {
      if (!CARD_FILE.test(c.uri) || open.has(c.uri)) continue;
      dependents.push(...(await this.changeFacts(c.uri, () => (c.type === DELETED ? this.index.delete(c.uri) : this.indexFile(c.uri)))));
    }
    // A folder deleted (our own watcher says so): the cards that were in it.
    for (const c of changes) {
      if (c.type !== DELETED || CARD_FILE.test(c.uri) || CONFIG_FILE.test(c.uri)) continue;
      const prefix = c.uri.endsWith('/') ? c.uri : c.uri + '/';
      for (const facts of [...this.index.cards()]) {
        if (facts.uri.startsWith(prefix) && !open.has(facts.uri)) dependents.push(...(await this.changeFacts(facts.uri, () => this.index.delete(facts.uri))));
      }
    }
    return dependents;
  }

  /**
   * Applies a change to the index. When a card's facts changed (and the index is complete),
   * answers the open cards that name it (by path, or by its old or new id) or contain it through
   * other components.
   */
  private async changeFacts(uri: string, change: () => boolean | Promise<boolean>): Promise<string[]> {
    const index = this.index;
    const before = index.byUri(uri);
    const changed = await change();
    this.options.factsChanged?.(before, index.byUri(uri));
    if (!changed || !index.complete) return [];
    const after = index.byUri(uri);
    const ids = new Set([before?.id, after?.id].filter((x): x is string => x !== undefined));
    // Systems of systems: a card that contains the changed one through other components too.
    let containers: Set<string> | undefined;
    return this.options.open
      .all()
      .filter((d) => {
        const facts = d.uri !== uri ? index.byUri(d.uri) : undefined;
        if (!facts) return false;
        if (dependsOn(facts, uri, ids)) return true;
        containers ??= containersOf(uri, ids, index.cards(), index);
        return containers.has(uriKey(d.uri));
      })
      .map((d) => d.uri);
  }
}

function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}
