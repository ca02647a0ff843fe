/**
 * The server in three editors' shoes: the same card workspace, driven over stdio with the
 * capabilities VS Code, Neovim 0.10 and Eglot declare. Each profile checks diagnostics,
 * completion, hover and a cross-card update after a component card changes on disk, and that
 * the server never sends a request the client did not declare (the test client answers those
 * MethodNotFound, as Neovim and Eglot do, and the test fails).
 *
 * Where the capability sets come from (only the parts the server reads, as declared):
 * - VS Code: vscode-languageclient 11 (`fillClientCapabilities` of its features, in
 *   node_modules/vscode-languageclient/lib/common: client.js, diagnostic.js, fileSystemWatcher.js).
 * - Neovim 0.10: the `initialize` request Neovim 0.10.0 sends (`vim.lsp.protocol.make_client_capabilities()`),
 *   as captured in lexical-lsp/lexical apps/protocol/test/lexical/protocol/integration/initialize_test.exs;
 *   plus `textDocument.diagnostic` (0.10 added pull diagnostics, without
 *   `workspace.diagnostics.refreshSupport`: the refresh handler came in 0.12, neovim/neovim#36695) and
 *   `workspace.didChangeConfiguration.dynamicRegistration: false`. On Linux it declares no
 *   dynamic registration of file watchers, so the server watches the folders itself.
 * - Eglot: `eglot-client-capabilities` of Eglot 1.21 (GNU Emacs lisp/progmodes/eglot.el), in a
 *   plain Emacs: no yasnippet (so `snippetSupport` false) and no markdown-mode (so hovers in
 *   `plaintext` only); no `relatedInformation`, no diagnostic `dataSupport`, pull declared
 *   without refresh, no `didChangeConfiguration` at all.
 */
import { CARD_GLOB } from '../../protocol/cardFile';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { ClientCapabilities, CompletionList, Diagnostic, DocumentDiagnosticReport, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers';
import { startServer, type TestClient } from './lspClient';

const VSCODE: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    configuration: true,
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    completion: { dynamicRegistration: true, contextSupport: true, completionItem: { snippetSupport: true, commitCharactersSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true, preselectSupport: true, labelDetailsSupport: true, insertReplaceSupport: true } },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    definition: { dynamicRegistration: true, linkSupport: true },
    codeAction: { dynamicRegistration: true, isPreferredSupport: true, dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } } },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
};

const NEOVIM_0_10: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    didChangeWatchedFiles: { dynamicRegistration: false, relativePatternSupport: true },
    semanticTokens: { refreshSupport: true },
    symbol: { dynamicRegistration: false },
    workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] },
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false, willSave: true, willSaveWaitUntil: true },
    completion: { dynamicRegistration: false, contextSupport: false, completionItem: { commitCharactersSupport: false, deprecatedSupport: false, documentationFormat: ['markdown', 'plaintext'], preselectSupport: false, snippetSupport: false } },
    hover: { contentFormat: ['markdown', 'plaintext'], dynamicRegistration: false },
    definition: { linkSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'] } }, dataSupport: true, dynamicRegistration: false, isPreferredSupport: true, resolveSupport: { properties: ['edit'] } },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    diagnostic: { dynamicRegistration: false },
  },
  window: { showDocument: { support: true }, showMessage: { messageActionItem: { additionalPropertiesSupport: false } }, workDoneProgress: true },
};

const EGLOT: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    executeCommand: { dynamicRegistration: false },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'delete', 'rename'], failureHandling: 'abort' },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    symbol: { dynamicRegistration: false },
    semanticTokens: { refreshSupport: true },
    configuration: true,
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
    completion: { dynamicRegistration: false, completionItem: { snippetSupport: false, deprecatedSupport: true, resolveSupport: { properties: ['documentation', 'details', 'additionalTextEdits'] }, tagSupport: { valueSet: [1] }, insertReplaceSupport: true }, contextSupport: true },
    hover: { dynamicRegistration: false, contentFormat: ['plaintext'] },
    definition: { dynamicRegistration: false, linkSupport: true },
    codeAction: { dynamicRegistration: false, resolveSupport: { properties: ['edit', 'command'] }, dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'] } }, isPreferredSupport: true },
    rename: { dynamicRegistration: false, prepareSupport: true },
    diagnostic: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: false, versionSupport: true, codeDescriptionSupport: false, tagSupport: { valueSet: [1, 2] } },
  },
  window: { showDocument: { support: true }, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, workDoneProgress: true },
};

interface Profile {
  name: string;
  caps: ClientCapabilities;
  /** What the server should do with these capabilities. */
  pull: boolean;
  snippets: boolean;
  markdown: boolean;
  related: boolean;
  /** The client watches files for the server (it registers watchers); else the server watches. */
  clientWatches: boolean;
  configRegistration: boolean;
}

const PROFILES: Profile[] = [
  { name: 'VS Code', caps: VSCODE, pull: true, snippets: true, markdown: true, related: true, clientWatches: true, configRegistration: true },
  { name: 'Neovim 0.10', caps: NEOVIM_0_10, pull: false, snippets: false, markdown: true, related: true, clientWatches: false, configRegistration: false },
  { name: 'Eglot', caps: EGLOT, pull: false, snippets: false, markdown: false, related: false, clientWatches: true, configRegistration: false },
];

const SYS = 'technology: System\nid: SYS\nlevel: 5\ncomponents: [PART]\n';
const part = (level: number) => `technology: Part\nid: PART\nlevel: ${level}\n`;

for (const profile of PROFILES) {
  describe(`the server for a ${profile.name}-like client`, () => {
    let dir: string;
    let client: TestClient;
    let sysUri: string;
    let partFile: string;

    /** The system card's diagnostics, as this client gets them: pulled, or the next push that `accept`s. */
    async function diagnostics(accept: (ds: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
      if (profile.pull) {
        const r = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: sysUri } })) as DocumentDiagnosticReport;
        return (r as { items: Diagnostic[] }).items;
      }
      return (await client.nextDiagnostics(sysUri, (p) => accept(p.diagnostics))).diagnostics;
    }

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-clients-'));
      fs.mkdirSync(path.join(dir, 'parts'));
      partFile = path.join(dir, 'parts', 'part.trl.yaml');
      fs.writeFileSync(partFile, part(5));
      fs.writeFileSync(path.join(dir, 'system.trl.yaml'), SYS);
      sysUri = pathToFileURL(path.join(dir, 'system.trl.yaml')).toString();
      client = await startServer(profile.caps, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await client.logged(/Indexed 2 cards/);
    });
    after(async () => {
      // Nothing went wrong on the server's side (a refused request would log an unhandled rejection).
      const failure = await Promise.race([client.logged(/Uncaught|Unhandled rejection|failed|Could not register/), Promise.resolve(undefined)]);
      assert.strictEqual(failure, undefined, failure);
      const code = await client.close();
      fs.rmSync(dir, { recursive: true, force: true });
      assert.strictEqual(code, 0);
      assert.deepStrictEqual(client.undeclared, [], 'requests the client did not declare');
      assert.doesNotMatch(client.stderr(), /failed|Uncaught|Unhandled/, client.stderr());
    });

    it(`declares ${profile.pull ? 'pull' : 'no pull'} diagnostics and registers only what the client takes`, () => {
      assert.strictEqual(!!client.initializeResult.capabilities.diagnosticProvider, profile.pull);
      const registered = client.requests
        .filter((r) => r.method === 'client/registerCapability')
        .flatMap((r) => (r.params as { registrations: { method: string; registerOptions?: { watchers?: { globPattern: string }[] } }[] }).registrations);
      const watchers = registered.filter((r) => r.method === 'workspace/didChangeWatchedFiles');
      assert.deepStrictEqual(watchers.flatMap((r) => r.registerOptions!.watchers!.map((w) => w.globPattern)), profile.clientWatches ? [CARD_GLOB, '**/trl-cards.config.{yaml,yml}'] : []);
      assert.strictEqual(registered.some((r) => r.method === 'workspace/didChangeConfiguration'), profile.configRegistration);
    });

    it('diagnoses the open card', async () => {
      const pushed = profile.pull ? undefined : client.nextDiagnostics(sysUri);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: sysUri, languageId: 'trl-card', version: 1, text: SYS } });
      const items = pushed ? (await pushed).diagnostics : await diagnostics();
      assert.ok(items.some((d) => d.code === 'level-requirement'), JSON.stringify(items));
      assert.ok(!items.some((d) => d.code === 'component-level'), JSON.stringify(items));
      for (const d of items)
        assert.strictEqual(
          d.data === undefined,
          !(profile.caps.textDocument?.publishDiagnostics?.dataSupport || profile.caps.textDocument?.diagnostic?.dataSupport),
          String(d.code),
        );
    });

    it(`completes with ${profile.snippets ? 'snippets' : 'plain text'}`, async () => {
      const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: sysUri }, position: { line: 4, character: 0 } })) as CompletionList;
      const owners = list.items.find((i) => i.label === 'owners');
      assert.ok(owners, list.items.map((i) => i.label).join());
      const newText = (owners.textEdit as { newText: string }).newText;
      assert.match(newText, /^owners:\n/);
      if (profile.snippets) {
        assert.strictEqual(owners.insertTextFormat, 2);
        assert.match(newText, /\$\{?1/);
      } else {
        for (const item of list.items) {
          assert.strictEqual(item.insertTextFormat, 1, item.label);
          assert.doesNotMatch((item.textEdit as { newText: string }).newText, /\$\d|\$\{/, item.label);
        }
      }
    });

    it(`hovers in ${profile.markdown ? 'Markdown' : 'plain text'}`, async () => {
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: sysUri }, position: { line: 2, character: 7 } })) as Hover;
      const contents = hover.contents as MarkupContent;
      assert.strictEqual(contents.kind, profile.markdown ? 'markdown' : 'plaintext');
      assert.match(contents.value, profile.markdown ? /^### TRL 5 — / : /^TRL 5 — /);
      if (!profile.markdown) assert.doesNotMatch(contents.value, /\*\*|###|\\[.(:]/);
    });

    it(`sees the component lowered on disk (${profile.clientWatches ? "the client's watcher" : 'its own watcher'}) and updates the system card`, async () => {
      const lowered = (ds: Diagnostic[]) => ds.some((d) => d.code === 'component-level');
      const refreshed = profile.pull ? client.nextRequest('workspace/diagnostic/refresh') : undefined;
      const pushed = profile.pull ? undefined : diagnostics(lowered);
      fs.writeFileSync(partFile, part(3));
      // A client that watches sends the event; otherwise nothing is sent, the server sees the file change.
      if (profile.clientWatches) await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(partFile).toString(), type: 2 }] });
      if (refreshed) await refreshed;
      const items = pushed ? await pushed : await diagnostics();
      const found = items.filter((d) => d.code === 'component-level');
      assert.strictEqual(found.length, 1, JSON.stringify(items));
      assert.match(String(found[0].message), /its component `PART` \(parts\/part\.trl\.yaml\) is at TRL 3/);
      if (profile.related) {
        assert.deepStrictEqual(
          found[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
          [[pathToFileURL(partFile).toString(), 2]],
        );
      } else {
        assert.strictEqual(found[0].relatedInformation, undefined);
        assert.match(String(found[0].message), /\(parts\/part\.trl\.yaml:3: PART is at TRL 3, which limits SYS\.\)$/);
      }
    });
  });
}

describe('trl-cards-language-server', () => {
  it('speaks LSP over stdio when started with no arguments, as the package bin', async () => {
    const bin = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['trl-cards-language-server'];
    const client = await startServer(EGLOT, null, [path.join(ROOT, bin)]);
    assert.strictEqual(client.initializeResult.serverInfo?.name, 'trl-cards-server');
    assert.strictEqual(await client.close(), 0);
  });
});
