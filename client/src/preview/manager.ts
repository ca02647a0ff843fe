/**
 * The card previews, as VS Code's Markdown preview does them: "Open Preview" and "Open
 * Preview to the Side"; one unlocked preview that follows the active card editor, and any
 * number locked to their card ("Toggle Preview Locking"); restored after a window reload (the
 * serializer); kept up as the card is edited, as its problems change (a component edited on
 * disk), and after the server restarts. Also the exports, which the server renders.
 */
import * as vscode from 'vscode';
import { EXPORT_CARD_REQUEST, type ExportCardParams, type ExportCardResponse } from '../../../protocol/messages';
import { CARD_FILE, CARD_MARKDOWN, CARD_NAMES } from '../../../protocol/cardFile';
import type { PreviewState } from '../../../webview/messages';
import { PREVIEW_VIEW_TYPE, PreviewPanel, type RenderedInfo, type Requester } from './panel';

export const SHOW_PREVIEW_COMMAND = 'trlCards.showPreview';
export const SHOW_PREVIEW_TO_SIDE_COMMAND = 'trlCards.showPreviewToSide';
export const TOGGLE_PREVIEW_LOCK_COMMAND = 'trlCards.togglePreviewLock';
export const EXPORT_HTML_COMMAND = 'trlCards.exportHtml';
export const EXPORT_MARKDOWN_COMMAND = 'trlCards.exportMarkdown';

function isCard(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return document?.languageId === 'trl-card' || (document?.languageId === 'markdown' && CARD_MARKDOWN.test(document.uri.path));
}

export interface PreviewInfo {
  uri: string;
  locked: boolean;
  active: boolean;
  rendered?: RenderedInfo;
}

export class PreviewManager implements vscode.Disposable {
  private readonly previews = new Set<PreviewPanel>();
  private active: PreviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onRenderedEmitter = new vscode.EventEmitter<RenderedInfo>();
  /** Fires each time a preview reports a drawn model (the extension's tests wait on it). */
  readonly onRendered = this.onRenderedEmitter.event;


  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly request: Requester,
  ) {
    this.disposables.push(
      this.onRenderedEmitter,
      vscode.commands.registerCommand(SHOW_PREVIEW_COMMAND, (uri?: unknown) => this.open(uri, false)),
      vscode.commands.registerCommand(SHOW_PREVIEW_TO_SIDE_COMMAND, (uri?: unknown) => this.open(uri, true)),
      vscode.commands.registerCommand(TOGGLE_PREVIEW_LOCK_COMMAND, () => this.toggleLock()),
      vscode.commands.registerCommand(EXPORT_HTML_COMMAND, (uri?: unknown, target?: unknown) => this.export(uri, 'html', target)),
      vscode.commands.registerCommand(EXPORT_MARKDOWN_COMMAND, (uri?: unknown, target?: unknown) => this.export(uri, 'md', target)),
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, raw: unknown) => {
          const state = raw as Partial<PreviewState> | undefined;
          if (!state || typeof state.uri !== 'string') {
            panel.dispose();
            return;
          }
          this.adopt(panel, vscode.Uri.parse(state.uri), state.locked === true);
        },
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor || !isCard(editor.document)) return;
        for (const p of this.previews) if (!p.locked) p.show(editor.document.uri);
        this.openBesideIfAsked(editor);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.refreshFor(e.document.uri);
      }),
      // The card's problems changed without an edit of its own (a component changed on disk, settings).
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) this.refreshFor(uri);
      }),
      // Scroll sync by block, as the Markdown preview does (markdown.preview.scrollPreviewWithEditor).
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        const top = e.visibleRanges[0]?.start.line;
        if (top === undefined || !vscode.workspace.getConfiguration('trlCards', e.textEditor.document.uri).get<boolean>('preview.scrollPreviewWithEditor', true)) return;
        const uri = e.textEditor.document.uri.toString();
        for (const p of this.previews) if (p.uri.toString() === uri) p.scrollTo(top);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const uri = e.textEditor.document.uri.toString();
        for (const p of this.previews) if (p.uri.toString() === uri) p.highlight(e.selections[0].active.line);
      }),
    );
  }

  /**
   * `trlCards.preview.openBesideCards`: a card editor is active and no card preview is open
   * (nor one to be restored after a reload): open one to the side. Also run once at
   * activation, for the card whose opening activated the extension.
   */
  openBesideIfAsked(editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): void {
    if (!editor || !isCard(editor.document) || this.previews.size > 0) return;
    if (!vscode.workspace.getConfiguration('trlCards', editor.document.uri).get<boolean>('preview.openBesideCards', false)) return;
    const previewTab = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PREVIEW_VIEW_TYPE)),
    );
    if (!previewTab) void this.open(editor.document.uri, true);
  }

  /** Asks every preview again (the server restarted, or settings changed). */
  refreshAll(): void {
    for (const p of this.previews) p.refresh();
  }

  private refreshFor(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const p of this.previews) if (p.uri.toString() === key) p.refresh();
  }

  private cardUri(arg: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string') return vscode.Uri.parse(arg);
    // From a tree item's context menu (the TRL Cards view): the element names its card.
    const resource = (arg as { resourceUri?: unknown } | undefined)?.resourceUri;
    if (resource instanceof vscode.Uri) return resource;
    const editor = vscode.window.activeTextEditor;
    if (isCard(editor?.document)) return editor.document.uri;
    // From a preview: its card.
    return this.active?.uri;
  }

  private async open(arg: unknown, toSide: boolean): Promise<void> {
    const uri = this.cardUri(arg);
    if (!uri) {
      void vscode.window.showErrorMessage(`TRL Cards: open a TRL card (${CARD_NAMES}) to preview it.`);
      return;
    }
    const column = toSide ? vscode.ViewColumn.Beside : (vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.Active);
    const dynamic = [...this.previews].find((p) => !p.locked);
    if (dynamic) {
      dynamic.show(uri);
      dynamic.panel.reveal(dynamic.panel.viewColumn ?? column, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Preview', { viewColumn: column, preserveFocus: toSide }, { enableFindWidget: true });
    this.adopt(panel, uri, false);
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri, locked: boolean): PreviewPanel {
    const preview = new PreviewPanel(panel, uri, locked, this.extensionUri, this.request);
    this.previews.add(preview);
    if (panel.active) this.active = preview;
    preview.onRendered((r) => this.onRenderedEmitter.fire(r));
    panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) this.active = preview;
      else if (this.active === preview) this.active = undefined;
    });
    preview.onDispose(() => {
      this.previews.delete(preview);
      if (this.active === preview) this.active = undefined;
    });
    return preview;
  }

  private toggleLock(): void {
    const preview = this.active ?? (this.previews.size === 1 ? [...this.previews][0] : undefined);
    if (!preview) return;
    preview.setLocked(!preview.locked);
    // Unlocked again: follow the active card editor at once.
    const editor = vscode.window.activeTextEditor;
    if (!preview.locked && isCard(editor?.document)) preview.show(editor.document.uri);
  }

  /** Exports a card; `targetArg` (a URI) skips the save dialog, for scripts and tests. */
  private async export(arg: unknown, format: 'html' | 'md', targetArg?: unknown): Promise<void> {
    const uri = this.cardUri(arg);
    if (!uri) {
      void vscode.window.showErrorMessage('TRL Cards: open a TRL card to export it.');
      return;
    }
    let result: ExportCardResponse;
    try {
      // The changes against the card a preview of this card compares with, when the reviewer chose one.
      const compareWith = [...this.previews].find((p) => p.uri.toString() === uri.toString() && p.compareWith !== undefined)?.compareWith;
      const params: ExportCardParams = { uri: uri.toString(), format };
      if (compareWith !== undefined) params.compareWith = compareWith;
      result = await this.request(EXPORT_CARD_REQUEST, params);
    } catch (err) {
      void vscode.window.showErrorMessage(`TRL Cards: the card could not be exported (${err instanceof Error ? err.message : String(err)}).`);
      return;
    }
    if ('error' in result) {
      void vscode.window.showErrorMessage(`TRL Cards: ${result.error}`);
      return;
    }
    const base = uri.path.replace(/^.*\//, '').replace(CARD_FILE, '');
    const suggested = vscode.Uri.joinPath(uri, '..', `${base}.${format}`);
    const target = targetArg instanceof vscode.Uri ? targetArg : await vscode.window.showSaveDialog({
      defaultUri: suggested,
      filters: format === 'html' ? { HTML: ['html'] } : { Markdown: ['md'] },
      title: format === 'html' ? 'Export Card as HTML' : 'Export Card as Markdown',
    });
    if (!target) return;
    if (CARD_FILE.test(target.path)) {
      void vscode.window.showErrorMessage('TRL Cards: an export is not written over a card file.');
      return;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
    void this.exported(target, format);
  }

  /** Says where the export went, with *Open* (the Markdown in an editor, the HTML in the browser) and *Reveal* (in the file manager, or the Explorer). */
  private async exported(target: vscode.Uri, format: 'html' | 'md'): Promise<void> {
    const name = target.path.replace(/^.*\//, '');
    const reveal = target.scheme === 'file' ? 'Reveal in File Manager' : 'Reveal in Explorer';
    const choice = await vscode.window.showInformationMessage(`TRL Cards: exported to ${name}.`, 'Open', reveal);
    if (choice === 'Open') {
      if (format === 'md') await vscode.window.showTextDocument(target, { preview: false });
      else await vscode.env.openExternal(target);
    } else if (choice === reveal) {
      await vscode.commands.executeCommand(target.scheme === 'file' ? 'revealFileInOS' : 'revealInExplorer', target);
    }
  }

  /** The previews, for the extension's tests. */
  info(): PreviewInfo[] {
    return [...this.previews].map((p) => ({
      uri: p.uri.toString(),
      locked: p.locked,
      active: p === this.active,
      ...(p.rendered ? { rendered: p.rendered } : {}),
    }));
  }

  dispose(): void {
    for (const p of [...this.previews]) p.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
