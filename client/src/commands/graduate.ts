/**
 * "TRL Cards: Graduate to the Next Level" and the level code lens's list. The server computes the
 * next card's text (`trlCards/graduate`); this module only writes it where the user asked, as one
 * undoable edit, and never parses a card.
 */
import { sendRequest } from '../util/requests';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GRADUATE_COMMAND, GRADUATE_REQUEST, SELECT_RANGE_COMMAND, SHOW_LEVEL_STATUS_COMMAND, type GraduateParams, type LevelStatusItem } from '../../../protocol/messages';

const SEVERITY_ICON: Record<LevelStatusItem['severity'], string> = { error: '$(error)', warning: '$(warning)', information: '$(info)', hint: '$(lightbulb)' };

/** The card to act on: the URI a code lens passed, or the active editor's card. */
async function cardDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
}

/** Reveals the `level` line of a card (where the level's problems are reported). */
async function revealLevelLine(document: vscode.TextDocument): Promise<void> {
  const editor = await vscode.window.showTextDocument(document);
  let line = 0;
  for (let i = 0; i < document.lineCount; i++) {
    if (/^level\s*:/.test(document.lineAt(i).text)) {
      line = i;
      break;
    }
  }
  const pos = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function showLevelStatus(uriArg: unknown, itemsArg: unknown, reasonsArg?: unknown): Promise<void> {
  const items = Array.isArray(itemsArg) ? (itemsArg as LevelStatusItem[]) : [];
  // What keeps the card from graduating besides its missing items (errors, a lagging component,
  // a review that holds it): the server's verdict, in words.
  const reasons = Array.isArray(reasonsArg) ? reasonsArg.filter((r): r is string => typeof r === 'string').slice(items.length ? 1 : 0) : [];
  const document = await cardDocument(uriArg);
  if (items.length === 0 && reasons.length === 0) {
    void vscode.window.showInformationMessage('Nothing is missing for this level.');
    return;
  }
  const picks = [
    ...items.map((i) => ({ label: `${SEVERITY_ICON[i.severity] ?? ''} ${i.field}`, description: `TRL ${i.level}, ${i.severity}${i.placeholder ? ', a placeholder' : ''}`, detail: i.reason })),
    ...reasons.map((r) => ({ label: '$(circle-slash) Not ready', description: '', detail: r })),
  ];
  const picked = await vscode.window.showQuickPick(picks, { title: 'TRL Cards: what the level asks', placeHolder: 'Pick an item to go to the card’s level line', matchOnDetail: true });
  if (picked && document) await revealLevelLine(document);
}

/** Selects a range of a card (a placeholder to write over): the server's quick fix for a placeholder. */
async function selectRange(uriArg: unknown, rangeArg: unknown): Promise<void> {
  const document = await cardDocument(uriArg);
  const r = rangeArg as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | undefined;
  const n = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : undefined);
  const [sl, sc, el, ec] = [n(r?.start?.line), n(r?.start?.character), n(r?.end?.line), n(r?.end?.character)];
  if (!document || sl === undefined || sc === undefined || el === undefined || ec === undefined) return;
  const editor = await vscode.window.showTextDocument(document);
  const range = document.validateRange(new vscode.Range(sl, sc, el, ec));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * What the Graduate command did, for whoever ran it (another extension, the tests): the card it
 * created or changed, or why it did not (also shown to the user).
 */
export type GraduateOutcome = { uri: string } | { error: string };

function refuse(message: string): GraduateOutcome {
  void vscode.window.showErrorMessage(`TRL Cards: ${message}`);
  return { error: message };
}

async function graduate(client: () => LanguageClient | undefined, uriArg: unknown): Promise<GraduateOutcome> {
  const document = await cardDocument(uriArg);
  if (!document || document.languageId !== 'trl-card') {
    return refuse('open a TRL card to graduate it.');
  }
  const c = client();
  if (!c) {
    return refuse('the language server is not running.');
  }
  const config = vscode.workspace.getConfiguration('trlCards', document.uri);
  const mode = config.get<string>('graduate.mode') === 'inPlace' ? 'inPlace' : 'newCard';
  const params: GraduateParams = { uri: document.uri.toString(), mode, fileName: config.get<string>('graduate.fileName') };
  const result = await sendRequest(c, GRADUATE_REQUEST, params);
  if ('error' in result) {
    return refuse(`${result.error}`);
  }
  if (mode === 'inPlace') {
    const editor = await vscode.window.showTextDocument(document);
    // One edit over the part that changed (from the first to the last differing character).
    const old = document.getText();
    const text = result.newText;
    let start = 0;
    while (start < old.length && start < text.length && old[start] === text[start]) start++;
    let end = 0;
    while (end < old.length - start && end < text.length - start && old[old.length - 1 - end] === text[text.length - 1 - end]) end++;
    const range = new vscode.Range(document.positionAt(start), document.positionAt(old.length - end));
    await editor.edit((b) => b.replace(range, text.slice(start, text.length - end)));
    await revealTodo(editor);
    return { uri: document.uri.toString() };
  }
  if (!result.fileName || /[\\/]/.test(result.fileName) || result.fileName === '.' || result.fileName === '..') {
    return refuse(`"${result.fileName}" is not a file name (see the setting trlCards.graduate.fileName).`);
  }
  const target = vscode.Uri.joinPath(document.uri, '..', result.fileName);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    return refuse(`${result.fileName} already exists: the card was not graduated. Rename or remove it, or change trlCards.graduate.fileName.`);
  }
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(target, { ignoreIfExists: false, overwrite: false });
  edit.insert(target, new vscode.Position(0, 0), result.newText);
  if (!(await vscode.workspace.applyEdit(edit))) {
    return refuse(`could not create ${result.fileName}.`);
  }
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  await revealTodo(editor);
  return { uri: target.toString() };
}

/** Puts the cursor on the first TODO of the card. */
export async function revealTodo(editor: vscode.TextEditor): Promise<void> {
  const offset = editor.document.getText().indexOf('TODO');
  if (offset < 0) return;
  const start = editor.document.positionAt(offset);
  editor.selection = new vscode.Selection(start, start.translate(0, 4));
  editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export function registerGraduateCommands(client: () => LanguageClient | undefined): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SHOW_LEVEL_STATUS_COMMAND, showLevelStatus),
    vscode.commands.registerCommand(SELECT_RANGE_COMMAND, selectRange),
    vscode.commands.registerCommand(GRADUATE_COMMAND, (uri?: unknown) => graduate(client, uri)),
  ];
}
