// The checker in CI, side by side with ajv-cli: `npm run bench:checker` (and the last step of
// `npm run bench`). On 1,000 cards the size of examples/solar-array/solar-array.level-7.trl.yaml
// (bigCard(50) of cards.mjs: about 530 lines, 23 KB each), in the same run and interleaved:
//   - cold:   `node dist/cli.js check DIR` (no cache), a new process each time;
//   - cached: `node dist/cli.js check --cache DIR` over the same, unchanged cards (cache warmed first);
//   - ajv-cli: `ajv validate --spec=draft2020 -s schemas/trl-card.schema.json -d 'DIR/**/*.trl.yaml'`
//     (the schema only, as a CI user would try first);
//   - bare:   `node -e 0`, Node's own start, the floor under every run of either;
//   - same id: `node dist/cli.js check DIR2`, the same cards sharing one `id` (one technology of
//     1,000 cards: the cross-card rules must stay linear in them, within 1.5× of the cold run).
// Also a CPU profile of one cold single-thread run, summed by module, for "where the time goes".
// Writes (replaces) the "The checker in CI" section of docs/performance.md, keeping the rest.
//   node scripts/bench/checker.mjs [--runs N] [--cards N] [--no-doc]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bigCard } from './cards.mjs';
import { numberOption } from './args.mjs';
import { writeSection } from './doc.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => numberOption(args, name, dflt);
const RUNS = opt('--runs', 7);
const CARDS = opt('--cards', 1000);
const CLI = path.join(ROOT, 'dist', 'cli.js');
const AJV = path.join(ROOT, 'node_modules', 'ajv-cli', 'dist', 'index.js');
const START = '<!-- checker-bench:start -->';
const END = '<!-- checker-bench:end -->';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-bench-ci-'));
// The same cards, all of one technology (one `id`).
const sameDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-bench-ci-same-id-'));
const SAME_ID = 'BENCH-ONE-TECHNOLOGY';
try {
  let bytes = 0;
  for (let i = 0; i < CARDS; i++) {
    const rel = path.join(`team-${String(i % 20).padStart(2, '0')}`, `card-${String(i).padStart(4, '0')}.trl.yaml`);
    const text = bigCard(50, { seed: 1 + (i % 10), variant: i + 1 }).text;
    for (const [root, body] of [[dir, text], [sameDir, text.replace(/^id: .*$/m, `id: ${SAME_ID}`)]]) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), body);
    }
    bytes += Buffer.byteLength(text);
  }
  const time = (argv, cwd = dir) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-1000)}`);
    return { ms, err: r.stderr };
  };
  const cold = [];
  const sameId = [];
  const cached = [];
  const ajv = [];
  // Node's own start (no script), the floor under any run of either tool.
  const bare = [];
  time([CLI, 'check', '--cache', '.']); // warm the cache
  let stats = '';
  for (let i = 0; i < RUNS; i++) {
    cold.push(time([CLI, 'check', '.']).ms);
    const c = time([CLI, 'check', '--cache', '.']);
    cached.push(c.ms);
    stats = c.err.split('\n').find((l) => l.includes('cache:')) ?? '';
    ajv.push(time([AJV, 'validate', '--spec=draft2020', '--strict=false', '--all-errors=false', '-s', path.join(ROOT, 'schemas', 'trl-card.schema.json'), '-d', `${dir}/**/*.trl.yaml`]).ms);
    bare.push(time(['-e', '0']).ms);
    sameId.push(time([CLI, 'check', '.'], sameDir).ms);
  }
  // Where the time goes: one cold run in one thread, profiled, self time summed by module.
  const profDir = path.join(dir, 'prof');
  fs.mkdirSync(profDir);
  spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, CLI, 'check', '--jobs', '1', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const profile = JSON.parse(fs.readFileSync(path.join(profDir, fs.readdirSync(profDir)[0]), 'utf8'));
  const where = whereTimeGoes(profile);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = { cold: median(cold), sameId: median(sameId), cached: median(cached), ajv: median(ajv), bare: median(bare) };
  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const pct = (x) => `${(x * 100).toFixed(0)}%`;
  const section = [
    START,
    '## The checker in CI, against ajv-cli',
    '',
    `<!-- Written by scripts/bench/checker.mjs (\`npm run bench:checker\`, also the last step of \`npm run bench\`). -->`,
    '',
    `${CARDS.toLocaleString('en')} cards of the size of \`examples/solar-array/solar-array.level-7.trl.yaml\` (\`bigCard(50)\`: ${(bytes / CARDS / 1024).toFixed(0)} KB each, ${(bytes / 1024 / 1024).toFixed(1)} MB in all), ${RUNS} runs of each, interleaved, each a new process (wall time, median). ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} at the end; ${new Date().toISOString()}.`,
    '',
    '| run | median | all runs | against ajv-cli |',
    '|---|---:|---|---:|',
    `| \`trl-cards check DIR\` (cold: no cache) | ${fmt(m.cold)} | ${cold.map(fmt).join(', ')} | ${(m.cold / m.ajv).toFixed(2)}× |`,
    `| \`trl-cards check --cache DIR\` (unchanged cards) | ${fmt(m.cached)} | ${cached.map(fmt).join(', ')} | ${(m.cached / m.ajv).toFixed(2)}× |`,
    `| \`ajv validate --spec=draft2020 -s schemas/trl-card.schema.json -d 'DIR/**/*.trl.yaml'\` (ajv-cli ${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'ajv-cli', 'package.json'), 'utf8')).version}) | ${fmt(m.ajv)} | ${ajv.map(fmt).join(', ')} | 1× |`,
    `| \`node -e 0\` (Node's own start, under any run of either) | ${fmt(m.bare)} | ${bare.map(fmt).join(', ')} | ${(m.bare / m.ajv).toFixed(2)}× |`,
    `| \`trl-cards check DIR\`, the same cards sharing one \`id\` (one technology of ${CARDS.toLocaleString('en')} cards; cold) | ${fmt(m.sameId)} | ${sameId.map(fmt).join(', ')} | ${(m.sameId / m.ajv).toFixed(2)}× |`,
    '',
    `| target | measured | |`,
    '|---|---:|---|',
    `| cold run no slower than ajv-cli | ${(m.cold / m.ajv).toFixed(2)}× | ${m.cold <= m.ajv ? 'met' : '**not met**'} |`,
    `| ${CARDS.toLocaleString('en')} cards of one technology within 1.5× of ${CARDS.toLocaleString('en')} technologies (cold runs) | ${(m.sameId / m.cold).toFixed(2)}× | ${m.sameId <= 1.5 * m.cold ? 'met' : '**not met**'} |`,
    `| cached re-run ≤ 10% of a cold run | ${pct(m.cached / m.cold)} | ${m.cached <= 0.1 * m.cold ? 'met' : `**not met**: Node's own start is ${pct(m.bare / m.cold)} of a cold run here`} |`,
    '',
    `The cached run's own account: \`${stats.trim()}\``,
    '',
    'The same-id row checks the same cards with one `id` for all: one technology of that many cards, as a long-lived technology\'s snapshots are. Before issue 18 it took 4.5–5.9 s against 1.0–1.2 s for the cards with their own ids, because each card looked through every card of its id (its technology\'s level, for the targets rules); now each id\'s current cards are found once per run (`WorkspaceIndex.technology`, `workspace/index.ts`).',
    '',
    'ajv-cli checks the schema only (no level, risk or cross-card rule) and parses with js-yaml; the checker parses each card into `yaml` documents (positions for every problem) — nearly every block through its own fast path, `server/src/card/fastParse.ts`, which builds the same `yaml` nodes without yaml\'s lexer, parser and composer, the rest with `parseDocument` — runs every rule, and the cross-card rules over all the cards.',
    '',
    '**Where a cold run\'s time goes** (one run in one thread, `--jobs 1`, CPU profile, self time by module):',
    '',
    '| module | self time | share |',
    '|---|---:|---:|',
    ...where.rows.map(([k, ms]) => `| ${k} | ${fmt(ms)} | ${pct(ms / where.total)} |`),
    '',
    `Reading the profile: the fast path (\`server/src/card/fastParse.ts\`, counted under \`server/src/card/\`) reads every block of these cards and makes yaml's own node classes without running their constructors; what is left under \`yaml\` is its \`isMap\`-style checks and the floats its tags make (a float's tag builds its node). Garbage collection is the price of those nodes and values. A cold run uses one thread per CPU but one (\`cli/threads.ts\`), so one thread on a 2-CPU machine: there a second thread made a cold run slower, since each JavaScript thread has V8's collector and compiler threads beside it, and each worker compiles the bundle and warms up on its own. The cached run reads no card whose file's stamp is as it was when hashed (git's rule: size, times and inode the same, and last changed well before it was hashed); what is left of it is Node's start (the \`node -e 0\` row), compiling the bundle, reading the cache file, the cross-card rules and the output${m.bare > 0.1 * m.cold ? `. Here Node alone takes ${pct(m.bare / m.cold)} of a cold run's time to start, so no run that starts Node can be within 10% of a cold one: the faster the cold run, the larger the cached run's share.` : '.'}`,
    '',
    END,
  ].join('\n');
  console.log(section);
  if (!args.includes('--no-doc')) writeSection('checker', section);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(sameDir, { recursive: true, force: true });
}

/** Self time by the bundled module a function comes from (esbuild's `// path` comments in dist/cli.js). */
function whereTimeGoes(profile) {
  const lines = fs.readFileSync(CLI, 'utf8').split('\n');
  const modules = [];
  lines.forEach((l, i) => {
    const m = /^\/\/ (\S+\.(?:[cm]?js|ts))$/.exec(l);
    if (!m) return;
    const own = /^(server\/src\/(?:[^/]+\/)?)/.exec(m[1]);
    modules.push([i, own ? `ours: ${own[1].endsWith('/') && own[1] !== 'server/src/' ? own[1] : 'server/src/*.ts'}` : m[1].replace(/^node_modules\//, '').replace(/\/(dist|lib|src|libcjs)\/.*$/, '')]);
  });
  const moduleAt = (line) => {
    let lo = 0;
    let hi = modules.length - 1;
    let found = 'other';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (modules[mid][0] <= line) {
        found = modules[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((s, i) => {
    const n = byId.get(s);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const f = n.callFrame;
    let key;
    if (f.url.endsWith('cli.js')) key = moduleAt(f.lineNumber);
    else if (f.functionName === '(garbage collector)') key = 'garbage collection';
    else if (f.functionName === '(idle)' || f.functionName === '(program)') key = 'node (start-up, idle, program)';
    else key = 'node internals (file reading, module loading)';
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const sorted = [...self].sort((a, b) => b[1] - a[1]);
  const top = sorted.slice(0, 10);
  const rest = sorted.slice(10).reduce((s, [, ms]) => s + ms, 0);
  if (rest) top.push(['everything else', rest]);
  return { rows: top, total };
}
