// @ts-check
/** The runner's command line (scripts/test-vscode.mjs). */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './install.mjs';

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

export const USAGE =
  'usage: node scripts/test-vscode.mjs --extension <absdir> --tests <abs index.js> --workspace <absdir>\n' +
  '         [--artifacts <dir>] [--ui <module.mjs>] [--timeout <seconds>] [--install-timeout <seconds>]\n' +
  '         [--verbose] [--keep-temp] [--restricted]\n' +
  '  --restricted: workspace trust on and the folder untrusted (Restricted Mode); the tests see\n' +
  '                TRL_CARDS_TEST_TRUST=restricted';

/**
 * The run's options, or the exit code when there is no run: 0 for --help, 2 for bad usage (the
 * error and the usage printed).
 * @typedef {object} RunOptions
 * @property {string} extension       folder holding the extension's package.json
 * @property {string} tests           bundled mocha entry exporting run()
 * @property {string} workspace       folder opened in the workbench
 * @property {string | undefined} uiModule
 * @property {string} artifactsDir
 * @property {number} timeoutS
 * @property {number} installTimeoutS
 * @property {boolean} verbose
 * @property {boolean} restricted
 * @property {boolean} keepTemp
 * @param {string[]} argv
 * @returns {RunOptions | number}
 */
export function readOptions(argv) {
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
  return {
    extension,
    tests,
    workspace,
    uiModule,
    artifactsDir,
    timeoutS,
    installTimeoutS,
    verbose: !!opts.verbose,
    restricted: !!opts.restricted,
    keepTemp: !!opts['keep-temp'],
  };
}
