// @ts-check
/**
 * One run of an extension's tests (and UI checks) in code-server: install, start code-server,
 * launch the browser, load the workbench with the tests, wait for their end, run the UI checks,
 * clean up, and say how it went (the exit code).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keepFailureLogs, screenshot } from './artifacts.mjs';
import { launchBrowser, openTestPage } from './browser.mjs';
import { tempDirs } from './cleanup.mjs';
import { startClock } from './clock.mjs';
import { RESTRICTED_SETTINGS, prepareProfile, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { watchExtensionHost } from './extensionHost.mjs';
import { ensureInstalled, looksInstalled } from './install.mjs';
import { readOptions } from './options.mjs';
import { runUiChecks } from './uiChecks.mjs';
import { InfraError, TimeoutError, fmt, log } from './util.mjs';

/** @typedef {import('./codeServer.mjs').CodeServer} CodeServer */

/** What each exit code means, in the run's last line. */
const VERDICTS = { 130: 'INTERRUPTED', 0: 'PASSED', 1: 'FAILED (extension tests)', 2: 'bad usage', 3: 'FAILED (UI checks)', 4: 'TIMED OUT', 5: 'ERROR (infrastructure)' };

/**
 * @param {string[]} argv
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  const o = readOptions(argv);
  if (typeof o === 'number') return o;
  const { extension, tests, workspace, uiModule, artifactsDir, verbose } = o;
  mkdirSync(artifactsDir, { recursive: true });

  const t0 = Date.now();
  const clock = startClock(o.timeoutS);
  const { race } = clock;
  const extHost = watchExtensionHost(clock);

  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'trl-vscode-'));
  if (!o.keepTemp) tempDirs.add(tmpRoot);
  /** @type {CodeServer | undefined} */
  let cs;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  let exitCode = 5;
  /** @type {number | undefined} */
  let testsExit;

  try {
    // ---- install
    log(`installing/checking code-server (${looksInstalled() ? 'installed' : 'not installed yet, ~1-2 min'})`);
    const installAbort = new AbortController();
    await race(ensureInstalled({ timeoutS: o.installTimeoutS, signal: installAbort.signal })).catch((e) => {
      installAbort.abort(e);
      throw e;
    });
    clock.start();

    // ---- code-server
    clock.enter('start code-server');
    const profile = prepareProfile(tmpRoot, o.restricted ? RESTRICTED_SETTINGS : {});
    cs = await race(
      startCodeServer({
        ...profile,
        folder: workspace,
        logFile: path.join(artifactsDir, 'code-server.log'),
        // Keep code-server's own files (coder-logs, ...) out of $HOME.
        // TRL_TEST_ARTIFACTS: where the tests write what they measured (preview-perf.json, read by scripts/bench/preview.mjs).
        env: {
          XDG_DATA_HOME: path.join(tmpRoot, 'xdg-data'),
          XDG_CACHE_HOME: path.join(tmpRoot, 'xdg-cache'),
          TRL_TEST_ARTIFACTS: artifactsDir,
          ...(o.restricted ? { TRL_CARDS_TEST_TRUST: 'restricted' } : {}),
        },
        trust: o.restricted,
        onLine: (l) => {
          if (verbose) process.stdout.write(`[code-server] ${l}\n`);
          extHost.onLine(l);
        },
      }),
    );
    log(`code-server ready at ${cs.baseUrl} (${fmt(Date.now() - clock.phaseStart())})`);

    // ---- browser
    clock.enter('launch browser');
    browser = await race(launchBrowser({ tmpDir: tmpRoot }));
    const testPage = await openTestPage(browser, clock, verbose, (p) => {
      page = p;
    });
    const pg = testPage.page;

    // ---- workbench + tests
    clock.enter('load workbench');
    const url = workbenchUrl(cs, { folder: workspace, extensionPath: extension, testsPath: tests });
    log(`opening workbench: ${url}`);
    await race(pg.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 }));
    await race(pg.locator('.monaco-workbench').first().waitFor({ state: 'attached', timeout: 0 }));
    log(`workbench loaded (${fmt(Date.now() - clock.phaseStart())}); running the extension tests`);
    clock.enter('extension tests');
    const server = cs;
    testsExit = await race(Promise.race([
      testPage.testsDone,
      server.exited.then((code) => {
        throw new InfraError(`code-server exited (code ${code}) while the tests ran`);
      }),
    ]));
    // In test mode the extension host exits right after the run (code 0). Wait for that
    // line (bounded): if it died instead, the web workbench still reports 0.
    await race(Promise.race([extHost.exited, new Promise((r) => setTimeout(r, 5_000))]));
    extHost.clear();
    const crashed = extHost.crashedDuringTests();
    if (crashed && testsExit === 0) {
      // The web workbench reports 0 when the extension host dies mid-run: not a pass.
      log(`codeAutomationExit(0) came, but the extension host died during the tests (${crashed}): counting it as a failure`);
      testsExit = 1;
    }
    const how = crashed ? `extension host died: ${crashed}` : `codeAutomationExit(${testsExit})`;
    log(`extension tests ${testsExit === 0 ? 'PASSED' : `FAILED (${how})`} in ${fmt(Date.now() - clock.phaseStart())}`);
    if (testsExit !== 0) {
      await screenshot(pg, artifactsDir, 'tests-failed');
      exitCode = 1;
    } else {
      exitCode = 0;
    }

    // ---- UI checks
    if (uiModule) {
      clock.enter('ui workbench');
      testPage.mute(!verbose);
      const passed = await runUiChecks({ page: pg, cs, clock, uiModule, workspace, extension, artifactsDir });
      if (!passed && exitCode === 0) exitCode = 3;
    }
    clock.enter('done');
  } catch (e) {
    const err = /** @type {Error} */ (e);
    if (clock.interrupted()) {
      exitCode = 130;
      log(`ERROR: ${err.message}`);
    } else if (err instanceof TimeoutError) {
      exitCode = 4;
      log(`ERROR: ${err.message}`);
    } else {
      exitCode = exitCode === 0 || exitCode === 5 ? 5 : exitCode;
      log(`ERROR in phase "${clock.phase()}": ${err?.stack || err}`);
    }
    if (page) await screenshot(page, artifactsDir, `failure-${clock.phase().replace(/\W+/g, '-')}`);
  } finally {
    clock.clear();
    extHost.clear();
    if (exitCode !== 0) keepFailureLogs(cs, tmpRoot, artifactsDir);
    // Always clean up, each step bounded in time.
    if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    if (cs) await cs.stop();
    if (!o.keepTemp) rmSync(tmpRoot, { recursive: true, force: true });
    else log(`kept temp dir ${tmpRoot}`);
  }
  const timings = clock.stop();
  log(`timings: ${Object.entries(timings).filter(([k]) => k !== 'done').map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; total ${fmt(Date.now() - t0)}`);
  log(`result: ${VERDICTS[exitCode]}; exit ${exitCode}; artifacts in ${artifactsDir}`);
  return exitCode;
}
