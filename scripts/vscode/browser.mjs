// @ts-check
/** Headless Chromium, and the workbench page the tests report to (codeAutomationExit, codeAutomationLog). */
import path from 'node:path';
import { format } from 'node:util';
import { findChromium, loadPlaywright } from './install.mjs';
import { InfraError, stripAnsi } from './util.mjs';

/** Chromium flags that work on these machines (root, no GPU, no network but registries). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Without a zygote, renderers are children of the browser process and are reaped by it;
  // with one, closing the browser leaves zombies re-parented to PID 1 (which, in these
  // containers, only reaps them later). Needs --no-sandbox, which is given above.
  '--no-zygote',
];

/**
 * Launches headless Chromium.
 * @param {{ headless?: boolean, tmpDir?: string }} [o]  tmpDir: where Chromium may write its
 *   config/cache (crash-report database), instead of ~/.config/chromium
 */
export async function launchBrowser(o = {}) {
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: o.headless ?? true,
    args: CHROMIUM_ARGS,
    env: o.tmpDir
      ? { ...process.env, XDG_CONFIG_HOME: path.join(o.tmpDir, 'browser-config'), XDG_CACHE_HOME: path.join(o.tmpDir, 'browser-cache') }
      : process.env,
    timeout: 60_000,
    // Our callers clean up on signals themselves (browser, code-server, temp dirs);
    // Playwright's own handlers would kill the browser and exit the process first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  return browser;
}

// the test run

/** Workbench log lines that say nothing about the tests (shown with --verbose). */
export const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Creation of workbench contribution .* took \d+ms/,
];

/**
 * A page of `browser` that the workbench's test runner reports to: `testsDone` resolves with the
 * code of codeAutomationExit; codeAutomationLog's lines are printed (the suite's closing count
 * alone on its line, for CI logs) unless muted.
 * @param {import('playwright-core').Browser} browser
 * @param {import('./clock.mjs').Clock} clock
 * @param {boolean} verbose
 * @param {(page: import('playwright-core').Page) => void} onPage  told of the page as soon as it is open
 */
export async function openTestPage(browser, clock, verbose, onPage) {
  const { race } = clock;
  const context = await race(browser.newContext({ viewport: { width: 1400, height: 900 } }));
  const pg = await race(context.newPage());
  onPage(pg);

  /** @type {(code: number) => void} */
  let onExit = () => {};
  /** @type {Promise<number>} */
  const testsDone = new Promise((resolve) => {
    onExit = resolve;
  });
  await race(pg.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => {
    onExit(Number(code));
  }));
  let muteWorkbenchLog = false;
  await race(pg.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown} */ args) => {
    if (muteWorkbenchLog) return;
    // The extension host forwards console.* calls as (format, ...args), e.g. mocha's
    // spec reporter logs ('%s%d passing (%s)', ...): format them like console.log would.
    const text = stripAnsi(Array.isArray(args) ? format(...args) : String(args));
    if (!verbose && WORKBENCH_NOISE.some((re) => re.test(text))) return;
    for (const line of text.split('\n')) {
      // The suite's closing count ("vscode: N passed, N failed") stands alone on its line, for CI logs.
      if (/^\w+: \d+ passed, \d+ failed$/.test(line.trim())) process.stdout.write(`${line.trim()}\n`);
      else process.stdout.write(type === 'error' || type === 'warn' ? `  [${type}] ${line}\n` : `  ${line}\n`);
    }
  }));
  if (verbose) {
    pg.on('console', (m) => process.stdout.write(`[browser ${m.type()}] ${m.text()}\n`));
  }
  // beforeunload prompts (dirty editors) would block navigation: accept them.
  pg.on('dialog', (d) => d.accept().catch(() => {}));
  pg.on('pageerror', (e) => process.stdout.write(`[browser pageerror] ${e.message}\n`));
  pg.on('crash', () => clock.fire(new InfraError(`the browser page crashed in phase "${clock.phase()}"`)));
  return {
    page: pg,
    testsDone,
    /** @param {boolean} on */
    mute(on) {
      muteWorkbenchLog = on;
    },
  };
}
