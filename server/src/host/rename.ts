/**
 * Renaming an id across cards with cards as they are now. An open card's facts follow its every
 * edit (and its edits carry its version); a closed card's are from when it was last read, and it
 * may have changed on disk since, before any watcher said so. So each closed card the edit
 * touches is read again and re-located (into the index, as a watcher event would), and the edit
 * is made again from what the cards hold now; a card that will not hold still meanwhile gets the
 * rename refused, never an edit at old offsets.
 */
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import type { RenameResult } from '../services/navigation';
import { uriKey } from '../workspace/index';
import { cancelled, refused, type RequestError } from '../runner';
import type { IndexKeeper } from './indexing';

/** Times a rename reads the cards it edits again before it gives up on cards that keep changing. */
export const RENAME_ROUNDS = 4;

/** The documents a workspace edit changes. */
export function editedUris(edit: WorkspaceEdit): string[] {
  if (edit.documentChanges) return edit.documentChanges.flatMap((c) => ('textDocument' in c ? [c.textDocument.uri] : []));
  return Object.keys(edit.changes ?? {});
}

export interface FreshRename {
  /** Makes the edit from the index as it is (a request error or null passes through). */
  make: () => RenameResult | RequestError | null;
  isOpen: (uri: string) => boolean;
  isCancelled: () => boolean;
  cards: Pick<IndexKeeper, 'reread' | 'stillAt'>;
  /** Open cards that depend on a card read again: checked again. */
  recheck: (uris: string[]) => void;
}

export async function renameFresh(r: FreshRename): Promise<WorkspaceEdit | RequestError | null> {
  const stamps = new Map<string, string | undefined>();
  for (let round = 0; round < RENAME_ROUNDS; round++) {
    const result = r.make();
    if (!result || !('edit' in result || 'error' in result)) return result;
    if ('error' in result) return refused('invalidParams', result.error);
    const stale: string[] = [];
    for (const uri of editedUris(result.edit)) {
      if (r.isOpen(uri)) continue;
      const key = uriKey(uri);
      if (!stamps.has(key) || !(await r.cards.stillAt(uri, stamps.get(key)))) stale.push(uri);
    }
    if (stale.length === 0) return result.edit;
    for (const uri of stale) {
      const read = await r.cards.reread(uri);
      r.recheck(read.dependents);
      if (read.steady) stamps.set(uriKey(uri), read.stamp);
      else stamps.delete(uriKey(uri));
    }
    if (r.isCancelled()) return cancelled();
  }
  return refused('contentModified', 'Cards this rename would edit kept changing on disk while it was made: try again.');
}
