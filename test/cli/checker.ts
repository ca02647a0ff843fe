/** Shared by the checker's process tests: running dist/cli.js, a complete card, what must never be printed raw. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';

export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Runs the checker (through `prefix`, e.g. setpriv, when given); a hang is killed after 15 s and shows in `signal`. */
export function run(args: string[], cwd: string, prefix: string[] = [], env?: Record<string, string>) {
  const command = prefix.length ? prefix[0] : process.execPath;
  const r = spawnSync(command, [...prefix.slice(1), ...(prefix.length ? [process.execPath] : []), CLI, ...args], { cwd, encoding: 'utf8', timeout: 15_000, ...(env ? { env: { ...process.env, ...env } } : {}) });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

export interface JsonRow {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

/** A level-0 card with no problems. */
export const COMPLETE = 'technology: x\nlevel: 0\ntldr: x\nowners:\n  rnd:\n    owner: Ada\n    reviewers: [Grace]\nhypotheses:\n  - statement: x\n    references: [x]\nresearch_plan: x\n';
/** Characters a terminal acts on or that break a line (but LF, which ends lines in output). */
// eslint-disable-next-line no-control-regex -- the characters the output must not hold
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A text-format problem row. */
export const TEXT_ROW = /^[^\n]+:\d+:\d+ (?:error|warning|information) [a-z-]+ \S/;
export const posix = process.platform !== 'win32';

/** A temporary folder (readable by other users, for tests that run the checker as one), and a writer into it. */
export function tempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  return { dir, write, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
