// @ts-check
/** Where code-server lives (scripts/code-server), its install (scripts/install-code-server.sh), Chromium and playwright-core. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveGroups, killGroup } from './cleanup.mjs';
import { InfraError, TimeoutError } from './util.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCRIPTS_DIR = path.resolve(HERE, '..');
export const REPO_ROOT = path.resolve(SCRIPTS_DIR, '..');
export const CS_DIR = path.join(SCRIPTS_DIR, 'code-server');
export const CS_ENTRY = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const INSTALL_SCRIPT = path.join(SCRIPTS_DIR, 'install-code-server.sh');
export const STAMP = path.join(CS_DIR, 'node_modules', '.trl-install-stamp');

/** True when scripts/code-server looks installed (the install script does the real check). */
export function looksInstalled() {
  return existsSync(STAMP) && existsSync(CS_ENTRY) && existsSync(path.join(CS_DIR, 'node_modules', 'playwright-core', 'package.json'));
}

/**
 * Runs scripts/install-code-server.sh (fast when already installed), its output on stderr
 * so it does not mix with test output. Rejects after `timeoutS` seconds (killing it), or
 * when `signal` aborts.
 * @param {{ timeoutS?: number, signal?: AbortSignal }} [o]
 * @returns {Promise<number>} milliseconds it took
 */
export function ensureInstalled(o = {}) {
  const started = Date.now();
  const timeoutS = o.timeoutS ?? 900;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [INSTALL_SCRIPT], { stdio: ['ignore', process.stderr, process.stderr], detached: true });
    liveGroups.add(child);
    const fail = (/** @type {Error} */ e) => {
      killGroup(child, 'SIGKILL');
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new TimeoutError(`timed out after ${timeoutS} s in phase "install" (scripts/install-code-server.sh; limit: --install-timeout / $TEST_VSCODE_INSTALL_TIMEOUT)`)),
      timeoutS * 1000,
    );
    o.signal?.addEventListener('abort', () => fail(o.signal?.reason ?? new Error('aborted')));
    child.once('error', (e) => fail(new InfraError(`could not run install-code-server.sh: ${e.message}`)));
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      liveGroups.delete(child);
      if (code === 0) resolve(Date.now() - started);
      else reject(new InfraError(`install-code-server.sh failed (exit ${code ?? sig}); see its output above`));
    });
  });
}

/** Locates a Chromium/Chrome binary. */
export function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ].filter(Boolean);
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new InfraError(`no Chromium found (tried ${candidates.join(', ')}); run scripts/install-code-server.sh or set CHROMIUM_PATH`);
}

/** Loads playwright-core from scripts/code-server/node_modules. */
export function loadPlaywright() {
  const require = createRequire(path.join(CS_DIR, 'package.json'));
  return /** @type {typeof import('playwright-core')} */ (require('playwright-core'));
}

// code-server
