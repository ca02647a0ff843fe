/** The workspace index over real LSP: built in the background, updated per file, used across cards. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { startServer, type TestClient } from './lspClient';

const CAPS = {
  textDocument: { diagnostic: { dynamicRegistration: false }, synchronization: {} },
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, workspaceFolders: true },
};

describe('workspace index over LSP', () => {
  let dir: string;
  let client: TestClient;
  let sysUri: string;
  let compUri: string;
  const comp = (level: number) => `technology: Comp\nid: C-1\nlevel: ${level}\n`;

  async function codes(uri: string): Promise<string[]> {
    const r = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
    return (r as { items: Diagnostic[] }).items.map((d) => String(d.code));
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-ws-'));
    fs.mkdirSync(path.join(dir, 'parts'));
    fs.writeFileSync(path.join(dir, 'parts', 'comp.trl.yaml'), comp(2));
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(dir, 'parts', `other-${i}.trl.yaml`), `technology: Other ${i}\nlevel: 0\n`);
    sysUri = pathToFileURL(path.join(dir, 'sys.trl.yaml')).toString();
    compUri = pathToFileURL(path.join(dir, 'parts', 'comp.trl.yaml')).toString();
    client = await startServer(CAPS, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks an open card across the workspace once the index is built', async () => {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: sysUri, languageId: 'trl-card', version: 1, text: 'technology: Sys\nlevel: 3\ncomponents: [C-1]\nprevious: [./sys.level-2.trl.yaml]\n' },
    });
    await client.logged(/Indexed 51 cards/);
    const found = await codes(sysUri);
    assert.ok(found.includes('component-level'), found.join());
    assert.ok(found.includes('unknown-previous'), found.join());
  });

  it('updates a card from disk on a file-watcher event', async () => {
    fs.writeFileSync(path.join(dir, 'parts', 'comp.trl.yaml'), comp(3));
    fs.writeFileSync(path.join(dir, 'sys.level-2.trl.yaml'), 'technology: Sys\nlevel: 2\n');
    const refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: compUri, type: 2 },
        { uri: pathToFileURL(path.join(dir, 'sys.level-2.trl.yaml')).toString(), type: 1 },
      ],
    });
    await refreshed;
    const found = await codes(sysUri);
    assert.ok(!found.includes('component-level') && !found.includes('unknown-previous'), found.join());
  });

  it('uses the live text of an open card, and the disk again once it is closed', async () => {
    let refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: compUri, languageId: 'trl-card', version: 1, text: comp(1) } });
    await refreshed;
    assert.ok((await codes(sysUri)).includes('component-level'));
    refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: compUri } });
    await refreshed;
    assert.ok(!(await codes(sysUri)).includes('component-level'));
  });
});
