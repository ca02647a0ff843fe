/**
 * What the tests of the README's editor lines (neovim.test.ts, eglot.test.ts) share: a temp
 * folder with the server on PATH under its bin's name, as `npm install -g` would put it, a copy
 * of examples/mistakes/broken.trl.yaml, and the checker's problems for that card.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';

export interface CheckerProblem {
  line: number;
  column: number;
  code: string;
  severity: string;
}

export interface EditorSetup {
  dir: string;
  /** The card, in `cards`. */
  card: string;
  cards: string;
  /** An empty home for the editor. */
  home: string;
  /** PATH with the server's bin first. */
  path: string;
  /** What the checker reports for the card (lines and columns from 1). */
  expected: CheckerProblem[];
  remove(): void;
}

export function editorSetup(prefix: string): EditorSetup {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'trl-cards-language-server'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'dist', 'server.js')}" "$@"\n`, { mode: 0o755 });
  const cards = path.join(dir, 'cards');
  fs.mkdirSync(cards);
  const card = path.join(cards, 'broken.trl.yaml');
  fs.copyFileSync(path.join(ROOT, 'examples', 'mistakes', 'broken.trl.yaml'), card);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const check = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', card], { cwd: cards, encoding: 'utf8' });
  const expected = JSON.parse(check.stdout) as CheckerProblem[];
  assert.ok(expected.length > 3, 'the card has problems to show');
  return { dir, card, cards, home, path: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, expected, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
