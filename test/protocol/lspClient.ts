/** A minimal LSP client over stdio for protocol tests: the real bundled server, real JSON-RPC. */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { ErrorCodes, ResponseError, StreamMessageReader, StreamMessageWriter, createProtocolConnection, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { ClientCapabilities, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers';

export interface TestClient {
  connection: ProtocolConnection;
  initializeResult: InitializeResult;
  process: ChildProcess;
  stderr: () => string;
  /** Resolves with the next publishDiagnostics for `uri` that satisfies `accept`. */
  nextDiagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Settings returned for workspace/configuration requests, by section. */
  settings: Record<string, unknown>;
  /** Resolves when the server logs a message matching `pattern` (now or later). */
  logged(pattern: RegExp): Promise<string>;
  /** Resolves when the server next sends a request with this method. */
  nextRequest(method: string): Promise<void>;
  /**
   * Server→client requests the capabilities did not declare (a method, or a registration the
   * client cannot take): each was answered MethodNotFound, as Neovim and Eglot do.
   */
  undeclared: string[];
  /** Every server→client request, by method (registrations as `client/registerCapability:<method>`). */
  requests: { method: string; params: unknown }[];
  close(): Promise<number | null>;
}

export async function startServer(capabilities: ClientCapabilities, workspaceFolders: { uri: string; name: string }[] | null = null, command: string[] = [path.join(ROOT, 'dist', 'server.js'), '--stdio'], initializationOptions?: unknown): Promise<TestClient> {
  const proc = spawn(process.execPath, command, { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const requestWaiters: { method: string; resolve: () => void }[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const client: TestClient = {
    connection,
    initializeResult: { capabilities: {} },
    process: proc,
    stderr: () => err,
    settings: { trlCards: { validate: { enable: true }, rules: {} } },
    logged: () => Promise.reject(new Error('not listening yet')),
    undeclared: [],
    requests: [],
    nextRequest(method) {
      return new Promise((resolve) => requestWaiters.push({ method, resolve }));
    },
    nextDiagnostics(uri, accept = () => true) {
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    async close() {
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const i = waiters.findIndex((w) => w.uri === p.uri && w.accept(p));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(p);
  });
  const answer = (method: string, params: unknown): unknown => {
    client.requests.push({ method, params });
    const why = undeclared(capabilities, method, params);
    if (why) {
      client.undeclared.push(why);
      return new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
    }
    for (let i = requestWaiters.length - 1; i >= 0; i--) {
      if (requestWaiters[i].method === method) requestWaiters.splice(i, 1)[0].resolve();
    }
    if (method === 'workspace/configuration') {
      const items = (params as { items: { section?: string }[] }).items;
      return items.map((i) => (i.section !== undefined && i.section in client.settings ? client.settings[i.section] : null));
    }
    return null;
  };
  for (const method of ['workspace/configuration', 'workspace/diagnostic/refresh', 'client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create']) {
    connection.onRequest(method, (params: unknown) => answer(method, params));
  }
  // Requests no profile of ours declares: recorded as undeclared, answered MethodNotFound.
  for (const method of ['workspace/codeLens/refresh', 'workspace/semanticTokens/refresh', 'workspace/inlayHint/refresh', 'workspace/inlineValue/refresh', 'workspace/foldingRange/refresh', 'workspace/applyEdit', 'workspace/workspaceFolders', 'window/showMessageRequest', 'window/showDocument']) {
    connection.onRequest(method, (params: unknown) => answer(method, params));
  }
  const logs: string[] = [];
  const logWaiters: { pattern: RegExp; resolve: (m: string) => void }[] = [];
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
    for (let i = logWaiters.length - 1; i >= 0; i--) {
      if (logWaiters[i].pattern.test(p.message)) logWaiters.splice(i, 1)[0].resolve(p.message);
    }
  });
  client.logged = (pattern) => {
    const seen = logs.find((m) => pattern.test(m));
    return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => logWaiters.push({ pattern, resolve }));
  };
  connection.listen();
  client.initializeResult = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, workspaceFolders, initializationOptions });
  await connection.sendNotification('initialized', {});
  return client;
}

/** Why a server→client request was not declared by `caps`, or undefined when it was. */
function undeclared(caps: ClientCapabilities, method: string, params: unknown): string | undefined {
  switch (method) {
    case 'workspace/configuration':
      return caps.workspace?.configuration ? undefined : method;
    case 'workspace/diagnostic/refresh':
      return caps.workspace?.diagnostics?.refreshSupport ? undefined : method;
    case 'window/workDoneProgress/create':
      return caps.window?.workDoneProgress ? undefined : method;
    case 'client/registerCapability':
    case 'client/unregisterCapability': {
      const list =
        (params as { registrations?: { method: string }[]; unregisterations?: { method: string }[] }).registrations ??
        (params as { unregisterations?: { method: string }[] }).unregisterations ??
        [];
      const dynamic: Record<string, boolean | undefined> = {
        'workspace/didChangeConfiguration': caps.workspace?.didChangeConfiguration?.dynamicRegistration,
        'workspace/didChangeWatchedFiles': caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
      };
      const bad = list.filter((r) => !dynamic[r.method]).map((r) => `${method}:${r.method}`);
      return bad.length ? bad.join(', ') : undefined;
    }
    default:
      return method;
  }
}
