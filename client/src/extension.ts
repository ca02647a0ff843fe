/** The VS Code client: starts the TRL card language server and offers its commands. */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_PROCESS_REQUEST, type ServerProcessResult } from '../../protocol/messages';
import { registerGraduateCommands } from './commands/graduate';

let client: LanguageClient | undefined;

export interface TrlCardsApi {
  /** Resolves when the language server is running (used by the extension's own tests). */
  ready(): Promise<void>;
  /** The process of the running server, once it runs (the tests kill it to check restarts). */
  serverProcess(): Promise<ServerProcessResult>;
}

const RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * vscode-languageclient's default policy (restart a server that died up to 4 times in 3
 * minutes; stop after repeated connection errors), but a restart is only logged in the
 * output channel: every open card is opened in the new server and checked again, so the
 * user has lost nothing. Giving up is shown.
 */
function errorHandler(): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length <= RESTARTS) return { action: CloseAction.Restart, message: 'The TRL Cards server stopped; a new one is checking the open cards again.', handled: true };
      return { action: CloseAction.DoNotRestart, message: `The TRL Cards server stopped ${restarts.length} times in 3 minutes and was not restarted: see the TRL Cards output, then run "TRL Cards: Restart Language Server".` };
    },
  };
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Cards, and the team configuration (checked by the server; any language, YAML usually).
    documentSelector: [{ language: 'trl-card' }, { scheme: 'file', pattern: '**/trl-cards.config.{yaml,yml}' }],
    initializationOptions: {
      rulesBaseUrl: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md').toString(),
      // VS Code opens `rules.md#L<line>` at the rule's heading (an anchor, at line 1).
      rulesLinks: 'line',
      settings: vscode.workspace.getConfiguration('trlCards'),
    },
    diagnosticCollectionName: 'trl',
    errorHandler: errorHandler(),
    // Cards that are not open still count for cross-card rules (components, previous cards), and
    // the team configuration applies to every card of its folder.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.trl.yaml,*.trl.yml,trl-cards.config.yaml,trl-cards.config.yml}') },
  };
  return new LanguageClient('trlCards', 'TRL Cards', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<TrlCardsApi> {
  client = createClient(context);
  let starting = client.start();
  context.subscriptions.push(
    vscode.commands.registerCommand('trlCards.restartServer', async () => {
      if (client) await client.stop().catch(() => undefined);
      client = createClient(context);
      starting = client.start();
      await starting;
    }),
    { dispose: () => void client?.stop() },
    // Graduation and the level code lens's list (commands/graduate.ts).
    ...registerGraduateCommands(() => client),
  );
  await starting;
  return {
    ready: () => starting,
    serverProcess: () => (client ? client.sendRequest<ServerProcessResult>(SERVER_PROCESS_REQUEST) : Promise.reject(new Error('the client is stopped'))),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
