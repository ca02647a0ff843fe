// A minimal LSP client for the benchmark: spawns a server over stdio and drives it the way an
// editor (VS Code) does, with vscode-jsonrpc from the project's node_modules. Every wait is for
// an event (a response or a notification) with a timeout; nothing sleeps.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const requireRoot = createRequire(path.join(ROOT, 'package.json'));
const rpc = requireRoot('vscode-jsonrpc/node');

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** Every child process started by this module, killed by killAll(). */
const children = new Set();

/** Registers a child process so that killAll() ends it. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

export class ServerError extends Error {}

/** Client capabilities modelled on what VS Code 1.10x announces (the parts servers look at). */
export function vscodeLikeCapabilities({ pullDiagnostics }) {
  return {
    general: {
      staleRequestSupport: {
        cancel: true,
        retryOnContentModified: ['textDocument/semanticTokens/full', 'textDocument/semanticTokens/range', 'textDocument/semanticTokens/full/delta'],
      },
      regularExpressions: { engine: 'ECMAScript', version: 'ES2020' },
      markdown: { parser: 'marked', version: '1.1.0' },
      positionEncodings: ['utf-16'],
    },
    window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
    workspace: {
      applyEdit: true,
      workspaceEdit: {
        documentChanges: true,
        resourceOperations: ['create', 'rename', 'delete'],
        failureHandling: 'textOnlyTransactional',
        normalizesLineEndings: true,
        changeAnnotationSupport: { groupsOnLabel: true },
      },
      configuration: true,
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
      symbol: { dynamicRegistration: true },
      codeLens: { refreshSupport: true },
      executeCommand: { dynamicRegistration: true },
      didChangeConfiguration: { dynamicRegistration: true },
      workspaceFolders: true,
      semanticTokens: { refreshSupport: true },
      fileOperations: {
        dynamicRegistration: true,
        didCreate: true,
        didRename: true,
        didDelete: true,
        willCreate: true,
        willRename: true,
        willDelete: true,
      },
      inlineValue: { refreshSupport: true },
      inlayHint: { refreshSupport: true },
      diagnostics: { refreshSupport: true },
      foldingRange: { refreshSupport: true },
    },
    textDocument: {
      publishDiagnostics: {
        relatedInformation: true,
        versionSupport: false,
        tagSupport: { valueSet: [1, 2] },
        codeDescriptionSupport: true,
        dataSupport: true,
      },
      synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
      completion: {
        dynamicRegistration: true,
        contextSupport: true,
        completionItem: {
          snippetSupport: true,
          commitCharactersSupport: true,
          documentationFormat: ['markdown', 'plaintext'],
          deprecatedSupport: true,
          preselectSupport: true,
          tagSupport: { valueSet: [1] },
          insertReplaceSupport: true,
          resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
          insertTextModeSupport: { valueSet: [1, 2] },
          labelDetailsSupport: true,
        },
        insertTextMode: 2,
        completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
        completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      signatureHelp: {
        dynamicRegistration: true,
        signatureInformation: {
          documentationFormat: ['markdown', 'plaintext'],
          parameterInformation: { labelOffsetSupport: true },
          activeParameterSupport: true,
        },
        contextSupport: true,
      },
      definition: { dynamicRegistration: true, linkSupport: true },
      references: { dynamicRegistration: true },
      documentHighlight: { dynamicRegistration: true },
      documentSymbol: {
        dynamicRegistration: true,
        symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) },
        hierarchicalDocumentSymbolSupport: true,
        tagSupport: { valueSet: [1] },
        labelSupport: true,
      },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        disabledSupport: true,
        dataSupport: true,
        resolveSupport: { properties: ['edit'] },
        codeActionLiteralSupport: {
          codeActionKind: {
            valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'],
          },
        },
        honorsChangeAnnotations: true,
      },
      codeLens: { dynamicRegistration: true },
      formatting: { dynamicRegistration: true },
      rangeFormatting: { dynamicRegistration: true, rangesSupport: true },
      onTypeFormatting: { dynamicRegistration: true },
      rename: { dynamicRegistration: true, prepareSupport: true, prepareSupportDefaultBehavior: 1, honorsChangeAnnotations: true },
      documentLink: { dynamicRegistration: true, tooltipSupport: true },
      typeDefinition: { dynamicRegistration: true, linkSupport: true },
      implementation: { dynamicRegistration: true, linkSupport: true },
      colorProvider: { dynamicRegistration: true },
      foldingRange: {
        dynamicRegistration: true,
        rangeLimit: 5000,
        lineFoldingOnly: true,
        foldingRangeKind: { valueSet: ['comment', 'imports', 'region'] },
        foldingRange: { collapsedText: false },
      },
      declaration: { dynamicRegistration: true, linkSupport: true },
      selectionRange: { dynamicRegistration: true },
      semanticTokens: {
        dynamicRegistration: true,
        tokenTypes: [],
        tokenModifiers: [],
        formats: ['relative'],
        requests: { range: true, full: { delta: true } },
        multilineTokenSupport: false,
        overlappingTokenSupport: false,
        serverCancelSupport: true,
        augmentsSyntaxTokens: true,
      },
      linkedEditingRange: { dynamicRegistration: true },
      inlayHint: {
        dynamicRegistration: true,
        resolveSupport: { properties: ['tooltip', 'textEdits', 'label.tooltip', 'label.location', 'label.command'] },
      },
      inlineValue: { dynamicRegistration: true },
      // Pull diagnostics: VS Code announces this; a server that supports it then waits to be asked.
      ...(pullDiagnostics ? { diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false } } : {}),
    },
  };
}

function withTimeout(promise, ms, what, server) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ServerError(`${server.name}: timed out after ${ms} ms waiting for ${what}.${server.tail()}`)), ms);
  });
  return Promise.race([promise, timeout, server.exitPromise]).finally(() => clearTimeout(timer));
}

/** A stable key for comparing diagnostic sets. */
export function diagKey(d) {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.severity ?? ''}|${d.code ?? ''}|${d.message}`;
}

/**
 * A server to start (scripts/bench/servers.mjs).
 * @typedef {object} ServerDef
 * @property {string} name            label in reports
 * @property {string} [label]         the server's name in words
 * @property {string[]} args          node arguments (script and flags)
 * @property {string} languageId
 * @property {boolean} pull           announce pull diagnostics (the server may still push)
 * @property {(section: string|undefined, scopeUri?: string) => unknown} configuration  answers workspace/configuration
 * @property {string} rootUri
 * @property {number} timeoutMs
 * @property {number} [staleTimeoutMs]  how long to wait for an answer that may never come
 * @property {string} [cwd]
 * @property {Record<string,string>} [env]
 * @property {object} [initializationOptions]
 * @property {RegExp} [readyLog]      the log line that says the workspace is indexed
 * @property {boolean} [repullOnRefresh]
 * @property {string} [mustLog]       a log line the server must write (the benchmark's patch took)
 */

export class LspServer {
  /** @param {ServerDef} o */
  constructor(o) {
    this.o = o;
    /** @type {ServerDef | undefined} set by startServer (servers.mjs) */
    this.def = undefined;
    this.name = o.name;
    this.timeoutMs = o.timeoutMs;
    this.stderr = [];
    this.logs = []; // window/logMessage and window/showMessage
    this.events = {
      configurationRequests: 0,
      refreshRequests: 0,
      refreshPulls: 0,
      registrations: 0,
      unknownRequests: [],
      pushesWhilePull: 0,
      stalePull: 0,
      stalePush: 0,
    };
    this.pushed = new Map(); // uri -> { version, diagnostics, seq }
    this.pushWaiters = new Set();
    this.refreshWaiters = new Set();
    this.resultIds = new Map(); // uri -> { resultId, items }
    this.versions = new Map(); // uri -> current version
    this.texts = new Map(); // uri -> current text (for full sync fallback)
  }

  exitText() {
    /** @type {{ error?: Error, code?: number | null, signal?: string | null }} */
    const e = this.exited ?? {};
    return e.error ? `could not start: ${e.error.message}` : `code ${e.code}, signal ${e.signal}`;
  }

  tail() {
    const s = this.stderr.join('').split('\n').filter(Boolean).slice(-15);
    const l = this.logs.filter((m) => m.type <= 2).slice(-10).map((m) => `[log ${m.type}] ${m.message.split('\n').slice(0, 6).join('\n  ')}`);
    const parts = [];
    if (s.length) parts.push(`\n  last stderr lines:\n  ${s.join('\n  ')}`);
    if (l.length) parts.push(`\n  last error/warning log messages:\n  ${l.join('\n  ')}`);
    return parts.join('');
  }

  async start() {
    const o = this.o;
    const spawned = performance.now();
    const child = spawn(process.execPath, o.args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...(o.env ?? {}) }, cwd: o.cwd ?? ROOT });
    children.add(child);
    this.child = child;
    this.pid = child.pid;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      this.stderr.push(d);
      if (this.stderr.length > 2000) this.stderr.splice(0, 1000);
    });
    this.exited = undefined;
    this.exitPromise = new Promise((_, reject) => {
      const fail = (code, signal) => {
        this.exited = { code, signal };
        if (!this.stopping) reject(new ServerError(`${this.name}: the server process (pid ${child.pid}) exited unexpectedly (code ${code}, signal ${signal}).${this.tail()}`));
      };
      child.on('exit', fail);
      child.on('error', (err) => {
        this.exited = { error: err };
        reject(new ServerError(`${this.name}: could not start the server: ${err.message}`));
      });
    });
    this.exitPromise.catch(() => undefined); // observed by withTimeout
    child.stdin.on('error', () => undefined); // EPIPE after a crash is reported through exitPromise

    const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
    this.conn = conn;
    conn.onError(([err]) => this.stderr.push(`[client] connection error: ${err?.message ?? err}\n`));
    this.readyAt = undefined;
    this.readyPromise = new Promise((resolve) => (this.onReady = resolve));
    conn.onNotification('window/logMessage', (p) => {
      this.logs.push(p);
      if (o.readyLog && this.readyAt === undefined && o.readyLog.test(p.message)) {
        this.readyAt = performance.now() - spawned;
        this.onReady();
      }
    });
    conn.onNotification('window/showMessage', (p) => this.logs.push(p));
    conn.onNotification('textDocument/publishDiagnostics', (p) => this.onPublish(p));
    conn.onRequest('workspace/configuration', (p) => {
      this.events.configurationRequests++;
      const answer = p.items.map((it) => o.configuration(it.section, it.scopeUri));
      if (this.onConfigured) this.onConfigured();
      return answer;
    });
    conn.onRequest('client/registerCapability', () => {
      this.events.registrations++;
      return null;
    });
    conn.onRequest('client/unregisterCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('workspace/diagnostic/refresh', () => {
      this.events.refreshRequests++;
      for (const w of [...this.refreshWaiters]) w();
      // As VS Code: pull the open documents again (after this answer has gone out).
      if (this.pullMode && o.repullOnRefresh !== false) {
        setImmediate(() => {
          for (const uri of this.versions.keys()) {
            this.events.refreshPulls++;
            this.pull(uri).catch(() => undefined);
          }
        });
      }
      return null;
    });
    for (const m of ['workspace/codeLens/refresh', 'workspace/semanticTokens/refresh', 'workspace/inlayHint/refresh', 'workspace/inlineValue/refresh', 'workspace/foldingRange/refresh']) conn.onRequest(m, () => null);
    conn.onRequest('window/showMessageRequest', () => null);
    conn.onRequest('workspace/workspaceFolders', () => [{ uri: o.rootUri, name: 'bench' }]);
    conn.onRequest((method) => {
      this.events.unknownRequests.push(method);
      return null;
    });
    conn.onNotification(() => undefined); // telemetry/event, $/progress, custom notifications
    conn.listen();

    const configured = new Promise((resolve) => (this.onConfigured = resolve));
    const init = await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.100.0' },
      locale: 'en',
      rootPath: new URL(o.rootUri).pathname,
      rootUri: o.rootUri,
      capabilities: vscodeLikeCapabilities({ pullDiagnostics: o.pull }),
      initializationOptions: o.initializationOptions,
      trace: 'off',
      workspaceFolders: [{ uri: o.rootUri, name: 'bench' }],
    });
    /** Spawn -> initialize answered (process start, module loading, initialize). */
    this.startMs = performance.now() - spawned;
    this.capabilities = init.capabilities;
    this.serverInfo = init.serverInfo;
    this.pullMode = !!(o.pull && init.capabilities.diagnosticProvider);
    this.diagnosticIdentifier = init.capabilities.diagnosticProvider?.identifier;
    const sync = init.capabilities.textDocumentSync;
    this.syncKind = typeof sync === 'number' ? sync : sync?.change ?? 0;
    this.notify('initialized', {});
    /** When `initialized` was sent (performance.now()). */
    this.initializedAt = performance.now();
    // VS Code answers the settings the server asks for; wait for that exchange, then make one
    // round trip so that the server has applied them before the first document opens.
    await withTimeout(configured, this.timeoutMs, 'the workspace/configuration request after initialized', this);
    await this.request('textDocument/hover', { textDocument: { uri: `${o.rootUri}/__barrier__.yaml` }, position: { line: 0, character: 0 } }).catch(() => undefined);
    return this;
  }

  request(method, params) {
    if (this.exited) return Promise.reject(new ServerError(`${this.name}: the server process (pid ${this.pid}) has exited (${this.exitText()}); cannot send ${method}.${this.tail()}`));
    return withTimeout(this.conn.sendRequest(method, params), this.timeoutMs, `the response to ${method}`, this);
  }

  notify(method, params) {
    if (this.exited) throw new ServerError(`${this.name}: the server process (pid ${this.pid}) has exited (${this.exitText()}); cannot send ${method}.${this.tail()}`);
    // A write to a dead process fails; that is reported through exitPromise, not here.
    this.conn.sendNotification(method, params).catch(() => undefined);
  }

  onPublish(p) {
    if (this.pullMode) this.events.pushesWhilePull++;
    const prev = this.pushed.get(p.uri);
    const entry = { version: p.version, diagnostics: p.diagnostics, seq: (prev?.seq ?? 0) + 1 };
    this.pushed.set(p.uri, entry);
    for (const w of [...this.pushWaiters]) w(p);
  }

  /**
   * Sends a change (`send`) and waits for diagnostics of `uri` that satisfy `accept`: by pull
   * (as VS Code: pull after the change; when the answer does not reflect it, pull again on the
   * server's workspace/diagnostic/refresh) or by push (publishDiagnostics; one carrying an older
   * version is ignored). Returns { ok, ms, diagnostics, staleAnswers }. ok is false when the
   * server answered but never with diagnostics that `accept`s: within staleTimeoutMs of its last
   * answer (pull: no refresh came; push: no further publish came). That is a correctness
   * failure, reported, not a crash. A server that does not answer at all times out (throws).
   */
  async diagnosticsAfter(uri, send, accept, what) {
    const staleTimeoutMs = this.o.staleTimeoutMs ?? 5000;
    if (this.pullMode) {
      let stale = 0;
      const t0 = performance.now();
      send();
      for (;;) {
        const seenRefreshes = this.events.refreshRequests;
        const items = await this.pull(uri);
        if (accept(items)) return { ok: true, ms: performance.now() - t0, diagnostics: items, staleAnswers: stale };
        this.events.stalePull++;
        stale++;
        if (this.events.refreshRequests === seenRefreshes) {
          let timer;
          let resolveRefresh;
          const refreshed = new Promise((resolve) => {
            resolveRefresh = resolve;
            this.refreshWaiters.add(resolve);
          });
          const gaveUp = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), staleTimeoutMs)));
          const r = await Promise.race([refreshed, gaveUp, this.exitPromise]);
          clearTimeout(timer);
          this.refreshWaiters.delete(resolveRefresh);
          if (r === 'timeout') return { ok: false, ms: performance.now() - t0, diagnostics: items, staleAnswers: stale };
        }
      }
    }
    let stale = 0;
    let last;
    let waiter;
    let staleTimer;
    const got = new Promise((resolve) => {
      waiter = (p) => {
        if (p.uri !== uri) return;
        if (typeof p.version === 'number' && p.version !== this.versions.get(uri)) {
          stale++;
          return;
        }
        clearTimeout(staleTimer);
        if (accept(p.diagnostics)) {
          resolve({ ok: true, diagnostics: p.diagnostics });
          return;
        }
        stale++;
        last = p.diagnostics;
        staleTimer = setTimeout(() => resolve({ ok: false, diagnostics: last }), staleTimeoutMs);
      };
      this.pushWaiters.add(waiter);
    });
    const t0 = performance.now();
    try {
      send();
      const r = await withTimeout(got, this.timeoutMs, `textDocument/publishDiagnostics reflecting ${what}`, this);
      this.events.stalePush += stale;
      return { ok: r.ok, ms: performance.now() - t0, diagnostics: r.diagnostics, staleAnswers: stale };
    } finally {
      clearTimeout(staleTimer);
      this.pushWaiters.delete(waiter);
    }
  }

  /**
   * Waits for the server's "ready" log line (o.readyLog; ours: the workspace index is complete).
   * Returns { ok, ms since spawn } ({ ok: true, skipped: true } for a server without one).
   */
  async waitReady(timeoutMs) {
    if (!this.o.readyLog) return { ok: true, skipped: true };
    if (this.readyAt !== undefined) return { ok: true, ms: this.readyAt };
    let timer;
    const r = await Promise.race([this.readyPromise.then(() => 'ready'), new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))), this.exitPromise]);
    clearTimeout(timer);
    return r === 'ready' ? { ok: true, ms: this.readyAt } : { ok: false };
  }

  /** The diagnostics an editor shows now: a pull (pull mode) or the last publish (push mode). */
  async current(uri) {
    if (this.pullMode) return this.pull(uri);
    return this.pushed.get(uri)?.diagnostics ?? [];
  }

  async pull(uri) {
    const prev = this.resultIds.get(uri);
    const report = await this.request('textDocument/diagnostic', { textDocument: { uri }, identifier: this.diagnosticIdentifier, previousResultId: prev?.resultId });
    let items;
    if (report.kind === 'unchanged') {
      if (!prev) throw new ServerError(`${this.name}: 'unchanged' diagnostic report for ${uri} without a previous result.`);
      items = prev.items;
    } else items = report.items ?? [];
    this.resultIds.set(uri, { resultId: report.resultId, items });
    return items;
  }

  /** didOpen -> the document's first diagnostics. */
  open(uri, text) {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.resultIds.delete(uri);
    return this.diagnosticsAfter(uri, () => this.notify('textDocument/didOpen', { textDocument: { uri, languageId: this.o.languageId, version: 1, text } }), () => true, `the opening of ${path.basename(uri)}`);
  }

  close(uri) {
    this.versions.delete(uri);
    this.texts.delete(uri);
    this.resultIds.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Replace `length` characters at `pos` (same line) with `text`; wait for accepted diagnostics. */
  edit(uri, pos, length, text, accept, what) {
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    const old = this.texts.get(uri);
    const offset = offsetAt(old, pos);
    const next = old.slice(0, offset) + text + old.slice(offset + length);
    this.texts.set(uri, next);
    const change =
      this.syncKind === 2
        ? { range: { start: pos, end: { line: pos.line, character: pos.character + length } }, rangeLength: length, text }
        : { text: next };
    return this.diagnosticsAfter(uri, () => this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] }), accept, what);
  }

  /**
   * Sends batches of changes, one didChange per batch (each a list of { range, text } applied in
   * order), without waiting in between, then waits for diagnostics that `accept`.
   */
  editBurst(uri, groups, accept, what) {
    const send = () => {
      for (const group of groups) {
        const version = this.versions.get(uri) + 1;
        this.versions.set(uri, version);
        let text = this.texts.get(uri);
        for (const c of group) text = text.slice(0, offsetAt(text, c.range.start)) + c.text + text.slice(offsetAt(text, c.range.end));
        this.texts.set(uri, text);
        const contentChanges = this.syncKind === 2 ? group.map((c) => ({ range: c.range, text: c.text })) : [{ text }];
        this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      }
    };
    return this.diagnosticsAfter(uri, send, accept, what);
  }

  async timed(method, params) {
    const t0 = performance.now();
    const result = await this.request(method, params);
    return { ms: performance.now() - t0, result };
  }

  completion(uri, position) {
    return this.timed('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } });
  }

  hover(uri, position) {
    return this.timed('textDocument/hover', { textDocument: { uri }, position });
  }

  /** CPU time (user + system) the server process has used, in ms (10 ms resolution). */
  cpuMs() {
    try {
      const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5)), in clock ticks
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      return NaN;
    }
  }

  /** Peak and current resident memory of the server process, in KiB, from /proc. */
  memory() {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kib = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { hwm: kib('VmHWM'), rss: kib('VmRSS') };
    } catch {
      return { hwm: NaN, rss: NaN };
    }
  }

  errorLogs() {
    return this.logs.filter((m) => m.type === 1);
  }

  async stop() {
    if (!this.child) return;
    this.stopping = true;
    const child = this.child;
    const gone = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
    if (!this.exited) {
      try {
        await withTimeout(this.conn.sendRequest('shutdown'), 5000, 'the response to shutdown', this);
        this.conn.sendNotification('exit').catch(() => undefined);
      } catch {
        // killed below
      }
    }
    let timer;
    await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await gone;
    this.conn.dispose();
    children.delete(child);
  }
}

export function offsetAt(text, pos) {
  let line = 0;
  let i = 0;
  while (line < pos.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) throw new Error(`line ${pos.line} is past the end of the text`);
    i = nl + 1;
    line++;
  }
  return i + pos.character;
}
