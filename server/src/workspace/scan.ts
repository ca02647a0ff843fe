/**
 * Card files on disk for the language server's Node runtime (main.ts): listing the card files
 * below a folder, and a file's stamp. The index is kept from them by host/indexing.ts.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { CARD_FILE, SKIP_DIRS } from '../files';

export { factsOf, plainFactsOf } from './facts';

/** The card files below `dir`: regular files (`listed`: the listing said so) and symbolic links, which reading checks. */
export async function* cardFiles(dir: string, onDirectory?: (dir: string) => void): AsyncGenerator<{ file: string; listed: boolean }> {
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

/** What changes when a file is written (size, modification time, inode), or undefined when it cannot be stat'ed. */
export async function stampOf(file: string): Promise<string | undefined> {
  try {
    const s = await fs.stat(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** Where `file` really is, links resolved; undefined when it cannot be resolved. */
export async function realPathOf(file: string): Promise<string | undefined> {
  try {
    return await fs.realpath(file);
  } catch {
    return undefined;
  }
}
