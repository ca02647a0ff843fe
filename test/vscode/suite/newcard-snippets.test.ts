/** New Card run with arguments, and an item snippet inserted, in a real VS Code. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { code, diagnosticsWhere, workspaceFile } from './util';

describe('New Card and item snippets in VS Code', () => {
  it('creates a card at TRL 3 in the folder given, opens it at its first placeholder, its placeholders reported as such', async () => {
    const folder = workspaceFile('parts');
    const target = vscode.Uri.joinPath(folder, 'radar-detector.trl.yaml');
    try {
      const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('trlCards.newCard', { name: 'Radar Detector', level: 3, folder: folder.toString() });
      assert.strictEqual(created?.toString(), target.toString());
      await vscode.workspace.fs.stat(target);
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.toString(), target.toString());
      assert.strictEqual(editor.document.languageId, 'trl-card');
      const text = editor.document.getText();
      assert.match(text, /^technology: Radar Detector\nlevel: 3\nentered_at: 3\n/);
      assert.strictEqual(editor.document.getText(editor.selection), 'TODO');
      assert.strictEqual(editor.selection.start.line, text.slice(0, text.indexOf('TODO')).split('\n').length - 1);
      // The level's fields are there, as placeholders: each is reported as what is still to write
      // (no problem of the card's form), and the card is not ready.
      const diags = await diagnosticsWhere(target, (d) => d.some((x) => code(x) === 'level-requirement' && /This is a placeholder/.test(x.message)));
      assert.deepStrictEqual(
        diags.filter((d) => !(code(d) === 'level-requirement' || code(d) === 'placeholder')).map((d) => `${code(d)}: ${d.message}`),
        [],
      );
      // Running it again refuses: the card is left as it is.
      const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('trlCards.newCard', { name: 'Radar Detector', level: 0, folder: folder.toString() });
      assert.strictEqual(again, undefined);
      assert.strictEqual(editor.document.getText(), text);
    } finally {
      if (vscode.window.activeTextEditor?.document.uri.toString() === target.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('offers the Requirement snippet inside requirements only, and inserts it with its tab stops', async () => {
    const base = 'technology: Radar\nlevel: 0\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'trl-card', content: base + 'requirements:\n  \n' });
    const editor = await vscode.window.showTextDocument(doc);
    try {
      const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
      const top = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(2, 0));
      assert.ok(!top.items.some((i) => labelOf(i) === 'Requirement'), 'no item snippet at the top level');
      const at = new vscode.Position(3, 2);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
      const item = list.items.find((i) => labelOf(i) === 'Requirement' && i.kind === vscode.CompletionItemKind.Snippet);
      assert.ok(item, list.items.map(labelOf).join(', '));
      const insert = item.insertText;
      assert.ok(insert instanceof vscode.SnippetString);
      editor.selection = new vscode.Selection(at, at);
      await editor.insertSnippet(insert, at);
      const text = doc.getText();
      // Every default is a placeholder, a choice's first option too.
      assert.match(text, /\nrequirements:\n {2}- id: "TODO number\.subset\.component"\n {4}kind: TODO research or product\n {4}text: TODO what is required\n/);
      assert.match(text, /\n {4}p_failure: TODO probability of failure, 0 to 1\n {4}value: TODO value, 1 to 10\n {4}risk: TODO p_failure × value\n {4}status: TODO proposed, verified, validated or failed\n/);
      // The cursor is on the first tab stop, the id.
      assert.strictEqual(doc.getText(editor.selection), 'TODO number.subset.component');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
