/** The checker's index of cards on disk, for the rules across cards. */
import * as fs from 'fs';
import { fileURLToPath } from 'url';
import { CARD_FILE, CARD_NAMES, insideRoots, realRoots } from '../files';
import { WorkspaceIndex, type CardFacts } from '../languageService';
import { uriKey } from '../workspace/index';
import { describeFsError, isBelow, readCardFileSync } from '../workspace/read';
import { factsOf } from '../workspace/scan';
import { INTERNAL } from './format';

const OUTSIDE = 'it is outside the folders being checked, so the checker does not read it: check a folder that holds both cards';

/**
 * The checker's index: the cards being checked, plus any card named by path that is safe to
 * read (read on first use): a regular file named like a card (`*.trl.yaml`, `*.trl.yml`),
 * below the folders being checked (also once symbolic links are followed), under the size
 * limit. For the rest it says why (`whyMissing`), for the problem on the entry that names it.
 */
export class DiskIndex extends WorkspaceIndex {
  private readonly tried = new Set<string>();
  private readonly refused = new Map<string, string>();
  private readonly realRoots: string[];
  constructor(private readonly roots: readonly string[]) {
    super();
    this.complete = true;
    this.realRoots = realRoots(roots);
  }
  override byUri(uri: string): CardFacts | undefined {
    const known = super.byUri(uri);
    const key = uriKey(uri);
    if (known || this.tried.has(key)) return known;
    this.tried.add(key);
    const why = this.read(uri);
    if (why !== undefined) this.refused.set(key, why);
    return super.byUri(uri);
  }
  whyMissing(uri: string): string | undefined {
    return this.refused.get(uriKey(uri));
  }
  /** Reads the card at `uri` into the index; returns why not, when there is more to say than "no such file". */
  private read(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    if (!CARD_FILE.test(file)) return `it is not a card file: card files are named ${CARD_NAMES}`;
    if (!this.roots.some((r) => isBelow(file, r))) return OUTSIDE;
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : describeFsError(err);
    }
    if (!insideRoots(real, this.realRoots)) return `${OUTSIDE} (a symbolic link leads there)`;
    const read = readCardFileSync(real);
    if (read.error !== undefined) return read.missing ? undefined : read.error;
    try {
      this.set(factsOf(uri, read.text));
    } catch {
      return INTERNAL;
    }
    return undefined;
  }
}
