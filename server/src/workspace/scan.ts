/** Building a workspace index from disk, a file at a time, yielding to the event loop between files. */
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { parseCardFields } from '../card/parse';
import { isMarkdownCard, parseMarkdownCardFields } from '../card/markdownCard';
import { CARD_FILE, SKIP_DIRS, insideRoots } from '../files';
import { positionsOf } from './factRanges';
import { FACT_FIELDS, cardFacts, plainFacts, type WorkspaceIndex } from './index';
import { readCardFile } from './read';

/** A card's facts from its text, parsing only the fields facts are made of. */
export function factsOf(uri: string, text: string) {
  return cardFacts(uri, fieldsOf(uri, text), positionsOf(text));
}

/** The fact fields of a card's text: a `.trl.md` card's from its front matter. */
function fieldsOf(uri: string, text: string) {
  return isMarkdownCard(uri) ? parseMarkdownCardFields(text, FACT_FIELDS) : parseCardFields(text, FACT_FIELDS);
}

/** The same without where the facts stand (`plainFacts`): what the portfolio alone needs. */
export function plainFactsOf(uri: string, text: string) {
  return plainFacts(uri, fieldsOf(uri, text));
}

/** The card files below `dir`: regular files (`listed`: the listing said so) and symbolic links, which reading checks. */
async function* cardFiles(dir: string, onDirectory?: (dir: string) => void): AsyncGenerator<{ file: string; listed: boolean }> {
  onDirectory?.(dir);
  let entries: import('fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of entries) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) yield* cardFiles(full, onDirectory);
    } else if ((d.isFile() || d.isSymbolicLink()) && CARD_FILE.test(d.name)) yield { file: full, listed: d.isFile() };
  }
}

/**
 * Why the card file at `file` is not read: it leads (through a symbolic link, of the file or of
 * a folder above it) out of `bounds`, the real paths of the workspace folders: the rule the
 * checker keeps (files.ts). No bounds (no folder open) sets no limit.
 */
export async function leadsOutside(file: string, bounds: readonly string[]): Promise<string | undefined> {
  if (!bounds.length) return undefined;
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    return undefined; // reading it says why it cannot be read
  }
  return insideRoots(real, bounds) ? undefined : `it is a symbolic link to ${real}, outside the workspace folders, so it is not read`;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Indexes every card under `roots`, skipping URIs for which `skip` is true (open documents,
 * which the server indexes from their live text). Yields between files, so requests for open
 * cards are answered while the scan runs. `onDirectory` hears of each folder walked (the
 * server's own watcher watches them).
 */
export async function scanWorkspace(roots: readonly string[], index: WorkspaceIndex, skip: (uri: string) => boolean, log: (m: string) => void, onDirectory?: (dir: string) => void, bounds: readonly string[] = []): Promise<number> {
  let count = 0;
  for (const root of roots) {
    for await (const { file, listed } of cardFiles(root, onDirectory)) {
      const uri = pathToFileURL(file).toString();
      if (skip(uri)) continue;
      try {
        // Folders are walked, never followed through links: only a link to a file can lead out.
        const outside = listed ? undefined : await leadsOutside(file, bounds);
        if (outside) {
          log(`Not indexing ${file}: ${outside}.`);
          continue;
        }
        const read = await readCardFile(file, { knownFile: listed });
        if (read.error !== undefined) {
          // A link to a directory is not a card; anything else named like one is worth a word.
          if (!/^it is a directory/.test(read.error)) log(`Not indexing ${file}: ${read.error}.`);
        } else {
          if (!skip(uri)) index.set(factsOf(uri, read.text));
          count++;
        }
      } catch (err) {
        log(`Indexing ${file} failed: ${String(err)}`);
      }
      await nextTurn();
    }
  }
  return count;
}

/** What changes when a file is written (size, modification time, inode), or undefined when it cannot be stat'ed. */
async function stampOf(file: string): Promise<string | undefined> {
  try {
    const s = await fs.stat(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Re-reads one card file into the index as `indexFile` does, with the file's stamp when it
 * held still while it was read (`steady`: the same before and after), so that a caller can ask
 * later whether it changed since (`stillAt`). `changed`: its facts changed.
 */
export async function reindexFile(uri: string, index: WorkspaceIndex, bounds: readonly string[] = []): Promise<{ changed: boolean; stamp?: string; steady: boolean }> {
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return { changed: index.delete(uri), steady: true };
  }
  const before = await stampOf(file);
  const changed = await indexFile(uri, index, bounds);
  const after = await stampOf(file);
  return { changed, ...(after !== undefined ? { stamp: after } : {}), steady: before === after };
}

/** Whether the file at `uri` still has the stamp `reindexFile` gave. */
export async function stillAt(uri: string, stamp: string | undefined): Promise<boolean> {
  try {
    return (await stampOf(fileURLToPath(uri))) === stamp;
  } catch {
    return stamp === undefined;
  }
}

/**
 * Re-reads one card file into the index (after a file-watcher event). What is not a regular
 * card file under the size limit (a named pipe, a device, a directory) leaves the index: it is
 * never opened in a way that could block; nor does a link that leads out of `bounds` (the real
 * paths of the workspace folders).
 */
export async function indexFile(uri: string, index: WorkspaceIndex, bounds: readonly string[] = []): Promise<boolean> {
  try {
    const file = fileURLToPath(uri);
    if (await leadsOutside(file, bounds)) return index.delete(uri);
    const read = await readCardFile(file);
    return read.error === undefined ? index.set(factsOf(uri, read.text)) : index.delete(uri);
  } catch {
    return index.delete(uri);
  }
}
