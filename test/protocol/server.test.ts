/** The bundled server over stdio, speaking real LSP as an editor does. */
import * as assert from 'assert';
import type { CompletionList, Diagnostic, DocumentDiagnosticReport, DocumentSymbol, FoldingRange, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import * as fs from 'fs';
import * as path from 'path';
import { startServer, type TestClient } from './lspClient';
import { ROOT } from '../helpers';

const URI = 'file:///cards/radar.trl.yaml';
const CARD = 'technology: Radar\nversion: "1.0"\nlevel: 0\ntldr: x\nowners:\n  rnd:\n    owner: Ada\n    reviewers: [Grace]\nhypotheses:\n  - statement: x\n    references: [x]\nresearch_plan: x\n';

const PULL_CAPS = {
  textDocument: { diagnostic: { dynamicRegistration: false }, completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown' as const] }, synchronization: { dynamicRegistration: false } },
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: true } },
};

async function open(client: TestClient, text: string, uri = URI, version = 1): Promise<void> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'trl-card', version, text } });
}

async function pull(client: TestClient, uri = URI): Promise<Diagnostic[]> {
  const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
  assert.strictEqual(report.kind, 'full');
  return (report as { items: Diagnostic[] }).items;
}

describe('language server over stdio (pull diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    client = await startServer(PULL_CAPS);
    assert.strictEqual(client.initializeResult.capabilities.textDocumentSync, 2, 'incremental sync');
    assert.ok(client.initializeResult.capabilities.diagnosticProvider, 'pull diagnostics');
  });
  after(async () => {
    const code = await client.close();
    assert.strictEqual(code, 0, 'the server exits cleanly after shutdown and exit');
    assert.doesNotMatch(client.stderr(), /failed|Uncaught/, client.stderr());
  });

  it('diagnoses an opened card with codes, exact ranges and documentation links', async () => {
    await open(client, CARD);
    const items = await pull(client);
    assert.strictEqual(items.length, 1, JSON.stringify(items));
    const d = items[0];
    assert.strictEqual(d.code, 'invalid-semver');
    assert.strictEqual(d.source, 'trl');
    assert.deepStrictEqual(d.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } });
    assert.match(String(d.codeDescription?.href), /^file:\/\/.*\/docs\/rules\.md#invalid-semver$/);
  });

  it("links a code to its heading's line for a client that asks (VS Code opens `#L<line>` there)", async () => {
    const lined = await startServer(PULL_CAPS, null, undefined, { rulesBaseUrl: 'file:///ext/docs/rules.md', rulesLinks: 'line' });
    try {
      await open(lined, CARD);
      const [d] = await pull(lined);
      const m = /^file:\/\/\/ext\/docs\/rules\.md#L(\d+)$/.exec(String(d.codeDescription?.href));
      assert.ok(m, String(d.codeDescription?.href));
      const rulesMd = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8').split('\n');
      assert.strictEqual(rulesMd[Number(m[1]) - 1], '## `invalid-semver`');
    } finally {
      await lined.close();
    }
  });

  it('applies incremental edits and re-checks the new version', async () => {
    // Fix the version: "1.0" → "1.0.0" (insert ".0" before the closing quote).
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } }, text: '.0' }],
    });
    assert.deepStrictEqual(await pull(client), []);
    // Raise the level: 0 → 4; the missing level fields appear on the level value.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: { line: 2, character: 7 }, end: { line: 2, character: 8 } }, text: '4' }],
    });
    const items = await pull(client);
    assert.ok(items.length > 5);
    for (const d of items) {
      assert.strictEqual(d.code, 'level-requirement');
      assert.deepStrictEqual(d.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 8 } });
    }
    assert.ok(items.some((d) => String(d.message).includes('`intended_use`')));
  });

  it('completes the level-4 fields first, and hovers the level', async () => {
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 12, character: 0 } })) as CompletionList;
    assert.strictEqual(list.items[0].labelDetails?.description, 'required for TRL 1');
    const firstFour = list.items.findIndex((i) => i.labelDetails?.description === 'required for TRL 4');
    const firstOptional = list.items.findIndex((i) => i.labelDetails?.description === 'optional');
    assert.ok(firstFour >= 0 && firstFour < firstOptional);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 2, character: 7 } })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /TRL 4 — Proof of Concept/);
  });

  it('gives the outline and folding ranges', async () => {
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } })) as DocumentSymbol[];
    assert.deepStrictEqual(symbols.map((s) => s.name), ['technology', 'version', 'level', 'tldr', 'owners', 'hypotheses', 'research_plan']);
    const folds = (await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: URI } })) as FoldingRange[];
    assert.ok(folds.some((f) => f.startLine === 4 && f.endLine === 7));
  });

  it('turns validation off and on through settings, asking the client to refresh', async () => {
    client.settings.trlCards = { validate: { enable: false } };
    let refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await refreshed;
    assert.deepStrictEqual(await pull(client), []);
    client.settings.trlCards = { validate: { enable: true }, rules: { 'level-requirement': 'off' } };
    refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await refreshed;
    assert.deepStrictEqual(await pull(client), [], 'level-requirement is off');
    client.settings.trlCards = { validate: { enable: true }, rules: {} };
    refreshed = client.nextRequest('workspace/diagnostic/refresh');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await refreshed;
    assert.ok((await pull(client)).length > 0, 'back on');
  });

  it('applies a full text and then an incremental change sent in one didChange', async () => {
    const uri = 'file:///cards/mixed.trl.yaml';
    await open(client, CARD, uri);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { text: 'technology: x\nversion: "2"\n' },
        // In the text the full change left: append a level after the last line.
        { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'level: 12\n' },
      ],
    });
    const items = await pull(client, uri);
    assert.deepStrictEqual(items.map((d) => [d.code, d.range.start.line]), [['invalid-semver', 1], ['invalid-level', 2]]);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepStrictEqual(symbols.map((s) => s.name), ['technology', 'version', 'level']);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('answers the outline of the current version after each edit', async () => {
    const uri = 'file:///cards/outline.trl.yaml';
    await open(client, 'technology: x\nlevel: 0\n', uri);
    const ask = async () => ((await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[]).map((s) => s.name);
    assert.deepStrictEqual(await ask(), ['technology', 'level']);
    assert.deepStrictEqual(await ask(), ['technology', 'level']);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'tldr: t\n' }] });
    assert.deepStrictEqual(await ask(), ['technology', 'level', 'tldr']);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('answers requests for unknown documents and odd positions without failing', async () => {
    assert.strictEqual(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope.trl.yaml' }, position: { line: 0, character: 0 } }), null);
    const list = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 999, character: 999 } });
    assert.ok(list === null || Array.isArray((list as CompletionList).items));
  });
});

describe('language server over stdio (push diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    client = await startServer({ textDocument: { synchronization: {} } });
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
  });

  it('publishes diagnostics on open and after each change, with the document version', async () => {
    const uri = 'file:///cards/push.trl.yaml';
    const first = client.nextDiagnostics(uri);
    await open(client, CARD, uri, 7);
    const p1 = await first;
    assert.strictEqual(p1.version, 7);
    assert.deepStrictEqual(p1.diagnostics.map((d) => d.code), ['invalid-semver']);
    const second = client.nextDiagnostics(uri, (p) => p.version === 8);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 8 }, contentChanges: [{ text: 'technology: x\n' }] });
    const p2 = await second;
    assert.deepStrictEqual(p2.diagnostics.map((d) => d.code), ['missing-level']);
    const cleared = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
  });
});
