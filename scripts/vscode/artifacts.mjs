// @ts-check
/** What a run leaves for a person to look at: screenshots, the workbench's logs, code-server's last lines. */
import { existsSync, rmSync, readdirSync, cpSync } from 'node:fs';
import path from 'node:path';
import { log } from './util.mjs';

/**
 * @param {import('playwright-core').Page} page
 * @param {string} dir
 * @param {string} name
 */
export async function screenshot(page, dir, name) {
  const file = path.join(dir, `${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: 15_000 });
    log(`screenshot: ${file}`);
  } catch (e) {
    log(`(could not take screenshot ${name}: ${/** @type {Error} */ (e).message})`);
  }
}

/**
 * Copies the workbench/extension-host logs (user-data-dir/logs) into the artifacts.
 * @param {string} tmpRoot
 * @param {string} artifactsDir
 */
export function copyVscodeLogs(tmpRoot, artifactsDir) {
  const logs = path.join(tmpRoot, 'user-data', 'logs');
  try {
    if (existsSync(logs) && readdirSync(logs).length) {
      const dest = path.join(artifactsDir, 'vscode-logs');
      rmSync(dest, { recursive: true, force: true });
      cpSync(logs, dest, { recursive: true });
      log(`VS Code logs copied to ${dest}`);
    }
  } catch {
    /* best effort */
  }
}

/**
 * After a run that did not pass: code-server's last lines on the terminal, and the workbench's
 * logs into the artifacts.
 * @param {import('./codeServer.mjs').CodeServer | undefined} cs
 * @param {string} tmpRoot
 * @param {string} artifactsDir
 */
export function keepFailureLogs(cs, tmpRoot, artifactsDir) {
  if (cs) {
    log(`code-server log tail (full log: ${path.join(artifactsDir, 'code-server.log')}):`);
    process.stdout.write(cs.tail.lines.slice(-40).map((l) => `  | ${l}`).join('\n') + '\n');
  }
  copyVscodeLogs(tmpRoot, artifactsDir);
}
