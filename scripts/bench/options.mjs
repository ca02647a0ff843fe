// The benchmark's options (bench.mjs): its --help, the command line read, and how many times
// each measurement runs at each card size.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

export const HELP = `Usage: node scripts/bench/bench.mjs [options]   (npm run bench -- [options])

  --quick              smoke run: every size, 1 cold start, 2 edits, 3 requests; 200-card LSP workspace
  --sizes LIST         requirement counts, default 10,100,1000,5000
  --cold N             fresh server processes per size and server (cold opens)
  --warm N             warm opens (another document, same process) per size and server
  --edits N            one-character edit + revert pairs per size and server
  --requests N         completions/hovers of each kind per size and server
  --budget SEC         per metric, size and server: stop iterating after SEC seconds once 3
                       samples are in (default 30)
  --timeout SEC        a server that does not answer within SEC is an error (default 180)
  --stale-timeout SEC  how long to wait for diagnostics that reflect an edit once the server
                       has answered with ones that do not (default 5)
  --index-timeout SEC  how long to wait for our server to log that its workspace index is
                       complete, where settled results are needed (default 60)
  --workspace N        cards in the generated workspace (default 1000)
  --checker-runs N     checker runs on the workspace (default 5; quick 2)
  --lsp-workspace N    cards of the workspace opened one by one in each server (default: all; quick 200; 0 = skip)
  --no-yaml-ls         measure our server only (no ratios)
  --doc PATH           write the report there (default docs/performance.md; a --quick run
                       writes it only when --doc is given)
  --no-doc             do not write the report
  --keep               keep the temporary directory with the generated cards
  -h, --help           this help

Iterations default per size (cold/warm/edits/requests): 10 and 100: 5/10/20/30,
1,000: 5/5/20/30, 5,000: 3/5/10/20; --quick: 1/2/2/3 (5,000: 1/1/1/3).`;

/**
 * The options, as read from the command line; `serverJs` and `cliJs` are set by bench.mjs (the
 * snapshot of the build it runs), `noReady` once a server's index never said it was ready.
 * @typedef {object} BenchOptions
 * @property {boolean} quick
 * @property {number[]} sizes
 * @property {number} budget
 * @property {number} timeout
 * @property {number} staleTimeout
 * @property {number} indexTimeout
 * @property {number} workspace
 * @property {boolean} yamlLs
 * @property {string} doc
 * @property {boolean} writeDoc
 * @property {boolean} keep
 * @property {number} [cold]
 * @property {number} [warm]
 * @property {number} [edits]
 * @property {number} [requests]
 * @property {number} checkerRuns
 * @property {number} lspWorkspace
 * @property {string} serverJs
 * @property {string} cliJs
 * @property {boolean} [noReady]
 */

/**
 * @param {string[]} argv
 * @returns {BenchOptions}
 */
export function parseArgs(argv) {
  const o = /** @type {BenchOptions} */ ({
    quick: false,
    sizes: [10, 100, 1000, 5000],
    budget: 30,
    timeout: 180,
    staleTimeout: 5,
    indexTimeout: 60,
    workspace: 1000,
    yamlLs: true,
    doc: undefined,
    writeDoc: undefined,
    keep: false,
  });
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} takes a number, not '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--quick': o.quick = true; break;
      case '--sizes': o.sizes = value().split(',').map((s) => num(s, '--sizes')).filter((n) => n > 0); break;
      case '--cold': o.cold = Math.max(1, num(value(), flag)); break;
      case '--warm': o.warm = num(value(), flag); break;
      case '--edits': o.edits = num(value(), flag); break;
      case '--requests': o.requests = num(value(), flag); break;
      case '--budget': o.budget = num(value(), flag); break;
      case '--timeout': o.timeout = num(value(), flag); break;
      case '--stale-timeout': o.staleTimeout = num(value(), flag); break;
      case '--index-timeout': o.indexTimeout = num(value(), flag); break;
      case '--workspace': o.workspace = num(value(), flag); break;
      case '--checker-runs': o.checkerRuns = num(value(), flag); break;
      case '--lsp-workspace': o.lspWorkspace = num(value(), flag); break;
      case '--no-yaml-ls': o.yamlLs = false; break;
      case '--doc': o.doc = value(); o.writeDoc = true; break;
      case '--no-doc': o.writeDoc = false; break;
      case '--keep': o.keep = true; break;
      case '-h': case '--help': console.log(HELP); process.exit(0); break;
      default: throw new Error(`unknown option '${a}'\n\n${HELP}`);
    }
  }
  if (o.writeDoc === undefined) o.writeDoc = !o.quick;
  o.doc = path.resolve(ROOT, o.doc ?? 'docs/performance.md');
  o.checkerRuns ??= o.quick ? 2 : 5;
  o.lspWorkspace ??= o.quick ? Math.min(200, o.workspace) : o.workspace;
  o.lspWorkspace = Math.min(o.lspWorkspace, o.workspace);
  return o;
}

export function iterationsFor(n, o) {
  const table = o.quick
    ? n >= 5000 ? [1, 1, 1, 3] : [1, 2, 2, 3]
    : n <= 100 ? [5, 10, 20, 30] : n <= 1000 ? [5, 5, 20, 30] : [3, 5, 10, 20];
  return { cold: o.cold ?? table[0], warm: o.warm ?? table[1], edits: o.edits ?? table[2], requests: o.requests ?? table[3] };
}
