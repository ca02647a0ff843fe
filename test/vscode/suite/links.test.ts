/**
 * A card never runs a command (issue: a `previous` entry `command:…#.trl.yaml` was a document
 * link that VS Code ran on Ctrl+click). Run twice by `npm test`: with workspace trust off, and
 * in Restricted Mode (`TRL_CARDS_TEST_TRUST=restricted`, an untrusted folder).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { code, diagnosticsWhere, workspaceFile } from './util';

/** Resolves when `accept` holds for the active editor (now, or on a later change). */
function activeEditorWhere(accept: (e: vscode.TextEditor | undefined) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (accept(vscode.window.activeTextEditor)) return resolve();
    const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (accept(e)) {
        sub.dispose();
        resolve();
      }
    });
  });
}

describe('a card never runs a command', () => {
  const calls: unknown[][] = [];
  let probe: vscode.Disposable;
  before(() => {
    probe = vscode.commands.registerCommand('trlCardsTest.probe', (...args: unknown[]) => void calls.push(args));
  });
  after(() => probe.dispose());

  it(`has no link but http(s) and card paths in the workspace, and Open Link on a command: entry runs nothing (${process.env.TRL_CARDS_TEST_TRUST === 'restricted' ? 'Restricted Mode' : 'trust off'})`, async () => {
    assert.strictEqual(vscode.workspace.isTrusted, process.env.TRL_CARDS_TEST_TRUST !== 'restricted', 'the run is in the mode it says');
    const uri = workspaceFile('links/commands.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    // The server has read the card (and the workspace) once it reports the entries that lead
    // nowhere; VS Code's own URL detector answers for links before that.
    await diagnosticsWhere(uri, (d) => d.filter((x) => code(x) === 'unknown-previous').length >= 4);
    // Asked through the same providers as the editor's link detector, after it: once this
    // answers, the detector (which asked when the server's provider was registered) has its links.
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    // Open Link on each command: entry, then on the real card path: the card opens, and by
    // then the probe would have run had any entry been a link.
    for (const [line, character] of [[5, 6], [6, 6], [11, 16], [13, 12]]) {
      editor.selection = new vscode.Selection(line, character, line, character);
      await vscode.commands.executeCommand('editor.action.openLink');
    }
    const opened = activeEditorWhere((e) => e?.document.uri.toString() === workspaceFile('level4.trl.yaml').toString());
    editor.selection = new vscode.Selection(10, 6, 10, 6);
    await vscode.commands.executeCommand('editor.action.openLink');
    await opened;
    assert.deepStrictEqual(calls, [], 'the probe command ran from the card');
    const shown = links.map((l) => [doc.getText(l.range), l.target?.toString()]);
    assert.deepStrictEqual(shown, [
      ['../level4.trl.yaml', workspaceFile('level4.trl.yaml').toString()],
      ['https://example.org/project', 'https://example.org/project'],
    ], JSON.stringify(shown));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
