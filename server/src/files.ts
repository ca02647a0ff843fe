/**
 * Finding card files for the checker: paths, directories and globs (picomatch: `*`, `**`, `?`,
 * `[…]`, `{a,b}`, extglobs), and the rule for what it may read: a card found by walking a
 * folder is read only when its real path is below the folders being checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { CARD_FILE, CARD_NAMES } from '../../protocol/cardFile';
import { describeFsError, isBelow, notAFile } from './workspace/read';

export { CARD_FILE, CARD_NAMES };

/** Folders never searched for cards (by the checker's walk) nor scanned or watched (by the server). */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);

/**
 * How a glob reads, as shells with `globstar` and other linters (ESLint, Prettier) read it,
 * but for dot files: `*` and `**` match names that start with a dot (the walk skips `.git`
 * and the like by name).
 */
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/** A pattern in `/`-separated form (Windows paths use `\`, which a glob would read as an escape). */
function slashed(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

export function isGlob(arg: string): boolean {
  return picomatch.scan(slashed(arg)).isGlob;
}

/** A path found but not checked, and why. */
export interface Skipped {
  path: string;
  reason: string;
}

/** The real paths of `roots` (a root that cannot be resolved stays as it is). */
export function realRoots(roots: readonly string[]): string[] {
  return roots.map((r) => {
    try {
      return fs.realpathSync.native(r);
    } catch {
      return r;
    }
  });
}

/** Whether the real path `real` is below one of `roots` (themselves real paths): the rule for every file the checker reads or writes that it was not named. */
export function insideRoots(real: string, roots: readonly string[]): boolean {
  return roots.some((r) => isBelow(real, r));
}

/** Why the checker does not read a card reached by a symbolic link that leads out of its folders. */
export function linkedOutside(real: string): string {
  return `it is a symbolic link to ${real}, outside the folders being checked, so the checker does not read it (name the file itself to check it)`;
}

/** A symbolic link to a card file found by walking: its path and where it leads. */
interface Linked {
  path: string;
  real: string;
}

/**
 * Collects the regular files below `dir` that `accept` takes, in name order. Links to
 * directories are not followed (so there are no loops); a link to a file goes to `linked` with
 * its real path, to be read only if that is below the folders being checked. What cannot be
 * listed or read, and card names that are pipes, sockets, devices or broken links, go to
 * `skipped`.
 */
function walk(dir: string, out: string[], linked: Linked[], skipped: Skipped[], accept: (file: string) => boolean): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    skipped.push({ path: dir, reason: describeFsError(err) });
    return;
  }
  names.sort((a, b) => a.name.localeCompare(b.name));
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) walk(full, out, linked, skipped, accept);
    } else if (!accept(full)) continue;
    else if (d.isFile()) out.push(full);
    else if (d.isSymbolicLink()) {
      let real: string;
      let stat: fs.Stats;
      try {
        real = fs.realpathSync.native(full);
        stat = fs.statSync(real);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        skipped.push({ path: full, reason: code === 'ENOENT' ? 'it is a symbolic link to nothing (a broken link)' : describeFsError(err) });
        continue;
      }
      if (stat.isFile()) {
        out.push(full);
        linked.push({ path: full, real });
      } else if (!stat.isDirectory()) skipped.push({ path: full, reason: notAFile(stat)! });
    } else skipped.push({ path: full, reason: d.isFIFO() ? 'it is a named pipe, not a file' : d.isSocket() ? 'it is a socket, not a file' : d.isCharacterDevice() || d.isBlockDevice() ? 'it is a device, not a file' : 'it is not a regular file' });
  }
}

export interface Found {
  /** Regular files to check (when they were listed), in order. */
  files: string[];
  /** Arguments that name nothing to check, with why: usage errors. */
  errors: { arg: string; message: string }[];
  /** Paths found that cannot be checked (unreadable directories, pipes, devices, links out of bounds…): reported, and the check goes on. */
  skipped: Skipped[];
  /** The folders being checked: each directory argument, a file argument's folder, a glob's fixed part. */
  roots: string[];
}

/**
 * The files that `args` name: a path as it is (a file named on the command line is read
 * wherever it is: the user chose it), a directory searched for card files, a glob matched
 * below its fixed part. A path that exists is a path even when it looks like a glob
 * (`cards/[draft].trl.yaml`). A file found by searching is read only when its real path is
 * below the folders being checked; a link that leads elsewhere is skipped, with the reason.
 */
export function findCards(args: readonly string[], cwd: string): Found {
  const files = new Set<string>();
  const named = new Set<string>();
  const errors: Found['errors'] = [];
  const skipped: Skipped[] = [];
  const roots = new Set<string>();
  const linked: Linked[] = [];
  const search = (arg: string, base: string, accept: (file: string) => boolean, none: string) => {
    roots.add(base);
    const hits: string[] = [];
    const before = skipped.length;
    walk(base, hits, linked, skipped, accept);
    if (hits.length === 0 && skipped.length === before) errors.push({ arg, message: none });
    hits.forEach((f) => files.add(f));
  };
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    if (isGlob(arg) && !fs.existsSync(full)) {
      const scan = picomatch.scan(slashed(arg));
      const base = path.resolve(cwd, scan.base || '.');
      const match = picomatch(scan.glob, GLOB_OPTIONS);
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(base);
      } catch {
        // no such folder: nothing matches
      }
      if (stat?.isDirectory()) search(arg, base, (f) => match(slashed(path.relative(base, f))), 'no file matches this pattern');
      else errors.push({ arg, message: 'no file matches this pattern' });
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') errors.push({ arg, message: 'no such file or directory' });
      else skipped.push({ path: full, reason: describeFsError(err) });
      continue;
    }
    if (stat.isDirectory()) search(arg, full, (f) => CARD_FILE.test(f), `no card files (${CARD_NAMES}) in this directory`);
    else if (stat.isFile()) {
      roots.add(path.dirname(full));
      files.add(full);
      named.add(full);
    } else skipped.push({ path: full, reason: notAFile(stat)! });
  }
  // Once every folder being checked is known: links found by searching that lead out of them.
  const inside = realRoots([...roots]);
  for (const l of linked) {
    if (named.has(l.path) || insideRoots(l.real, inside) || !files.has(l.path)) continue;
    files.delete(l.path);
    skipped.push({ path: l.path, reason: linkedOutside(l.real) });
  }
  return { files: [...files], errors, skipped, roots: [...roots] };
}
