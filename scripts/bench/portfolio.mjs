#!/usr/bin/env node
// The portfolio benchmark (`npm run bench:portfolio`; `npm run bench` runs it after the main one):
// a generated workspace of 10,000 cards with dated histories (cycles back, entries above level 0),
// targets, risks and components. Times, in one process, building the index from the cards'
// text and computing the portfolio from it (target: ≤ 1 s); over real LSP (dist/server.js
// --stdio, the workspace as its folder), how soon the view gets its first `trlCards/portfolio`
// answer after `initialized` (target: ≤ 1 s, while the server still indexes), the answer once
// the index is complete, and a `trlCards/portfolio` request on the built index (target: ≤ 1 s); and,
// 100 requests each cancelled as it is sent (answered with the cancellation error, none computed);
// as processes, the wall time of `trl-cards report` in each format (target: ≤ 5 s). Writes its
// section of docs/performance.md (between the portfolio markers, the rest of the file kept).
//   node scripts/bench/portfolio.mjs [--cards N] [--runs N] [--no-doc]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { rng } from './cards.mjs';
import { numberOption } from './args.mjs';
import { writeSection } from './doc.mjs';
import { killAll } from './lsp.mjs';
import { serverDefs, startServer } from './servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const rpc = createRequire(path.join(ROOT, 'package.json'))('vscode-jsonrpc/node');
const args = process.argv.slice(2);
const opt = (name, dflt) => numberOption(args, name, dflt);
/** Requests cancelled as they are sent (issue 18: all of them were computed). */
const CANCELLED = 100;
const CARDS = opt('--cards', 10000);
const RUNS = opt('--runs', 5);
const DOC = !args.includes('--no-doc');

const day = (n) => new Date(Date.UTC(2020, 0, 1) + n * 86400000).toISOString().slice(0, 10);

/** Cards of one technology: a dated path with cycles back, a snapshot card at some of its levels. */
function technology(r, t, ids) {
  const id = `P-${String(t).padStart(5, '0')}`;
  const entered = r.chance(0.2) ? r.int(1, 5) : 0;
  const top = r.int(entered, 9);
  const history = [];
  let d = r.int(0, 800);
  let level = entered;
  while (level <= top && history.length < 14) {
    d += r.int(20, 200);
    const back = level > entered && level < top && r.chance(0.15);
    history.push({ level, date: day(d), decision: back ? 'revert' : level === top ? 'hold' : 'graduate' });
    level = back ? level - 1 : level + 1;
  }
  const snapshots = [...new Set(history.map((h) => h.level))].filter((_, i, all) => i === all.length - 1 || r.chance(0.4));
  const cards = [];
  snapshots.forEach((lvl, i) => {
    const upto = history.findLastIndex((h) => h.level === lvl) + 1;
    const L = [`technology: Technology ${t}`, `id: ${id}`, `level: ${lvl}`, ...(entered ? [`entered_at: ${entered}`] : [])];
    L.push('owners:', '  rnd:', `    owner: Owner ${t % 97}`, '    reviewers:', `      - Reviewer ${t % 89}`);
    if (i > 0) L.push('previous:', `  - ./tech-${t}.level-${snapshots[i - 1]}.trl.yaml`);
    if (lvl >= 3 && ids.length && r.chance(0.3)) L.push('components:', `  - ${ids[r.int(0, ids.length - 1)]}`);
    L.push('requirements:');
    for (let q = 0; q < r.int(1, 6); q++) L.push(`  - id: "${q + 1}"`, '    kind: product', `    text: Requirement ${q + 1} of technology ${t}.`, '    verification: Tests.', '    validation: Pilot.', `    p_failure: ${(r.int(1, 9) / 10).toFixed(1)}`, `    value: ${r.int(1, 10)}`);
    L.push('history:', ...history.slice(0, upto).map((h) => `  - { level: ${h.level}, date: ${h.date}, decision: ${h.decision} }`));
    if (i === snapshots.length - 1 && lvl < 9) L.push('targets:', `  - { level: ${lvl + 1}, by: ${day(d + r.int(-300, 600))} }`);
    cards.push([`tech-${t}.level-${lvl}.trl.yaml`, L.join('\n') + '\n']);
  });
  return { id, cards };
}

function writeWorkspace(dir, count) {
  const r = rng(7);
  const ids = [];
  let n = 0;
  for (let t = 1; n < count; t++) {
    const { id, cards } = technology(r, t, ids);
    const folder = path.join(dir, `team-${t % 40}`, `tech-${t}`);
    fs.mkdirSync(folder, { recursive: true });
    for (const [name, text] of cards) {
      if (n >= count) break;
      fs.writeFileSync(path.join(folder, name), text);
      n++;
    }
    ids.push(id);
  }
  return n;
}

const LOAD_BEFORE = os.loadavg()[0];
/** The threads `trl-cards report` reads cards in: cli/threads.ts's defaultThreads (one per CPU but one, 1 to 8). */
const REPORT_THREADS = Math.max(1, Math.min(os.availableParallelism() - 1, 8));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;

/**
 * The view over real LSP: a server started on the workspace folder is asked for `trlCards/portfolio`
 * at once after `initialized` (the settings exchange and one round trip in between, as
 * lsp.mjs starts every server); then again on each `trlCards/portfolioChanged` until the answer says
 * `complete: true`; then `runs` times on the built index (and once with the dashboard's charts).
 */
async function measureView(folder, runs) {
  const def = serverDefs({ serverJs: path.join(ROOT, 'dist', 'server.js'), timeout: 300, staleTimeout: 10 }, pathToFileURL(folder).href).find((d) => d.name === 'ours');
  const srv = await startServer(def);
  try {
    /** @type {(value?: unknown) => void} */
    let changed = () => undefined;
    srv.conn.onNotification('trlCards/portfolioChanged', () => changed());
    const nextChange = () => new Promise((resolve) => (changed = resolve));
    let change = nextChange();
    let answer = await srv.request('trlCards/portfolio', {});
    const first = { ms: performance.now() - srv.initializedAt, complete: answer.complete, cards: answer.portfolio.summary.cards };
    while (!answer.complete) {
      await change;
      change = nextChange();
      answer = await srv.request('trlCards/portfolio', {});
    }
    const complete = { ms: performance.now() - srv.initializedAt, cards: answer.portfolio.summary.cards };
    const after = [];
    for (let i = 0; i < runs; i++) after.push((await srv.timed('trlCards/portfolio', {})).ms);
    const charts = (await srv.timed('trlCards/portfolio', { charts: true })).ms;
    // Each request cancelled right after it is sent, as a view that asks again would: the time
    // until all are answered, and how many with the cancellation error (a request the server
    // started before the cancel arrived is answered).
    const t0 = performance.now();
    const answers = await Promise.allSettled(
      Array.from({ length: CANCELLED }, () => {
        const source = new rpc.CancellationTokenSource();
        const sent = srv.conn.sendRequest('trlCards/portfolio', {}, source.token);
        source.cancel();
        return sent;
      }),
    );
    const REQUEST_CANCELLED = -32800; // LSPErrorCodes.RequestCancelled
    const cancelled = { ms: performance.now() - t0, n: answers.filter((a) => a.status === 'rejected' && a.reason?.code === REQUEST_CANCELLED).length };
    return { first, complete, after, charts, cancelled, bytes: JSON.stringify(answer).length };
  } finally {
    await srv.stop();
    killAll();
  }
}

const dir = process.env.KEEP_DIR ? (fs.mkdirSync(process.env.KEEP_DIR, { recursive: true }), process.env.KEEP_DIR) : fs.mkdtempSync(path.join(os.tmpdir(), "trl-portfolio-bench-"));
try {
  const cards = writeWorkspace(path.join(dir, 'ws'), CARDS);
  const entry = path.join(dir, 'entry.cjs');
  await esbuild.build({ entryPoints: [path.join(HERE, 'portfolio-entry.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: entry, logLevel: 'error' });
  const inProcess = JSON.parse(execFileSync(process.execPath, [entry, path.join(dir, 'ws'), String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const wall = {};
  for (const format of ['md', 'json', 'html']) {
    wall[format] = [];
    for (let i = 0; i < Math.max(1, Math.min(RUNS, 3)); i++) {
      const t = performance.now();
      execFileSync(process.execPath, [cli, 'report', path.join(dir, 'ws'), '--format', format, '--out', path.join(dir, `report.${format}`)], { stdio: 'ignore' });
      wall[format].push(performance.now() - t);
    }
  }
  const view = await measureView(path.join(dir, 'ws'), Math.max(3, RUNS));
  const sizes = Object.fromEntries(['md', 'json', 'html'].map((f) => [f, fs.statSync(path.join(dir, `report.${f}`)).size]));
  const rows = [
    ['Index built from the cards\' text (facts of every card, one thread)', ms(inProcess.indexMs), ''],
    ['Portfolio computed from the index (median of ' + inProcess.portfolioMs.length + ')', ms(median(inProcess.portfolioMs)), '≤ 1,000 ms'],
    [`View opens: first \`trlCards/portfolio\` answer after \`initialized\`, over stdio (\`complete: ${view.first.complete}\`, ${view.first.cards.toLocaleString('en-US')} card${view.first.cards === 1 ? '' : 's'} indexed so far)`, ms(view.first.ms), '≤ 1,000 ms'],
    [`View complete: the answer with \`complete: true\` after \`initialized\` (the server's index of ${view.complete.cards.toLocaleString('en-US')} cards built in the background)`, ms(view.complete.ms), ''],
    [`\`trlCards/portfolio\` on the built index, over stdio (median of ${view.after.length})`, ms(median(view.after)), '≤ 1,000 ms'],
    ['`trlCards/portfolio` with the dashboard\'s charts, on the built index', ms(view.charts), ''],
    [`${CANCELLED} \`trlCards/portfolio\` requests, each cancelled as it is sent (\`$/cancelRequest\`), until all are answered: ${view.cancelled.n} with the cancellation error, ${CANCELLED - view.cancelled.n} computed`, ms(view.cancelled.ms), ''],
    ...['md', 'json', 'html'].map((f) => [`\`trl-cards report --format ${f}\`, wall (median of ${wall[f].length}; output ${Math.round(sizes[f] / 1024).toLocaleString('en-US')} KiB)`, ms(median(wall[f])), '≤ 5,000 ms']),
  ];
  const when = new Date().toISOString().slice(0, 10);
  const missed = rows.filter((r) => r[2] && Number(r[1].replace(/[^\d]/g, '')) > Number(r[2].replace(/[^\d]/g, ''))).map((r) => `${r[0].replace(/ \(.*$/, '').replace(/,.*$/, '')} (${r[1]}, target ${r[2]})`);
  const section = [
    '<!-- portfolio-bench:start (written by scripts/bench/portfolio.mjs) -->',
    '## Portfolio and report',
    '',
    `${cards.toLocaleString('en-US')} generated cards of ${inProcess.technologies.toLocaleString('en-US')} technologies (dated histories with cycles back, entries above level 0, targets, up to 6 risks and a component each), measured ${when} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${LOAD_BEFORE.toFixed(1)} before the run and ${os.loadavg()[0].toFixed(1)} at its end (the bench's own threads count). Heap after the index and ${inProcess.portfolioMs.length} portfolios: ${Math.round(inProcess.heapMB)} MB.`,
    '',
    '| What | Time | Target |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...(missed.length ? [`Missed on this run: ${missed.join('; ')}.`, ''] : []),
    `What is measured. The index line is the server's own work (the facts of every card, with the ranges navigation needs) in one thread of the bench's process, with the texts already read; the portfolio line is \`computePortfolio\` alone on that index. The view lines are a real \`dist/server.js --stdio\` on the workspace folder, driven as VS Code would (scripts/bench/lsp.mjs): the server indexes in the background, a file at a time, and answers \`trlCards/portfolio\` between files with the cards indexed so far (\`complete: false\`), so the view opens at once and fills in when the server says \`trlCards/portfolioChanged\`; a request's time includes the portfolio, the system tree, and the JSON over the pipe both ways (${Math.round(view.bytes / 1048576)} MiB of it). The report lines are \`trl-cards report\` as a process: starting Node, finding and reading every file, each card's facts (only the fields the portfolio reads, no ranges) ${REPORT_THREADS === 1 ? 'in the main thread' : `in ${REPORT_THREADS} threads (the main thread and ${REPORT_THREADS - 1} worker${REPORT_THREADS === 2 ? '' : 's'} taking chunks of 64 files as they are free, the facts sent back as JSON)`}, the portfolio, and writing the output; ECharts is loaded for the HTML alone and draws its three charts. Most of the report's time is parsing the YAML of those fields (\`history\`, \`targets\`, \`requirements\` for the risks, and the rest): on a machine whose other jobs keep the load above its CPU count, the threads wait for a CPU and the wall time grows with it. Run alone with \`npm run bench:portfolio\` (\`-- --cards N --runs N --no-doc\`).`,
    '<!-- portfolio-bench:end -->',
  ].join('\n');
  process.stdout.write(section + '\n');
  if (DOC) writeSection('portfolio', section);
} finally {
  if (!process.env.KEEP_DIR) fs.rmSync(dir, { recursive: true, force: true });
}
