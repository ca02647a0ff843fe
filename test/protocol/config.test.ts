/** The team configuration over real LSP: read at start-up, followed on disk and in the editor. */
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

// A level-4 card: `metrics` (information) and `ethics` (warning) are missing, and a risk is stale.
const CARD = 'technology: T\nlevel: 4\ntldr: x\nowners:\n  owner: Ada\n  reviewers: [Grace]\nintended_use: x\ncaveats: [x]\nassumptions: [x]\nrequirements:\n  - id: 1\n    kind: research\n    text: x\n    verification: x\n    validation: x\n    p_failure: 0.1\n    value: 2\n    risk: 0.3\nversions: { code: "1.0.0", data: "1.0.0" }\ndata:\n  datasets: [{ name: d, simulated: false }]\n';

describe('team configuration over LSP', () => {
  let dir: string;
  let client: TestClient;
  let cardUri: string;
  let configFile: string;
  let configUri: string;

  async function items(uri: string): Promise<Diagnostic[]> {
    const r = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
    return (r as { items: Diagnostic[] }).items;
  }
  const about = (list: Diagnostic[], field: string) => list.find((d) => d.code === 'level-requirement' && String(d.message).includes(`\`${field}\``));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-config-'));
    configFile = path.join(dir, 'trl-cards.config.yaml');
    configUri = pathToFileURL(configFile).toString();
    // Off: metrics; raised: risk-mismatch to an error; added: links.project at level 4.
    fs.writeFileSync(configFile, 'rules:\n  risk-mismatch: error\nlevels:\n  "4":\n    entries: { metrics: off }\n    require:\n      - { field: links.project, severity: error, reason: every project has a wiki page }\n');
    fs.writeFileSync(path.join(dir, 'card.trl.yaml'), CARD);
    cardUri = pathToFileURL(path.join(dir, 'card.trl.yaml')).toString();
    client = await startServer(CAPS, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
    await client.logged(/Indexed 1 card/);
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks cards with the configuration at the workspace root', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: cardUri, languageId: 'trl-card', version: 1, text: CARD } });
    const found = await items(cardUri);
    assert.strictEqual(found.find((d) => d.code === 'risk-mismatch')?.severity, 1, 'raised to an error');
    assert.strictEqual(about(found, 'metrics'), undefined, 'turned off');
    assert.strictEqual(about(found, 'links.project')?.severity, 1, 'added by the team');
    assert.strictEqual(about(found, 'ethics')?.severity, 2, 'the rest as built in');
  });

  it('re-checks the cards when the configuration changes on disk', async () => {
    fs.writeFileSync(configFile, 'rules:\n  risk-mismatch: off\n');
    const refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    await refreshed;
    const found = await items(cardUri);
    assert.ok(!found.some((d) => d.code === 'risk-mismatch'));
    assert.ok(about(found, 'metrics'), 'metrics is back');
    assert.strictEqual(about(found, 'links.project'), undefined);
  });

  it('follows the configuration as it is edited, and shows its problems in it', async () => {
    let refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: configUri, languageId: 'yaml', version: 1, text: 'rules:\n  risk-mismatch: off\n' } });
    await refreshed;
    refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: configUri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 17 }, end: { line: 1, character: 20 } }, text: 'error' }],
    });
    await refreshed;
    assert.strictEqual((await items(cardUri)).find((d) => d.code === 'risk-mismatch')?.severity, 1, 'the unsaved edit counts');
    // Wait for this edit's refresh too: otherwise it could be taken for the one after the close.
    refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: configUri, version: 3 },
      contentChanges: [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 15 } }, text: 'risk-mismatc' }],
    });
    await refreshed;
    const own = await items(configUri);
    assert.deepStrictEqual(own.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['invalid-config', 1, 2]]);
    assert.match(String(own[0].message), /Did you mean `risk-mismatch`\?/);
    // Closing it without saving: the file on disk counts again.
    // The refresh that follows its reading is the one to wait for: a refresh for another reason
    // (the server's watcher seeing the file written earlier, late on a loaded machine) may come first.
    refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: configUri } });
    for (let i = 0; ; i++) {
      await refreshed;
      refreshed = client.nextRequest('workspace/diagnostic/refresh');
      if (!(await items(cardUri)).some((d) => d.code === 'risk-mismatch')) break;
      assert.ok(i < 4, 'the file on disk counts again after the close');
    }
  });
});

describe('mitigation threshold over LSP: the team file, then the setting, then the default', () => {
  let dir: string;
  let client: TestClient;
  let cardUri: string;
  let configFile: string;

  async function unmitigated(): Promise<Diagnostic[]> {
    const r = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: cardUri } })) as DocumentDiagnosticReport;
    return (r as { items: Diagnostic[] }).items.filter((d) => d.code === 'unmitigated-risk');
  }
  async function setThreshold(value: number | undefined): Promise<void> {
    client.settings.trlCards = { validate: { enable: true }, rules: {}, ...(value === undefined ? {} : { risk: { mitigationThreshold: value } }) };
    const refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await refreshed;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-threshold-'));
    configFile = path.join(dir, 'trl-cards.config.yaml');
    fs.writeFileSync(path.join(dir, 'card.trl.yaml'), CARD);
    cardUri = pathToFileURL(path.join(dir, 'card.trl.yaml')).toString();
    client = await startServer(CAPS, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
    await client.logged(/Indexed 1 card/);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: cardUri, languageId: 'trl-card', version: 1, text: CARD } });
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the setting when the team has no threshold, and the team file over the setting', async () => {
    // The requirement's risk is 0.1 × 2 = 0.2: below the default 3.
    assert.deepStrictEqual(await unmitigated(), []);
    await setThreshold(0.2);
    const found = await unmitigated();
    assert.strictEqual(found.length, 1, 'the setting lowered the threshold');
    assert.match(String(found[0].message), /mitigation threshold 0\.2\b/);
    assert.strictEqual(found[0].range.start.line, 17, 'on the risk of requirement 1');
    fs.writeFileSync(configFile, 'risk:\n  mitigation_threshold: 0.5\n');
    const refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).toString(), type: 1 }] });
    await refreshed;
    assert.deepStrictEqual(await unmitigated(), [], "the team's 0.5 wins over the user's 0.2");
    fs.writeFileSync(configFile, 'rules: {}\n');
    const again = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).toString(), type: 2 }] });
    await again;
    assert.strictEqual((await unmitigated()).length, 1, 'without a team threshold, the setting applies again');
    await setThreshold(undefined);
    assert.deepStrictEqual(await unmitigated(), [], 'back to the default');
  });
});
