#!/usr/bin/env node
// The TRL Cards performance benchmark: `npm run bench` (builds, then runs this file).
//
// Drives the bundled language server (dist/server.js) and yaml-language-server (given our JSON
// Schema, its validation debounce removed) over stdio the way VS Code does, on generated cards
// of 10, 100, 1,000 and 5,000 requirements, alternating the two servers measurement by
// measurement. Also times the checker (dist/cli.js) on a 1,000-card workspace and the bare
// `yaml` parse of each card. Prints a table and writes docs/performance.md.
// `node scripts/bench/bench.mjs --help` lists the options. Methodology: docs/performance.md.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigCard, editBurst, previousCard, writeWorkspace, workspaceCards } from './cards.mjs';
import { ServerError, diagKey, killAll, track } from './lsp.mjs';
import { freshDiagnostics, serverDefs, settled, startServer } from './servers.mjs';
import { measureFeatures } from './features.mjs';
import { markedSections } from './doc.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

// ---------------------------------------------------------------------------------------------
// Options

const HELP = `Usage: node scripts/bench/bench.mjs [options]   (npm run bench -- [options])

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

function parseArgs(argv) {
  const o = {
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
  };
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

function iterationsFor(n, o) {
  const table = o.quick
    ? n >= 5000 ? [1, 1, 1, 3] : [1, 2, 2, 3]
    : n <= 100 ? [5, 10, 20, 30] : n <= 1000 ? [5, 5, 20, 30] : [3, 5, 10, 20];
  return { cold: o.cold ?? table[0], warm: o.warm ?? table[1], edits: o.edits ?? table[2], requests: o.requests ?? table[3] };
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

function quantile(samples, q) {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
function median(samples) {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function stats(samples) {
  return {
    n: samples.length,
    median: median(samples),
    p95: quantile(samples, 0.95),
    min: samples.length ? Math.min(...samples) : NaN,
    max: samples.length ? Math.max(...samples) : NaN,
  };
}
function fmtMs(v) {
  if (!Number.isFinite(v)) return '–';
  if (v >= 10000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}
function fmtMB(kib) {
  return Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MB` : '–';
}
function fmtRatio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';
}
function fmtInt(n) {
  return n.toLocaleString('en-US');
}
function cell(s) {
  return s && s.n ? `${fmtMs(s.median)} / ${fmtMs(s.p95)} (${s.n})` : '–';
}

function log(msg) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// Servers

/** Rotate the order between iterations, so that no contestant always goes first. */
function ordered(items, i) {
  const k = i % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

// ---------------------------------------------------------------------------------------------
// Measurements

function sameSet(a, b) {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(diagKey));
  return b.every((d) => keys.has(diagKey(d)));
}

function labelsOf(result) {
  const items = Array.isArray(result) ? result : result?.items ?? [];
  return items.map((i) => i.label);
}

function hoverText(result) {
  const c = result?.contents;
  if (!c) return '';
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value ?? '';
}

class Anomalies {
  constructor() {
    this.list = [];
    this.seen = new Map();
  }
  add(server, where, message, repro) {
    const key = `${server}|${where}|${message}`;
    const hit = this.seen.get(key);
    if (hit) {
      hit.count++;
      return;
    }
    const a = { server, where, message, repro, count: 1 };
    this.seen.set(key, a);
    this.list.push(a);
    log(`ANOMALY ${server} @ ${where}: ${message}`);
  }
}

function collectLogs(srv, anomalies, where) {
  for (const m of srv.errorLogs()) anomalies.add(srv.name, where, `error in the server log: ${m.message.split('\n')[0].slice(0, 300)}`);
  const stderr = srv.stderr.join('').split('\n').filter((l) => l.trim() && !(srv.def.mustLog && l.includes(srv.def.mustLog)));
  if (stderr.length) anomalies.add(srv.name, where, `wrote to stderr: ${stderr.slice(0, 3).join(' | ').slice(0, 300)}`);
  if (srv.events.unknownRequests.length) anomalies.add(srv.name, where, `sent requests the client does not know: ${[...new Set(srv.events.unknownRequests)].join(', ')}`);
}

/** Readiness (the server's "workspace indexed" log): wait for it, or note once that it never came. */
function readiness(o, anomalies, name) {
  return {
    timeoutMs: o.indexTimeout * 1000,
    onNotReady: () => {
      if (o.noReady) return;
      o.noReady = true; // do not wait again in this run
      anomalies.add(name, 'workspace index', `the server did not log that its workspace index was complete within ${o.indexTimeout} s (expected a window/logMessage matching the "ready" pattern in scripts/bench/servers.mjs); results are taken without waiting for it from here on`);
    },
  };
}

function withReady(def, o) {
  return o.noReady ? { ...def, readyLog: undefined } : def;
}

/** A workspace folder holding the card and the earlier card its `previous` names. */
function writeCardFolder(dir, folderName, fileName, card, n) {
  const folder = path.join(dir, folderName);
  fs.mkdirSync(folder);
  const file = path.join(folder, fileName);
  fs.writeFileSync(file, card.text);
  const prev = previousCard(n);
  fs.writeFileSync(path.join(folder, prev.name), prev.text);
  return { folder, file, uri: pathToFileURL(file).href };
}

async function measureSize(n, o, dir, anomalies) {
  const it = iterationsFor(n, o);
  const card = bigCard(n);
  // The card's own workspace folder, as an editor would have it: the card and the earlier
  // card its `previous` names (the server indexes the folder for its cross-card rules).
  const { folder, file, uri } = writeCardFolder(dir, `size-${n}`, `card-${n}.trl.yaml`, card, n);
  const defs = serverDefs(o, pathToFileURL(folder).href);
  const L = card.edit.line;
  const res = { n, lines: card.lineCount, bytes: Buffer.byteLength(card.text), iterations: it, servers: {}, load: [os.loadavg()[0]] };
  for (const d of defs)
    res.servers[d.name] = {
      firstOpen: undefined,
      indexMs: undefined,
      samples: { start: [], coldOpen: [], warmOpen: [], edit: [], editBreak: [], editRevert: [], completeItem: [], completeTop: [], hover: [] },
      cpu: {},
      memory: undefined,
      baseline: undefined,
      staleAnswers: 0,
      failed: {},
    };
  const S = (name) => res.servers[name];
  const where = `${fmtInt(n)} requirements`;

  // 1. Cold opens: a fresh process per sample; the last one stays up for the rest. The cold
  // parse floor (a fresh process parsing the card) takes turns with them, so that all three
  // meet the same machine load.
  const mains = {};
  res.parse = { coldSamples: [], warmSamples: [] };
  const floorRuns = Math.ceil(3 / it.cold); // at least 3 cold-parse samples
  for (let i = 0; i < it.cold; i++) {
    for (const def of ordered([{ name: 'parse' }, ...defs], i)) {
      if (def.name === 'parse') {
        for (let k = 0; k < floorRuns; k++) res.parse.coldSamples.push(await parseCold(file));
        continue;
      }
      // As when an editor starts with the card already open: didOpen right after the handshake,
      // while the server may still be indexing the folder.
      const srv = await startServer(withReady(def, o));
      S(def.name).samples.start.push(srv.startMs);
      const r = await srv.open(uri, card.text);
      S(def.name).samples.coldOpen.push(r.ms);
      if (i === it.cold - 1) {
        mains[def.name] = srv;
        S(def.name).firstOpen = r.diagnostics;
        // The baseline is what the editor shows once the server is settled (index complete).
        const rd = readiness(o, anomalies, def.name);
        S(def.name).baseline = srv.def.readyLog ? await settled(srv, uri, rd.timeoutMs, rd.onNotReady) : r.diagnostics;
        S(def.name).indexMs = srv.readyAt;
      } else {
        collectLogs(srv, anomalies, where);
        await srv.stop();
      }
    }
  }
  log(`${where}: cold opens done`);
  const servers = defs.map((d) => mains[d.name]);
  for (const srv of servers) {
    const b = S(srv.name).baseline;
    if (b.length) anomalies.add(srv.name, where, `the generated card is not clean for this server: ${b.length} diagnostics on open, e.g. line ${b[0].range.start.line + 1}: ${b[0].message}`);
    const first = S(srv.name).firstOpen;
    if (!sameSet(first, b)) {
      const missing = b.filter((d) => !first.some((e) => diagKey(e) === diagKey(d)));
      const extra = first.filter((d) => !b.some((e) => diagKey(e) === diagKey(d)));
      anomalies.add(srv.name, where, `the first diagnostics after the cold open differ from those once the server had indexed the folder: ${missing.length} came later, ${extra.length} went away (e.g. ${[...missing, ...extra].slice(0, 1).map((d) => `line ${d.range.start.line + 1}: ${d.message}`).join('')})`);
    }
  }

  /** Runs `fn(srv, i)` for i < count, alternating servers, within the time budget. */
  async function loop(metricKeys, count, fn) {
    const t0 = performance.now();
    const cpu0 = Object.fromEntries(servers.map((s) => [s.name, s.cpuMs()]));
    const ops = Object.fromEntries(servers.map((s) => [s.name, 0]));
    for (let i = 0; i < count; i++) {
      if (i >= 3 && (performance.now() - t0) / 1000 > o.budget * servers.length) break;
      for (const srv of ordered(servers, i)) ops[srv.name] += await fn(srv, i);
    }
    for (const srv of servers) {
      const used = srv.cpuMs() - cpu0[srv.name];
      for (const k of metricKeys) S(srv.name).cpu[k] = ops[srv.name] ? used / ops[srv.name] : NaN;
    }
  }

  // 2. Warm opens: another document of the same size (different text), same process; closed
  // after. The warm parse floor (this process, already warmed up) is taken in the same turns.
  parseWarm(card.text);
  const variants = new Map();
  await loop(['warmOpen'], it.warm, async (srv, i) => {
    if (!variants.has(i)) {
      variants.set(i, bigCard(n, { variant: i + 1 }));
      for (let k = 0; k < 3; k++) res.parse.warmSamples.push(parseWarm(variants.get(i).text));
    }
    const variant = variants.get(i);
    const wuri = pathToFileURL(path.join(folder, `warm-${n}-${i + 1}.trl.yaml`)).href;
    const r = await srv.open(wuri, variant.text);
    S(srv.name).samples.warmOpen.push(r.ms);
    const base = S(srv.name).baseline;
    if (r.diagnostics.length !== base.length) {
      const extra = r.diagnostics.filter((d) => !base.some((b) => b.message === d.message && b.range.start.line === d.range.start.line));
      anomalies.add(srv.name, where, `a warm open of an equivalent card (only \`technology\` and \`id\` differ) gave ${r.diagnostics.length} diagnostics, the main card ${base.length}${extra.length ? ` (e.g. line ${extra[0].range.start.line + 1}: ${extra[0].code ?? ''} ${extra[0].message})` : ''}`);
    }
    srv.close(wuri);
    return 1;
  });
  variants.clear();
  res.parse.cold = stats(res.parse.coldSamples);
  res.parse.warm = stats(res.parse.warmSamples.length ? res.parse.warmSamples : [parseWarm(card.text), parseWarm(card.text), parseWarm(card.text)]);
  log(`${where}: warm opens done (parse floor cold ${fmtMs(res.parse.cold.median)}, warm ${fmtMs(res.parse.warm.median)})`);

  // 3. One-character edits: p_failure 0.2 -> 2.2 (invalid), then back; check the diagnostics.
  await loop(['edit'], it.edits, async (srv) => {
    const s = S(srv.name);
    const baseline = s.baseline;
    const baseKeys = new Set(baseline.map(diagKey));
    const breaks = (d) => {
      const keys = new Set(d.map(diagKey));
      return [...baseKeys].every((k) => keys.has(k)) && d.some((x) => !baseKeys.has(diagKey(x)) && x.range.start.line <= L && x.range.end.line >= L);
    };
    const listed = (d) => `${d.length} diagnostic(s) [${d.map((x) => `${x.range.start.line + 1}: ${x.message}`).join('; ').slice(0, 200)}]`;
    /** Records one timed edit: its sample, or why it failed; stale first answers are anomalies. */
    const record = (result, kind, what, failure) => {
      s.staleAnswers += result.staleAnswers;
      if (result.ok) {
        s.samples.edit.push(result.ms);
        s.samples[kind].push(result.ms);
        if (result.staleAnswers) anomalies.add(srv.name, where, `after ${what} the server first answered with diagnostics that did not reflect it (${result.staleAnswers} stale answer(s)); the right ones came later`);
      } else {
        s.failed[kind] = (s.failed[kind] ?? 0) + 1;
        anomalies.add(srv.name, where, failure(result.diagnostics), 'edit');
      }
    };
    const b = await srv.edit(uri, card.edit, 1, card.edit.to, breaks, `the edit p_failure 0.2 → 2.2 on line ${L + 1}`);
    record(b, 'editBreak', 'the edit 0.2 → 2.2', (d) => `diagnostics never reflected the edit p_failure 0.2 → 2.2 (line ${L + 1}): the server answered with ${listed(d)} and did not correct them within ${o.staleTimeout} s`);
    const r = await srv.edit(uri, card.edit, 1, card.edit.from, (d) => sameSet(d, baseline), `the revert p_failure 2.2 → 0.2 on line ${L + 1}`);
    record(r, 'editRevert', 'the revert 2.2 → 0.2', (d) => `diagnostics never returned to the original set after the revert 2.2 → 0.2 (line ${L + 1}): ${listed(d)} remain`);
    return 2;
  });
  log(`${where}: edits done`);

  // 4. Completion inside a requirement item, at the top level; hover on a key.
  const checks = {
    completeItem: { method: 'completion', pos: card.positions.completeInItem, expect: (r) => ['mitigation', 'status'].every((l) => labelsOf(r).includes(l)), what: 'completion at the `text` key of a requirement lacks `mitigation`/`status`' },
    completeTop: { method: 'completion', pos: card.positions.completeTopLevel, expect: (r) => labelsOf(r).includes('worst_case'), what: 'top-level completion lacks `worst_case` (a key the card does not have)' },
    hover: { method: 'hover', pos: card.positions.hoverKey, expect: (r) => /p_failure|Probability/i.test(hoverText(r)), what: 'hover on `p_failure` shows nothing about p_failure' },
  };
  for (const [key, c] of Object.entries(checks)) {
    await loop([key], it.requests, async (srv) => {
      const r = c.method === 'hover' ? await srv.hover(uri, c.pos) : await srv.completion(uri, c.pos);
      S(srv.name).samples[key].push(r.ms);
      if (!c.expect(r.result)) anomalies.add(srv.name, where, `${c.what} (line ${c.pos.line + 1}, character ${c.pos.character + 1}; got ${c.method === 'hover' ? JSON.stringify(hoverText(r.result).slice(0, 80)) : `${labelsOf(r.result).length} items`})`);
      return 1;
    });
  }
  log(`${where}: completions and hovers done`);

  for (const srv of servers) S(srv.name).memory = srv.memory();

  // 5. Consistency (not timed): a seeded burst of typing-like edits sent without waiting, some
  // batched in one didChange; the diagnostics must then equal those of the same text opened
  // fresh. This is what catches an incremental server that loses track of the text.
  const bursts = o.quick ? 1 : 2;
  res.consistency = Object.fromEntries(servers.map((s) => [s.name, { checked: 0, failed: 0 }]));
  for (let k = 0; k < bursts; k++) {
    for (const srv of ordered(servers, k)) {
      const seed = n * 31 + k;
      const before = srv.texts.get(uri);
      const { groups, finalText } = editBurst(before, seed, 20);
      const rd = readiness(o, anomalies, srv.name);
      const ref = { diagnostics: await freshDiagnostics(withReady(srv.def, o), uri, finalText, rd.timeoutMs, rd.onNotReady) };
      const got = await srv.editBurst(uri, groups, (d) => sameSet(d, ref.diagnostics), `a burst of ${groups.flat().length} edits (seed ${seed})`);
      const c = res.consistency[srv.name];
      c.checked++;
      if (srv.texts.get(uri) !== finalText) throw new Error('internal: the burst did not produce the expected text');
      if (!got.ok) {
        c.failed++;
        const repro = writeRepro(srv, { n, seed, before, groups, finalText, expected: ref.diagnostics, actual: got.diagnostics, folder, uri });
        const onlyGot = got.diagnostics.filter((d) => !ref.diagnostics.some((e) => diagKey(e) === diagKey(d)));
        const onlyRef = ref.diagnostics.filter((d) => !got.diagnostics.some((e) => diagKey(e) === diagKey(d)));
        anomalies.add(srv.name, where, `after a burst of ${groups.flat().length} edits in ${groups.length} didChange notifications (seed ${seed}), the diagnostics differ from those of the same text opened fresh: ${onlyGot.length} extra, ${onlyRef.length} missing (e.g. ${[...onlyGot.slice(0, 1).map((d) => `extra line ${d.range.start.line + 1}: ${d.message}`), ...onlyRef.slice(0, 1).map((d) => `missing line ${d.range.start.line + 1}: ${d.message}`)].join('; ').slice(0, 300)}). Reproduction: ${repro}`);
      } else if (got.staleAnswers && srv.pullMode) anomalies.add(srv.name, where, `after a burst of edits the server first answered with diagnostics that did not match the text (${got.staleAnswers} stale answer(s)); the right ones came later`);
    }
  }
  log(`${where}: consistency checks done`);

  for (const srv of servers) {
    S(srv.name).events = { ...srv.events };
    collectLogs(srv, anomalies, where);
  }
  await Promise.all(servers.map((s) => s.stop()));
  res.load.push(os.loadavg()[0]);
  return res;
}

/**
 * Writes what is needed to replay a failed consistency check to a directory that the run does
 * not delete: the text before, the didChange batches, the text after, both diagnostic sets,
 * and replay.mjs, which replays it against a server over stdio.
 */
function writeRepro(srv, data) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trl-bench-repro-${srv.name.replace(/\W+/g, '')}-`));
  fs.writeFileSync(path.join(dir, 'before.trl.yaml'), data.before);
  fs.writeFileSync(path.join(dir, 'after.trl.yaml'), data.finalText);
  fs.writeFileSync(path.join(dir, 'changes.json'), JSON.stringify(data.groups, null, 1));
  fs.writeFileSync(path.join(dir, 'expected-diagnostics.json'), JSON.stringify(data.expected, null, 1));
  fs.writeFileSync(path.join(dir, 'actual-diagnostics.json'), JSON.stringify(data.actual, null, 1));
  // The workspace folder as it was on disk (the server indexes it), and which file was edited.
  fs.cpSync(data.folder, path.join(dir, 'workspace'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'document.txt'), path.relative(data.folder, fileURLToPath(data.uri)) + '\n');
  fs.writeFileSync(
    path.join(dir, 'README.txt'),
    `${srv.name}: consistency failure, ${data.n} requirements, seed ${data.seed}.\n` +
      `With workspace/ as the workspace folder, open the document named in document.txt with the text\n` +
      `of before.trl.yaml (version 1), send each batch of changes.json as one textDocument/didChange\n` +
      `(incremental ranges, versions 2, 3, ...), then ask for diagnostics: they should equal those a fresh\n` +
      `server gives for after.trl.yaml opened there (expected-diagnostics.json) but were actual-diagnostics.json.\n` +
      `Replay: node ${path.join(HERE, 'replay.mjs')} ${dir}${srv.name === 'yaml-ls' ? ' --yaml-ls' : ` --server ${path.join(dir, 'server.js')}`}\n` +
      (srv.name === 'yaml-ls' ? '' : `(server.js is the build the benchmark ran; leave --server out to replay against the current dist/server.js)\n`),
  );
  if (srv.name !== 'yaml-ls') fs.copyFileSync(srv.def.args[0], path.join(dir, 'server.js'));
  return dir;
}

/** The parse floor, cold: one `yaml`.parseDocument of the file in a fresh process (parse-once.cjs). */
async function parseCold(file) {
  const out = await run(process.execPath, [path.join(HERE, 'parse-once.cjs'), file]);
  if (out.code !== 0) throw new Error(`parse-once failed: ${out.stderr}`);
  return JSON.parse(out.stdout).ms[0];
}

/** The parse floor, warm: `yaml`.parseDocument in this (warmed-up) process. */
function parseWarm(text) {
  const { parseDocument } = require('yaml');
  const t0 = performance.now();
  parseDocument(text);
  return performance.now() - t0;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd ?? ROOT }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(args[0] ?? cmd)} did not finish within ${opts.timeoutMs ?? 600000} ms`));
    }, opts.timeoutMs ?? 600000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

async function measureChecker(wsDir, runs, o) {
  const cli = o.cliJs;
  const walls = [];
  let summary = '';
  for (let i = 0; i < runs; i++) {
    const r = await run(process.execPath, [cli, 'check', wsDir], { timeoutMs: o.timeout * 1000 });
    if (r.code !== 0 && r.code !== 1) throw new Error(`the checker exited with ${r.code ?? r.signal} on the workspace:\n${r.stderr.slice(-2000)}`);
    walls.push(r.ms);
    summary = r.stderr.trim().split('\n').pop();
  }
  const json = await run(process.execPath, [cli, 'check', '--format', 'json', wsDir], { timeoutMs: o.timeout * 1000 });
  let rows = [];
  try {
    rows = JSON.parse(json.stdout);
  } catch {
    // reported as a count of -1
  }
  return { wall: stats(walls), summary, problems: Array.isArray(rows) ? rows.length : -1, byFile: countBy(rows, (r) => r.file) };
}

function countBy(rows, f) {
  const m = new Map();
  for (const r of Array.isArray(rows) ? rows : []) m.set(f(r), (m.get(f(r)) ?? 0) + 1);
  return m;
}

function listCards(dir) {
  const out = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...listCards(full));
    else if (d.name.endsWith('.trl.yaml')) out.push(full);
  }
  return out;
}

/** Open each workspace card in one server process, one after another: open -> diagnostics -> close. */
async function measureLspWorkspace(o, wsDir, count, anomalies) {
  const files = listCards(wsDir).slice(0, count);
  const out = {};
  for (const def of serverDefs(o, pathToFileURL(wsDir).href)) {
    const srv = await startServer(withReady(def, o));
    // Let the server index the workspace first (the cross-card rules need it), and time that.
    const rd = readiness(o, anomalies, def.name);
    const ready = await srv.waitReady(rd.timeoutMs);
    if (!ready.ok) rd.onNotReady();
    const indexMs = ready.skipped ? undefined : srv.readyAt;
    const per = [];
    let diagnostics = 0;
    const byFile = new Map();
    const t0 = performance.now();
    for (const f of files) {
      const uri = pathToFileURL(f).href;
      const r = await srv.open(uri, fs.readFileSync(f, 'utf8'));
      per.push(r.ms);
      diagnostics += r.diagnostics.length;
      byFile.set(f, r.diagnostics.length);
      srv.close(uri);
    }
    const total = performance.now() - t0;
    out[def.name] = {
      total,
      per: stats(per),
      diagnostics,
      memory: srv.memory(),
      byFile,
      files: files.length,
      indexMs,
      refreshes: srv.events.refreshRequests,
      refreshPulls: srv.events.refreshPulls,
    };
    collectLogs(srv, anomalies, `workspace of ${files.length} cards`);
    await srv.stop();
    log(`workspace: ${def.name} opened ${files.length} cards in ${fmtMs(total)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

const METRICS = [
  ['start', 'server start (spawn → initialize answered)'],
  ['coldOpen', 'open → diagnostics, cold (fresh process)'],
  ['warmOpen', 'open → diagnostics, warm (same process, another card)'],
  ['edit', 'one-char edit → diagnostics (edit + revert)'],
  ['completeItem', 'completion, key in a requirement item'],
  ['completeTop', 'completion, top-level key'],
  ['hover', 'hover, key in a requirement item'],
];

function targetsFor(size, ours, theirs) {
  const rows = [];
  const med = (k) => median(ours.samples[k]);
  const edit = med('edit');
  rows.push({ metric: 'edit', what: `one-char edit → diagnostics median ≤ 5 ms`, value: fmtMs(edit), met: edit <= 5 });
  for (const k of ['completeItem', 'completeTop', 'hover']) rows.push({ metric: k, what: `${METRICS.find((m) => m[0] === k)[1]} median ≤ 5 ms`, value: fmtMs(med(k)), met: med(k) <= 5 });
  const floor = size.parse.cold.median;
  rows.push({ metric: 'coldOpen', what: `cold open ≤ 1.3 × bare yaml parse in a fresh process (${fmtMs(floor)} → ≤ ${fmtMs(1.3 * floor)}; warm parse ${fmtMs(size.parse.warm.median)})`, value: `${fmtMs(med('coldOpen'))} (${fmtRatio(med('coldOpen'), floor)} cold, ${fmtRatio(med('coldOpen'), size.parse.warm.median)} warm parse)`, met: med('coldOpen') <= 1.3 * floor });
  if (theirs) {
    const a = ours.memory.hwm;
    const b = theirs.memory.hwm;
    rows.push({ metric: 'memory', what: `peak memory ≤ ½ of yaml-language-server's (${fmtMB(b)} → ≤ ${fmtMB(b / 2)})`, value: `${fmtMB(a)} (${fmtRatio(a, b)})`, met: a <= b / 2 });
  }
  for (const r of rows) if (ours.failed && Object.keys(ours.failed).length && r.metric === 'edit') r.met = false;
  return rows;
}

function sizeTable(size, defs, md) {
  const ours = size.servers.ours;
  const theirs = size.servers['yaml-ls'];
  const lines = [];
  const head = ['metric', 'ours median / p95 (n)', ...(theirs ? ['yaml-ls median / p95 (n)', 'ours/yaml-ls'] : []), 'server CPU per op: ours' + (theirs ? ' / yaml-ls' : '')];
  const rows = [];
  for (const [k, label] of METRICS) {
    const a = stats(ours.samples[k]);
    const b = theirs ? stats(theirs.samples[k]) : undefined;
    const cpu = k === 'coldOpen' || k === 'start' ? '–' : `${fmtMs(ours.cpu[k])}${theirs ? ` / ${fmtMs(theirs.cpu[k])}` : ''}`;
    rows.push([label, cell(a), ...(theirs ? [cell(b), fmtRatio(a.median, b.median)] : []), cpu]);
  }
  if (ours.indexMs !== undefined) rows.push(['our folder index done (spawn → "Indexed" log)', fmtMs(ours.indexMs), ...(theirs ? ['', ''] : []), '']);
  rows.push(['peak memory (VmHWM)', fmtMB(ours.memory.hwm), ...(theirs ? [fmtMB(theirs.memory.hwm), fmtRatio(ours.memory.hwm, theirs.memory.hwm)] : []), '']);
  rows.push(['floor: yaml parseDocument of this card, cold / warm', `${fmtMs(size.parse.cold.median)} / ${fmtMs(size.parse.warm.median)}`, ...(theirs ? ['', ''] : []), '']);
  if (md) {
    lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
    for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  } else {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const fmt = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
    lines.push(fmt(head), widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) lines.push(fmt(r));
  }
  return lines;
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function verdict(met) {
  return met ? 'met' : 'MISSED';
}

function machineInfo(o) {
  const cpus = os.cpus();
  let ylsVersion = '?';
  try {
    ylsVersion = require('yaml-language-server/package.json').version;
  } catch {
    // not installed
  }
  let git;
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'schemas', 'esbuild.js', 'package.json'], { cwd: ROOT, encoding: 'utf8' }).trim();
    git = `${head}${dirty ? ' + uncommitted changes in server/ or build files' : ''}`;
  } catch {
    git = 'unknown';
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    ours: `trl-cards ${pkg.version} (dist/server.js built from ${git}; sha256 ${sha256(o.serverJs).slice(0, 12)})`,
    yamlLs: `yaml-language-server ${ylsVersion}`,
    yaml: `yaml ${require('yaml/package.json').version}`,
    date: new Date().toISOString(),
    command: process.env.npm_lifecycle_event === 'bench' ? `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}` : `node scripts/bench/bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  };
}

function report(r, o, md) {
  const out = [];
  const h = (t, level = 2) => out.push(md ? `${'#'.repeat(level)} ${t}\n` : `\n== ${t} ==`);
  const p = (t) => out.push(md ? `${t}\n` : t);
  const m = r.machine;
  if (md) {
    out.push('# Performance\n');
    out.push(`<!-- Written by scripts/bench/bench.mjs (\`npm run bench\`); edits are overwritten by the next run. -->\n`);
    p(`How fast the TRL Cards language server answers an editor, measured against yaml-language-server given the same card schema. ${o.quick ? '**This is a --quick smoke run: few iterations, numbers are indicative only.**' : ''}`);
  }
  h('Run');
  const info = [
    ['date', m.date],
    ['command', `\`${m.command}\``],
    ['CPU', `${m.cpu}, ${m.cores} cores`],
    ['memory', m.memory],
    ['OS', m.os],
    ['Node', m.node],
    ['our server', m.ours],
    ['peer', `${m.yamlLs} (validation debounce removed, see Methodology)`],
    ['parser floor', m.yaml],
    ['bare node process (`node -e`), VmHWM', fmtMB(r.nodeBaseline)],
    ['load average (1 min) during the run', r.loads.map((x) => x.toFixed(2)).join(', ')],
    ['total runtime', fmtMs(r.totalMs)],
  ];
  if (md) {
    out.push('| | |', '|---|---|', ...info.map(([k, v]) => `| ${k} | ${v} |`), '');
  } else for (const [k, v] of info) out.push(`${k.padEnd(36)} ${v.replace(/`/g, '')}`);
  if (r.loads.some((x) => x > m.cores)) p(`${md ? '> ' : ''}Note: the machine was busy with other work during this run (load average above ${m.cores} on ${m.cores} cores; the benchmark itself keeps about one core busy), which inflates wall-clock latencies of both servers alike; the server CPU-per-operation column is less affected.`);

  h('Targets');
  const rows = [];
  for (const size of r.sizes) for (const t of targetsFor(size, size.servers.ours, size.servers['yaml-ls'])) rows.push([`${fmtInt(size.n)} req.`, t.what, t.value, verdict(t.met)]);
  if (r.checker) rows.push([`${fmtInt(r.workspace.files)} cards`, 'checker (`node dist/cli.js check DIR`, wall incl. process start) median ≤ 2 s', fmtMs(r.checker.wall.median), r.workspace.files === 1000 ? verdict(r.checker.wall.median <= 2000) : 'n/a (the target is for 1,000 cards)']);
  if (md) out.push('| size | target | measured (ours) | |', '|---|---|---:|---|', ...rows.map((x) => `| ${x.join(' | ')} |`), '');
  else {
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((x) => x[i].replace(/`/g, '').length)));
    for (const x of rows) out.push(`${x[0].padEnd(w[0])}  ${x[1].replace(/`/g, '').padEnd(w[1])}  ${x[2].padStart(w[2])}  ${x[3]}`);
  }
  const met = rows.filter((x) => x[3] === 'met').length;
  const judged = rows.filter((x) => x[3] === 'met' || x[3] === 'MISSED').length;
  p(`${met} of ${judged} targets met.`);

  for (const size of r.sizes) {
    h(`${fmtInt(size.n)} requirements — ${fmtInt(size.lines)} lines, ${(size.bytes / 1024).toFixed(0)} KiB`, 3);
    const it = size.iterations;
    p(`Iterations: ${it.cold} cold start(s), ${it.warm} warm open(s), ${it.edits} edit+revert pair(s), ${it.requests} request(s) of each kind, per server (fewer if the time budget ran out; n shows the samples). Times are median / p95; "ours/yaml-ls" is the ratio of medians (below 1 = ours faster or smaller).`);
    out.push(...sizeTable(size, r.defs, md));
    const ev = size.servers.ours.events;
    if (ev && md) out.push('', `Our server asked for ${ev.refreshRequests} diagnostic refresh(es) in this size's main process; the client, like VS Code, pulled the open documents again each time (${ev.refreshPulls} pulls).`);
    if (md) out.push('');
  }

  if (r.checker || r.lspWorkspace) {
    h(`Workspace of ${fmtInt(r.workspace.files)} cards (${fmtInt(r.workspace.lines)} lines, ${(r.workspace.bytes / 1024).toFixed(0)} KiB)`, 3);
    const lines = [];
    if (r.checker) lines.push(['checker `node dist/cli.js check DIR` (wall, incl. node start)', `${fmtMs(r.checker.wall.median)} / ${fmtMs(r.checker.wall.p95)} (${r.checker.wall.n})`, '', '', r.checker.summary]);
    if (r.wsParse) lines.push(['yaml parseDocument of every card, in one warm process (floor)', fmtMs(r.wsParse), '', '', 'median of 2 passes after a warm-up pass']);
    if (r.lspWorkspace) {
      const a = r.lspWorkspace.ours;
      const b = r.lspWorkspace['yaml-ls'];
      lines.push([`LSP: open → diagnostics → close, each of ${fmtInt(a.files)} cards in turn (total)`, fmtMs(a.total), b ? fmtMs(b.total) : '', b ? fmtRatio(a.total, b.total) : '', '']);
      lines.push(['LSP: per card, median / p95', `${fmtMs(a.per.median)} / ${fmtMs(a.per.p95)}`, b ? `${fmtMs(b.per.median)} / ${fmtMs(b.per.p95)}` : '', b ? fmtRatio(a.per.median, b.per.median) : '', '']);
      if (a.indexMs !== undefined) lines.push(['LSP: our workspace index done (spawn → "Indexed" log), waited for before the opens', fmtMs(a.indexMs), '', '', '']);
      lines.push(['LSP: peak memory (VmHWM)', fmtMB(a.memory.hwm), b ? fmtMB(b.memory.hwm) : '', b ? fmtRatio(a.memory.hwm, b.memory.hwm) : '', '']);
      lines.push(['LSP: diagnostic refreshes the server asked for (pulls they caused)', `${a.refreshes} (${a.refreshPulls})`, b ? `${b.refreshes} (${b.refreshPulls})` : '', '', '']);
      lines.push(['LSP: diagnostics over all cards', String(a.diagnostics), b ? String(b.diagnostics) : '', '', r.checker ? `checker: ${r.checker.problems} problems` : '']);
    }
    const head = ['', 'ours', 'yaml-ls', 'ours/yaml-ls', 'note'];
    if (md) out.push(`| ${head.join(' | ')} |`, '|---|---:|---:|---:|---|', ...lines.map((x) => `| ${x.join(' | ')} |`), '');
    else {
      const w = head.map((hh, i) => Math.max(hh.length, ...lines.map((x) => x[i].replace(/`/g, '').length)));
      for (const x of [head, ...lines]) out.push(x.map((c, i) => (i === 0 || i === 4 ? c.replace(/`/g, '').padEnd(w[i]) : c.padStart(w[i]))).join('  '));
    }
  }

  if (r.pushCheck) {
    h(`Our server in push mode (a client without pull diagnostics), ${fmtInt(r.pushCheck.n)} requirements`, 3);
    p(`cold open → publishDiagnostics ${fmtMs(r.pushCheck.open)}; one-char edit → publishDiagnostics median ${fmtMs(median(r.pushCheck.edits))} over ${r.pushCheck.edits.length} (edit + revert); diagnostics ${r.pushCheck.ok ? 'reflected every edit and revert' : '**did not reflect every edit** (see below)'}.`);
  }

  h('Suspicious behaviour', 3);
  if (!r.anomalies.length) p('None seen: every edit and revert was reflected by the first diagnostics answer, completions and hovers had the expected content, no server logged an error, wrote to stderr or crashed.');
  else for (const a of r.anomalies) p(`${md ? '- ' : '* '}**${a.server}**, ${a.where}: ${a.message}${a.count > 1 ? ` (${a.count}×)` : ''}`.replace(md ? /$^/ : /\*\*/g, ''));
  if (r.error) p(`${md ? '**' : ''}The run stopped early: ${r.error}${md ? '**' : ''}`);

  if (r.features) {
    h('Fixes and navigation (our server only)');
    p('Over real LSP, our server alone (yaml-language-server has no such requests for cards). Code actions on the edited requirement\'s line, the code lens of the card, Go to Definition on its `previous` entry and Find References on its `id`; the re-check is the time from a didChange lowering an open component card\'s `level` (and raising it back) to the dependent open system card\'s pulled diagnostics reflecting it, in a workspace of generated cards (scripts/bench/features.mjs).');
    p(r.features);
  }
  if (md) out.push(METHODOLOGY(r, o));
  return out.join('\n');
}

function METHODOLOGY(r, o) {
  return `## Methodology

**Cards.** \`scripts/bench/cards.mjs\` generates deterministic (seeded) level-7 cards: every field
that levels 0–7 ask for is present, and the \`requirements\` list, in the middle of the card,
holds N items of 8 lines each (\`id: "a.b.c"\` as a quoted string, \`kind\`, \`text\`,
\`verification\`, \`validation\`, \`p_failure\`, \`value\`, \`risk\` = p_failure × value), so
N = 5,000 is about 40,000 lines and 1.8 MB (the issue estimated ~6 lines per requirement; with
every one of those fields on its own line it is 8, so the cards are a little heavier than
planned; the example cards in \`examples/\` have 9–12). Around the list: owners, hypotheses,
experiments, data, ethics, metrics, testing, scenarios, review, history, a few folded (\`>-\`)
scalars. The cards are clean (no diagnostics) for both servers; the run reports it if not.

The workspace is ${fmtInt(r.workspace?.files ?? 0)} smaller cards (levels 0–9, 0–30 requirements) of technologies in 25 team
folders: each technology has cards for some of its levels, the same
\`id\` on each, \`previous\` listing its earlier cards, and from level 3 about half name an
earlier technology as a component by id; about one card in ten has a deliberate mistake (typo
in a key or in a \`previous\` path, out-of-range value, bad date, empty value, duplicate key).
Everything is written to a temporary directory and deleted afterwards (\`--keep\` keeps it).

**Driving the servers.** At the start the benchmark copies \`dist/server.js\` and \`dist/cli.js\`
(built by \`npm run bench\`) to its temporary directory and runs those copies, so that a rebuild of
\`dist/\` during the run cannot mix two builds (the report gives the copy's sha256). Our server
gets the \`initializationOptions\` the extension's client sends (\`rulesBaseUrl\`, \`settings\`).
\`scripts/bench/lsp.mjs\` starts each server as \`node … --stdio\` and
speaks LSP through \`vscode-jsonrpc/node\`, as VS Code does: \`initialize\` with VS Code's client
capabilities (including pull diagnostics, \`workspace.configuration\`, snippets, Markdown),
\`initialized\`, answers the servers' \`workspace/configuration\`, \`client/registerCapability\` and
\`workspace/diagnostic/refresh\` requests (on a refresh it pulls the open documents again, as
VS Code does), and waits for the configuration exchange before the first document opens.
Documents are opened with \`textDocument/didOpen\` and edited with incremental
\`textDocument/didChange\` (both servers ask for incremental sync). Nothing sleeps: every
measurement ends on the event that an editor would act on.

Each size has its own workspace folder holding the card and the earlier card its \`previous\`
names (so the card is clean for the cross-card rules too). Our server indexes its workspace
folder in the background for those rules, and logs \`Indexed N cards in the workspace.\` when
done; where a settled answer is needed (the baseline diagnostics before the edits, the
consistency reference, the 1,000-card workspace) the client waits for that log line (up to
${o.indexTimeout} s, \`--index-timeout\`; a server that never logs it is reported, and not waited for
again). Cold opens do not wait: like an editor restoring an open card, they open it right after
the handshake, while the index is being built; if the first answer differs from the settled
one, that is reported.

- Our server offers pull diagnostics, so, as VS Code does, the client sends
  \`textDocument/diagnostic\` right after \`didOpen\`/\`didChange\`; the time runs from sending the
  notification to the answer. yaml-language-server only pushes, so the time runs to the
  \`textDocument/publishDiagnostics\` for that document.
- **server start**: spawn → \`initialize\` answered (node start, module loading), per cold start.
- **open, cold**: a fresh server process per sample (after the handshake), the card's first open.
  **open, warm**: in the same process, another card of the same size (different text, so no
  cache can answer), then closed.
- **one-char edit**: \`p_failure: 0.2\` of the middle requirement becomes \`2.2\` (one character),
  then back. The diagnostics must *reflect* it: after the edit, the original set plus a new
  diagnostic on that line; after the revert, exactly the original set. An answer that does not
  is counted as stale, and the client waits (as an editor would) for a refresh/a later publish;
  if none brings the right set within ${o.staleTimeout} s, the sample is reported as a correctness
  failure under "Suspicious behaviour" and not counted as a latency. Both edit and revert
  are samples.
- **completion** at the start of the \`text\` key of the middle requirement (expects
  \`mitigation\` and \`status\` offered) and at column 0 of the first top-level key after the
  requirements (expects \`worst_case\`); **hover** on the \`p_failure\` key of the middle
  requirement (expects its description). The time is the request's round trip.
- **peak memory**: \`VmHWM\` from \`/proc/<pid>/status\` of the server process that ran every
  measurement of that size (the document open the whole time, plus the warm opens), read before
  the consistency check. A bare \`node -e\` process is given for scale (V8 and Node alone).
- **consistency** (not timed): after the measurements, a seeded burst of 20 typing-like edits
  (overwrite, delete or insert characters, split and join lines, delete a few lines across a
  top-level key, start a new requirement, type at column 0, non-ASCII text including a
  character outside the BMP, an anchor/alias pair, a \`---\` marker), sent as several
  \`didChange\` notifications without waiting, some with several changes each. The diagnostics
  must then equal those a fresh server process (same folder, same URI, settled) gives for the
  same final text. A mismatch is
  reported with a directory holding the texts, the changes and both diagnostic sets, and
  \`scripts/bench/replay.mjs DIR\` replays it.
- **server CPU per op**: user + system CPU time of the server process (from \`/proc/<pid>/stat\`,
  10 ms ticks) over a metric's loop, divided by the operations; it includes GC threads and is
  less sensitive than wall time to other load on the machine.
- The two servers alternate: each iteration runs one measurement on each, the order flipping
  every iteration; the cold starts and the cold parse floor take turns likewise. Median and
  p95 (nearest rank; with fewer than 20 samples p95 is the maximum or close to it). Each metric stops early once it has 3
  samples and has used its time budget (${o.budget} s per server, \`--budget\`).
- **yaml parse floor**: \`require('yaml').parseDocument(text)\` (yaml ${require('yaml/package.json').version}, the parser
  both our server and the checker use) of the same card: *cold* is the first call in a fresh
  process (\`scripts/bench/parse-once.cjs\`, excluding process start and \`require\`), taking turns
  with the servers' cold starts (at least 3 samples); *warm* is a call in the benchmark process,
  already warmed up, taken in the same turns as the warm opens. The cold-open target compares
  against the cold floor, since a cold open is also a first parse; the warm ratio is shown too.
- **checker**: \`node dist/cli.js check <workspace>\` as a child process, wall time from spawn to
  exit (node start included), median of ${o.checkerRuns} runs. Its JSON output is counted too.

**yaml-language-server settings.** Language id \`yaml\`; \`workspace/configuration\` answers
\`yaml\` with \`{validate: true, hover: true, completion: true, schemas: {"<file URL of
schemas/trl-card.schema.json>": "*.trl.yaml"}, schemaStore: {enable: false},
kubernetesCRDStore: {enable: false}}\` (the two stores would be fetched from the network; there
is none here and they do not apply to these files), \`[yaml]\`/\`editor\`/\`http\` with defaults.

**Removing yaml-language-server's 200 ms debounce.** It validates in
\`ValidationHandler.validate\` (\`out/server/src/languageserver/handlers/validationHandlers.js\`)
with \`setTimeout(…, this.yamlSettings.validationDelayMs)\`, where \`validationDelayMs = 200\` is a
field of \`SettingsState\` (\`out/server/src/yamlSettings.js\`), not a setting a client can send.
The benchmark starts it as \`node -r scripts/bench/yaml-ls-no-debounce.cjs
node_modules/yaml-language-server/bin/yaml-language-server --stdio\`. The preload \`require\`s
\`validationHandlers.js\` before the server does (Node caches modules by file name, so the
server gets the patched class) and replaces \`validate\` with the same code scheduled by
\`setImmediate\` instead of the 200 ms timeout (and \`cleanPendingValidation\` cancels that
immediate). Validation thus runs as soon as the messages already received are handled — the
same scheduling as our server's push mode — and edits in one burst still coalesce. Nothing in
\`node_modules\` changes; the preload announces itself on stderr and the benchmark refuses to
run if that line is missing (e.g. after an upgrade that moved the code).

**Caveats.** The machine is shared: other processes may run during the benchmark (see the load
averages above), which adds noise to wall times of both servers; the alternation spreads it
evenly. Times include the client's JSON-RPC encoding and decoding in the benchmark process, as in
an editor. Ratios compare two different feature sets: yaml-language-server checks the JSON
Schema only, our server also checks the level table and the requirement rules.

## How to run

\`\`\`
npm run bench                     # full run, writes docs/performance.md (about 10 minutes)
npm run bench -- --quick          # smoke run (about 2 minutes), no report unless --doc is given
node scripts/bench/bench.mjs --help   # options (sizes, iterations, budget, timeouts)
\`\`\`
`;
}

// ---------------------------------------------------------------------------------------------
// Main

async function pushCheck(n, dir, o, anomalies) {
  const card = bigCard(n, { variant: 99 });
  const { folder, uri } = writeCardFolder(dir, `push-${n}`, `push-${n}.trl.yaml`, card, n);
  const def = serverDefs(o, pathToFileURL(folder).href)[0];
  const srv = await startServer({ ...withReady(def, o), name: 'ours (push mode)', pull: false });
  const where = `push mode, ${fmtInt(n)} requirements`;
  try {
    // Settled first (workspace indexed), so that the pushes measured are those of the edits.
    const rd = readiness(o, anomalies, def.name);
    if (!(await srv.waitReady(rd.timeoutMs)).ok) rd.onNotReady();
    if (srv.pullMode) throw new Error('the server uses pull diagnostics although the client did not announce them');
    const open = await srv.open(uri, card.text);
    const base = open.diagnostics;
    const L = card.edit.line;
    const edits = [];
    let ok = true;
    for (let i = 0; i < 3; i++) {
      const b = await srv.edit(uri, card.edit, 1, card.edit.to, (d) => d.some((x) => x.range.start.line <= L && x.range.end.line >= L), 'the edit 0.2 → 2.2');
      const r = await srv.edit(uri, card.edit, 1, card.edit.from, (d) => sameSet(d, base), 'the revert');
      for (const x of [b, r]) {
        if (x.ok) edits.push(x.ms);
        else ok = false;
        if (x.staleAnswers) anomalies.add(srv.name, where, `${x.staleAnswers} publishDiagnostics did not reflect the latest edit`);
      }
      if (!b.ok || !r.ok) anomalies.add(srv.name, where, `in push mode the published diagnostics did not follow the edit p_failure 0.2 → 2.2 and back`);
    }
    collectLogs(srv, anomalies, where);
    return { n, open: open.ms, edits, ok };
  } finally {
    await srv.stop();
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  for (const f of ['dist/server.js', 'dist/cli.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first (\`npm run bench\` does).`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-bench-'));
  // Run a snapshot of the build: others may rebuild dist/ while the benchmark runs.
  fs.mkdirSync(path.join(dir, 'dist'));
  for (const f of fs.readdirSync(path.join(ROOT, 'dist'))) {
    if (/^(server|cli)\.js(\.map)?$/.test(f)) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(dir, 'dist', f));
  }
  o.serverJs = path.join(dir, 'dist', 'server.js');
  o.cliJs = path.join(dir, 'dist', 'cli.js');
  const anomalies = new Anomalies();
  const defs = serverDefs(o, pathToFileURL(dir).href);
  const r = { machine: machineInfo(o), defs, sizes: [], loads: [os.loadavg()[0]], anomalies: anomalies.list, workspace: undefined };
  const base = await run(process.execPath, ['-e', "process.stdout.write(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1])"]);
  r.nodeBaseline = Number(base.stdout);
  log(`temporary directory ${dir}; servers: ${defs.map((d) => d.name).join(', ')}${o.quick ? ' (quick)' : ''}`);
  try {
    try {
      // Workspace first (written once), then the per-size measurements.
      const wsDir = path.join(dir, 'workspace');
      r.workspace = writeWorkspace(wsDir, o.workspace);
      log(`workspace: ${r.workspace.files} cards, ${r.workspace.lines} lines`);

      for (const n of o.sizes) {
        const size = await measureSize(n, o, dir, anomalies);
        r.sizes.push(size);
        r.loads.push(...size.load.slice(1));
      }

      if (o.workspace > 0) {
        r.checker = await measureChecker(wsDir, o.checkerRuns, o);
        log(`checker: median ${fmtMs(r.checker.wall.median)} (${r.checker.summary})`);
        const { parseDocument } = require('yaml');
        const texts = [...workspaceCards(o.workspace).values()];
        const passes = [];
        for (let pass = 0; pass < 3; pass++) {
          const tp = performance.now();
          for (const t of texts) parseDocument(t);
          if (pass > 0) passes.push(performance.now() - tp); // the first pass warms up
        }
        r.wsParse = median(passes);
        if (o.lspWorkspace > 0) {
          r.lspWorkspace = await measureLspWorkspace(o, wsDir, o.lspWorkspace, anomalies);
          // Same engine, same cards: the server and the checker must find the same problems.
          const a = r.lspWorkspace.ours;
          if (o.lspWorkspace === o.workspace && r.checker.problems >= 0 && a.diagnostics !== r.checker.problems) {
            const differ = [...a.byFile].filter(([f, k]) => (r.checker.byFile.get(path.relative(ROOT, f)) ?? r.checker.byFile.get(f) ?? 0) !== k);
            anomalies.add('ours', 'workspace', `the server reported ${a.diagnostics} diagnostics over the workspace, the checker ${r.checker.problems} problems (${differ.length} cards differ, e.g. ${differ.slice(0, 2).map(([f, k]) => `${path.basename(f)}: ${k}`).join(', ')})`);
          }
        }
      }
      const pushN = o.sizes.includes(100) ? 100 : Math.min(...o.sizes);
      r.pushCheck = await pushCheck(pushN, dir, o, anomalies);
      // Code actions, code lens, navigation and the re-check of dependents (features.mjs).
      r.features = await measureFeatures({
        previewRequirements: 1000,
        requirements: o.sizes.includes(5000) ? 5000 : Math.max(...o.sizes),
        cards: o.workspace || 1000,
        requests: o.quick ? 5 : 30,
        serverJs: o.serverJs,
      });
    } catch (err) {
      r.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      r.loads.push(os.loadavg()[0]);
      r.totalMs = performance.now() - t0;
      if (r.sizes.length) {
        process.stdout.write(report(r, o, false) + '\n');
        if (o.writeDoc) {
          fs.mkdirSync(path.dirname(o.doc), { recursive: true });
          fs.writeFileSync(o.doc, keepSections(o.doc, report(r, o, true)));
          log(`wrote ${path.relative(process.cwd(), o.doc)}`);
        }
      }
    }
  } finally {
    killAll();
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

/**
 * The report, followed by the sections other bench scripts wrote into the old doc (between
 * their `<!-- name-bench:start -->` and `<!-- name-bench:end -->` markers), kept as they were:
 * preview.mjs, portfolio.mjs and checker.mjs replace them when they run.
 */
function keepSections(file, report) {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const kept = markedSections(old).filter((block) => !report.includes(block.slice(0, block.indexOf('-->'))));
  return kept.length ? `${report.replace(/\n*$/, '\n\n')}${kept.join('\n\n')}\n` : report;
}

process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

main().catch((err) => {
  killAll();
  process.stderr.write(`\nbench: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  if (!(err instanceof ServerError) && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  process.exit(1);
});
