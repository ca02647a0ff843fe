/** Building a workspace index from disk, a file at a time, yielding to the event loop between files. */
import { promises as fs } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseCardFields } from '../card/parse';
import { CARD_FILE } from '../files';
import { FACT_FIELDS, cardFacts, type WorkspaceIndex } from './index';

/** A card's facts from its text, parsing only the fields facts are made of. */
export function factsOf(uri: string, text: string) {
  return cardFacts(uri, parseCardFields(text, FACT_FIELDS));
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);

async function* cardFiles(dir: string): AsyncGenerator<string> {
  let entries: import('fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of entries) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) yield* cardFiles(full);
    } else if (d.isFile() && CARD_FILE.test(d.name)) yield full;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Indexes every card under `roots`, skipping URIs for which `skip` is true (open documents,
 * which the server indexes from their live text). Yields between files, so requests for open
 * cards are answered while the scan runs.
 */
export async function scanWorkspace(roots: readonly string[], index: WorkspaceIndex, skip: (uri: string) => boolean, log: (m: string) => void): Promise<number> {
  let count = 0;
  for (const root of roots) {
    for await (const file of cardFiles(root)) {
      const uri = pathToFileURL(file).toString();
      if (skip(uri)) continue;
      try {
        const text = await fs.readFile(file, 'utf8');
        if (!skip(uri)) index.set(factsOf(uri, text));
        count++;
      } catch (err) {
        log(`Indexing ${file} failed: ${String(err)}`);
      }
      await nextTurn();
    }
  }
  return count;
}

/** Re-reads one card file into the index (after a file-watcher event). */
export async function indexFile(uri: string, index: WorkspaceIndex): Promise<boolean> {
  try {
    const text = await fs.readFile(new URL(uri), 'utf8');
    return index.set(factsOf(uri, text));
  } catch {
    return index.delete(uri);
  }
}
