/**
 * One card preview: a webview panel showing the render model of one card. It asks the server
 * for the model (`trl/cardPreview`) when the card changes: at once when no request is in
 * flight, else once more when the one in flight is answered (so a keystroke is drawn as soon as
 * the server can answer, and fast typing costs one request per answer, never a queue), and it
 * never shows an older answer after a newer one. A request that fails (the server is
 * restarting) keeps the last model on screen; the manager asks again once the server is back,
 * so a restart is invisible here.
 */
import * as vscode from 'vscode';
import { CARD_PREVIEW_REQUEST, type CardPreview, type CardPreviewParams, type CardPreviewResponse } from '../../../protocol/preview';
import { applyPreviewDelta, isPreviewDelta } from '../../../protocol/previewDelta';
import type { HostMessage, PreviewState, WebviewMessage } from '../../../webview/messages';
import { webviewHtml } from '../util/webviewHtml';

export const PREVIEW_VIEW_TYPE = 'trlCards.preview';

/**
 * What the webview last reported drawing (the tests and the benchmark read it), with where the
 * time went in the extension host (`performance.now()`): when the card changed (the first
 * change the request answers), when the model was asked for and answered, when the webview's
 * report of the painted page arrived.
 */
export type RenderedInfo = Extract<WebviewMessage, { type: 'rendered' }> & { timings?: { changed?: number; asked: number; answered: number; reported: number } };

/** Sends a request to the running language server, or rejects when there is none. */
export type Requester = <R>(method: string, params: unknown) => Promise<R>;

/** Answers kept to apply the server's deltas to: the one shown, and those still in flight. */
const MODELS_KEPT = 3;

export class PreviewPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private sent = 0;
  private applied = 0;
  /** A request is in flight; `again`: the card changed meanwhile, ask once more when it is answered. */
  private inFlight = false;
  private again = false;
  /** When the card first changed since the last request (what the next request answers). */
  private changedAt: number | undefined;
  /** The times of the requests whose models were posted, by the model's version, for `rendered`'s timings. */
  private readonly posted = new Map<number | null, { changed?: number; asked: number; answered: number }>();
  private ready = false;
  /** The last models answered, by answer name: the server sends what changed since one of them. */
  private readonly models = new Map<string, CardPreview>();
  private latest: string | undefined;
  /** Before the page's script runs: the latest message of each kind (a model, the lock state, …). */
  private readonly queued = new Map<HostMessage['type'], HostMessage>();
  private disposed = false;
  rendered: RenderedInfo | undefined;
  /** The entry of the card's `previous` the reviewer chose to compare with (the preview's select). */
  compareWith: string | undefined;

  private readonly onRenderedEmitter = new vscode.EventEmitter<RenderedInfo>();
  readonly onRendered = this.onRenderedEmitter.event;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDispose = this.onDisposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    public uri: vscode.Uri,
    public locked: boolean,
    extensionUri: vscode.Uri,
    private readonly request: Requester,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'preview.svg');
    panel.webview.html = this.html(media);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      this.onRenderedEmitter,
      this.onDisposeEmitter,
    );
    this.updateTitle();
  }

  private html(media: vscode.Uri): string {
    return webviewHtml(this.panel.webview, media, 'preview', 'Card preview', { 'data-uri': this.uri.toString(), 'data-locked': String(this.locked) });
  }

  private updateTitle(): void {
    const name = this.uri.path.replace(/^.*\//, '');
    this.panel.title = this.locked ? `[Preview] ${name}` : `Preview ${name}`;
  }

  /** Shows another card (an unlocked preview follows the active editor). */
  show(uri: vscode.Uri): void {
    if (uri.toString() === this.uri.toString()) return;
    this.uri = uri;
    this.rendered = undefined;
    this.compareWith = undefined;
    this.forget();
    this.updateTitle();
    this.refresh();
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.updateTitle();
    this.post({ type: 'locked', locked });
  }

  /** Asks for a new model: now, or when the request in flight is answered. */
  refresh(): void {
    if (this.disposed) return;
    this.changedAt ??= performance.now();
    if (this.inFlight) {
      this.again = true;
      return;
    }
    void this.fetch().finally(() => {
      this.inFlight = false;
      if (this.again && !this.disposed) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async fetch(): Promise<void> {
    this.inFlight = true;
    const seq = ++this.sent;
    const changed = this.changedAt;
    this.changedAt = undefined;
    const asked = performance.now();
    const uri = this.uri.toString();
    const params: CardPreviewParams = this.latest ? { uri, base: this.latest } : { uri };
    if (this.compareWith !== undefined) params.compareWith = this.compareWith;
    let result: CardPreviewResponse;
    try {
      result = await this.request<CardPreviewResponse>(CARD_PREVIEW_REQUEST, params);
    } catch {
      return; // The server is (re)starting: keep what is shown; the manager asks again.
    }
    // Answers can arrive out of order: only a newer one than what is shown, for the card shown.
    if (this.disposed || seq < this.applied || uri !== this.uri.toString()) return;
    if ('error' in result) {
      this.applied = seq;
      return;
    }
    let model: CardPreview;
    if (isPreviewDelta(result)) {
      const base = this.models.get(result.base);
      try {
        if (!base) throw new Error(`no model ${result.base}`);
        model = applyPreviewDelta(base, result);
      } catch {
        // Not a delta of a model held here (never expected): ask for the whole model.
        this.forget();
        this.refresh();
        return;
      }
    } else model = result;
    this.applied = seq;
    if (model.answer !== undefined) {
      this.models.set(model.answer, model);
      this.latest = model.answer;
      for (const k of this.models.keys()) if (this.models.size > MODELS_KEPT) this.models.delete(k);
    }
    this.posted.set(model.version, { ...(changed !== undefined ? { changed } : {}), asked, answered: performance.now() });
    for (const k of this.posted.keys()) if (this.posted.size > MODELS_KEPT) this.posted.delete(k);
    this.post({ type: 'model', model });
  }

  /** Drops the models held (another card, or a server that no longer knows them). */
  private forget(): void {
    this.models.clear();
    this.latest = undefined;
  }

  /** Highlights the block drawn from this line of the card (the editor's cursor). */
  highlight(line: number): void {
    this.post({ type: 'highlight', line });
  }

  /** Scrolls the preview to the block of this line (the editor's top visible line). */
  scrollTo(line: number): void {
    this.post({ type: 'scrollTo', line });
  }

  private post(message: HostMessage): void {
    if (!this.ready) {
      this.queued.set(message.type, message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        for (const m of this.queued.values()) void this.panel.webview.postMessage(m);
        this.queued.clear();
        this.refresh();
        return;
      case 'rendered': {
        const times = this.posted.get(m.version);
        this.rendered = times ? { ...m, timings: { ...times, reported: performance.now() } } : m;
        this.onRenderedEmitter.fire(this.rendered);
        return;
      }
      case 'reveal':
        if (typeof m.line === 'number' && Number.isInteger(m.line) && m.line >= 0) await this.reveal(m.line);
        return;
      case 'openCard':
        await openCard(m.uri);
        return;
      case 'openLink':
        if (typeof m.href === 'string' && /^https?:\/\//i.test(m.href)) await vscode.env.openExternal(vscode.Uri.parse(m.href, true));
        return;
      case 'compareWith':
        if (typeof m.written === 'string' && m.written !== this.compareWith) {
          this.compareWith = m.written;
          this.refresh();
        }
        return;
    }
  }

  /** Reveals a line of the card in its editor (the one beside the preview, or a new one). */
  private async reveal(line: number): Promise<void> {
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const document = shown?.document ?? (await vscode.workspace.openTextDocument(this.uri));
    const at = Math.min(line, document.lineCount - 1);
    const column = shown?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false });
    const pos = new vscode.Position(at, document.lineAt(at).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  state(): PreviewState {
    return { uri: this.uri.toString(), locked: this.locked, showChanges: false, scrollY: 0 };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDisposeEmitter.fire();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Opens a card the preview (or the dashboard) links to: only a file of an open workspace folder. */
export async function openCard(raw: unknown): Promise<void> {
  if (typeof raw !== 'string') return;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(raw, true);
  } catch {
    return;
  }
  if (!vscode.workspace.getWorkspaceFolder(uri)) return;
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
}
