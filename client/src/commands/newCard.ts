/**
 * "TRL Cards: New Card…": asks the technology's name and the level it enters at, asks the server
 * for the card (`trlCards/newCard`), creates `<slug>.trl.yaml` in the chosen folder as one
 * `WorkspaceEdit` (refused when the file exists) and opens it at its first placeholder. Never
 * parses a card, never reads the level table.
 */
import { sendRequest } from '../util/requests';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LEVELS_REQUEST, NEW_CARD_COMMAND, NEW_CARD_REQUEST, type LevelsParams, type NewCardParams } from '../../../protocol/messages';
import { revealTodo } from './graduate';

/** Arguments for running the command without asking (tests, other extensions). */
interface NewCardArgs {
  name?: string;
  level?: number;
  /** The folder's URI (a string or a `Uri`). */
  folder?: string | vscode.Uri;
}

function asUri(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string' && x) return vscode.Uri.parse(x);
  return undefined;
}

/** The folder: the one given (explorer), else the active card's, else the only workspace folder, else a picker. */
async function chooseFolder(given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (given) {
    const stat = await vscode.workspace.fs.stat(given).then(
      (s) => s,
      () => undefined,
    );
    return stat && stat.type & vscode.FileType.File ? vscode.Uri.joinPath(given, '..') : given;
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'trl-card' && active.uri.scheme !== 'untitled') return vscode.Uri.joinPath(active.uri, '..');
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: folders[0]?.uri, openLabel: 'Create the card here' });
  return picked?.[0];
}

async function newCard(client: () => LanguageClient | undefined, arg: unknown): Promise<vscode.Uri | undefined> {
  const c = client();
  if (!c) {
    void vscode.window.showErrorMessage('TRL Cards: the language server is not running.');
    return undefined;
  }
  const args: NewCardArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as NewCardArgs) : {};
  const folder = await chooseFolder(asUri(args.folder) ?? asUri(arg));
  if (!folder) return undefined;
  const uri = vscode.Uri.joinPath(folder, 'new.trl.yaml').toString();
  let name = typeof args.name === 'string' ? args.name : undefined;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'TRL Cards: New Card (1/2)',
      prompt: 'The name of the technology (the file is named after it)',
      placeHolder: 'e.g. Radar object detection',
      // The server says what it refuses: a name it cannot make a card of.
      validateInput: async (value) => {
        const r = await sendRequest(c, NEW_CARD_REQUEST, { name: value, level: 0, uri } satisfies NewCardParams);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (name === undefined) return undefined;
  }
  let level = typeof args.level === 'number' ? args.level : undefined;
  if (level === undefined) {
    const levels = await sendRequest(c, LEVELS_REQUEST, { uri } satisfies LevelsParams);
    const picked = await vscode.window.showQuickPick(
      levels.map((l) => ({ label: `TRL ${l.level}`, description: l.name, detail: l.tagline, level: l.level })),
      { title: 'TRL Cards: New Card (2/2)', placeHolder: 'The level the technology enters the process at (above 0 sets entered_at)', matchOnDescription: true },
    );
    if (!picked) return undefined;
    level = picked.level;
  }
  const result = await sendRequest(c, NEW_CARD_REQUEST, { name, level, uri } satisfies NewCardParams);
  if ('error' in result) {
    void vscode.window.showErrorMessage(`TRL Cards: ${result.error}`);
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder, result.fileName);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    void vscode.window.showErrorMessage(`TRL Cards: ${result.fileName} already exists: no card was created. Choose another name, or open that card.`);
    return undefined;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(target, { ignoreIfExists: false, overwrite: false });
  edit.insert(target, new vscode.Position(0, 0), result.text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`TRL Cards: could not create ${result.fileName}.`);
    return undefined;
  }
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  await revealTodo(editor);
  return target;
}

export function registerNewCardCommand(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand(NEW_CARD_COMMAND, (arg?: unknown) => newCard(client, arg));
}
