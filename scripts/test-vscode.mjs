#!/usr/bin/env node
// @ts-check
/**
 * Runs an extension's mocha suite inside a REAL VS Code: code-server's web workbench
 * (VS Code 1.100.3) with its Node extension host, driven by headless Chromium through
 * playwright-core. The same suite `@vscode/test-electron` runs on a desktop (a module that
 * exports `run()`), loaded with the `extensionDevelopmentPath` / `extensionTestsPath`
 * payload. Optionally runs UI checks (a module whose default export gets the Playwright page).
 *
 * Usage:
 *   node scripts/test-vscode.mjs --extension <absdir> --tests <abs index.js> --workspace <absdir>
 *        [--artifacts <dir>] [--ui <module.mjs>] [--timeout <seconds>] [--verbose] [--keep-temp]
 *
 *   --extension  folder holding the extension's package.json (extensionDevelopmentPath)
 *   --tests      bundled mocha entry exporting run() (extensionTestsPath)
 *   --workspace  folder opened in the workbench
 *   --artifacts  where screenshots/logs go (default <repo>/test-artifacts/vscode)
 *   --ui         ESM module; `export default async ({ page, artifactsDir, workspace, helpers, log }) => {}`
 *   --timeout    overall limit in seconds after the install (default 480, or $TEST_VSCODE_TIMEOUT)
 *   --install-timeout  limit for scripts/install-code-server.sh (default 900, or
 *                $TEST_VSCODE_INSTALL_TIMEOUT); fast when already installed
 *   --verbose    also echo code-server's output and the browser console
 *   --keep-temp  keep the temporary user-data/extensions dirs
 *
 * Exit codes: 0 passed; 1 tests failed; 2 bad usage; 3 UI checks failed; 4 timed out;
 * 5 infrastructure error (install, code-server or browser failed).
 *
 * Also exports the building blocks used by scripts/start.mjs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync, statSync, cpSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, parseArgs } from 'node:util';

const SCRIPTS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(SCRIPTS_DIR, '..');
export const CS_DIR = path.join(SCRIPTS_DIR, 'code-server');
export const CS_ENTRY = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const INSTALL_SCRIPT = path.join(SCRIPTS_DIR, 'install-code-server.sh');
const STAMP = path.join(CS_DIR, 'node_modules', '.trl-install-stamp');

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

/** User settings for a quiet, deterministic workbench. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  // The web workbench defaults to auto save after a delay: typing in a UI check would
  // change the workspace's files on disk. Desktop VS Code's default is off.
  'files.autoSave': 'off',
  'window.confirmBeforeClose': 'never',
  'editor.accessibilitySupport': 'off',
};

/** Workspace trust on, no prompt: the folder, never trusted, opens in Restricted Mode. */
const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

// ---------------------------------------------------------------------------------------
// small utilities

/** @param {string} msg */
function log(msg) {
  process.stdout.write(`[test-vscode] ${msg}\n`);
}

/** @param {number} ms */
function fmt(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Keeps the last `max` lines of a stream of text. */
export class Tail {
  /** @param {number} max */
  constructor(max) {
    this.max = max;
    /** @type {string[]} */
    this.lines = [];
  }
  /** @param {string} line */
  push(line) {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  toString() {
    return this.lines.join('\n');
  }
}

/**
 * Splits a readable stream into lines.
 * @param {NodeJS.ReadableStream} stream
 * @param {(line: string) => void} onLine
 */
function onLines(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (/** @type {string} */ chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}

// ---------------------------------------------------------------------------------------
// install

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

// ---------------------------------------------------------------------------------------
// code-server

export class InfraError extends Error {}
export class TimeoutError extends Error {}

/**
 * Creates user-data and extensions dirs with quiet settings under `root`.
 * @param {string} root
 * @param {Record<string, unknown>} [extraSettings]
 */
export function prepareProfile(root, extraSettings = {}) {
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...extraSettings }, null, 2),
  );
  // A config file of our own, so code-server does not write ~/.config/code-server/config.yaml.
  const configFile = path.join(root, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  return { userDataDir, extensionsDir, configFile };
}

/**
 * @typedef {object} CodeServer
 * @property {string} baseUrl     e.g. http://127.0.0.1:41234
 * @property {number} port
 * @property {string} authority   e.g. 127.0.0.1:41234 (remote authority of vscode-remote URIs)
 * @property {import('node:child_process').ChildProcess} proc
 * @property {Tail} tail          last lines of its output
 * @property {() => Promise<void>} stop  kills its whole process group (idempotent)
 * @property {Promise<number | null>} exited
 */

/**
 * Starts code-server on 127.0.0.1 with a port chosen by the OS and resolves when it prints
 * "HTTP server listening on ..." (rejects if it exits first or `signal` aborts).
 * @param {object} o
 * @param {string} o.userDataDir
 * @param {string} o.extensionsDir
 * @param {string} o.configFile
 * @param {string} [o.folder]       folder to open by default
 * @param {number} [o.port]         0 (default) = any free port
 * @param {Record<string, string | undefined>} [o.env]
 * @param {(line: string) => void} [o.onLine]
 * @param {string} [o.logFile]      copy all output there
 * @param {boolean} [o.trust]       workspace trust on (the folder opens in Restricted Mode); off by default
 * @param {AbortSignal} [o.signal]
 * @returns {Promise<CodeServer>}
 */
export function startCodeServer(o) {
  /** @type {Record<string, string | undefined>} */
  const env = {
    ...process.env,
    // No extension gallery: this machine cannot reach open-vsx.org, and with the default
    // gallery the workbench retries it (errors in the log, ~30 s of retries at startup).
    // An empty gallery config disables the Marketplace features instead. Set
    // EXTENSIONS_GALLERY yourself to override.
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY ?? '{}',
    ...(o.env || {}),
  };
  // When started from a VS Code terminal these make code-server act as a CLI of that
  // VS Code instead of a server.
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') delete env[k];
  }
  const args = [
    CS_ENTRY,
    '--config', o.configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${o.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extensionsDir,
  ];
  if (o.folder) args.push(o.folder);
  const proc = spawn(process.execPath, args, {
    env,
    cwd: o.folder || os.tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: we kill the whole tree (extension host, watchers, pty)
  });
  const tail = new Tail(200);
  const file = o.logFile ? createWriteStream(o.logFile) : undefined;
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => proc.once('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // SIGTERM to code-server itself first, so it shuts its extension hosts down and reaps
    // them; then SIGKILL to whatever is left of its process group.
    try {
      proc.kill('SIGTERM');
    } catch {
      /* gone */
    }
    const t = setTimeout(() => killGroup(proc, 'SIGKILL'), 3000);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 4000))]);
    clearTimeout(t);
    // Children (extension host, file watcher) may outlive the main process briefly.
    killGroup(proc, 'SIGKILL');
    file?.end();
  };
  liveGroups.add(proc);
  exited.then(() => liveGroups.delete(proc));

  return new Promise((resolve, reject) => {
    let ready = false;
    const handle = (/** @type {string} */ line) => {
      tail.push(line);
      file?.write(line + '\n');
      o.onLine?.(line);
      if (!ready) {
        const m = /HTTP server listening on (http:\/\/[^\s/]+)\/?/.exec(line);
        if (m) {
          ready = true;
          const baseUrl = m[1];
          const u = new URL(baseUrl);
          resolve({ baseUrl, port: Number(u.port), authority: u.host, proc, tail, stop, exited });
        }
      }
    };
    onLines(/** @type {NodeJS.ReadableStream} */ (proc.stdout), handle);
    onLines(/** @type {NodeJS.ReadableStream} */ (proc.stderr), handle);
    proc.once('error', (e) => reject(new InfraError(`could not start code-server: ${e.message}`)));
    exited.then((code) => {
      if (!ready) reject(new InfraError(`code-server exited (code ${code}) before it was ready:\n${tail}`));
    });
    o.signal?.addEventListener('abort', () => {
      if (!ready) {
        stop();
        reject(o.signal?.reason ?? new Error('aborted'));
      }
    });
  });
}

/** Process groups we started, killed on exit no matter what. */
/** @type {Set<import('node:child_process').ChildProcess>} */
const liveGroups = new Set();

/**
 * @param {import('node:child_process').ChildProcess} proc
 * @param {NodeJS.Signals} sig
 */
function killGroup(proc, sig) {
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
const tempDirs = new Set();

process.on('exit', () => {
  for (const p of liveGroups) killGroup(p, 'SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Workbench URL that opens `folder`, loads the extension at `extensionPath` in development
 * mode and, when `testsPath` is given, runs its run() in the extension host; `openFile`: a
 * file the workbench opens in an editor at start.
 * @param {CodeServer} cs
 * @param {{ folder: string, extensionPath?: string, testsPath?: string, openFile?: string }} o
 */
export function workbenchUrl(cs, { folder, extensionPath, testsPath, openFile }) {
  const remote = (/** @type {string} */ p) => `vscode-remote://${cs.authority}${p.split(path.sep).join('/')}`;
  /** @type {[string, string][]} */
  const payload = [];
  if (extensionPath) payload.push(['extensionDevelopmentPath', remote(extensionPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  const u = new URL(cs.baseUrl + '/');
  u.searchParams.set('folder', folder);
  if (payload.length) u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

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

// ---------------------------------------------------------------------------------------
// the test run

/** Workbench log lines that say nothing about the tests (shown with --verbose). */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Creation of workbench contribution .* took \d+ms/,
];

/**
 * Strips ANSI colour codes (mocha may colour its output).
 * @param {string} s
 */
function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/** @param {string[]} argv */
function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      artifacts: { type: 'string' },
      ui: { type: 'string' },
      timeout: { type: 'string' },
      'install-timeout': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      restricted: { type: 'boolean', default: false },
      'keep-temp': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return values;
}

const USAGE =
  'usage: node scripts/test-vscode.mjs --extension <absdir> --tests <abs index.js> --workspace <absdir>\n' +
  '         [--artifacts <dir>] [--ui <module.mjs>] [--timeout <seconds>] [--install-timeout <seconds>]\n' +
  '         [--verbose] [--keep-temp] [--restricted]\n' +
  '  --restricted: workspace trust on and the folder untrusted (Restricted Mode); the tests see\n' +
  '                TRL_CARDS_TEST_TRUST=restricted';

/**
 * @param {string[]} argv
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  /** @type {ReturnType<typeof parseCli>} */
  let opts;
  try {
    opts = parseCli(argv);
  } catch (e) {
    console.error(`${/** @type {Error} */ (e).message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  for (const k of /** @type {const} */ (['extension', 'tests', 'workspace'])) {
    if (!opts[k]) {
      console.error(`missing --${k}\n${USAGE}`);
      return 2;
    }
  }
  const extension = path.resolve(/** @type {string} */ (opts.extension));
  const tests = path.resolve(/** @type {string} */ (opts.tests));
  const workspace = path.resolve(/** @type {string} */ (opts.workspace));
  const uiModule = opts.ui ? path.resolve(opts.ui) : undefined;
  const artifactsDir = path.resolve(opts.artifacts || path.join(REPO_ROOT, 'test-artifacts', 'vscode'));
  const timeoutS = Number(opts.timeout || process.env.TEST_VSCODE_TIMEOUT || 480);
  const installTimeoutS = Number(opts['install-timeout'] || process.env.TEST_VSCODE_INSTALL_TIMEOUT || 900);
  if (!(timeoutS > 0) || !(installTimeoutS > 0)) {
    console.error(`--timeout / --install-timeout must be positive numbers of seconds\n${USAGE}`);
    return 2;
  }
  const verbose = !!opts.verbose;
  for (const [what, p, kind] of /** @type {const} */ ([
    ['--extension', extension, 'dir'],
    ['--tests', tests, 'file'],
    ['--workspace', workspace, 'dir'],
  ])) {
    if (!existsSync(p) || (kind === 'dir') !== statSync(p).isDirectory()) {
      console.error(`${what} ${p}: not an existing ${kind === 'dir' ? 'folder' : 'file'}`);
      return 2;
    }
  }
  if (!existsSync(path.join(extension, 'package.json'))) {
    console.error(`--extension ${extension}: no package.json there`);
    return 2;
  }
  if (uiModule && !existsSync(uiModule)) {
    console.error(`--ui ${uiModule}: no such file`);
    return 2;
  }
  mkdirSync(artifactsDir, { recursive: true });

  const t0 = Date.now();
  /** @type {Record<string, number>} */
  const timings = {};
  let phase = 'install';
  let phaseStart = t0;
  const enter = (/** @type {string} */ p) => {
    timings[phase] = Date.now() - phaseStart;
    phase = p;
    phaseStart = Date.now();
  };

  // One deadline for the whole run; every await below races against it.
  /** @type {(e: Error) => void} */
  let fireDeadline = () => {};
  /** @type {Promise<never>} */
  const deadline = new Promise((_, reject) => {
    fireDeadline = reject;
  });
  deadline.catch(() => {});
  // The clock starts once code-server is installed (a first install has its own limit).
  /** @type {NodeJS.Timeout | undefined} */
  let deadlineTimer;
  const startClock = () => {
    deadlineTimer = setTimeout(() => {
      fireDeadline(new TimeoutError(`timed out after ${timeoutS} s (--timeout / $TEST_VSCODE_TIMEOUT, counted after the install) in phase "${phase}" (${fmt(Date.now() - phaseStart)} in that phase)`));
    }, timeoutS * 1000);
  };
  /**
   * @template T
   * @param {Promise<T>} p
   * @returns {Promise<T>}
   */
  const race = (p) => Promise.race([p, deadline]);

  // Ctrl+C / SIGTERM: clean up, then exit.
  let interrupted = false;
  const onSignal = (/** @type {NodeJS.Signals} */ sig) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    fireDeadline(new Error(`interrupted by ${sig} in phase "${phase}"`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // An extension host that dies abnormally never reports the tests' end: fail fast
  // (after a grace period in which codeAutomationExit may still come).
  /** @type {NodeJS.Timeout | undefined} */
  let crashTimer;
  /** @type {string | undefined} */
  let crashedDuringTests;
  /** @type {() => void} */
  let extHostExitSeen = () => {};
  /** Resolves when code-server logs that the tests' extension host exited. */
  const extHostExited = new Promise((resolve) => {
    extHostExitSeen = () => resolve(undefined);
  });
  const extHostCrashed = (/** @type {string} */ how) => {
    log(`the extension host exited abnormally (${how})`);
    if (phase === 'extension tests') crashedDuringTests = how;
    if (!crashTimer && phase === 'extension tests') {
      crashTimer = setTimeout(() => fireDeadline(new InfraError(`the extension host exited abnormally (${how}) during the tests`)), 10_000);
    }
  };

  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'trl-vscode-'));
  if (!opts['keep-temp']) tempDirs.add(tmpRoot);
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
    await race(ensureInstalled({ timeoutS: installTimeoutS, signal: installAbort.signal })).catch((e) => {
      installAbort.abort(e);
      throw e;
    });
    startClock();

    // ---- code-server
    enter('start code-server');
    const restricted = !!opts.restricted;
    const profile = prepareProfile(tmpRoot, restricted ? RESTRICTED_SETTINGS : {});
    const csLog = path.join(artifactsDir, 'code-server.log');
    cs = await race(
      startCodeServer({
        ...profile,
        folder: workspace,
        logFile: csLog,
        // Keep code-server's own files (coder-logs, ...) out of $HOME.
        // TRL_TEST_ARTIFACTS: where the tests write what they measured (preview-perf.json, read by scripts/bench/preview.mjs).
        env: { XDG_DATA_HOME: path.join(tmpRoot, 'xdg-data'), XDG_CACHE_HOME: path.join(tmpRoot, 'xdg-cache'), TRL_TEST_ARTIFACTS: artifactsDir, ...(restricted ? { TRL_CARDS_TEST_TRUST: 'restricted' } : {}) },
        trust: restricted,
        onLine: (l) => {
          if (verbose) process.stdout.write(`[code-server] ${l}\n`);
          const m = /Extension Host Process exited with code: (\S+), signal: (\S+)\./.exec(l);
          if (m) {
            if (m[1] !== '0' || m[2] !== 'null') extHostCrashed(`code ${m[1]}, signal ${m[2]}`);
            if (phase === 'extension tests') extHostExitSeen();
          }
        },
      }),
    );
    log(`code-server ready at ${cs.baseUrl} (${fmt(Date.now() - phaseStart)})`);

    // ---- browser
    enter('launch browser');
    browser = await race(launchBrowser({ tmpDir: tmpRoot }));
    const context = await race(browser.newContext({ viewport: { width: 1400, height: 900 } }));
    page = await race(context.newPage());
    const pg = page;

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
    pg.on('crash', () => fireDeadline(new InfraError(`the browser page crashed in phase "${phase}"`)));

    // ---- workbench + tests
    enter('load workbench');
    const url = workbenchUrl(cs, { folder: workspace, extensionPath: extension, testsPath: tests });
    log(`opening workbench: ${url}`);
    await race(pg.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 }));
    await race(pg.locator('.monaco-workbench').first().waitFor({ state: 'attached', timeout: 0 }));
    log(`workbench loaded (${fmt(Date.now() - phaseStart)}); running the extension tests`);
    enter('extension tests');
    testsExit = await race(Promise.race([
      testsDone,
      cs.exited.then((code) => {
        throw new InfraError(`code-server exited (code ${code}) while the tests ran`);
      }),
    ]));
    // In test mode the extension host exits right after the run (code 0). Wait for that
    // line (bounded): if it died instead, the web workbench still reports 0.
    await race(Promise.race([extHostExited, new Promise((r) => setTimeout(r, 5_000))]));
    clearTimeout(crashTimer);
    if (crashedDuringTests && testsExit === 0) {
      // The web workbench reports 0 when the extension host dies mid-run: not a pass.
      log(`codeAutomationExit(0) came, but the extension host died during the tests (${crashedDuringTests}): counting it as a failure`);
      testsExit = 1;
    }
    const how = crashedDuringTests ? `extension host died: ${crashedDuringTests}` : `codeAutomationExit(${testsExit})`;
    log(`extension tests ${testsExit === 0 ? 'PASSED' : `FAILED (${how})`} in ${fmt(Date.now() - phaseStart)}`);
    if (testsExit !== 0) {
      await screenshot(pg, artifactsDir, 'tests-failed');
      exitCode = 1;
    } else {
      exitCode = 0;
    }

    // ---- UI checks
    if (uiModule) {
      // When the tests end, the workbench shuts its extension host down (test mode). For the
      // UI checks, reload the workbench with the extension in development mode and no tests:
      // a live extension host, as a person using the extension would have.
      enter('ui workbench');
      muteWorkbenchLog = !verbose;
      const uiUrl = workbenchUrl(cs, { folder: workspace, extensionPath: extension });
      log(`reopening the workbench without tests for the UI checks: ${uiUrl}`);
      await race(pg.goto(uiUrl, { waitUntil: 'domcontentloaded', timeout: 0 }));
      const ui = await import(pathToFileURL(path.join(SCRIPTS_DIR, 'vscode-ui.mjs')).href);
      await race(ui.waitForWorkbench(pg, { timeout: 0 }));
      enter('ui checks');
      log(`running UI checks from ${uiModule}`);
      const helpers = ui;
      const mod = await import(pathToFileURL(uiModule).href);
      if (typeof mod.default !== 'function') throw new InfraError(`--ui ${uiModule}: no default export function`);
      try {
        await race(Promise.resolve(mod.default({ page: pg, artifactsDir, workspace, helpers, log: (/** @type {string} */ m) => log(`ui: ${m}`) })));
        log(`UI checks passed (${fmt(Date.now() - phaseStart)})`);
      } catch (e) {
        if (e instanceof TimeoutError) throw e;
        log(`UI checks FAILED: ${/** @type {Error} */ (e)?.stack || e}`);
        await screenshot(pg, artifactsDir, 'ui-failed');
        if (exitCode === 0) exitCode = 3;
      }
    }
    enter('done');
  } catch (e) {
    const err = /** @type {Error} */ (e);
    if (interrupted) {
      exitCode = 130;
      log(`ERROR: ${err.message}`);
    } else if (err instanceof TimeoutError) {
      exitCode = 4;
      log(`ERROR: ${err.message}`);
    } else {
      exitCode = exitCode === 0 || exitCode === 5 ? 5 : exitCode;
      log(`ERROR in phase "${phase}": ${err?.stack || err}`);
    }
    if (page) await screenshot(page, artifactsDir, `failure-${phase.replace(/\W+/g, '-')}`);
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(crashTimer);
    if (exitCode !== 0) {
      if (cs) {
        log(`code-server log tail (full log: ${path.join(artifactsDir, 'code-server.log')}):`);
        process.stdout.write(cs.tail.lines.slice(-40).map((l) => `  | ${l}`).join('\n') + '\n');
      }
      copyVscodeLogs(tmpRoot, artifactsDir);
    }
    // Always clean up, each step bounded in time.
    if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    if (cs) await cs.stop();
    if (!opts['keep-temp']) rmSync(tmpRoot, { recursive: true, force: true });
    else log(`kept temp dir ${tmpRoot}`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  timings[phase] = Date.now() - phaseStart;
  log(`timings: ${Object.entries(timings).filter(([k]) => k !== 'done').map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; total ${fmt(Date.now() - t0)}`);
  const verdict = { 130: 'INTERRUPTED', 0: 'PASSED', 1: 'FAILED (extension tests)', 2: 'bad usage', 3: 'FAILED (UI checks)', 4: 'TIMED OUT', 5: 'ERROR (infrastructure)' }[exitCode];
  log(`result: ${verdict}; exit ${exitCode}; artifacts in ${artifactsDir}`);
  return exitCode;
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} dir
 * @param {string} name
 */
async function screenshot(page, dir, name) {
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
function copyVscodeLogs(tmpRoot, artifactsDir) {
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

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(5);
    },
  );
}
