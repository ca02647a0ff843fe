/** The roll-up over LSP and through the checker: a three-level chain on disk. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers';
import { startServer, type TestClient } from './lspClient';

const CAPS = {
  textDocument: { diagnostic: { dynamicRegistration: false }, synchronization: {}, publishDiagnostics: { relatedInformation: true } },
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, workspaceFolders: true },
};

describe('system roll-up over LSP and in the checker', () => {
  let dir: string;
  let client: TestClient;
  const file = (rel: string) => path.join(dir, rel);
  const uriOf = (rel: string) => pathToFileURL(file(rel)).toString();
  const SYS = 'technology: System\nid: SYS\nlevel: 5\ncomponents: [SUB]\n';
  const part = (level: number) => `technology: Part\nid: PART\nlevel: ${level}\n`;

  async function items(uri: string): Promise<Diagnostic[]> {
    const r = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
    return (r as { items: Diagnostic[] }).items.filter((d) => d.code === 'component-level');
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-rollup-'));
    fs.mkdirSync(file('sub/parts'), { recursive: true });
    fs.writeFileSync(file('system.trl.yaml'), SYS);
    fs.writeFileSync(file('sub/subsystem.trl.yaml'), 'technology: Subsystem\nid: SUB\nlevel: 5\ncomponents: [./parts/part.trl.yaml]\n');
    fs.writeFileSync(file('sub/parts/part.trl.yaml'), part(5));
    client = await startServer(CAPS, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
    await client.logged(/Indexed 3 cards/);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf('system.trl.yaml'), languageId: 'trl-card', version: 1, text: SYS } });
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lowering the component on disk changes the system card, pointing at the component', async () => {
    assert.deepStrictEqual(await items(uriOf('system.trl.yaml')), []);
    fs.writeFileSync(file('sub/parts/part.trl.yaml'), part(3));
    const refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('sub/parts/part.trl.yaml'), type: 2 }] });
    await refreshed;
    const found = await items(uriOf('system.trl.yaml'));
    assert.strictEqual(found.length, 1);
    assert.match(String(found[0].message), /limited to TRL 3, through `PART`/);
    assert.deepStrictEqual(found[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.location.range.start.character]), [[uriOf('sub/parts/part.trl.yaml'), 2, 7]]);
  });

  it('the checker gives the same problem through the same code path', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const rows = (JSON.parse(r.stdout) as { file: string; code: string; message: string }[]).filter((x) => x.code === 'component-level');
    assert.deepStrictEqual(rows.map((x) => x.file).sort(), [path.join('sub', 'subsystem.trl.yaml'), 'system.trl.yaml'].sort());
    assert.match(rows.find((x) => x.file === 'system.trl.yaml')!.message, /limited to TRL 3, through `PART`/);
  });
});
