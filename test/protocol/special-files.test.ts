/** The server and files that are not regular card files: a named pipe never blocks the index or the exit. */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { startServer, type TestClient } from './lspClient';
import { skipBecause } from '../helpers';

const CAPS = {
  textDocument: { diagnostic: { dynamicRegistration: false }, synchronization: {} },
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, workspaceFolders: true },
};

describe('special files in the workspace', function () {
  let dir: string;
  let client: TestClient | undefined;

  before(function () {
    if (process.platform === 'win32') skipBecause(this, 'named pipes (mkfifo) are POSIX only');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-fifo-'));
    // A named pipe called like a card: opening it for reading waits for a writer, forever.
    execFileSync('mkfifo', [path.join(dir, 'stuck.trl.yaml')]);
    fs.writeFileSync(path.join(dir, 'part.trl.yaml'), 'technology: Part\nid: P-7\nlevel: 5\n');
  });
  after(() => {
    if (client && client.process.exitCode === null) client.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('skips a pipe on a watcher event, goes on with the other changes, and still exits on shutdown', async () => {
    client = await startServer(CAPS, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
    const sysUri = pathToFileURL(path.join(dir, 'whole.trl.yaml')).toString();
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: sysUri, languageId: 'trl-card', version: 1, text: 'technology: Whole\nlevel: 4\ncomponents: [P-7]\n' },
    });
    await client.logged(/Indexed 1 card/);
    const codes = async () => ((await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: sysUri } })) as DocumentDiagnosticReport as { items: Diagnostic[] }).items.map((d) => String(d.code));
    assert.ok(!(await codes()).includes('component-level'));

    // The pipe comes first in the batch: the part's change after it is only seen if the pipe is not waited on.
    fs.writeFileSync(path.join(dir, 'part.trl.yaml'), 'technology: Part\nid: P-7\nlevel: 2\n');
    const refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: pathToFileURL(path.join(dir, 'stuck.trl.yaml')).toString(), type: 1 },
        { uri: pathToFileURL(path.join(dir, 'part.trl.yaml')).toString(), type: 2 },
      ],
    });
    await refreshed;
    assert.ok((await codes()).includes('component-level'));
    assert.strictEqual(await client.close(), 0);
  });
});
