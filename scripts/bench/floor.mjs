// The parse floor: `yaml`.parseDocument of a card alone, cold (a fresh process) and warm.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { run } from './run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

/** The parse floor, cold: one `yaml`.parseDocument of the file in a fresh process (parse-once.cjs). */
export async function parseCold(file) {
  const out = await run(process.execPath, [path.join(HERE, 'parse-once.cjs'), file]);
  if (out.code !== 0) throw new Error(`parse-once failed: ${out.stderr}`);
  return JSON.parse(out.stdout).ms[0];
}

/** The parse floor, warm: `yaml`.parseDocument in this (warmed-up) process. */
export function parseWarm(text) {
  const { parseDocument } = require('yaml');
  const t0 = performance.now();
  parseDocument(text);
  return performance.now() - t0;
}
