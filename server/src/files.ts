/** Finding card files for the checker: paths, directories and simple globs (`*`, `**`, `?`). */
import * as fs from 'fs';
import * as path from 'path';

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

function walk(dir: string, out: string[], accept: (file: string) => boolean): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  names.sort((a, b) => a.name.localeCompare(b.name));
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) walk(full, out, accept);
    } else if (d.isFile() && accept(full)) out.push(full);
  }
}

export interface Found {
  files: string[];
  /** Arguments that named nothing readable, with why. */
  errors: string[];
}

export function findCards(args: readonly string[], cwd: string): Found {
  const files = new Set<string>();
  const errors: string[] = [];
  for (const arg of args) {
    if (isGlob(arg)) {
      const norm = arg.split(path.sep).join('/');
      const staticPart = norm.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some(isGlob));
      const base = path.resolve(cwd, staticPart.join('/') || '.');
      const matcher = globToRegExp(path.resolve(cwd, norm).split(path.sep).join('/'));
      const hits: string[] = [];
      walk(base, hits, (f) => matcher.test(f.split(path.sep).join('/')));
      if (hits.length === 0) errors.push(`${arg}: no file matches this pattern`);
      hits.forEach((f) => files.add(f));
      continue;
    }
    const full = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(`${arg}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? String(err)})`}`);
      continue;
    }
    if (stat.isDirectory()) {
      const hits: string[] = [];
      walk(full, hits, (f) => CARD_FILE.test(f));
      if (hits.length === 0) errors.push(`${arg}: no card files (*.trl.yaml, *.trl.yml) in this directory`);
      hits.forEach((f) => files.add(f));
    } else files.add(full);
  }
  return { files: [...files], errors };
}
