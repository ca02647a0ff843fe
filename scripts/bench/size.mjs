// One card size, both servers, measurement by measurement in alternating order: start, open,
// edits (each checked against a fresh server), completion and hover; a failed consistency check
// written out for replay.mjs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigCard, editBurst, previousCard } from './cards.mjs';
import { diagKey } from './lsp.mjs';
import { freshDiagnostics, serverDefs, settled, startServer } from './servers.mjs';
import { collectLogs, readiness, withReady } from './anomalies.mjs';
import { parseCold, parseWarm } from './floor.mjs';
import { iterationsFor } from './options.mjs';
import { stats, fmtMs, fmtInt, log } from './stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Rotate the order between iterations, so that no contestant always goes first. */
export function ordered(items, i) {
  const k = i % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function sameSet(a, b) {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(diagKey));
  return b.every((d) => keys.has(diagKey(d)));
}

export function labelsOf(result) {
  const items = Array.isArray(result) ? result : result?.items ?? [];
  return items.map((i) => i.label);
}

export function hoverText(result) {
  const c = result?.contents;
  if (!c) return '';
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value ?? '';
}

/** A workspace folder holding the card and the earlier card its `previous` names. */
export function writeCardFolder(dir, folderName, fileName, card, n) {
  const folder = path.join(dir, folderName);
  fs.mkdirSync(folder);
  const file = path.join(folder, fileName);
  fs.writeFileSync(file, card.text);
  const prev = previousCard(n);
  fs.writeFileSync(path.join(folder, prev.name), prev.text);
  return { folder, file, uri: pathToFileURL(file).href };
}

export async function measureSize(n, o, dir, anomalies) {
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
export function writeRepro(srv, data) {
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
