/**
 * The benchmark of the features of issue 9, over real LSP (our server only: yaml-language-server
 * has no such requests for cards): code actions, code lens, definition and references on the
 * 5,000-requirement card (target ≤ 5 ms median each), and re-checking the dependents of an
 * edited component across a 1,000-card workspace (target ≤ 50 ms median: from the component's
 * didChange to the dependent system card's diagnostics reflecting it).
 *
 * Run by `npm run bench` after its main report, or alone: `node scripts/bench/features.mjs
 * [--requirements N] [--cards N] [--requests N]` (after `npm run build`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigCard, previousCard, workspaceCards } from './cards.mjs';
import { serverDefs, startServer } from './servers.mjs';
import { killAll } from './lsp.mjs';
import { numberOption } from './args.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}
const fmt = (ms) => `${ms.toFixed(2)} ms`;

function lineOf(text, pattern) {
  const i = text.split('\n').findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`no line matches ${pattern}`);
  return i;
}

async function ours(dir, o) {
  const def = serverDefs({ serverJs: o.serverJs, timeout: 120, staleTimeout: 10 }, pathToFileURL(dir).href).find((d) => d.name === 'ours');
  const srv = await startServer(def);
  return srv;
}

/** Code actions, code lens, definition and references on the n-requirement card. */
export async function measureRequests(o) {
  const n = o.requirements;
  return withOpenCard(o, n, true, async (srv, uri, card) => {
    const diagnostics = await srv.current(uri);
    const previousLine = lineOf(card.text, /^ {2}- \.\/bench-\d+\.level-6\.trl\.yaml$/);
    const idLine = lineOf(card.text, /^id: /);
    const at = card.edit; // the p_failure line of the middle requirement
    const line = { start: { line: at.line, character: 0 }, end: { line: at.line, character: 40 } };
    const requests = {
      codeAction: ['textDocument/codeAction', { textDocument: { uri }, range: line, context: { diagnostics: diagnostics.filter((d) => d.range.start.line === at.line), triggerKind: 1 } }],
      codeLens: ['textDocument/codeLens', { textDocument: { uri } }],
      definition: ['textDocument/definition', { textDocument: { uri }, position: { line: previousLine, character: 6 } }],
      references: ['textDocument/references', { textDocument: { uri }, position: { line: idLine, character: 5 }, context: { includeDeclaration: true } }],
    };
    const out = {};
    for (const [name, [method, params]] of Object.entries(requests)) {
      const samples = [];
      let result;
      for (let i = 0; i < o.requests; i++) {
        const r = await srv.timed(method, params);
        samples.push(r.ms);
        result = r.result;
      }
      out[name] = { median: median(samples), n: samples.length, answer: Array.isArray(result) ? `${result.length} item(s)` : String(result) };
    }
    return out;
  });
}

/**
 * Runs `fn(srv, uri, card)` with our server on a folder holding the n-requirement level-7 card
 * (and, with `previous`, its level-6 card), the card open and the index complete.
 */
async function withOpenCard(o, n, previous, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-bench-features-'));
  const card = bigCard(n);
  if (previous) fs.writeFileSync(path.join(dir, `bench-${n}.level-6.trl.yaml`), previousCard(n).text);
  const file = path.join(dir, `bench-${n}.level-7.trl.yaml`);
  fs.writeFileSync(file, card.text);
  const uri = pathToFileURL(file).href;
  const srv = await ours(dir, o);
  try {
    await srv.open(uri, card.text);
    await srv.waitReady(120000);
    return await fn(srv, uri, card);
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A system card and one component whose lowering changes the system's diagnostics. */
function pickPair(cards) {
  const byId = new Map();
  for (const [rel, text] of cards) {
    const id = /^id: (\S+)/m.exec(text)?.[1];
    const level = Number(/^level: (\d+)/m.exec(text)?.[1]);
    const latest = byId.get(id);
    if (!latest || latest.level < level) byId.set(id, { rel, text, level });
  }
  for (const [rel, text] of cards) {
    const level = Number(/^level: (\d+)/m.exec(text)?.[1]);
    const m = /^components:\n {2}- "?([^"\n]+)"?$/m.exec(text);
    const component = m && byId.get(m[1]);
    if (component && level >= 3 && component.level >= level && component.rel !== rel) return { system: { rel, text }, component };
  }
  throw new Error('no system card with a component at or above its level');
}

/** Re-checking an edited component's dependents across the workspace (open system card). */
export async function measureRecheck(o) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-bench-recheck-'));
  const cards = workspaceCards(o.cards);
  for (const [rel, text] of cards) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const { system, component } = pickPair(cards);
  const sysUri = pathToFileURL(path.join(dir, system.rel)).href;
  const compUri = pathToFileURL(path.join(dir, component.rel)).href;
  const srv = await ours(dir, o);
  try {
    await srv.waitReady(120000);
    await srv.open(sysUri, system.text);
    await srv.open(compUri, component.text);
    const levelLine = lineOf(component.text, /^level: \d+$/);
    const old = String(component.level);
    const limited = (items) => items.some((d) => d.code === 'component-level');
    if (limited(await srv.current(sysUri))) throw new Error('the system card is limited before the edit');
    const samples = [];
    let ok = true;
    for (let i = 0; i < o.requests; i++) {
      for (const [from, to, want] of /** @type {[string, string, boolean][]} */ ([[old, '0', true], ['0', old, false]])) {
        const r = await srv.diagnosticsAfter(sysUri, () => sendEdit(srv, compUri, { line: levelLine, character: 7 }, from.length, to), (items) => limited(items) === want, 'the system card after its component changed level');
        ok &&= r.ok;
        samples.push(r.ms);
      }
    }
    return { median: median(samples), n: samples.length, ok, system: system.rel, component: component.rel };
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A didChange of another open document (the component), replacing `length` characters at `pos`. */
function sendEdit(srv, uri, pos, length, text) {
  const version = srv.versions.get(uri) + 1;
  srv.versions.set(uri, version);
  srv.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: pos, end: { line: pos.line, character: pos.character + length } }, text }] });
}

/**
 * The preview's render model (`trlCards/cardPreview`) of the n-requirement card, asked right after
 * each one-character edit (0.2 → 2.2 and back), as the preview does while the user types.
 */
export async function measurePreview(o) {
  return withOpenCard(o, o.previewRequirements, false, async (srv, uri, card) => {
    // As the preview asks: naming the answer it holds, so the server sends what changed since it.
    const samples = [];
    const whole = [];
    const again = [];
    let rows;
    let bytes = 0;
    let wholeBytes = 0;
    const edit = (i) => sendEdit(srv, uri, { line: card.edit.line, character: card.edit.character }, 1, i % 2 ? card.edit.from : card.edit.to);
    const ask = async (params) => {
      const r = await srv.timed('trlCards/cardPreview', params);
      const result = r.result;
      if (!result || result.error || typeof result.answer !== 'string') throw new Error(`trlCards/cardPreview did not answer: ${JSON.stringify(result).slice(0, 200)}`);
      return { ...r, result, bytes: Buffer.byteLength(JSON.stringify(result)) };
    };
    let held = (await ask({ uri })).result;
    rows = held.risks.rows.length;
    let edits = 0;
    // Warm-up, not counted: the first edits of a session run before V8 has optimised the
    // server's code (a user's first keystrokes), as in any steady-state measurement.
    const warm = [];
    for (let i = 0; i < (o.warmup ?? o.requests); i++) {
      edit(edits++);
      const r = await ask({ uri, base: held.answer });
      warm.push(r.ms);
      held = { answer: r.result.answer };
    }
    for (let i = 0; i < o.requests; i++) {
      edit(edits++);
      const r = await ask({ uri, base: held.answer });
      if (r.result.delta !== true || r.result.base !== held.answer || r.result.set.version !== srv.versions.get(uri)) throw new Error(`trlCards/cardPreview did not answer the edit with a delta: ${JSON.stringify(r.result).slice(0, 300)}`);
      samples.push(r.ms);
      bytes = r.bytes;
      held = { answer: r.result.answer };
    }
    // The whole model after an edit (a preview opening, or one whose answer the server no longer
    // holds), and again with no edit in between: what moving the whole answer costs.
    for (let i = 0; i < o.requests; i++) {
      edit(edits++);
      const w = await ask({ uri });
      if (w.result.version !== srv.versions.get(uri)) throw new Error('trlCards/cardPreview answered an older version');
      whole.push(w.ms);
      wholeBytes = w.bytes;
      again.push((await ask({ uri })).ms);
    }
    const kb = (b) => `${(b / 1024).toFixed(b < 10240 ? 1 : 0)} KB`;
    return {
      median: median(samples),
      n: samples.length,
      answer: `${rows} risk rows; the first ${warm.length} edits, not counted: ${fmt(median(warm))}; the answer names the model the preview holds and carries what changed: ${kb(bytes)}; the whole model after an edit: ${fmt(median(whole))} (${kb(wholeBytes)}), again without an edit: ${fmt(median(again))}`,
    };
  });
}

export async function measureFeatures(o) {
  const requests = await measureRequests(o);
  const recheck = await measureRecheck(o);
  const preview = await measurePreview(o);
  const rows = [
    [`render model (\`trlCards/cardPreview\`) after an edit, ${o.previewRequirements.toLocaleString('en')}-requirement card (${preview.answer})`, preview.median, preview.n, 5],
    ...Object.entries(requests).map(([k, v]) => [`${k} on the ${o.requirements.toLocaleString('en')}-requirement card (${v.answer})`, v.median, v.n, 5]),
    [`re-check of the dependents of an edited component, ${o.cards.toLocaleString('en')} cards${recheck.ok ? '' : ' (NOT always reflected)'}`, recheck.median, recheck.n, 50],
  ];
  const lines = ['| measurement | median (n) | target | |', '|---|---:|---:|---|', ...rows.map(([what, ms, n, target]) => `| ${what} | ${fmt(ms)} (${n}) | ≤ ${target} ms | ${ms <= target ? 'met' : '**missed**'} |`)];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => numberOption(args, name, dflt);
  const o = { previewRequirements: opt('--preview-requirements', 1000), requirements: opt('--requirements', 5000), cards: opt('--cards', 1000), requests: opt('--requests', 30), serverJs: path.join(ROOT, 'dist', 'server.js') };
  process.on('exit', killAll);
  measureFeatures(o)
    .then((table) => process.stdout.write(`\n## Fixes and navigation (issue 9)\n\n${table}\n`))
    .catch((err) => {
      killAll();
      process.stderr.write(`bench features: FAILED: ${err?.stack ?? err}\n`);
      process.exit(1);
    });
}
