// Deterministic (seeded) generator of TRL cards for the benchmark.
//
//   bigCard(n, { seed })         a realistic level-7 card with n requirements (8 lines each)
//   workspaceCards(count, seed)  a varied set of smaller cards, levels 0-9, some with mistakes
//   keysCard(n)                  a level-0 card whose `model:` holds n keys (issue 18)
//
// Run alone to look at the output: `node scripts/bench/cards.mjs 10` prints a 10-requirement card;
// `node scripts/bench/cards.mjs --workspace DIR` writes the 1,000-card workspace into DIR.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

const NOUNS = ['model', 'pipeline', 'dataset', 'detector', 'forecast', 'embedding', 'classifier', 'ranker', 'sensor feed', 'policy', 'scheduler', 'estimator', 'label set', 'feature store', 'inference service', 'calibration', 'threshold', 'batch job', 'dashboard', 'alert'];
const VERBS = ['must keep', 'shall report', 'must bound', 'should reduce', 'shall expose', 'must preserve', 'shall log', 'must recover', 'should flag', 'shall limit'];
const OBJECTS = ['latency under 200 ms at p99', 'recall above 0.9 on the held-out slice', 'drift within two standard deviations', 'every prediction with its model version', 'memory below 2 GiB per replica', 'false alarms under one per shift', 'the audit trail for 90 days', 'calibration error below 0.05', 'throughput of 500 requests per second', 'degraded mode when the upstream feed is late', 'per-region error rates', 'the confidence interval of each estimate'];
const CHECKS = ['unit test in CI', 'load test on the staging cluster', 'offline replay of last quarter', 'statistical test on the validation split', 'code review and static analysis', 'shadow deployment for two weeks', 'canary on 5% of traffic', 'red-team exercise', 'benchmark suite run nightly', 'manual audit of 200 samples'];
const USERS = ['the operations team', 'field engineers', 'the planning desk', 'analysts', 'the product owner', 'on-call staff', 'customers in the pilot', 'the safety board'];
const PEOPLE = ['Ada Lovelace <ada@example.org>', 'Grace Hopper <grace@example.org>', 'Alan Turing <alan@example.org>', 'Katherine Johnson <kj@example.org>', 'Edsger Dijkstra <ewd@example.org>', 'Barbara Liskov <liskov@example.org>', 'Donald Knuth <knuth@example.org>', 'Margaret Hamilton <mh@example.org>', 'Team Orbit <orbit@example.org>', 'Data Platform <data@example.org>'];
const TECH = ['Solar-array optimisation', 'Wind-farm forecasting', 'Grid anomaly detection', 'Battery health estimation', 'Demand response ranking', 'Crop yield prediction', 'Flood risk mapping', 'Traffic flow control', 'Satellite image triage', 'Turbine fault diagnosis'];
const STATUS = ['none', 'partial', 'passing', 'failing'];

function sentence(r) {
  return `The ${r.pick(NOUNS)} ${r.pick(VERBS)} ${r.pick(OBJECTS)}`;
}

/** A requirement id "a.b.c", unique for i >= 0. */
export function requirementId(i) {
  return `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`;
}

/** risk = p_failure x value, rounded to 3 decimals as a card author would write it. */
function riskOf(p, v) {
  return Math.round(p * v * 1000) / 1000;
}

function requirementLines(r, i, opts = {}) {
  const p = opts.p ?? r.int(1, 5) * 0.05;
  const pText = opts.pText ?? String(Math.round(p * 100) / 100);
  const v = r.int(1, 10);
  const kind = opts.kind ?? (i % 3 === 1 ? 'product' : 'research');
  return [
    `  - id: "${requirementId(i)}"`,
    `    kind: ${kind}`,
    `    text: ${sentence(r)} for ${r.pick(USERS)}.`,
    `    verification: ${r.pick(CHECKS)}, with results attached to the release notes.`,
    `    validation: ${r.pick(USERS)} confirm it in the quarterly review (${r.pick(CHECKS)}).`,
    `    p_failure: ${pText}`,
    `    value: ${v}`,
    `    risk: ${riskOf(Number(pText), v)}`,
  ];
}

/**
 * A realistic level-7 card: every field levels 0..7 ask for is present, and `n` requirements in
 * the middle of the card. The requirement at index `editIndex` (default n/2) has `p_failure: 0.2`,
 * so a one-character edit (0.2 -> 2.2) makes it invalid.
 * Returns { text, lines, edit: { line, character }, positions: {...} }.
 */
export function bigCard(n, { seed = 1, variant = 0 } = {}) {
  const r = rng(seed * 7919 + n);
  const editIndex = Math.floor(n / 2);
  const L = [];
  const tech = TECH[seed % TECH.length];
  L.push(`# TRL card generated for the benchmark (n=${n}, seed=${seed}${variant ? `, variant=${variant}` : ''})`);
  L.push(`technology: ${tech}${variant ? ` (copy ${variant})` : ''}`);
  L.push(`id: BENCH-${n}${variant ? `-${variant}` : ''}`);
  L.push(`version: "1.${n % 10}.0"`);
  L.push('level: 7');
  L.push('tldr: >-', `  ${sentence(r)}; this card tracks it from research to integration`, `  with ${n} requirements, each verified and validated, with its risk.`);
  L.push('owners:', '  rnd:', `    owner: ${PEOPLE[0]}`, '    reviewers:', `      - ${PEOPLE[1]}`, `      - ${PEOPLE[2]}`);
  L.push('  product:', `    owner: ${PEOPLE[3]}`, '    reviewers:', `      - ${PEOPLE[4]}`);
  L.push('working_group:', `  - ${PEOPLE[5]}`, `  - ${PEOPLE[6]}`, `  - ${PEOPLE[8]}`);
  L.push('components:', '  - "4.2"', '  - "4.3"');
  L.push('previous:', `  - ./bench-${n}.level-6.trl.yaml`);
  L.push('hypotheses:');
  for (let h = 0; h < 2; h++) {
    L.push(`  - statement: ${sentence(r)}.`, '    principles: Convex relaxation of the scheduling problem; error bounds from concentration inequalities.', '    references:', `      - doi:10.1000/bench.${h + 1}`);
  }
  L.push('research_plan: >-', '  Low-level experiments on synthetic data first, then on a month of real telemetry;', '  each hypothesis gets one experiment and one written result.');
  L.push('experiments:');
  for (let e = 0; e < 3; e++) {
    L.push(`  - property: ${r.pick(OBJECTS)}`, `    method: ${r.pick(CHECKS)}`, '    result: Holds on every slice but one; see the report.', `    date: "2025-0${e + 1}-1${e}"`);
  }
  L.push('decision_path: prototype');
  const reqStart = L.length;
  L.push('requirements:');
  for (let i = 0; i < n; i++) {
    const lines = requirementLines(r, i, i === editIndex ? { p: 0.2, pText: '0.2' } : {});
    L.push(...lines);
  }
  const afterRequirements = L.length;
  L.push('data:', '  considerations: Summer months are over-represented; two regions have sparse labels.');
  L.push('  datasets:', '    - name: telemetry-2024', '      version: "2.1.0"', '      simulated: false', '      description: One year of plant telemetry, 15-minute resolution.');
  L.push('    - name: synthetic-storms', '      version: "0.3.0"', '      simulated: true', '      description: Simulated extreme-weather days.');
  L.push('  pipeline: Nightly export from the historian to parquet, validated with schema checks, kept 3 years.');
  L.push('sim_to_real: Models trained on simulated storms are compared with the three real storms of 2024; gap under 8%.');
  L.push('ethics:', '  status: done', '  checklist: ./ethics/checklist.md', `  reviewer: ${PEOPLE[7]}`, '  notes: No personal data; outages affect vulnerable customers first, so alerts are prioritised.');
  L.push('model:', '  name: GridNet', '  algorithm: gradient-boosted trees', '  details: 600 trees, depth 8, monotone constraints on temperature.');
  L.push('metrics:', '  - name: MAE', '    value: 0.042', '    dataset: telemetry-2024', '  - name: recall@alert', '    value: 0.93', '    dataset: telemetry-2024');
  L.push('caveats:', '  - Not validated for plants above 500 MW.', '  - Sensor outages longer than a day degrade the forecast.');
  L.push('assumptions:', '  - Weather forecasts are available six hours ahead.', '  - Telemetry clocks are synchronised within one minute.');
  L.push('intended_use: Day-ahead scheduling support for operators; not for automatic control.');
  L.push('versions:', '  code: "3.2.1"', '  model: "1.7.0"', '  data: "2.1.0"');
  L.push('links:', '  project: https://example.org/gridnet', '  code: https://example.org/gridnet/code', '  docs: https://example.org/gridnet/docs');
  L.push('testing:', '  unit: passing', '  integration: passing', '  style: passing', '  documentation: partial', '  ml_test_score: 6.5');
  L.push('critical_scenarios:', '  - scenario: Storm front arrives earlier than forecast', '    data_slice: storm days', '    p_failure: 0.1', '    value: 9', '    mitigation: Fall back to persistence forecast and page the on-call engineer.');
  L.push('infrastructure:', '  platform: Kubernetes on the utility private cloud', '  data_pipes: Kafka topics from the historian', '  security: mTLS between services; read-only model registry.');
  L.push('review:', '  date: "2025-06-30"', '  reviewers:', `    - ${PEOPLE[9]}`, '  decision: graduate', '  notes: Integration tests green; scenarios signed off.');
  L.push('history:', '  - level: 6', '    date: "2025-03-31"', '    decision: graduate', '  - level: 7', '    date: "2025-06-30"', '    decision: hold');
  L.push('debrief:', '  accomplished: Integration with the scheduling platform, by the applied-AI team.', '  punted: Multi-plant forecasts.', '  learned: Storm days need their own slice.', '  tech_debt: Feature store migration, planned for level 8.');
  const text = L.join('\n') + '\n';

  // Positions the benchmark uses (0-based lines, UTF-16 characters).
  const editReqLine = reqStart + 1 + editIndex * 8; // "  - id: ..." of the edited requirement
  const pLine = editReqLine + 5;
  if (!L[pLine].startsWith('    p_failure: 0.2')) throw new Error(`generator: line ${pLine} is not the p_failure to edit: ${L[pLine]}`);
  const textLine = editReqLine + 2;
  return {
    text,
    lineCount: L.length,
    requirements: n,
    // one-character edit: the '0' of "0.2" -> '2' (and back)
    edit: { line: pLine, character: '    p_failure: '.length, from: '0', to: '2' },
    positions: {
      // completion at a key position inside a requirement item: start of the `text` key
      completeInItem: { line: textLine, character: 4 },
      // completion at the top level: start of the first top-level key after the requirements
      completeTopLevel: { line: afterRequirements, character: 0 },
      // hover on a key: `p_failure` of the edited requirement
      hoverKey: { line: pLine, character: 6 },
    },
  };
}

/**
 * A level-0 card whose `model:` holds n keys `k0: v` … (none a field of `model`: n
 * `unknown-field` errors), as issue 18 found them: 20,000 keys are 229 KB (223 KiB), 50,000 keys 589 KB.
 * `editLine` / `editKey`: the line and key of the 500th, where the benchmark types (among the
 * first 1,000 unknown keys, which are listed one by one: `LIMITS.maxUnknownFields`).
 */
export function keysCard(n) {
  const head = ['id: many-keys', 'technology: One mapping of many keys', 'level: 0', 'tldr: A card whose model mapping has very many keys.', 'model:'];
  const keys = Array.from({ length: n }, (_, i) => `  k${i}: v`);
  const at = Math.min(500, n - 1);
  return { text: [...head, ...keys].join('\n') + '\n', editLine: head.length + at, editKey: `k${at}` };
}

/** The earlier (level-6) card that bigCard(n)'s `previous` names: `bench-${n}.level-6.trl.yaml`. */
export function previousCard(n) {
  return {
    name: `bench-${n}.level-6.trl.yaml`,
    text: bigCard(Math.min(n, 20), { seed: 2 })
      .text.replace(/^level: 7$/m, 'level: 6')
      .replace(/^id: .*$/m, `id: BENCH-${n}`)
      .replace(/^previous:\n {2}- .*\n/m, ''),
  };
}

/**
 * One smaller card of a varied workspace: `t` = { level, id, name, previous: [paths], components: [ids] }.
 * About one card in ten has a deliberate mistake.
 */
function smallCard(r, k, t) {
  const { level } = t;
  const L = [];
  const mistake = r.chance(0.1) ? r.int(1, 6) : 0;
  L.push(`technology: ${t.name}`);
  L.push(`id: ${t.id}`);
  if (r.chance(0.7)) L.push(`version: "${r.int(0, 3)}.${r.int(0, 9)}.${r.int(0, 20)}"`);
  L.push(`level: ${level}`);
  L.push(`tldr: ${sentence(r)}.`);
  L.push('owners:', '  rnd:', `    owner: ${r.pick(PEOPLE)}`, '    reviewers:', `      - ${r.pick(PEOPLE)}`, `      - ${r.pick(PEOPLE)}`);
  if (level >= 4) L.push('  product:', `    owner: ${r.pick(PEOPLE)}`, '    reviewers:', `      - ${r.pick(PEOPLE)}`);
  if (level >= 5) L.push('working_group:', `  - ${r.pick(PEOPLE)}`);
  if (level >= 3) L.push('components:', ...(t.components.length ? t.components : [`${r.int(1, 9)}.${r.int(1, 9)}`]).map((c) => `  - "${c}"`));
  const previous = mistake === 6 && t.previous.length ? [...t.previous.slice(0, -1), t.previous[t.previous.length - 1].replace('level-', 'levle-')] : t.previous;
  if (previous.length) L.push('previous:', ...previous.map((p) => `  - ${p}`));
  L.push('hypotheses:', `  - statement: ${sentence(r)}.`, '    principles: First principles of the estimator.', '    references:', `      - doi:10.1000/ws.${k}`);
  L.push('research_plan: Experiments on synthetic data, then on real data.');
  if (level >= 1) L.push('experiments:', `  - property: ${r.pick(OBJECTS)}`, '    result: Holds.', `    date: "2025-0${r.int(1, 9)}-1${r.int(0, 9)}"`);
  if (level >= 2) {
    const n = r.int(1, 30);
    L.push('decision_path: both', 'requirements:');
    for (let i = 0; i < n; i++) L.push(...requirementLines(r, i, i === 0 ? { kind: 'product' } : {}));
    L.push('data:', '  datasets:', '    - name: real-data', '      version: "1.0.0"', '      simulated: false');
    if (level >= 6) L.push('  pipeline: Nightly batch export.');
  }
  if (level >= 3) L.push('testing:', `  unit: ${r.pick(STATUS)}`, `  integration: ${r.pick(STATUS)}`, '  style: passing', '  documentation: partial', ...(level >= 7 ? ['  ml_test_score: 6'] : []), ...(level >= 8 ? ['  deployment:', '    - shadow', '    - canary'] : []), ...(level >= 9 ? ['  regression: passing'] : []));
  if (level >= 3) L.push('links:', `  code: https://example.org/ws/${k}`);
  if (level >= 1) L.push('versions:', '  code: "1.0.0"', ...(level >= 2 ? ['  data: "1.0.0"'] : []), ...(level >= 5 ? ['  model: "1.0.0"'] : []));
  if (level >= 4) {
    L.push('intended_use: Decision support only.', 'assumptions:', '  - Inputs are complete.', 'caveats:', '  - Untested in winter.');
    L.push('metrics:', '  - name: MAE', `    value: 0.0${r.int(1, 9)}`, 'ethics:', '  status: done', '  checklist: ./ethics.md');
  }
  if (level >= 6) L.push('review:', '  date: "2025-05-01"', '  decision: graduate');
  if (level >= 7) L.push('critical_scenarios:', '  - scenario: Upstream feed is late', 'infrastructure:', '  platform: Kubernetes');
  if (level >= 8) L.push('worst_case:', '  scenario: Total data loss', '  response: Roll back to the previous model.');
  if (level >= 9) L.push('monitoring:', '  what: Error rates per region', '  alerts:', `    - ${r.pick(PEOPLE)}`, 'feedback: Weekly review of flagged predictions.');
  if (level >= 1 && mistake !== 4) L.push('debrief:', '  accomplished: The level\'s work, by the team.', '  learned: What the review found.');
  // Deliberate mistakes, of the kinds people make (6: a typo in a `previous` path, above).
  if (mistake === 1) L.push('intendd_use: typo in a key');
  if (mistake === 2) L.push('history:', '  - level: 12', '    date: "2025-1-1"');
  if (mistake === 3) L.splice(L.findIndex((l) => l.startsWith('level:')), 1, 'level: seven');
  if (mistake === 4) L.push('debrief:', '  learned: ""');
  if (mistake === 5) L.push('model:', '  name: X', 'model:', '  name: Y');
  return L.join('\n') + '\n';
}

/**
 * The 1,000-card workspace: { relativePath: text }. Technologies in team folders, each with cards
 * for some of its levels (`team-07/tech-0042/tech-0042.level-3.trl.yaml`); a card's `previous`
 * lists the technology's earlier cards, and from level 3 some cards name earlier technologies
 * as components (by id), so the cross-card rules have real links to follow.
 */
export function workspaceCards(count = 1000, seed = 42) {
  const r = rng(seed);
  const out = new Map();
  const techs = [];
  let k = 0;
  for (let t = 1; k < count; t++) {
    const top = r.int(0, 9);
    const levels = [];
    for (let l = 0; l <= top; l++) if (l === 0 || l === top || r.chance(0.5)) levels.push(l);
    const id = `WS-${String(t).padStart(4, '0')}`;
    const folder = path.join(`team-${String(t % 25).padStart(2, '0')}`, `tech-${String(t).padStart(4, '0')}`);
    const name = `${r.pick(TECH)} ${t}`;
    const files = [];
    for (const level of levels) {
      if (k >= count) break;
      const components = level >= 3 && techs.length && r.chance(0.5) ? [techs[r.int(0, techs.length - 1)]] : [];
      const file = `tech-${String(t).padStart(4, '0')}.level-${level}.trl.yaml`;
      out.set(path.join(folder, file), smallCard(r, k, { level, id, name, previous: files.map((f) => `./${f}`), components }));
      files.push(file);
      k++;
    }
    techs.push(id);
  }
  return out;
}

export function writeWorkspace(dir, count = 1000, seed = 42) {
  let bytes = 0;
  let lines = 0;
  for (const [rel, text] of workspaceCards(count, seed)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length - 1;
  }
  return { files: count, bytes, lines };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  if (args[0] === '--workspace') {
    const dir = args[1] ?? fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'trl-ws-'));
    console.log(dir, writeWorkspace(dir));
  } else {
    process.stdout.write(bigCard(Number(args[0] ?? 10)).text);
  }
}

/**
 * A seeded burst of small edits of the kinds people make while typing, for the consistency
 * check: returns { groups, finalText }, where groups is a list of didChange batches, each a
 * list of { range, text } applied in order (as LSP applies contentChanges).
 */
export function editBurst(text, seed, count = 20) {
  const r = rng(seed);
  let cur = text;
  const groups = [];
  let group = [];
  const lines = () => cur.split('\n');
  for (let k = 0; k < count; k++) {
    const ls = lines();
    const line = r.int(0, Math.max(0, ls.length - 2));
    const len = ls[line].length;
    const col = r.int(0, len);
    let range;
    let insert;
    switch (r.int(0, 8)) {
      case 0: // overwrite one character
        range = { start: { line, character: Math.min(col, Math.max(0, len - 1)) }, end: { line, character: Math.min(col + 1, len) } };
        insert = r.pick(['2', 'x', ' ', ':', '-', '#', '"']);
        break;
      case 1: // delete one character
        range = { start: { line, character: Math.min(col, Math.max(0, len - 1)) }, end: { line, character: Math.min(col + 1, len) } };
        insert = '';
        break;
      case 2: // split the line
        range = { start: { line, character: col }, end: { line, character: col } };
        insert = '\n';
        break;
      case 3: // join with the next line
        range = { start: { line, character: len }, end: { line: line + 1, character: 0 } };
        insert = '';
        break;
      case 4: // start a new requirement item above this line
        range = { start: { line, character: 0 }, end: { line, character: 0 } };
        insert = '  - id: "7.7.7"\n    kind: product\n';
        break;
      case 5: // type a word at the start of the line (may make a new top-level key)
        range = { start: { line, character: 0 }, end: { line, character: 0 } };
        insert = r.pick(['x', 'level: 3\n', 'notes: ', '\t']);
        break;
      case 6: { // delete a few whole lines (may cross a top-level key)
        const last = Math.min(ls.length - 1, line + r.int(1, 4));
        range = { start: { line, character: 0 }, end: { line: last, character: 0 } };
        insert = '';
        break;
      }
      case 7: // non-ASCII text, including a character outside the BMP (two UTF-16 units)
        range = { start: { line, character: len }, end: { line, character: len } };
        insert = r.pick([' é', ' 😀', ' “Grüße” 😀 ok']);
        break;
      default: // paste a line with an anchor and an alias, or a document marker
        range = { start: { line, character: 0 }, end: { line, character: 0 } };
        insert = r.pick(['anchored: &a here\nalias: *a\n', '---\n', '  note: *missing\n']);
    }
    const start = offsetOf(cur, range.start);
    const end = offsetOf(cur, range.end);
    cur = cur.slice(0, start) + insert + cur.slice(end);
    group.push({ range, text: insert });
    if (r.chance(0.5)) {
      groups.push(group);
      group = [];
    }
  }
  if (group.length) groups.push(group);
  return { groups, finalText: cur };
}

function offsetOf(text, pos) {
  let i = 0;
  for (let l = 0; l < pos.line; l++) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
  }
  return Math.min(text.length, i + pos.character);
}
