#!/usr/bin/env node
// The TRL Cards performance benchmark: `npm run bench` (builds, then runs this file).
//
// Drives the bundled language server (dist/server.js) and yaml-language-server (given our JSON
// Schema, its validation debounce removed) over stdio the way VS Code does, on generated cards
// of 10, 100, 1,000 and 5,000 requirements, alternating the two servers measurement by
// measurement. Also times the checker (dist/cli.js) on a 1,000-card workspace and the bare
// `yaml` parse of each card. Prints a table and writes docs/performance.md.
// `node scripts/bench/bench.mjs --help` lists the options. Methodology: docs/performance.md.
//
// The parts: options.mjs (the command line), size.mjs, workspace.mjs, floor.mjs, push.mjs and
// features.mjs (the measurements), servers.mjs and lsp.mjs (the servers and the client),
// cards.mjs (the generated cards), stats.mjs, anomalies.mjs, report.mjs.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeWorkspace, workspaceCards } from './cards.mjs';
import { ServerError, killAll } from './lsp.mjs';
import { serverDefs } from './servers.mjs';
import { measureFeatures } from './features.mjs';
import { Anomalies } from './anomalies.mjs';
import { parseArgs } from './options.mjs';
import { pushCheck } from './push.mjs';
import { machineInfo, report, keepSections } from './report.mjs';
import { measureSize } from './size.mjs';
import { median, fmtMs, log } from './stats.mjs';
import { run } from './run.mjs';
import { measureChecker, measureLspWorkspace } from './workspace.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

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
