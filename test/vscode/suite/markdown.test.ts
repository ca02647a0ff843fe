/** `.trl.md` cards in a real VS Code: Markdown files with TRL diagnostics; any other Markdown file untouched. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { code, diagnosticsWhere, workspaceFile } from './util';

describe('.trl.md cards in VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a .trl.md opens as Markdown with TRL diagnostics on the file\'s own lines; a README.md with front matter gets none', async () => {
    const readme = workspaceFile('markdown/README.md');
    const readmeDoc = await vscode.workspace.openTextDocument(readme);
    await vscode.window.showTextDocument(readmeDoc);
    assert.strictEqual(readmeDoc.languageId, 'markdown');
    const uri = workspaceFile('markdown/card.trl.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'markdown');
    const diags = await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'invalid-semver') && d.some((x) => code(x) === 'empty-section'));
    const semver = diags.find((d) => code(d) === 'invalid-semver')!;
    assert.deepStrictEqual([semver.range.start.line, semver.range.start.character, semver.range.end.character], [9, 9, 12]);
    const empty = diags.find((d) => code(d) === 'empty-section')!;
    assert.deepStrictEqual([empty.range.start.line, empty.range.start.character, empty.range.end.character], [13, 3, 15]);
    // The server answers in order: by the time the card has its problems, the README would have had its own.
    assert.deepStrictEqual(vscode.languages.getDiagnostics(readme).filter((d) => d.source === 'trl'), []);
  });
});
