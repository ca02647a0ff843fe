/**
 * The language server: wires LSP handlers to the card services. This is the only module that
 * knows the connection. It owns the parse cache (one card model per open document version).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CancellationToken,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type DiagnosticServerCancellationData,
  type Connection,
  type ClientCapabilities,
  type Diagnostic,
  type DocumentSymbol,
  type FileEvent,
  type FoldingRange,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { CARD_PREVIEW_REQUEST, type CardPreview, type CardPreviewParams, type CardPreviewResponse } from '../../protocol/preview';
import { previewDelta } from '../../protocol/previewDelta';
import { cardHtmlFile } from './render/export';
import { cardMarkdown } from './render/markdown';
import { EXPORT_CARD_REQUEST, type ExportCardParams, type ExportCardResponse } from '../../protocol/messages';
import { GRADUATE_REQUEST, LEVELS_REQUEST, NEW_CARD_REQUEST, READINESS_REQUEST, SERVER_PROCESS_REQUEST, type ReadinessParams, type ReadinessResponse, type GraduateParams, type GraduateResponse, type LevelSummary, type LevelsParams, type NewCardParams, type NewCardResponse, type ServerProcessResult } from '../../protocol/messages';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, CONFIG_FILES, FIX_ALL_KIND, CardDocument, WorkspaceIndex, cardFacts, previousCardOf, type PreviousCard, cardText, editedText, getLanguageService, localDate, nextFileName, parseConfig, type CardModel, type ClientSupport, type LoadedConfig, type ValidationSettings } from './languageService';
import { toDiagnostic } from './services/diagnostics';
import { dependsOn, uriKey } from './workspace/index';
import { containersOf } from './workspace/rollup';
import { CARD_FILE, realRoots } from './files';
import { CARD_GLOB } from '../../protocol/cardFile';
import { cardValue } from './card/model';
import { indexFile, reindexFile, scanWorkspace, stillAt } from './workspace/scan';
import { FolderWatcher } from './workspace/watch';
import { LIMITS, MAX_CONFIG_FILE_BYTES } from './limits';
import { attempt, cancelled, runSafe } from './runner';
import { readCardFile } from './workspace/read';
import { ruleHeadingLines } from './docs';
import { PORTFOLIO_CHANGED_DEBOUNCE_MS, PORTFOLIO_CHANGED_NOTIFICATION, PORTFOLIO_REQUEST, type PortfolioParams, type PortfolioResponse } from '../../protocol/portfolioMessages';
import { portfolioView } from './services/portfolioView';
import type { CardFacts } from './workspace/index';
import { version } from 'virtual:package';

export interface Settings extends ValidationSettings {
  validate: { enable: boolean };
}

/** A small card touching every rule's code path; checked once at start-up. */
const WARM_UP_CARD = `technology: Warm-up
id: WARM-1
version: "1.0"
level: 9
owners:
  rnd: { owner: A, reviewers: [B] }
requirements:
  - id: "1"
    kind: product
    text: x
    verification: x
    validation: x
    p_failure: 2
    value: 3
    risk: 1
  - id: "1"
    kind: reserch
data:
  datasets:
    - name: d
      simulated: true
unknown: 1
history:
  - level: 1
    date: 2020-01-01
`;

/** The files whose changes on disk matter: cards, and each folder's team configuration. */
const WATCHED_GLOBS = [CARD_GLOB, '**/trl-cards.config.{yaml,yml}'];

/**
 * What the client takes, from its capabilities (LSP 3.17/3.18). Pull diagnostics only with
 * `workspace.diagnostics.refreshSupport`: without it, cross-card changes could never reach the
 * client, so such a client (Neovim before 0.12, Eglot) gets pushed diagnostics. A pulling client
 * may declare `relatedInformation` and `dataSupport` on either capability (3.18 moved them to
 * a shared base of both).
 */
export function clientSupport(caps: ClientCapabilities): { pull: boolean; support: ClientSupport } {
  const td = caps.textDocument ?? {};
  const pull = !!td.diagnostic && !!caps.workspace?.diagnostics?.refreshSupport;
  const publish = td.publishDiagnostics ?? {};
  const pulled = pull ? (td.diagnostic ?? {}) : {};
  return {
    pull,
    support: {
      data: !!(publish.dataSupport || pulled.dataSupport),
      relatedInformation: !!(publish.relatedInformation || pulled.relatedInformation),
      snippetSupport: !!td.completion?.completionItem?.snippetSupport,
      hoverMarkdown: !!td.hover?.contentFormat?.includes('markdown'),
      documentationMarkdown: !!td.completion?.completionItem?.documentationFormat?.includes('markdown'),
    },
  };
}

export const DEFAULT_SETTINGS: Settings = { validate: { enable: true }, rules: {} };

/** The extension's settings section, as the client sends it. */
function readSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as { validate?: { enable?: unknown }; rules?: unknown; risk?: { mitigationThreshold?: unknown } };
  const enable = typeof r.validate?.enable === 'boolean' ? r.validate.enable : true;
  const rules: Settings['rules'] = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, value] of Object.entries(r.rules as Record<string, unknown>)) {
      if (value === 'off' || value === 'error' || value === 'warning' || value === 'information') rules[code] = value;
    }
  }
  const t = r.risk?.mitigationThreshold;
  return typeof t === 'number' && Number.isFinite(t) ? { validate: { enable }, rules, mitigationThreshold: t } : { validate: { enable }, rules };
}


/** Times a rename reads the cards it edits again before it gives up on cards that keep changing. */
const RENAME_ROUNDS = 4;

/**
 * Whether a custom request was cancelled. Its token comes after its params, or alone when a
 * client sent none (vscode-jsonrpc then passes the token first).
 */
function isCancelled(params: unknown, token?: CancellationToken): boolean {
  const t = token ?? (CancellationToken.is(params) ? params : undefined);
  return t?.isCancellationRequested === true;
}

/** The documents a workspace edit changes. */
function editedUris(edit: WorkspaceEdit): string[] {
  if (edit.documentChanges) return edit.documentChanges.flatMap((c) => ('textDocument' in c ? [c.textDocument.uri] : []));
  return Object.keys(edit.changes ?? {});
}

export function startServer(connection: Connection): void {
  const log = (message: string) => connection.console.error(message);
  let rulesBaseUrl = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules.md')).toString();
  /** The line of each rule's heading in docs/rules.md, when the client opens `#L<line>` links. */
  let ruleLines: ReadonlyMap<string, number> | undefined;
  /** What the client takes in a diagnostic (for the configuration file's own problems too). */
  let diagnosticSupport = { data: true, relatedInformation: true };
  let service = getLanguageService({ rulesBaseUrl });
  /** Open cards: each document holds its text as its model's blocks, updated edit by edit. */
  const open = new Map<string, CardDocument>();
  const documents = { get: (uri: string) => open.get(uri), all: () => [...open.values()] };
  let settings: Settings = DEFAULT_SETTINGS;
  let pullDiagnostics = false;
  let configurationPull = false;
  /** The client can be asked to send configuration changes / to watch files for us. */
  let configurationRegistration = false;
  let watcherRegistration = false;
  /** Our own watcher, for clients that cannot watch files for us. */
  let watcher: FolderWatcher | undefined;
  /** Navigation: what the client takes (LocationLink for definitions, versioned edits for rename). */
  let definitionLinks = false;
  let documentChanges = false;
  /** The client takes code actions as literals (commands-only clients get none). */
  let codeActionLiterals = false;
  /**
   * The outline and folding of each open card, for its current version only: computing them
   * for a 4 MB card takes a second, and VS Code asks again whenever a view shows them.
   */
  const views = new Map<string, { version: number; symbols?: DocumentSymbol[]; folding?: FoldingRange[] }>();
  function viewOf(document: CardDocument): { version: number; symbols?: DocumentSymbol[]; folding?: FoldingRange[] } {
    let view = views.get(document.uri);
    if (!view || view.version !== document.version) views.set(document.uri, (view = { version: document.version }));
    return view;
  }
  /** Every card of the workspace, for cross-card rules; built in the background. */
  const index = new WorkspaceIndex();
  let roots: string[] = [];
  /** The real paths of the workspace folders: no card file is read from disk outside them. */
  let bounds: string[] = [];
  /** The workspace folders' URIs (of any scheme): where a card path may link to. */
  let folderUris: string[] = [];

  /**
   * Team configurations (trl-cards.config.yaml), one per workspace folder, by the folder's path:
   * from disk, or from the editor while the file is open there.
   */
  const configs = new Map<string, LoadedConfig>();
  const configDocs = new Map<string, TextDocument>();

  /** The folder a file belongs to (the longest root containing it). */
  function rootOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return roots.length === 1 ? roots[0] : undefined;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    let best: string | undefined;
    for (const r of roots) if ((file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) && (!best || r.length > best.length)) best = r;
    return best;
  }

  /** The settings for one card: the user's, over its folder's team configuration. */
  function settingsFor(uri: string): Settings {
    const root = rootOf(uri);
    const config = root !== undefined ? configs.get(root)?.config : undefined;
    // Today's date for the targets rules, read at each request (a server may run past midnight).
    return { ...settings, ...(config ? { config } : {}), today: localDate(new Date()) };
  }

  /** A configuration file at a folder's root (its folder), or undefined for any other file. */
  function configRoot(uri: string): string | undefined {
    if (!CONFIG_FILE.test(uri) || !uri.startsWith('file:')) return undefined;
    const dir = path.dirname(fileURLToPath(uri));
    return roots.find((r) => path.resolve(r) === dir);
  }

  /** Reads a folder's configuration from disk (the first of CONFIG_FILES that exists). */
  async function loadConfig(root: string): Promise<void> {
    for (const name of CONFIG_FILES) {
      const file = path.join(root, name);
      const uri = pathToFileURL(file).toString();
      if (configDocs.has(uri)) {
        configs.set(root, parseConfig(configDocs.get(uri)!.getText()));
        return;
      }
      // Read like a card: never a pipe or a device, never more than the limit.
      const read = await readCardFile(file, { maxBytes: MAX_CONFIG_FILE_BYTES });
      if (read.error !== undefined) {
        if (!read.missing) log(`${file}: not read (${read.error}); the team configuration does not apply.`);
        continue;
      }
      const loaded = parseConfig(read.text);
      configs.set(root, loaded);
      if (loaded.problems.length) log(`${file}: ${loaded.problems.length} problem(s) in the team configuration; the valid rest applies.`);
      return;
    }
    configs.delete(root);
  }

  function diagnosticsOf(document: CardDocument): Diagnostic[] {
    if (!settings.validate.enable) return [];
    return service.diagnostics(document, document.card, settingsFor(document.uri), index);
  }

  function configDiagnostics(document: TextDocument): Diagnostic[] {
    return parseConfig(document.getText()).problems.map((p) => toDiagnostic(document, p, rulesBaseUrl, diagnosticSupport, ruleLines));
  }

  async function loadSettings(): Promise<void> {
    if (!configurationPull) return;
    try {
      settings = readSettings(await connection.workspace.getConfiguration('trlCards'));
    } catch (err) {
      log(`Could not read settings: ${String(err)}`);
    }
  }

  /** Push mode only: publish after the event loop has seen any queued edits. */
  const pending = new Map<string, NodeJS.Immediate>();
  function schedulePush(document: CardDocument): void {
    if (pullDiagnostics) return;
    const old = pending.get(document.uri);
    if (old) clearImmediate(old);
    pending.set(
      document.uri,
      setImmediate(() => {
        pending.delete(document.uri);
        const current = documents.get(document.uri);
        if (!current) return;
        const diagnostics = runSafe(log, 'Validation', undefined, [] as Diagnostic[], () => diagnosticsOf(current));
        if (Array.isArray(diagnostics)) void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
      }),
    );
  }

  function refreshAll(): void {
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else {
      documents.all().forEach(schedulePush);
      for (const d of configDocs.values()) void connection.sendDiagnostics({ uri: d.uri, version: d.version, diagnostics: configDiagnostics(d) });
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    const client = clientSupport(caps);
    pullDiagnostics = client.pull;
    configurationPull = !!caps.workspace?.configuration;
    configurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    watcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    definitionLinks = !!caps.textDocument?.definition?.linkSupport;
    documentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    codeActionLiterals = !!caps.textDocument?.codeAction?.codeActionLiteralSupport;
    const init = (params.initializationOptions ?? {}) as { rulesBaseUrl?: unknown; rulesLinks?: unknown; settings?: unknown; commands?: unknown };
    const clientCommands = Array.isArray(init.commands) ? init.commands.filter((c): c is string => typeof c === 'string') : [];
    if (typeof init.rulesBaseUrl === 'string') rulesBaseUrl = init.rulesBaseUrl;
    // VS Code opens `rules.md#L<line>` at that line (a `#code` anchor, at line 1): its client
    // asks for line links; other clients keep the heading's anchor.
    if (init.rulesLinks === 'line') {
      try {
        ruleLines = ruleHeadingLines(fs.readFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), 'utf8'));
      } catch (err) {
        log(`docs/rules.md not read (${String(err)}): rule links open the file at its start.`);
      }
    }
    diagnosticSupport = { data: client.support.data, relatedInformation: client.support.relatedInformation };
    service = getLanguageService({ rulesBaseUrl, ruleLines, client: client.support, clientCommands });
    if (init.settings !== undefined) settings = readSettings(init.settings);
    // Run every check once on a small card, so the first card the user opens does not pay for
    // compiling the checks' code (a few tens of milliseconds, spent while the editor starts).
    attempt(log, 'Warm-up', () => service.problems(service.parse(WARM_UP_CARD)), () => []);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folderUris = folders;
    roots = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    bounds = realRoots(roots);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':', '-'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'TRL card' },
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND, 'refactor.graduate'] },
        codeLensProvider: { resolveProvider: false },
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'trl', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'trl-cards-server', version },
    };
  });

  connection.onInitialized(() => {
    if (configurationPull) {
      // Only a client that said it takes the registration is sent one (Eglot shows a warning otherwise).
      if (configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'trlCards' }).catch((err) => log(`Could not register for configuration changes: ${String(err)}`));
      void loadSettings().then(refreshAll);
    }
    // Cards changed on disk: the client watches them for us where it can, else we do (bounded).
    if (watcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }).catch((err) => log(`Could not register file watchers: ${String(err)}`));
    } else if (roots.length) {
      watcher = new FolderWatcher({ matches: (name) => CARD_FILE.test(name) || (CONFIG_FILES as readonly string[]).includes(name), onChanges: (changes) => void filesChanged(changes), log });
    }
    // The team configurations first (small files): cards are checked with them from the start.
    void Promise.all(roots.map(loadConfig)).then(() => configs.size && refreshAll());
    // Index the workspace in the background: open cards are checked meanwhile (without the
    // cross-card rules, which wait for a complete index), then re-checked once it is done.
    // Past LIMITS.maxIndexedCards the index stays incomplete: the cross-card rules stay silent
    // rather than report the cards it left out as missing.
    let truncated = false;
    const skip = (uri: string) => {
      if (index.size >= LIMITS.maxIndexedCards) truncated = true;
      return truncated || open.has(uri);
    };
    void scanWorkspace(roots, index, skip, log, watcher && ((dir) => void watcher!.add(dir)), bounds).then((count) => {
      if (truncated) {
        scanned = true;
        portfolioChanged();
        log(`The workspace has more than ${LIMITS.maxIndexedCards} cards: the checks across cards (component levels, previous cards) are off.`);
        return;
      }
      index.complete = true;
      scanned = true;
      portfolioChanged();
      connection.console.log(`Indexed ${count} card${count === 1 ? '' : 's'} in the workspace.`);
      refreshAll();
    });
  });

  /** Records an open card's facts; re-checks every open card when they changed. */
  function reindex(document: CardDocument, card: CardModel): void {
    void changeFacts(document.uri, () => index.set(cardFacts(document.uri, card, (offset) => document.positionAt(offset)))).then(recheck);
  }

  /**
   * Applies a change to the index. When a card's facts changed, returns the open cards that
   * name it (by path, or by its old or new id) or contain it through other components: they
   * need re-checking.
   */
  async function changeFacts(uri: string, change: () => boolean | Promise<boolean>): Promise<CardDocument[]> {
    const before = index.byUri(uri);
    const changed = await change();
    if (portfolioSig(before) !== portfolioSig(index.byUri(uri))) portfolioChanged();
    if (!changed || !index.complete) return [];
    const after = index.byUri(uri);
    const ids = new Set([before?.id, after?.id].filter((x): x is string => x !== undefined));
    // Systems of systems: a card that contains the changed one through other components too.
    let containers: Set<string> | undefined;
    return documents.all().filter((d) => {
      const facts = d.uri !== uri ? index.byUri(d.uri) : undefined;
      if (!facts) return false;
      if (dependsOn(facts, uri, ids)) return true;
      containers ??= containersOf(uri, ids, index.cards(), index);
      return containers.has(uriKey(d.uri));
    });
  }

  function recheck(dependents: readonly CardDocument[]): void {
    if (dependents.length === 0) return;
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else new Set(dependents).forEach(schedulePush);
  }

  connection.onDidChangeWatchedFiles(({ changes }) => filesChanged(changes));
  connection.onShutdown(() => watcher?.close());

  /** Files changed on disk (from the client's watchers or ours): the index, configurations, dependents. */
  async function filesChanged(all: readonly FileEvent[]): Promise<void> {
    // One event per file, the last one: a file created then changed in one batch is read once.
    const changes = [...new Map(all.map((c) => [c.uri, c])).values()];
    const dependents: CardDocument[] = [];
    const configRoots = new Set(changes.map((c) => configRoot(c.uri)).filter((r): r is string => r !== undefined));
    if (configRoots.size) {
      await Promise.all([...configRoots].map(loadConfig));
      refreshAll();
    }
    for (const c of changes) {
      if (!CARD_FILE.test(c.uri) || open.has(c.uri)) continue;
      dependents.push(...(await changeFacts(c.uri, () => (c.type === FileChangeType.Deleted ? index.delete(c.uri) : indexFile(c.uri, index, bounds)))));
    }
    // A folder deleted (our own watcher says so): the cards that were in it.
    for (const c of changes) {
      if (c.type !== FileChangeType.Deleted || CARD_FILE.test(c.uri) || CONFIG_FILE.test(c.uri)) continue;
      const prefix = c.uri.endsWith('/') ? c.uri : c.uri + '/';
      for (const facts of [...index.cards()]) {
        if (facts.uri.startsWith(prefix) && !open.has(facts.uri)) dependents.push(...(await changeFacts(facts.uri, () => index.delete(facts.uri))));
      }
    }
    recheck(dependents);
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (configurationPull) await loadSettings();
    else settings = readSettings((change.settings as { trlCards?: unknown } | undefined)?.trlCards);
    refreshAll();
  });

  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    if (CONFIG_FILE.test(t.uri)) {
      const document = TextDocument.create(t.uri, t.languageId, t.version, t.text);
      configDocs.set(t.uri, document);
      configChanged(document);
      return;
    }
    const card = attempt(log, 'Parsing', () => service.parse(t.text, t.uri), () => service.parse(''));
    const document = new CardDocument(t.uri, t.languageId, t.version, card);
    open.set(t.uri, document);
    reindex(document, card);
    schedulePush(document);
  });

  /** An open configuration file changed: its own problems, and every card of its folder. */
  function configChanged(document: TextDocument): void {
    const root = configRoot(document.uri);
    if (root !== undefined) configs.set(root, parseConfig(document.getText()));
    if (root !== undefined) refreshAll();
    else if (!pullDiagnostics) void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: configDiagnostics(document) });
  }

  connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
    const configDoc = configDocs.get(t.uri);
    if (configDoc) {
      const updated = TextDocument.update(configDoc, contentChanges, t.version);
      configDocs.set(t.uri, updated);
      configChanged(updated);
      return;
    }
    let document = open.get(t.uri);
    if (!document) return;
    // Changes apply in order, each to the text the previous one left (a full text may come first).
    for (const change of contentChanges) {
      if ('range' in change) {
        const current = document;
        const start = current.offsetAt(change.range.start);
        const end = current.offsetAt(change.range.end);
        const edit = start <= end ? { start, end, text: change.text } : { start: end, end: start, text: change.text };
        // On an internal error, fall back to a full parse rather than serve a stale model.
        const card = attempt(log, 'Incremental parsing', () => service.update(current.card, edit), () => service.parse(editedText(current.card, edit), t.uri));
        current.edited(card, edit.start, edit.end, edit.text, t.version);
      } else {
        const text = change.text;
        document = new CardDocument(t.uri, document.languageId, t.version, attempt(log, 'Parsing', () => service.parse(text, t.uri), () => service.parse('')));
        open.set(t.uri, document);
      }
    }
    reindex(document, document.card);
    schedulePush(document);
  });

  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    if (configDocs.delete(t.uri)) {
      // The file on disk counts again.
      const root = configRoot(t.uri);
      if (root !== undefined) void loadConfig(root).then(refreshAll);
      if (!pullDiagnostics) void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
      return;
    }
    open.delete(t.uri);
    views.delete(t.uri);
    // The file on disk is what counts again (it may hold unsaved changes that were dropped).
    void changeFacts(t.uri, () => (t.uri.startsWith('file:') ? indexFile(t.uri, index, bounds) : index.delete(t.uri))).then(recheck);
    const p = pending.get(t.uri);
    if (p) clearImmediate(p);
    pending.delete(t.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params, token) => {
    const configDoc = configDocs.get(params.textDocument.uri);
    const document = configDoc ? undefined : documents.get(params.textDocument.uri);
    const items = configDoc
      ? runSafe(log, 'Configuration', token, [] as Diagnostic[], () => configDiagnostics(configDoc))
      : document
        ? runSafe(log, 'Validation', token, [] as Diagnostic[], () => diagnosticsOf(document))
        : [];
    // Cancelled (the client wants newer results, e.g. after a refresh): the cancellation error,
    // never an empty report (which would clear the problems shown until the next pull).
    if (!Array.isArray(items)) return new ResponseError<DiagnosticServerCancellationData>(LSPErrorCodes.RequestCancelled, 'Request cancelled', { retriggerRequest: true });
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });

  connection.onCompletion((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return runSafe(log, 'Completion', token, null, () => service.complete(document, document.card, params.position, settingsFor(document.uri), { today: localDate(new Date()) }));
  });

  connection.onHover((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return runSafe(log, 'Hover', token, null, () => service.hover(document, document.card, params.position, settingsFor(document.uri)));
  });

  connection.onDocumentSymbol((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return runSafe(log, 'Document symbols', token, [], () => {
      const view = viewOf(document);
      return (view.symbols ??= service.symbols(document, document.card));
    });
  });

  connection.onDocumentLinks((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return runSafe(log, 'Document links', token, [], () => service.links(document, document.card, folderUris));
  });

  connection.onFoldingRanges((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return runSafe(log, 'Folding ranges', token, [], () => {
      const view = viewOf(document);
      return (view.folding ??= service.folding(document, document.card));
    });
  });

  // Navigation between cards (services/navigation.ts): from the index's facts, never reading a file.
  connection.onDefinition((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return runSafe(log, 'Definition', token, null, () => {
      const links = service.definition(document, document.card, params.position, index);
      return definitionLinks ? links : links.map((l) => ({ uri: l.targetUri, range: l.targetSelectionRange }));
    });
  });

  connection.onReferences((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return runSafe(log, 'References', token, null, () => service.references(document, document.card, params.position, index, params.context.includeDeclaration));
  });

  connection.onPrepareRename((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const result = runSafe(log, 'Prepare rename', token, null, () => service.prepareRename(document, document.card, params.position));
    if (result instanceof ResponseError || !result) return result;
    return 'error' in result ? new ResponseError(ErrorCodes.InvalidRequest, result.error) : result;
  });

  connection.onRenameRequest(async (params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const versionOf = (uri: string) => documents.get(uri)?.version ?? null;
    // An open card's facts follow its every edit (and its edits carry its version); a closed
    // card's are from when it was last read, and it may have changed on disk since, before any
    // watcher said so. So each closed card the edit touches is read again and re-located (into
    // the index, as a watcher event would), and the edit is made again from what the cards hold
    // now; a card that will not hold still meanwhile gets the rename refused, never an edit at
    // old offsets.
    const stamps = new Map<string, string | undefined>();
    for (let round = 0; round < RENAME_ROUNDS; round++) {
      const result = runSafe(log, 'Rename', token, null, () => service.rename(document, document.card, params.position, params.newName, index, { documentChanges, versionOf }));
      if (result instanceof ResponseError || !result) return result;
      if ('error' in result) return new ResponseError(ErrorCodes.InvalidParams, result.error);
      const stale: string[] = [];
      for (const uri of editedUris(result.edit)) {
        if (documents.get(uri)) continue;
        const key = uriKey(uri);
        if (!stamps.has(key) || !(await stillAt(uri, stamps.get(key)))) stale.push(uri);
      }
      if (stale.length === 0) return result.edit;
      for (const uri of stale) {
        let read: Awaited<ReturnType<typeof reindexFile>> | undefined;
        recheck(await changeFacts(uri, async () => (read = await reindexFile(uri, index, bounds)).changed));
        if (read?.steady) stamps.set(uriKey(uri), read.stamp);
        else stamps.delete(uriKey(uri));
      }
      if (token.isCancellationRequested) return cancelled();
    }
    return new ResponseError(LSPErrorCodes.ContentModified, 'Cards this rename would edit kept changing on disk while it was made: try again.');
  });

  connection.onWorkspaceSymbol((params, token) => runSafe(log, 'Workspace symbols', token, [], () => service.workspaceSymbols(params.query, index)));

  connection.onCodeAction((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !codeActionLiterals) return [];
    return runSafe(log, 'Code actions', token, [], () => service.codeActions(document, document.card, params.range, params.context, settingsFor(document.uri), index));
  });

  // Graduation and the level code lens (services/codeLens.ts, services/graduate.ts).
  connection.onCodeLens((params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return runSafe(log, 'Code lens', token, [], () => service.codeLenses(document, document.card, settingsFor(document.uri), index));
  });

  // Every custom request answers a cancelled one with the LSP cancellation error, checked before
  // each stage of its work (a stage that waits — a file read, a module load — gives the client's
  // `$/cancelRequest` its chance to arrive).
  connection.onRequest<GraduateResponse, void>(GRADUATE_REQUEST, (params: GraduateParams, token?: CancellationToken): GraduateResponse | ResponseError => {
    if (isCancelled(params, token)) return cancelled();
    const document = documents.get(params.uri);
    if (!document) return { error: 'The card is not open.' };
    const today = typeof params.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(params.today) ? params.today : localDate(new Date());
    const inPlace = params.mode === 'inPlace';
    const result = attempt(log, 'Graduate', () => service.graduate(cardText(document.card), document.card, document.uri, today, settingsFor(document.uri), { previous: !inPlace }, index), () => ({ error: 'Internal error: see the TRL Cards output.' }));
    if ('error' in result) return result;
    const fileName = inPlace ? '' : nextFileName(document.uri, result.level, typeof params.fileName === 'string' && params.fileName ? params.fileName : undefined);
    return { newText: result.newText, fileName, level: result.level };
  });

  // The card preview and its exports (services/previewModel.ts, render/): an open card as the
  // editor has it, or a card on disk (a preview locked to a card whose editor was closed).
  async function cardFor(uri: string): Promise<{ document: CardDocument; version: number | null } | { error: string }> {
    const document = documents.get(uri);
    if (document) return { document, version: document.version };
    if (!uri.startsWith('file:') || !CARD_FILE.test(uri)) return { error: 'The card is not open.' };
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return { error: 'The card is not open.' };
    }
    const read = await readCard(file);
    if ('error' in read) return { error: `${path.basename(file)}: ${read.error}` };
    return { document: new CardDocument(uri, 'trl-card', 0, read.card), version: null };
  }

  /** A card on disk, read safely and parsed (never throws). */
  async function readCard(file: string): Promise<{ card: CardModel } | { error: string }> {
    const read = await readCardFile(file);
    if (read.error !== undefined) return { error: read.error };
    return { card: attempt(log, 'Parsing', () => service.parse(read.text, file), () => service.parse('')) };
  }

  /** Previous cards read from disk for the preview's changes, by URI, while their file is unchanged. */
  const previousCards = new Map<string, { mtimeMs: number; size: number; data: unknown }>();
  async function previousOf(document: CardDocument, compareWith?: string): Promise<PreviousCard | undefined> {
    if (!index.complete) return undefined;
    const target = attempt(log, 'Preview', () => previousCardOf(document.uri, cardValue(document.card), index, compareWith), () => undefined);
    if (!target) return undefined;
    const edited = documents.get(target.uri);
    if (edited) return { ...target, data: cardValue(edited.card) };
    if (!target.uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = fileURLToPath(target.uri);
    } catch {
      return undefined;
    }
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat) return undefined;
    const known = previousCards.get(target.uri);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return { ...target, data: known.data };
    const read = await readCard(file);
    if ('error' in read) return undefined;
    const data = cardValue(read.card);
    if (previousCards.size >= LIMITS.maxIndexedCards) previousCards.clear();
    previousCards.set(target.uri, { mtimeMs: stat.mtimeMs, size: stat.size, data });
    return { ...target, data };
  }

  async function previewOf(uri: string, isCancelledNow: () => boolean, compareWith?: unknown): Promise<CardPreview | { error: string } | ResponseError> {
    if (isCancelledNow()) return cancelled();
    const found = await cardFor(uri);
    if ('error' in found) return found;
    if (isCancelledNow()) return cancelled();
    const { document, version } = found;
    const previous = await previousOf(document, typeof compareWith === 'string' ? compareWith : undefined);
    if (isCancelledNow()) return cancelled();
    return attempt<CardPreview | { error: string }>(log, 'Preview', () => service.preview(document, document.card, version, settingsFor(uri), index.complete ? index : undefined, previous), () => ({ error: 'Internal error: see the TRL Cards output.' }));
  }

  // Each answer is named (this process's prefix, so a restarted server never matches an old
  // name); a preview that names the answer it holds gets only what changed since it, when that
  // answer is among the last few (protocol/previewDelta.ts).
  const answerPrefix = randomBytes(6).toString('hex');
  let answers = 0;
  const answered = new Map<string, CardPreview>();
  connection.onRequest(CARD_PREVIEW_REQUEST, async (params: CardPreviewParams, token?: CancellationToken): Promise<CardPreviewResponse | ResponseError> => {
    const model = await previewOf(typeof params?.uri === 'string' ? params.uri : '', () => isCancelled(params, token), params?.compareWith);
    if (model instanceof ResponseError || 'error' in model) return model;
    const answer = `${answerPrefix}:${++answers}`;
    const full: CardPreview = { ...model, answer };
    const base = typeof params.base === 'string' ? answered.get(params.base) : undefined;
    answered.set(answer, full);
    for (const k of answered.keys()) if (answered.size > LIMITS.maxPreviewAnswersKept) answered.delete(k);
    if (!base || base.uri !== full.uri) return full;
    return attempt(log, 'Preview', () => previewDelta(base, full, params.base as string, answer), () => undefined) ?? full;
  });

  // The verdict on one card (services/readiness.ts), for the tree's tooltip.
  connection.onRequest(READINESS_REQUEST, async (params: ReadinessParams, token?: CancellationToken): Promise<ReadinessResponse | ResponseError> => {
    if (isCancelled(params, token)) return cancelled();
    const uri = typeof params?.uri === 'string' ? params.uri : '';
    const found = await cardFor(uri);
    if ('error' in found) return found;
    if (isCancelled(params, token)) return cancelled();
    const verdict = attempt(log, 'Readiness', () => service.readiness(found.document.card, uri, settingsFor(uri), index.complete ? index : undefined), () => undefined);
    if (!verdict) return { error: 'The card has no valid `level`.' };
    return { level: verdict.level, ...(verdict.next !== undefined ? { next: verdict.next } : {}), ready: verdict.ready, reasons: verdict.reasons };
  });

  connection.onRequest(EXPORT_CARD_REQUEST, async (params: ExportCardParams, token?: CancellationToken): Promise<ExportCardResponse | ResponseError> => {
    const model = await previewOf(typeof params?.uri === 'string' ? params.uri : '', () => isCancelled(params, token), params?.compareWith);
    if (model instanceof ResponseError || 'error' in model) return model;
    if (params.format !== 'html' && params.format !== 'md') return { error: `Unknown export format '${String(params.format)}': use html or md.` };
    return attempt<ExportCardResponse>(log, 'Export', () => ({ text: params.format === 'md' ? cardMarkdown(model) : cardHtmlFile(model) }), () => ({ error: 'Internal error: see the TRL Cards output.' }));
  });

  // New Card (services/newCard.ts): the card's text; the client creates the file.
  connection.onRequest<NewCardResponse, void>(NEW_CARD_REQUEST, (params: NewCardParams, token?: CancellationToken): NewCardResponse | ResponseError => {
    if (isCancelled(params, token)) return cancelled();
    const today = typeof params?.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(params.today) ? params.today : localDate(new Date());
    if (typeof params?.name !== 'string' || typeof params.level !== 'number') return { error: 'New Card needs a name and a level.' };
    const current = typeof params.uri === 'string' ? settingsFor(params.uri) : settings;
    return attempt(log, 'New Card', () => service.newCard(params.name, params.level, today, current), () => ({ error: 'Internal error: see the TRL Cards output.' }));
  });

  connection.onRequest(LEVELS_REQUEST, (params: LevelsParams, token?: CancellationToken): LevelSummary[] | ResponseError =>
    isCancelled(params, token) ? cancelled() : service.levels(typeof params?.uri === 'string' ? settingsFor(params.uri) : settings).map((l) => ({ level: l.level, name: l.name, tagline: l.tagline })),
  );

  // The portfolio (services/portfolioView.ts) for the tree view and the dashboard. Once a client
  // asked for it, it is told (at most once per PORTFOLIO_CHANGED_DEBOUNCE_MS) when it may have
  // changed: a card's level, id, components, history, targets, owner or risks, or the index done.
  let scanned = false;
  let portfolioAsked = false;
  let portfolioTimer: NodeJS.Timeout | undefined;
  function portfolioSig(f: CardFacts | undefined): string {
    return f ? JSON.stringify([f.id, f.technology, f.level, f.components, f.previous, f.progress]) : '';
  }
  function portfolioChanged(): void {
    if (!portfolioAsked || portfolioTimer) return;
    portfolioTimer = setTimeout(() => {
      portfolioTimer = undefined;
      void connection.sendNotification(PORTFOLIO_CHANGED_NOTIFICATION).catch(() => undefined);
    }, PORTFOLIO_CHANGED_DEBOUNCE_MS);
  }
  connection.onRequest(PORTFOLIO_REQUEST, async (params: PortfolioParams | undefined, token?: CancellationToken): Promise<PortfolioResponse | null | ResponseError> => {
    portfolioAsked = true;
    if (isCancelled(params, token)) return cancelled();
    const view = attempt<PortfolioResponse | null>(log, 'Portfolio', () => ({ ...portfolioView(index, localDate(new Date())), complete: scanned }), () => null);
    if (!view || params?.charts !== true) return view;
    // The charting library is loaded when the dashboard first asks (not when cards are checked).
    const { portfolioCharts } = await import('./services/portfolioCharts');
    if (isCancelled(params, token)) return cancelled();
    return attempt(log, 'Portfolio charts', () => ({ ...view, charts: portfolioCharts(view.portfolio) }), () => view);
  });

  connection.onRequest(SERVER_PROCESS_REQUEST, (params: unknown, token?: CancellationToken): ServerProcessResult | ResponseError => (isCancelled(params, token) ? cancelled() : { pid: process.pid }));

  connection.listen();
}
