// @ts-check
/** Process groups and temporary folders the runner started, killed and removed on exit no matter what. */
import { rmSync } from 'node:fs';

/** Process groups we started, killed on exit no matter what. */
/** @type {Set<import('node:child_process').ChildProcess>} */
export const liveGroups = new Set();

/**
 * @param {import('node:child_process').ChildProcess} proc
 * @param {NodeJS.Signals} sig
 */
export function killGroup(proc, sig) {
  if (!proc.pid) return;
  try {
    process.kill(-proc.pid, sig);
  } catch {
    try {
      proc.kill(sig);
    } catch {
      /* gone */
    }
  }
}

/** Temp dirs removed on exit no matter what. */
/** @type {Set<string>} */
export const tempDirs = new Set();

process.on('exit', () => {
  for (const p of liveGroups) killGroup(p, 'SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
