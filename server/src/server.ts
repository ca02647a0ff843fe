/**
 * The language server: wires LSP handlers to the card services and to the sub-systems of
 * `host/`, nothing else. This is the only module that knows the connection; what it needs of
 * the machine (files, timers, the process) comes from `runtime` (main.ts builds Node's).
 */
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError, type Connection, type DiagnosticServerCancellationData, type Diagnostic, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from 'virtual:package';
import { CARD_PREVIEW_REQUEST } from '../../protocol/preview';
import { EXPORT_CARD_REQUEST, GRADUATE_REQUEST, LEVELS_REQUEST, NEW_CARD_REQUEST, READINESS_REQUEST, SERVER_PROCESS_REQUEST } from '../../protocol/messages';
import { PORTFOLIO_CHANGED_NOTIFICATION, PORTFOLIO_REQUEST } from '../../protocol/portfolioMessages';
import { CARD_GLOB } from '../../protocol/cardFile';
import { CONFIG_FILE, CONFIG_FILES, getLanguageService, parseConfig } from './languageService';
import { toDiagnostic } from './services/diagnostics';
import { CARD_FILE } from './files';
import { ruleHeadingLines } from './docs';
import { attempt, onRequest, refused, runSafe, sendNotification } from './runner';
import { WARM_UP_CARD, clientOptions, serverCapabilities, type ClientOptions } from './host/capabilities';
import { ConfigurationStore, readSettings } from './host/configuration';
import { IndexKeeper } from './host/indexing';
import { OpenCards } from './host/openCards';
import { PortfolioNotifier } from './host/portfolioNotifier';
import { PreviewAnswers } from './host/previewAnswers';
import { PreviousCards } from './host/previousCards';
import { DiagnosticsScheduler } from './host/push';
import { renameFresh } from './host/rename';
import { CustomRequests } from './host/requests';
import type { FolderWatch, Runtime } from './host/runtime';
import type { CardDocument } from './card/document';

export type { Runtime } from './host/runtime';

/** The files whose changes on disk matter: cards, and each folder's team configuration. */
const WATCHED_GLOBS = [CARD_GLOB, '**/trl-cards.config.{yaml,yml}'];

export function startServer(connection: Connection, runtime: Runtime): void {
  const log = (message: string) => connection.console.error(message);
  const { files, timer } = runtime;
  let rulesBaseUrl = runtime.rulesDoc.url;
  /** The line of each rule's heading in docs/rules.md, when the client opens `#L<line>` links. */
  let ruleLines: ReadonlyMap<string, number> | undefined;
  let service = getLanguageService({ rulesBaseUrl });
  let client: ClientOptions | undefined;
  const configuration = new ConfigurationStore(files, log);
  const cards = new OpenCards({ parse: (text, uri) => service.parse(text, uri), update: (card, edit) => service.update(card, edit) }, files, log);
  const portfolio = new PortfolioNotifier(timer, () => sendNotification(connection, PORTFOLIO_CHANGED_NOTIFICATION));
  const indexer = new IndexKeeper({ files, timer, open: cards, factsChanged: (before, after) => portfolio.factsChanged(before, after), log });
  const index = indexer.index;
  const configDiagnostics = (document: TextDocument): Diagnostic[] =>
    parseConfig(document.getText()).problems.map((p) =>
      toDiagnostic(document, p, rulesBaseUrl, client?.support ?? { data: true, relatedInformation: true }, ruleLines),
    );
  const diagnosticsOf = (d: CardDocument) =>
    configuration.settings.validate.enable ? service.diagnostics(d, d.card, configuration.settingsFor(d.uri), index) : [];
  const push = new DiagnosticsScheduler(timer, {
    current: (uri) => cards.get(uri) && { version: cards.get(uri)!.version, diagnostics: () => diagnosticsOf(cards.get(uri)!) },
    cards: () => cards.all().map((d) => d.uri),
    configurations: () => [...configuration.documents.values()].map((d) => ({ uri: d.uri, version: d.version, diagnostics: () => configDiagnostics(d) })),
    send: (params) => void connection.sendDiagnostics(params),
    refresh: () => void connection.languages.diagnostics.refresh(),
  }, log);
  const recheck = (uris: string[]) => push.recheck(uris);
  const previous = new PreviousCards({ files, parse: (text, uri) => cards.parse(text, uri), index, open: cards, log });
  const answers = new PreviewAnswers(runtime.randomId(), log);
  const requests = new CustomRequests({ service: () => service, cards, configuration, indexer, previous, answers, portfolio, pid: runtime.process.pid, log });
  /** Our own watcher, for clients that cannot watch files for us. */
  let watcher: FolderWatch | undefined;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    client = clientOptions(params.capabilities);
    push.pull = client.pull;
    const init = (params.initializationOptions ?? {}) as { rulesBaseUrl?: unknown; rulesLinks?: unknown; settings?: unknown; commands?: unknown };
    const clientCommands = Array.isArray(init.commands) ? init.commands.filter((c): c is string => typeof c === 'string') : [];
    if (typeof init.rulesBaseUrl === 'string') rulesBaseUrl = init.rulesBaseUrl;
    // VS Code opens `rules.md#L<line>` at that line (a `#code` anchor, at line 1): its client
    // asks for line links; other clients keep the heading's anchor.
    if (init.rulesLinks === 'line') ruleLines = attempt(log, 'Reading docs/rules.md (rule links open the file at its start)', () => ruleHeadingLines(runtime.rulesDoc.read()), () => undefined);
    service = getLanguageService({ rulesBaseUrl, ruleLines, client: client.support, clientCommands });
    if (init.settings !== undefined) configuration.settings = readSettings(init.settings);
    attempt(log, 'Warm-up', () => service.problems(service.parse(WARM_UP_CARD)), () => []);
    indexer.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    configuration.setRoots(indexer.roots);
    return { capabilities: serverCapabilities(client.pull), serverInfo: { name: 'trl-cards-server', version } };
  });

  async function loadSettings(): Promise<void> {
    try {
      configuration.settings = readSettings(await connection.workspace.getConfiguration('trlCards'));
    } catch (err) {
      log(`Could not read settings: ${String(err)}`);
    }
  }

  connection.onInitialized(() => {
    if (client?.configurationPull) {
      // Only a client that said it takes the registration is sent one (Eglot shows a warning otherwise).
      if (client.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'trlCards' }).catch((err) => log(`Could not register for configuration changes: ${String(err)}`));
      void loadSettings().then(() => push.refreshAll());
    }
    // Cards changed on disk: the client watches them for us where it can, else we do (bounded).
    if (client?.watcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }).catch((err) => log(`Could not register file watchers: ${String(err)}`));
    } else if (indexer.roots.length) {
      const matches = (name: string) => CARD_FILE.test(name) || (CONFIG_FILES as readonly string[]).includes(name);
      watcher = files.watch({ matches, onChanges: (changes) => void filesChanged(changes), log });
    }
    // The team configurations first (small files): cards are checked with them from the start.
    void configuration.loadAll().then((any) => any && push.refreshAll());
    // Index the workspace in the background: open cards are checked meanwhile (without the
    // cross-card rules, which wait for a complete index), then re-checked once it is done.
    void indexer.scan(watcher && ((dir) => void watcher!.add(dir))).then(({ count, complete }) => {
      portfolio.scanDone();
      if (!complete) return log(`The workspace has more than ${indexer.maxCards} cards: the checks across cards (component levels, previous cards) are off.`);
      connection.console.log(`Indexed ${count} card${count === 1 ? '' : 's'} in the workspace.`);
      push.refreshAll();
    });
  });

  /** Files changed on disk (from the client's watchers or ours): configurations, the index, dependents. */
  async function filesChanged(changes: readonly { uri: string; type: number }[]): Promise<void> {
    if (await configuration.filesChanged(changes.map((c) => c.uri))) push.refreshAll();
    recheck(await indexer.filesChanged(changes));
  }
  connection.onDidChangeWatchedFiles(({ changes }) => filesChanged(changes));
  connection.onShutdown(() => watcher?.close());

  connection.onDidChangeConfiguration(async (change) => {
    if (client?.configurationPull) await loadSettings();
    else configuration.settings = readSettings((change.settings as { trlCards?: unknown } | undefined)?.trlCards);
    push.refreshAll();
  });

  /** An open configuration file changed: its own problems, and every card of its folder. */
  function configEdited(document: TextDocument): void {
    if (configuration.edited(document)) push.refreshAll();
    else push.publish(document.uri, document.version, configDiagnostics(document));
  }

  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    if (CONFIG_FILE.test(t.uri)) return configEdited(TextDocument.create(t.uri, t.languageId, t.version, t.text));
    const document = cards.opened(t.uri, t.languageId, t.version, t.text);
    void indexer.edited(document).then(recheck);
    push.schedule(t.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
    const config = configuration.change(t.uri, contentChanges, t.version);
    if (config) return configEdited(config);
    const document = cards.changed(t.uri, t.version, contentChanges);
    if (!document) return;
    void indexer.edited(document).then(recheck);
    push.schedule(t.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    const config = configuration.close(t.uri);
    if (config) void config.then((folder) => folder && push.refreshAll());
    else {
      cards.closed(t.uri);
      void indexer.closed(t.uri).then(recheck);
    }
    push.closed(t.uri);
  });

  connection.languages.diagnostics.on((params, token) => {
    const uri = params.textDocument.uri;
    const config = configuration.documents.get(uri);
    const document = config ? undefined : cards.get(uri);
    const items = config ? runSafe(log, 'Configuration', token, [] as Diagnostic[], () => configDiagnostics(config)) : document ? runSafe(log, 'Validation', token, [] as Diagnostic[], () => diagnosticsOf(document)) : [];
    // Cancelled (the client wants newer results, e.g. after a refresh): the cancellation error,
    // never an empty report (which would clear the problems shown until the next pull).
    if (!Array.isArray(items)) return new ResponseError<DiagnosticServerCancellationData>(LSPErrorCodes.RequestCancelled, 'Request cancelled', { retriggerRequest: true });
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });

  /** A request on an open card: `fallback` when it is not open, its answer through runSafe else. */
  const onCard = <P extends { textDocument: { uri: string } }, T>(what: string, fallback: T, answer: (d: CardDocument, params: P) => T) =>
    (params: P, token: Parameters<typeof runSafe>[2]) => {
      const document = cards.get(params.textDocument.uri);
      return document ? runSafe(log, what, token, fallback, () => answer(document, params)) : fallback;
    };
  const settingsOf = (uri: string) => configuration.settingsFor(uri);

  connection.onCompletion(onCard('Completion', null, (d, p) => service.complete(d, d.card, p.position, settingsOf(d.uri), { today: settingsOf(d.uri).today! })));
  connection.onHover(onCard('Hover', null, (d, p) => service.hover(d, d.card, p.position, settingsOf(d.uri))));
  connection.onDocumentSymbol(onCard('Document symbols', [], (d) => cards.symbols(d, () => service.symbols(d, d.card))));
  connection.onDocumentLinks(onCard('Document links', [], (d) => service.links(d, d.card, indexer.folderUris)));
  connection.onFoldingRanges(onCard('Folding ranges', [], (d) => cards.folding(d, () => service.folding(d, d.card))));
  // Navigation between cards (services/navigation.ts): from the index's facts, never reading a file.
  connection.onDefinition(onCard('Definition', null, (d, p) => {
    const links = service.definition(d, d.card, p.position, index);
    return client?.definitionLinks ? links : links.map((l) => ({ uri: l.targetUri, range: l.targetSelectionRange }));
  }));
  connection.onReferences(onCard('References', null, (d, p) => service.references(d, d.card, p.position, index, p.context.includeDeclaration)));
  connection.onPrepareRename(onCard('Prepare rename', null, (d, p) => {
    const result = service.prepareRename(d, d.card, p.position);
    return result && 'error' in result ? refused('invalidRequest', result.error) : result;
  }));
  connection.onRenameRequest(async (params, token) => {
    const document = cards.get(params.textDocument.uri);
    if (!document) return null;
    const options = { documentChanges: !!client?.documentChanges, versionOf: (uri: string) => cards.get(uri)?.version ?? null };
    const make = () => runSafe(log, 'Rename', token, null, () => service.rename(document, document.card, params.position, params.newName, index, options));
    return renameFresh({ make, isOpen: (uri) => cards.has(uri), isCancelled: () => token.isCancellationRequested, cards: indexer, recheck });
  });
  connection.onWorkspaceSymbol((params, token) => runSafe(log, 'Workspace symbols', token, [], () => service.workspaceSymbols(params.query, index)));
  connection.onCodeAction(onCard('Code actions', [], (d, p) => (client?.codeActionLiterals ? service.codeActions(d, d.card, p.range, p.context, settingsOf(d.uri), index) : [])));
  connection.onCodeLens(onCard('Code lens', [], (d) => service.codeLenses(d, d.card, settingsOf(d.uri), index)));

  // The custom requests (host/requests.ts).
  onRequest(connection, GRADUATE_REQUEST, requests.graduate.bind(requests));
  onRequest(connection, CARD_PREVIEW_REQUEST, requests.preview.bind(requests));
  onRequest(connection, READINESS_REQUEST, requests.readiness.bind(requests));
  onRequest(connection, EXPORT_CARD_REQUEST, requests.exportCard.bind(requests));
  onRequest(connection, NEW_CARD_REQUEST, requests.newCard.bind(requests));
  onRequest(connection, LEVELS_REQUEST, requests.levels.bind(requests));
  onRequest(connection, PORTFOLIO_REQUEST, requests.portfolio.bind(requests));
  onRequest(connection, SERVER_PROCESS_REQUEST, requests.serverProcess.bind(requests));

  connection.listen();
}
