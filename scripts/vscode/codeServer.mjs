// @ts-check
/** code-server: a quiet profile (user data, settings), the server started and stopped, and the workbench URL that loads an extension and its tests. */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { liveGroups, killGroup } from './cleanup.mjs';
import { CS_ENTRY } from './install.mjs';
import { Tail, onLines, InfraError } from './util.mjs';

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
export const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

// small utilities

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
