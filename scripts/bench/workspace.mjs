// The workspace measurements: the checker (dist/cli.js) over the generated workspace, and each
// of its cards opened in one server process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { run } from './run.mjs';
import { serverDefs, startServer } from './servers.mjs';
import { collectLogs, readiness, withReady } from './anomalies.mjs';
import { stats, fmtMs, log } from './stats.mjs';

export async function measureChecker(wsDir, runs, o) {
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

export function countBy(rows, f) {
  const m = new Map();
  for (const r of Array.isArray(rows) ? rows : []) m.set(f(r), (m.get(f(r)) ?? 0) + 1);
  return m;
}

export function listCards(dir) {
  const out = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...listCards(full));
    else if (d.name.endsWith('.trl.yaml')) out.push(full);
  }
  return out;
}

/** Open each workspace card in one server process, one after another: open -> diagnostics -> close. */
export async function measureLspWorkspace(o, wsDir, count, anomalies) {
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
