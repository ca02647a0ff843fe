/**
 * "TRL Cards: Open Portfolio": one webview panel with the portfolio dashboard. The page
 * (webview/portfolio.ts) draws what it is sent — the server's portfolio with its charts as SVG
 * — under the preview's CSP: `default-src 'none'`, the script and the stylesheet only from
 * dist/media (the script with a fresh nonce), no command URIs. It asks again (throttled) when
 * the server says the portfolio changed; restored after a window reload (the serializer).
 */
import * as vscode from 'vscode';
import type { DashboardHostMessage, DashboardMessage } from '../../../webview/portfolioMessages';
import { openCard } from '../preview/panel';
import { webviewHtml } from '../util/webviewHtml';
import { Throttle } from '../util/throttle';
import { Latest, type PortfolioSource } from './source';

export const OPEN_PORTFOLIO_COMMAND = 'trlCards.openPortfolio';
export const DASHBOARD_VIEW_TYPE = 'trlCards.portfolioDashboard';

/** What the dashboard last reported drawing (the tests read it). */
export type DashboardRendered = Extract<DashboardMessage, { type: 'rendered' }>;

export class Dashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private latest: Latest | undefined;
  private readonly fetching: Throttle;
  rendered: DashboardRendered | undefined;
  private readonly onRenderedEmitter = new vscode.EventEmitter<DashboardRendered>();
  readonly onRendered = this.onRenderedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: PortfolioSource,
  ) {
    this.fetching = new Throttle(() => void this.fetch(), 250);
    this.disposables.push(
      this.onRenderedEmitter,
      vscode.commands.registerCommand(OPEN_PORTFOLIO_COMMAND, () => this.open()),
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, { deserializeWebviewPanel: async (panel) => this.adopt(panel) }),
      source.onDidInvalidate(() => this.panel && this.fetching.run()),
      { dispose: () => this.fetching.dispose() },
    );
  }

  open(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'TRL Portfolio', vscode.ViewColumn.Active, { enableFindWidget: true, retainContextWhenHidden: false }));
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    this.rendered = undefined;
    this.latest = new Latest(this.source, true);
    const media = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    panel.title = 'TRL Portfolio';
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'portfolio.svg');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    panel.webview.html = webviewHtml(panel.webview, media, 'portfolio', 'TRL Portfolio');
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m: DashboardMessage) => this.onMessage(m)),
      // A hidden webview drops its page (no retainContextWhenHidden): it says `ready` again when shown.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      }),
    );
  }

  private async fetch(): Promise<void> {
    const latest = this.latest;
    const answer = await latest?.fetch();
    if (answer && latest === this.latest) this.post({ type: 'portfolio', data: answer });
  }

  private post(message: DashboardHostMessage): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private async onMessage(m: DashboardMessage): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        // The last portfolio at once (a page shown again), then a fresh one.
        if (this.latest?.value) this.post({ type: 'portfolio', data: this.latest.value });
        this.fetching.run();
        return;
      case 'rendered':
        this.rendered = m;
        this.onRenderedEmitter.fire(m);
        return;
      case 'openCard':
        await openCard(m.uri);
        return;
      case 'pickCard':
        await this.pickCard(m.title, m.cards);
        return;
    }
  }

  /** A chart's mark that stands for several cards (a bar of one level): the user picks one to open. */
  private async pickCard(title: unknown, cards: unknown): Promise<void> {
    if (!Array.isArray(cards)) return;
    const items = cards
      .filter((c): c is { label: string; uri: string } => !!c && typeof c === 'object' && typeof (c as { label?: unknown }).label === 'string' && typeof (c as { uri?: unknown }).uri === 'string')
      .slice(0, 1000)
      .map((c) => ({ label: c.label, description: vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri)), uri: c.uri }));
    if (items.length === 0) return;
    const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: typeof title === 'string' ? title.slice(0, 200) : undefined, placeHolder: 'Open the card of…' });
    if (picked) await openCard(picked.uri);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
