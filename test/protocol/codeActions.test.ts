/** Quick fixes over stdio: `textDocument/codeAction` answers with the edit, as an editor asks for it. */
import * as assert from 'assert';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { startServer, type TestClient } from './lspClient';

const URI = 'file:///cards/fixes.trl.yaml';
const CARD = 'technology: Radar\nversion: 1.0\n';

const CAPS = {
  textDocument: {
    diagnostic: { dynamicRegistration: false },
    synchronization: { dynamicRegistration: false },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, dataSupport: true },
  },
};

async function openAndPull(client: TestClient): Promise<Diagnostic[]> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'trl-card', version: 1, text: CARD } });
  const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } })) as DocumentDiagnosticReport;
  return (report as { items: Diagnostic[] }).items;
}

describe('code actions over stdio', () => {
  let client: TestClient;
  before(async () => {
    client = await startServer(CAPS);
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
    assert.doesNotMatch(client.stderr(), /failed|Uncaught/, client.stderr());
  });

  it('declares quick fixes and fix-all', () => {
    assert.deepStrictEqual(client.initializeResult.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.trl-cards', 'refactor.graduate'] });
  });

  it('answers a diagnostic with its fix: `1.0` → `"1.0.0"`', async () => {
    const items = await openAndPull(client);
    const semver = items.filter((d) => d.code === 'invalid-semver');
    assert.strictEqual(semver.length, 1, JSON.stringify(items));
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: semver[0].range, context: { diagnostics: semver } })) as CodeAction[];
    assert.strictEqual(actions.length, 1, JSON.stringify(actions));
    const [a] = actions;
    assert.strictEqual(a.kind, 'quickfix');
    assert.strictEqual(a.isPreferred, true);
    assert.deepStrictEqual(a.diagnostics, semver);
    assert.deepStrictEqual(a.edit, { changes: { [URI]: [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 12 } }, newText: '"1.0.0"' }] } });
  });

  it('gives the fix-all action when asked for by kind', async () => {
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as CodeAction[];
    assert.deepStrictEqual(actions.map((a) => a.kind), ['source.fixAll.trl-cards']);
    assert.strictEqual(actions[0].edit?.changes?.[URI]?.[0]?.newText, '"1.0.0"');
  });
});

describe('code actions for a client without code action literals', () => {
  it('answers nothing (a commands-only client)', async () => {
    const client = await startServer({ textDocument: { diagnostic: { dynamicRegistration: false }, synchronization: { dynamicRegistration: false } } });
    try {
      const items = await openAndPull(client);
      const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: items[0].range, context: { diagnostics: items } });
      assert.deepStrictEqual(actions, []);
    } finally {
      assert.strictEqual(await client.close(), 0);
    }
  });
});
