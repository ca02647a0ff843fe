/** Finding card files for the checker: paths, directories and simple globs (`*`, `**`, `?`). */
import * as fs from 'fs';
import * as path from 'path';
import { describeFsError, notAFile } from './workspace/read';

export const CARD_FILE = /\.trl\.ya?ml$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

export function isGlob(arg: string): boolean {
  return /[*?[\]{}]/.test(arg);
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** A path found but not checked, and why. */
export interface Skipped {
  path: string;
  reason: string;
}

/**
 * Collects the regular files below `dir` that `accept` takes, in name order. A symbolic link
 * to a file is followed (links to directories are not, so there are no loops); what cannot be
 * listed or read, and card names that are pipes, sockets or devices, go to `skipped`.
 */
function walk(dir: string, out: string[], skipped: Skipped[], accept: (file: string) => boolean): void {
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
      if (!SKIP_DIRS.has(d.name)) walk(full, out, skipped, accept);
    } else if (!accept(full)) continue;
    else if (d.isFile()) out.push(full);
    else if (d.isSymbolicLink()) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        skipped.push({ path: full, reason: code === 'ENOENT' ? 'it is a symbolic link to nothing (a broken link)' : describeFsError(err) });
        continue;
      }
      if (stat.isFile()) out.push(full);
      else if (!stat.isDirectory()) skipped.push({ path: full, reason: notAFile(stat)! });
    } else skipped.push({ path: full, reason: d.isFIFO() ? 'it is a named pipe, not a file' : d.isSocket() ? 'it is a socket, not a file' : d.isCharacterDevice() || d.isBlockDevice() ? 'it is a device, not a file' : 'it is not a regular file' });
  }
}

export interface Found {
  /** Regular files to check (when they were listed), in order. */
  files: string[];
  /** Arguments that name nothing to check, with why: usage errors. */
  errors: { arg: string; message: string }[];
  /** Paths found that cannot be checked (unreadable directories, pipes, devices…): reported, and the check goes on. */
  skipped: Skipped[];
  /** The folders being checked: each directory argument, a file argument's folder, a glob's fixed part. */
  roots: string[];
}

export function findCards(args: readonly string[], cwd: string): Found {
  const files = new Set<string>();
  const errors: Found['errors'] = [];
  const skipped: Skipped[] = [];
  const roots = new Set<string>();
  for (const arg of args) {
    if (isGlob(arg)) {
      const norm = arg.split(path.sep).join('/');
      const staticPart = norm.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some(isGlob));
      const base = path.resolve(cwd, staticPart.join('/') || '.');
      const matcher = globToRegExp(path.resolve(cwd, norm).split(path.sep).join('/'));
      const hits: string[] = [];
      const before = skipped.length;
      if (fs.existsSync(base)) {
        roots.add(base);
        walk(base, hits, skipped, (f) => matcher.test(f.split(path.sep).join('/')));
      }
      if (hits.length === 0 && skipped.length === before) errors.push({ arg, message: 'no file matches this pattern' });
      hits.forEach((f) => files.add(f));
      continue;
    }
    const full = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') errors.push({ arg, message: 'no such file or directory' });
      else skipped.push({ path: full, reason: describeFsError(err) });
      continue;
    }
    if (stat.isDirectory()) {
      roots.add(full);
      const hits: string[] = [];
      const before = skipped.length;
      walk(full, hits, skipped, (f) => CARD_FILE.test(f));
      if (hits.length === 0 && skipped.length === before) errors.push({ arg, message: 'no card files (*.trl.yaml, *.trl.yml) in this directory' });
      hits.forEach((f) => files.add(f));
    } else if (stat.isFile()) {
      roots.add(path.dirname(full));
      files.add(full);
    } else skipped.push({ path: full, reason: notAFile(stat)! });
  }
  return { files: [...files], errors, skipped, roots: [...roots] };
}
