#!/usr/bin/env node
// Replays a consistency failure written by the benchmark (a trl-bench-repro-* directory):
//
//   node scripts/bench/replay.mjs DIR [--yaml-ls] [--server PATH]
//
// With a copy of DIR/workspace as the workspace folder, opens the document named in
// DIR/document.txt with the text of DIR/before.trl.yaml, sends each batch of DIR/changes.json as
// one incremental textDocument/didChange, and asks for diagnostics once the server is settled;
// then compares them with those a fresh server process gives for DIR/after.trl.yaml opened at
// the same place. Exit 0 when they agree, 1 when not. --server runs another build of our server
// (default: dist/server.js).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { diagKey, killAll } from './lsp.mjs';
import { freshDiagnostics, serverDefs, settled, startServer } from './servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--server');
if (!dir) {
  console.error('usage: node scripts/bench/replay.mjs DIR [--yaml-ls] [--server PATH]');
  process.exit(2);
}
const yamlLs = args.includes('--yaml-ls');
const si = args.indexOf('--server');
const serverJs = path.resolve(si >= 0 ? args[si + 1] : path.join(ROOT, 'dist', 'server.js'));

const before = fs.readFileSync(path.join(dir, 'before.trl.yaml'), 'utf8');
const after = fs.readFileSync(path.join(dir, 'after.trl.yaml'), 'utf8');
const groups = JSON.parse(fs.readFileSync(path.join(dir, 'changes.json'), 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-replay-'));
fs.cpSync(path.join(dir, 'workspace'), work, { recursive: true });
const uri = pathToFileURL(path.join(work, fs.readFileSync(path.join(dir, 'document.txt'), 'utf8').trim())).href;
const def = serverDefs({ serverJs, timeout: 120, staleTimeout: 5, yamlLs: true }, pathToFileURL(work).href).find((d) => d.name === (yamlLs ? 'yaml-ls' : 'ours'));
const show = (ds) => ds.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code ?? ''} ${d.message}`).join('\n') || '  (none)';
const same = (a, b) => a.length === b.length && a.every((x) => b.some((y) => diagKey(x) === diagKey(y)));

let code = 1;
try {
  const expected = await freshDiagnostics(def, uri, after, 60000, () => console.log('(the fresh server never logged that its index was complete)'));
  const srv = await startServer(def);
  await srv.open(uri, before);
  await settled(srv, uri, 60000);
  const got = await srv.editBurst(uri, groups, (d) => same(d, expected), 'the replayed changes');
  if (srv.texts.get(uri) !== after) throw new Error('replaying changes.json on before.trl.yaml does not give after.trl.yaml');
  if (got.ok) {
    console.log(`${def.name}: consistent: ${got.diagnostics.length} diagnostics, as a fresh server gives for the same text.`);
    code = 0;
  } else {
    console.log(`${def.name}: INCONSISTENT after ${groups.length} didChange notifications.\nafter the edits:\n${show(got.diagnostics)}\nfresh server, same text:\n${show(expected)}`);
  }
  const errors = srv.errorLogs();
  if (errors.length) console.log(`server log errors:\n${errors.map((m) => '  ' + m.message).join('\n')}`);
  await srv.stop();
} finally {
  killAll();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(code);
