/**
 * The card schema on its own in Red Hat's YAML language server (the engine of its VS Code
 * extension): a user who adds `# yaml-language-server: $schema=…` gets structural checks.
 */
import * as assert from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers';
import { startServer, type TestClient } from './lspClient';

describe("the card schema in Red Hat's yaml-language-server", () => {
  let client: TestClient;
  before(async () => {
    const bin = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
    client = await startServer({ textDocument: { publishDiagnostics: {}, synchronization: {} }, workspace: { configuration: true } }, null, [bin, '--stdio']);
    client.settings.yaml = { validate: true, hover: true, completion: true, schemaStore: { enable: false } };
  });
  after(async () => {
    await client.close();
  });

  it('reports typos, ranges and types from the schema alone', async () => {
    const schema = pathToFileURL(path.join(ROOT, 'schemas', 'trl-card.schema.json')).toString();
    const uri = 'file:///cards/standalone.trl.yaml';
    const text = `# yaml-language-server: $schema=${schema}\ntechnology: Radar\nlevel: 12\nowners:\n  rnd:\n    reviwers: [Grace]\nrequirements:\n  - id: "1"\n    kind: research\n    text: x\n    verification: x\n    validation: x\n    p_failure: 1.5\n    value: 3\n`;
    const published = client.nextDiagnostics(uri, (p: PublishDiagnosticsParams) => p.diagnostics.length >= 3);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const { diagnostics } = await published;
    const at = (line: number) => diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message).join(' | ');
    assert.match(at(2), /maximum of 9/i, JSON.stringify(diagnostics));
    assert.match(at(5), /reviwers/, JSON.stringify(diagnostics));
    assert.match(at(12), /maximum of 1/i, JSON.stringify(diagnostics));
  });
});
