/** The VS Code client: starts the TRL card language server and offers its commands. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export interface TrlCardsApi {
  /** Resolves when the language server is running (used by the extension's own tests). */
  ready(): Promise<void>;
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
      settings: vscode.workspace.getConfiguration('trlCards'),
    },
    diagnosticCollectionName: 'trl',
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
  );
  await starting;
  return { ready: () => starting };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
