// @ts-check
/**
 * The UI checks (--ui): a module whose default export gets the page, run in a workbench with a
 * live extension host. When the tests end, the workbench shuts its extension host down (test
 * mode); so the workbench is reloaded with the extension in development mode and no tests, as a
 * person using the extension would have it.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { screenshot } from './artifacts.mjs';
import { workbenchUrl } from './codeServer.mjs';
import { InfraError, TimeoutError, fmt, log } from './util.mjs';

const SCRIPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs the checks; false when they failed (a screenshot taken). A timeout or a module without a
 * default export function throws.
 * @param {{ page: import('playwright-core').Page, cs: import('./codeServer.mjs').CodeServer, clock: import('./clock.mjs').Clock,
 *   uiModule: string, workspace: string, extension: string, artifactsDir: string }} o
 * @returns {Promise<boolean>}
 */
export async function runUiChecks({ page: pg, cs, clock, uiModule, workspace, extension, artifactsDir }) {
  const { race } = clock;
  const uiUrl = workbenchUrl(cs, { folder: workspace, extensionPath: extension });
  log(`reopening the workbench without tests for the UI checks: ${uiUrl}`);
  await race(pg.goto(uiUrl, { waitUntil: 'domcontentloaded', timeout: 0 }));
  const ui = await import(pathToFileURL(path.join(SCRIPTS_DIR, 'vscode-ui.mjs')).href);
  await race(ui.waitForWorkbench(pg, { timeout: 0 }));
  clock.enter('ui checks');
  log(`running UI checks from ${uiModule}`);
  const helpers = ui;
  const mod = await import(pathToFileURL(uiModule).href);
  if (typeof mod.default !== 'function') throw new InfraError(`--ui ${uiModule}: no default export function`);
  try {
    await race(Promise.resolve(mod.default({ page: pg, artifactsDir, workspace, helpers, log: (/** @type {string} */ m) => log(`ui: ${m}`) })));
    log(`UI checks passed (${fmt(Date.now() - clock.phaseStart())})`);
    return true;
  } catch (e) {
    if (e instanceof TimeoutError) throw e;
    log(`UI checks FAILED: ${/** @type {Error} */ (e)?.stack || e}`);
    await screenshot(pg, artifactsDir, 'ui-failed');
    return false;
  }
}
