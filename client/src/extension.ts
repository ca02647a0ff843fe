/** The VS Code client: starts the TRL card language server and offers its commands. */
import { sendRequest } from './util/requests';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SELECT_RANGE_COMMAND, SERVER_PROCESS_REQUEST, type ServerProcessResult } from '../../protocol/messages';
import { registerGraduateCommands } from './commands/graduate';
import { PreviewManager, type PreviewInfo } from './preview/manager';
import type { RenderedInfo, Requester } from './preview/panel';
import { registerNewCardCommand } from './commands/newCard';
import { PORTFOLIO_CHANGED_NOTIFICATION, type PortfolioResponse } from '../../protocol/portfolioMessages';
import { Dashboard, type DashboardRendered } from './portfolio/dashboard';
import { PortfolioSource } from './portfolio/source';
import { PortfolioTree, type PortfolioFilter, type TreeItemInfo } from './portfolio/tree';

let client: LanguageClient | undefined;

export interface TrlCardsApi {
  /** Resolves when the language server is running (used by the extension's own tests). */
  ready(): Promise<void>;
  /** The process of the running server, once it runs (the tests kill it to check restarts). */
  serverProcess(): Promise<ServerProcessResult>;
  /** The open card previews (the tests read what each one drew). */
  previews(): PreviewInfo[];
  /** Fires when a preview has drawn a model. */
  onDidRenderPreview: vscode.Event<RenderedInfo>;
  /** The TRL Cards view as shown, expanded (the tests read it), and the portfolio it shows. */
  portfolioTree(): TreeItemInfo[];
  /** The tooltip of a technology's item in the view, as shown on hover (with the server's verdict). */
  portfolioTooltip(uri: string): Promise<string | undefined>;
  portfolio(): PortfolioResponse | undefined;
  /** Asks the server for the portfolio again (the view asks by itself only while visible). */
  refreshPortfolioTree(): void;
  /** Sets the view's filter, as its Quick Pick does. */
  setPortfolioFilter(filter: PortfolioFilter): void;
  /** Fires when the view got a new portfolio or new problem counts. */
  onDidUpdatePortfolioTree: vscode.Event<void>;
  /** What the portfolio dashboard last drew, and when it draws. */
  dashboard(): DashboardRendered | undefined;
  onDidRenderDashboard: vscode.Event<DashboardRendered>;
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
    // `.trl.md` cards stay in VS Code's Markdown language (its preview, outline and link checks);
    // a Markdown file of any other name is never sent to the server.
    documentSelector: [{ language: 'trl-card' }, { language: 'markdown', pattern: '**/*.trl.md' }, { scheme: 'file', pattern: '**/trl-cards.config.{yaml,yml}' }],
    initializationOptions: {
      rulesBaseUrl: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md').toString(),
      // VS Code opens `rules.md#L<line>` at the rule's heading (an anchor, at line 1).
      rulesLinks: 'line',
      settings: vscode.workspace.getConfiguration('trlCards'),
      // Client commands the server's code actions may name (selecting a placeholder to write over).
      commands: [SELECT_RANGE_COMMAND],
    },
    diagnosticCollectionName: 'trl',
    errorHandler: errorHandler(),
    // Cards that are not open still count for cross-card rules (components, previous cards), and
    // the team configuration applies to every card of its folder: the server registers the file
    // watchers it needs (dynamic registration), as it does in any editor — not watched here too,
    // so each change on disk reaches it once.
  };
  return new LanguageClient('trlCards', 'TRL Cards', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<TrlCardsApi> {
  // The previews ask whichever server runs now; they ask again each time one (re)starts.
  const request: Requester = (req, params) => (client && client.isRunning() ? sendRequest(client, req, params) : Promise.reject(new Error('The TRL Cards server is not running.')));
  const previews = new PreviewManager(context.extensionUri, request);
  // The TRL Cards view and the portfolio dashboard (portfolio/): the server says when the portfolio changed.
  const portfolio = new PortfolioSource(request);
  const tree = new PortfolioTree(portfolio, context.workspaceState);
  const dashboard = new Dashboard(context.extensionUri, portfolio);
  const watch = (c: LanguageClient) =>
    vscode.Disposable.from(
      c.onDidChangeState((e) => {
        if (e.newState !== State.Running) return;
        previews.refreshAll();
        portfolio.invalidate();
      }),
      c.onNotification(PORTFOLIO_CHANGED_NOTIFICATION.method, () => portfolio.invalidate()),
    );
  client = createClient(context);
  let watching = watch(client);
  let starting = client.start();
  context.subscriptions.push(
    previews,
    portfolio,
    tree,
    dashboard,
    vscode.commands.registerCommand('trlCards.restartServer', async () => {
      if (client) await client.stop().catch(() => undefined);
      watching.dispose();
      client = createClient(context);
      watching = watch(client);
      starting = client.start();
      await starting;
    }),
    { dispose: () => watching.dispose() },
    { dispose: () => void client?.stop() },
    // Graduation and the level code lens's list (commands/graduate.ts).
    ...registerGraduateCommands(() => client),
    registerNewCardCommand(() => client),
  );
  // The card whose opening activated the extension gets its preview, when the setting asks.
  previews.openBesideIfAsked();
  await starting;
  return {
    ready: () => starting,
    previews: () => previews.info(),
    onDidRenderPreview: previews.onRendered,
    portfolioTree: () => tree.items(),
    portfolioTooltip: (uri) => tree.tooltipOf(uri),
    portfolio: () => tree.portfolio,
    refreshPortfolioTree: () => tree.refresh(true),
    setPortfolioFilter: (filter) => tree.setFilter(filter),
    onDidUpdatePortfolioTree: tree.onDidUpdate,
    dashboard: () => dashboard.rendered,
    onDidRenderDashboard: dashboard.onRendered,
    serverProcess: () => (client ? sendRequest(client, SERVER_PROCESS_REQUEST, undefined) : Promise.reject(new Error('the client is stopped'))),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
