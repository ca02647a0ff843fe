#!/usr/bin/env node
// @ts-check
/**
 * Demo launcher (`npm start`): opens the examples/ folder in VS Code with this extension
 * loaded, and the level-7 example card (the paper's Figure 2) with its preview beside it.
 * Builds the extension first (`node esbuild.js --no-tests`: no test bundles) only when a
 * source is newer than what dist/ holds, so on a built tree it starts in a few seconds.
 *
 *  - If a `code` command is on PATH (desktop VS Code): runs
 *      code --extensionDevelopmentPath=<repo> <repo>/examples <card>
 *    (the preview: Ctrl+K V, or the setting trlCards.preview.openBesideCards).
 *  - Otherwise (these machines): starts code-server (installed on demand by
 *    scripts/install-code-server.sh) with the extension installed into a fresh, temporary
 *    extensions dir (a symlink to the repo, so a rebuild + "Developer: Reload Window" picks
 *    up changes) and a temporary profile whose settings turn on
 *    trlCards.preview.openBesideCards, and prints the URL to open: it opens the card, and
 *    the extension opens the preview beside it. Runs until Ctrl+C, then cleans up.
 *
 * Options:
 *   --web              use code-server even if `code` is on PATH
 *   --port <n>         port for code-server (default 8080, or $PORT; another free port if taken)
 *   --extension <dir>  extension folder (default: the repo root)
 *   --folder <dir>     folder to open (default: <repo>/examples)
 *   --open <file>      card to open (default: <repo>/examples/solar-array/solar-array.level-7.trl.yaml;
 *                      with --folder, none unless given)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareProfile, startCodeServer, workbenchUrl } from './vscode/codeServer.mjs';
import { REPO_ROOT, ensureInstalled, looksInstalled } from './vscode/install.mjs';

/** @param {string} msg */
const log = (msg) => process.stdout.write(`[start] ${msg}\n`);

const { values: opts } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    port: { type: 'string' },
    extension: { type: 'string' },
    folder: { type: 'string' },
    open: { type: 'string' },
  },
  strict: true,
});

const extension = path.resolve(opts.extension ?? REPO_ROOT);
const folder = path.resolve(opts.folder ?? path.join(REPO_ROOT, 'examples'));
const card = opts.open ? path.resolve(opts.open) : opts.folder ? undefined : path.join(REPO_ROOT, 'examples', 'solar-array', 'solar-array.level-7.trl.yaml');

/** What the build reads (sources, schemas, snippets, the build script) and what it writes. */
const BUILD_INPUTS = ['client/src', 'server/src', 'protocol', 'webview', 'schemas', 'snippets', 'esbuild.js', 'package.json'];
const BUILD_OUTPUTS = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/charts.js', 'dist/media/preview.js', 'dist/media/preview.css', 'dist/media/portfolio.js', 'dist/media/portfolio.css'];

/**
 * The newest modification time of the files at or below `p` (0 when there is none).
 * @param {string} p
 * @returns {number}
 */
function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((n) => newest(path.join(p, n))));
}

/** Builds the extension (no test bundles) unless dist/ is newer than every source; true when it is built. */
function buildIfStale() {
  if (extension !== REPO_ROOT) return true;
  const outputs = BUILD_OUTPUTS.map((f) => path.join(REPO_ROOT, f));
  const built = outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
  if (built > Math.max(...BUILD_INPUTS.map((p) => newest(path.join(REPO_ROOT, p))))) {
    log('dist/ is up to date: not building');
    return true;
  }
  log('building the extension (node esbuild.js --no-tests)');
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.js'), '--no-tests'], { cwd: REPO_ROOT, stdio: 'inherit' }).status === 0;
}

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
  if (!buildIfStale()) {
    log('the build failed: see its output above');
    return 1;
  }
  const manifest = readManifest();
  if (manifest.main && !existsSync(path.resolve(extension, manifest.main))) {
    log(`${manifest.main} is missing in ${extension}: build the extension first (npm run build).`);
    return 1;
  }
  if (!existsSync(folder)) {
    log(`folder to open does not exist: ${folder}`);
    return 1;
  }
  if (card && !existsSync(card)) {
    log(`card to open does not exist: ${card}`);
    return 1;
  }

  // ---- desktop VS Code
  if (!opts.web && onPath('code')) {
    log(`opening ${folder} in VS Code with ${extension} in development mode${card ? `, and ${path.relative(folder, card)}: Ctrl+K V opens its preview beside it` : ''}`);
    const r = spawnSync('code', [`--extensionDevelopmentPath=${extension}`, folder, ...(card ? [card] : [])], { stdio: 'inherit' });
    return r.status ?? 1;
  }

  // ---- code-server
  if (!looksInstalled()) log('installing code-server (first time: 1-2 minutes)');
  await ensureInstalled();

  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'trl-cards-demo-'));
  // The demo's own profile: the card opened at start gets its preview beside it.
  const profile = prepareProfile(tmpRoot, { 'trlCards.preview.openBesideCards': true });
  // Installed as a (symlinked) user extension: whoever opens the plain URL gets it.
  symlinkSync(extension, path.join(profile.extensionsDir, manifest.dirName), 'dir');

  const preferred = Number(opts.port ?? process.env.PORT ?? 8080);
  const port = await pickPort('127.0.0.1', preferred);
  if (port !== preferred) log(`port ${preferred} is taken; using ${port}`);

  /** @type {import('./vscode/codeServer.mjs').CodeServer | undefined} */
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
  const url = workbenchUrl(cs, { folder, openFile: card });
  log(`extension ${manifest.id} installed from ${extension} (symlink; after a rebuild use "Developer: Reload Window")`);
  log(`VS Code (code-server 4.100.3) is serving ${folder}${card ? `; the page opens ${path.relative(folder, card)} with its preview beside it` : ''}`);
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
