/**
 * Cancellation of the custom requests over real LSP (issue 18): `trlCards/portfolio` and
 * `trlCards/cardPreview` computed every request, cancelled or not (100 cancelled portfolio requests:
 * all 100 computed). Each request here is followed by its `$/cancelRequest` in the same write,
 * so the server reads both before it starts the request (deterministic: no race with the
 * cancel). Every cancelled one must be answered with the LSP cancellation error, and none may do
 * its work: the server runs with NODE_V8_COVERAGE, and V8's exact call counts say how often the
 * work's functions ran.
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { StreamMessageReader } from 'vscode-languageserver-protocol/node';
import { CARD_PREVIEW_REQUEST } from '../../protocol/preview';
import { EXPORT_CARD_REQUEST, GRADUATE_REQUEST, LEVELS_REQUEST, NEW_CARD_REQUEST, SERVER_PROCESS_REQUEST } from '../../protocol/messages';
import { PORTFOLIO_REQUEST } from '../../protocol/portfolioMessages';
import { ROOT } from '../helpers';

interface Message {
  id?: number;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
}

/** One JSON-RPC message as the base protocol frames it. */
function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/**
 * How often each named function declaration of the server's bundles (dist/server.js, and
 * dist/charts.js, loaded for the charts) ran, from the coverage V8 wrote at exit.
 */
function callCounts(dir: string, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const file of fs.readdirSync(dir)) {
    const coverage = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { result: { url: string; functions: { functionName: string; ranges: { startOffset: number; count: number }[] }[] }[] };
    for (const script of coverage.result) {
      const bundle = ['server.js', 'charts.js'].find((b) => script.url === pathToFileURL(path.join(ROOT, 'dist', b)).href);
      if (!bundle) continue;
      const source = fs.readFileSync(path.join(ROOT, 'dist', bundle), 'utf8');
      for (const f of script.functions) {
        // The declaration itself (`function graduate(`), not a method of the same name that calls it.
        if (names.includes(f.functionName) && source.startsWith(`function ${f.functionName}(`, f.ranges[0].startOffset)) out[f.functionName] += f.ranges[0].count;
      }
    }
  }
  return out;
}

describe('cancelled custom requests over LSP', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trl-cancel-')));
    fs.mkdirSync(path.join(dir, 'cards'));
    fs.mkdirSync(path.join(dir, 'coverage'));
    fs.copyFileSync(path.join(ROOT, 'examples', 'solar-array', 'solar-array.level-4.trl.yaml'), path.join(dir, 'cards', 'solar.level-4.trl.yaml'));
    fs.writeFileSync(path.join(dir, 'cards', 'other.trl.yaml'), 'technology: Other\nid: OTHER\nlevel: 1\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers each with the cancellation error, without doing its work; the same requests not cancelled are answered', async () => {
    const server = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_V8_COVERAGE: path.join(dir, 'coverage') } });
    let stderr = '';
    server.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const responses = new Map<number, Message>();
    const waiting = new Map<number, (m: Message) => void>();
    const reader = new StreamMessageReader(server.stdout!);
    reader.listen((data) => {
      const m = data as Message;
      if (typeof m.id !== 'number' || m.method !== undefined) return; // notifications (logs) and server requests (none: no capabilities)
      responses.set(m.id, m);
      waiting.get(m.id)?.(m);
    });
    const response = (id: number) => responses.get(id) ?? new Promise<Message>((resolve) => waiting.set(id, resolve));
    const folder = pathToFileURL(dir).href;
    const card = pathToFileURL(path.join(dir, 'cards', 'solar.level-4.trl.yaml')).href;
    const open = pathToFileURL(path.join(dir, 'cards', 'other.trl.yaml')).href;

    server.stdin!.write(frame({ id: 0, method: 'initialize', params: { processId: null, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'w' }], capabilities: {} } }));
    await response(0);

    const requests: [string, object][] = [
      [PORTFOLIO_REQUEST.method, {}],
      [PORTFOLIO_REQUEST.method, { charts: true }],
      [CARD_PREVIEW_REQUEST.method, { uri: card }], // read from disk
      [CARD_PREVIEW_REQUEST.method, { uri: open }], // open in the editor
      [EXPORT_CARD_REQUEST.method, { uri: card, format: 'md' }],
      [GRADUATE_REQUEST.method, { uri: open, mode: 'inPlace', today: '2026-01-01' }],
      [NEW_CARD_REQUEST.method, { name: 'New one', level: 0, today: '2026-01-01' }],
      [LEVELS_REQUEST.method, {}],
      [SERVER_PROCESS_REQUEST.method, undefined as unknown as object],
      // Without params, or with null, as a client may send them.
      [SERVER_PROCESS_REQUEST.method, null as unknown as object],
      [LEVELS_REQUEST.method, undefined as unknown as object],
      [PORTFOLIO_REQUEST.method, undefined as unknown as object],
    ];
    const batch = [frame({ method: 'initialized', params: {} }), frame({ method: 'textDocument/didOpen', params: { textDocument: { uri: open, languageId: 'trl-card', version: 1, text: fs.readFileSync(new URL(open), 'utf8') } } })];
    // 100 cancelled portfolio and preview requests (as the issue found them), and each other custom request once.
    const cancelled: { id: number; method: string }[] = [];
    let id = 1;
    for (let i = 0; i < 100; i++) {
      for (const [method, params] of i === 0 ? requests : requests.slice(0, 4)) {
        cancelled.push({ id, method });
        batch.push(frame({ id, method, params }), frame({ method: '$/cancelRequest', params: { id } }));
        id++;
      }
    }
    // Then each once more, not cancelled.
    const answered = requests.map(([method, params]) => {
      batch.push(frame({ id, method, params }));
      return { id: id++, method };
    });
    server.stdin!.write(Buffer.concat(batch));

    for (const c of cancelled) {
      const r = await response(c.id);
      assert.strictEqual(r.error?.code, LSPErrorCodes.RequestCancelled, `${c.method} #${c.id}: ${JSON.stringify(r).slice(0, 200)}`);
      assert.strictEqual(r.result, undefined);
    }
    for (const a of answered) {
      const r = await response(a.id);
      assert.strictEqual(r.error, undefined, `${a.method}: ${JSON.stringify(r.error)}`);
      // (Graduate's answer is that this card lacks what its next level asks: an answer all the same.)
      assert.ok(r.result !== null && typeof r.result === 'object' && (!('error' in r.result) || a.method === GRADUATE_REQUEST.method), `${a.method}: ${JSON.stringify(r.result).slice(0, 200)}`);
    }
    // The server names each preview it computes, counting: the two answered are its first two.
    const names = await Promise.all([answered[2], answered[3]].map(async (a) => ((await response(a.id)).result as { answer: string }).answer.replace(/^.*:/, '')));
    assert.deepStrictEqual(names.sort(), ['1', '2']);

    server.stdin!.write(frame({ id: 100_000, method: 'shutdown' }));
    await response(100_000);
    server.stdin!.write(frame({ method: 'exit' }));
    assert.strictEqual(await exited, 0, stderr);
    reader.dispose();
    // The work of each request, by the functions that do it: only the answered requests ran them.
    assert.deepStrictEqual(callCounts(path.join(dir, 'coverage'), ['portfolioView', 'portfolioCharts', 'previewModel', 'cardMarkdown', 'graduate', 'newCard']), {
      portfolioView: 3, // the three portfolio requests answered (one with charts)
      portfolioCharts: 1,
      previewModel: 3, // two previews and the export
      cardMarkdown: 1,
      graduate: 1,
      newCard: 1,
    });
  });
});
