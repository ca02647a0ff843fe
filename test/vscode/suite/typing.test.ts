/** Completion while typing in a card: the `[trl-card]` defaults turn quick suggestions on in strings. */
import * as assert from 'assert';
import * as vscode from 'vscode';

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

/** A quick-suggestions value for one kind of token: `true`/`"on"`/`"inline"` show suggestions, `false`/`"off"` do not. */
const on = (v: unknown) => v === true || v === 'on' || v === 'inline';

describe('completion while typing in a card', () => {
  it('turns quick suggestions on in strings for cards (a plain YAML value is a string token), not in comments', () => {
    const card = vscode.workspace.getConfiguration('editor', { languageId: 'trl-card' }).get<Record<string, unknown>>('quickSuggestions');
    assert.ok(card && on(card.strings) && on(card.other) && !on(card.comments), JSON.stringify(card));
    const plain = vscode.workspace.getConfiguration('editor', { languageId: 'plaintext' }).get<Record<string, unknown>>('quickSuggestions');
    assert.ok(plain && !on(plain.strings), `other languages keep VS Code's default: ${JSON.stringify(plain)}`);
  });

  it('offers the trl-card snippet where `trl` is typed in an empty card, and `requirements` where `requ` is', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'trl-card', content: 'trl' });
    await vscode.window.showTextDocument(doc);
    try {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 3));
      const snippet = list.items.find((i) => i.kind === vscode.CompletionItemKind.Snippet && labelOf(i) === 'trl-card');
      assert.ok(snippet, list.items.map(labelOf).join(', '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    const top = await vscode.workspace.openTextDocument({ language: 'trl-card', content: 'technology: Radar\nlevel: 2\nrequ' });
    await vscode.window.showTextDocument(top);
    try {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', top.uri, new vscode.Position(2, 4));
      const item = list.items.find((i) => labelOf(i) === 'requirements');
      assert.ok(item, list.items.map(labelOf).join(', '));
      // It replaces what was typed.
      const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
      assert.ok(!range || range.start.character === 0, JSON.stringify(range));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
