// The benchmark's report (the terminal table and docs/performance.md): targets, the tables per
// size, the machine, the methodology; the sections other bench scripts wrote, kept.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markedSections } from './doc.mjs';
import { median, stats, fmtMs, fmtMB, fmtRatio, fmtInt, cell } from './stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

export const METRICS = [
  ['start', 'server start (spawn → initialize answered)'],
  ['coldOpen', 'open → diagnostics, cold (fresh process)'],
  ['warmOpen', 'open → diagnostics, warm (same process, another card)'],
  ['edit', 'one-char edit → diagnostics (edit + revert)'],
  ['completeItem', 'completion, key in a requirement item'],
  ['completeTop', 'completion, top-level key'],
  ['hover', 'hover, key in a requirement item'],
];

export function targetsFor(size, ours, theirs) {
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

export function sizeTable(size, _defs, md) {
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

export function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function verdict(met) {
  return met ? 'met' : 'MISSED';
}

export function machineInfo(o) {
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

export function report(r, o, md) {
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

export function METHODOLOGY(r, o) {
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

/**
 * The report, followed by the sections other bench scripts wrote into the old doc (between
 * their `<!-- name-bench:start -->` and `<!-- name-bench:end -->` markers), kept as they were:
 * preview.mjs, portfolio.mjs and checker.mjs replace them when they run.
 */
export function keepSections(file, report) {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const kept = markedSections(old).filter((block) => !report.includes(block.slice(0, block.indexOf('-->'))));
  return kept.length ? `${report.replace(/\n*$/, '\n\n')}${kept.join('\n\n')}\n` : report;
}
