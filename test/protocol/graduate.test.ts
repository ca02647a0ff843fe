/** Graduation and the level code lens over LSP: `textDocument/codeLens` and the custom `trlCards/graduate` request. */
import * as assert from 'assert';
import { parse } from 'yaml';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { GRADUATE_REQUEST, type GraduateParams, type GraduateResponse } from '../../protocol/messages';
import { startServer, type TestClient } from './lspClient';

const URI = 'file:///cards/idea.level-0.trl.yaml';
const CARD = ['# An idea', 'technology: Idea', 'tldr: A first idea.', 'level: 0', 'owners: { owner: Ada, reviewers: [Grace] }', 'hypotheses:', '  - statement: It works.', '    references: [https://example.org/paper]', 'research_plan: Try it.', ''].join('\n');

describe('graduation over LSP', () => {
  let client: TestClient;
  before(async () => {
    client = await startServer({ textDocument: { synchronization: {}, codeLens: {} } });
    assert.ok(client.initializeResult.capabilities.codeLensProvider);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'trl-card', version: 1, text: CARD } });
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
  });

  it('puts a code lens on the level line, with Graduate on a ready card', async () => {
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } })) as CodeLens[];
    assert.deepStrictEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [
        [3, 'TRL 0 — First Principles: ready to graduate to TRL 1', 'trlCards.showLevelStatus'],
        [3, 'Graduate', 'trlCards.graduate'],
      ],
    );
    assert.deepStrictEqual(lenses[1].command?.arguments, [URI]);
  });

  it('answers trlCards/graduate with the next card, its name and level', async () => {
    const params: GraduateParams = { uri: URI, today: '2026-12-01' };
    const result = (await client.connection.sendRequest(GRADUATE_REQUEST.method, params)) as GraduateResponse;
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.strictEqual(result.fileName, 'idea.level-1.trl.yaml');
    assert.strictEqual(result.level, 1);
    assert.ok(result.newText.startsWith('# An idea\n'));
    const after = parse(result.newText) as { level: number; previous: string[]; history: unknown[] };
    assert.strictEqual(after.level, 1);
    assert.deepStrictEqual(after.previous, ['./idea.level-0.trl.yaml']);
    assert.deepStrictEqual(after.history, [{ level: 0, date: '2026-12-01', decision: 'graduate' }]);
    const named = (await client.connection.sendRequest(GRADUATE_REQUEST.method, { uri: URI, fileName: '${name}-v${level}.trl.yaml' })) as GraduateResponse;
    assert.strictEqual('fileName' in named && named.fileName, 'idea-v1.trl.yaml');
  });

  it('says why not, for a card that is not ready or not open', async () => {
    const uri = 'file:///cards/poc.trl.yaml';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'trl-card', version: 1, text: 'technology: T\nlevel: 4\n' } });
    const notReady = (await client.connection.sendRequest(GRADUATE_REQUEST.method, { uri })) as GraduateResponse;
    assert.match('error' in notReady ? notReady.error : '', /not ready to graduate/);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.match(lenses[0].command!.title, /items missing for TRL 4$/);
    const closed = (await client.connection.sendRequest(GRADUATE_REQUEST.method, { uri: 'file:///cards/none.trl.yaml' })) as GraduateResponse;
    assert.deepStrictEqual(closed, { error: 'The card is not open.' });
  });
});
