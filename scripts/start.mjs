#!/usr/bin/env node
// @ts-check
/**
 * Demo launcher (`npm start`): opens the examples/ folder in VS Code with this extension
 * loaded. Expects the extension to be built already (`npm run build`).
 *
 *  - If a `code` command is on PATH (desktop VS Code): runs
 *      code --extensionDevelopmentPath=<repo> <repo>/examples
 *  - Otherwise (these machines): starts code-server (installed on demand by
 *    scripts/install-code-server.sh) with the extension installed into a fresh, temporary
 *    extensions dir (a symlink to the repo, so a rebuild + "Developer: Reload Window" picks
 *    up changes), and prints the URL to open. Runs until Ctrl+C, then cleans up.
 *
 * Options:
 *   --web              use code-server even if `code` is on PATH
 *   --port <n>         port for code-server (default 8080, or $PORT; another free port if taken)
 *   --extension <dir>  extension folder (default: the repo root)
 *   --folder <dir>     folder to open (default: <repo>/examples)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, ensureInstalled, looksInstalled, prepareProfile, startCodeServer } from './test-vscode.mjs';

/** @param {string} msg */
const log = (msg) => process.stdout.write(`[start] ${msg}\n`);

const { values: opts } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    port: { type: 'string' },
    extension: { type: 'string' },
    folder: { type: 'string' },
  },
  strict: true,
});

const extension = path.resolve(opts.extension ?? REPO_ROOT);
const folder = path.resolve(opts.folder ?? path.join(REPO_ROOT, 'examples'));

/** @returns {{ id: string, dirName: string, main?: string }} */
function readManifest() {
  const pkgFile = path.join(extension, 'package.json');
  if (!existsSync(pkgFile)) throw new Error(`${extension} has no package.json`);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  return { id: `${pkg.publisher}.${pkg.name}`, dirName: `${pkg.publisher}.${pkg.name}-${pkg.version}`, main: pkg.main };
}

/** @param {string} cmd */
function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Resolves `preferred` if it is free on `host`, else a free port the OS picks.
 * @param {string} host
 * @param {number} preferred
 * @returns {Promise<number>}
 */
function pickPort(host, preferred) {
  const tryListen = (/** @type {number} */ port) =>
    new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(undefined));
      srv.listen(port, host, () => {
        const a = srv.address();
        const p = a && typeof a === 'object' ? a.port : undefined;
        srv.close(() => resolve(p));
      });
    });
  return tryListen(preferred).then((p) => (p !== undefined ? /** @type {number} */ (p) : /** @type {Promise<number>} */ (tryListen(0))));
}

async function main() {
  const manifest = readManifest();
  if (manifest.main && !existsSync(path.resolve(extension, manifest.main))) {
    log(`${manifest.main} is missing in ${extension}: build the extension first (npm run build).`);
    return 1;
  }
  if (!existsSync(folder)) {
    log(`folder to open does not exist: ${folder}`);
    return 1;
  }

  // ---- desktop VS Code
  if (!opts.web && onPath('code')) {
    log(`opening ${folder} in VS Code with ${extension} in development mode`);
    const r = spawnSync('code', [`--extensionDevelopmentPath=${extension}`, folder], { stdio: 'inherit' });
    return r.status ?? 1;
  }

  // ---- code-server
  if (!looksInstalled()) log('installing code-server (first time: 1-2 minutes)');
  await ensureInstalled();

  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'trl-cards-demo-'));
  const profile = prepareProfile(tmpRoot);
  // Installed as a (symlinked) user extension: whoever opens the plain URL gets it.
  symlinkSync(extension, path.join(profile.extensionsDir, manifest.dirName), 'dir');

  const preferred = Number(opts.port ?? process.env.PORT ?? 8080);
  const port = await pickPort('127.0.0.1', preferred);
  if (port !== preferred) log(`port ${preferred} is taken; using ${port}`);

  /** @type {import('./test-vscode.mjs').CodeServer | undefined} */
  let cs;
  let stopping = false;
  const stop = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    log('stopping code-server');
    await cs?.stop();
    rmSync(tmpRoot, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));

  try {
    cs = await startCodeServer({
      ...profile,
      folder,
      port,
      onLine: (l) => {
        if (/error/i.test(l) && !/open-vsx|getaddrinfo/.test(l)) process.stdout.write(`[code-server] ${l}\n`);
      },
    });
  } catch (e) {
    log(`code-server did not start: ${/** @type {Error} */ (e).message}`);
    await stop(1);
    return 1;
  }
  const url = `${cs.baseUrl}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  log(`extension ${manifest.id} installed from ${extension} (symlink; after a rebuild use "Developer: Reload Window")`);
  log(`VS Code (code-server 4.100.3) is serving ${folder}`);
  process.stdout.write(`\n  Open: ${url}\n\n`);
  log('press Ctrl+C to stop');
  const code = await cs.exited;
  if (!stopping) {
    log(`code-server exited (code ${code}); last output:\n${cs.tail}`);
    await stop(1);
  }
  return 0;
}

main().then(
  (code) => {
    if (code) process.exit(code);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
