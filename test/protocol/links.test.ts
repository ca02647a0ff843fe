/**
 * Document links over LSP: card paths inside the workspace folders and http(s) URLs are links;
 * placeholders, other schemes (`command:` above all), hosts and paths leaving the folders are not.
 */
import * as assert from 'assert';
import type { DocumentLink } from 'vscode-languageserver-protocol';
import { startServer, type TestClient } from './lspClient';

const URI = 'file:///cards/sys/solar.level-4.trl.yaml';
const CARD = [
  'technology: Solar',
  'level: 4',
  'previous:',
  '  - ./solar.level-3.trl.yaml',
  '  - https://wiki.example.org/solar/level-2',
  '  - <link to previous cards>',
  '  - command:workbench.action.terminal.sendSequence?{"text":"echo pwned > f.txt\\r"}#.trl.yaml',
  '  - javascript:alert(1)//.trl.yaml',
  '  - //evil.example.org/share/x.trl.yaml',
  '  - \\\\evil.example.org\\share\\x.trl.yaml',
  '  - ../../outside/x.trl.yaml',
  'components: [../parts/pipe.trl.yaml, "4.2", "data:text/html,<script>alert(1)</script>.trl.yaml", "untitled:x.trl.yaml", "file://evil.example.org/x.trl.yaml"]',
  'links:',
  '  project: "https://wiki.example.org/solar"',
  '  code: <link to Github etc>',
  '',
].join('\n');

describe('document links over LSP', () => {
  let client: TestClient;
  before(async () => {
    client = await startServer({ textDocument: { synchronization: {}, documentLink: {} } }, [{ uri: 'file:///cards', name: 'cards' }]);
    assert.ok(client.initializeResult.capabilities.documentLinkProvider);
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
  });

  it('links card paths to their files and URLs as they are, and skips placeholders, codes, other schemes, hosts and paths out of the folder', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'trl-card', version: 1, text: CARD } });
    const links = (await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri: URI } })) as DocumentLink[];
    const lines = CARD.split('\n');
    const shown = links.map((l) => [lines[l.range.start.line].slice(l.range.start.character, l.range.end.character), l.target]);
    assert.deepStrictEqual(shown, [
      ['./solar.level-3.trl.yaml', 'file:///cards/sys/solar.level-3.trl.yaml'],
      ['https://wiki.example.org/solar/level-2', 'https://wiki.example.org/solar/level-2'],
      ['../parts/pipe.trl.yaml', 'file:///cards/parts/pipe.trl.yaml'],
      ['https://wiki.example.org/solar', 'https://wiki.example.org/solar'],
    ]);
  });
});
