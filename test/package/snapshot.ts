/** The working tree as a fresh clone has it, for the package tests: pre-commit and npm see what a commit would hold. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

/** The environment without git's variables (set when the tests run from a git hook), for git and the tools that run it. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs git in `cwd` with a fixed identity; returns its output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=trl-cards tests', '-c', 'user.email=tests@trl-cards.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: cleanEnv(), encoding: 'utf8' });
}

/**
 * Copies every file of the working tree that git tracks or would add (untracked and not
 * ignored: no node_modules, no dist) into `dir`, commits it there as a new repository, and
 * returns the commit. What pre-commit clones and `npm pack` packs is then this working tree,
 * uncommitted changes and new files included, as a fresh clone of it would be.
 */
export function snapshot(dir: string): string {
  const files = git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted, not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.cpSync(from, path.join(dir, file), { preserveTimestamps: true, verbatimSymlinks: true });
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the working tree of trl-cards, for the package tests');
  return git(dir, 'rev-parse', 'HEAD').trim();
}
