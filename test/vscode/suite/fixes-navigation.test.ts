/** Quick fixes and navigation where users meet them: VS Code's own code-action, definition and rename commands. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { code, diagnosticsWhere, revertAndClose, workspaceFile, codeActionsAt } from './util';


describe('TRL Cards quick fixes and navigation in VS Code', () => {
  it('adds the fields the level requires through the code-action command, as placeholders the level still reports', async () => {
    const uri = workspaceFile('level4.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const missing = (d: readonly vscode.Diagnostic[]) => d.filter((x) => code(x) === 'level-requirement' && x.severity <= vscode.DiagnosticSeverity.Warning && /a card needs `(intended_use|caveats|assumptions|ethics)`/.test(x.message));
    const before = await diagnosticsWhere(uri, (d) => missing(d).length === 4);
    const actions = await codeActionsAt(uri, before.find((d) => code(d) === 'level-requirement')!.range, vscode.CodeActionKind.QuickFix.value);
    const addAll = actions.find((a) => /^Add the \d+ fields TRL 4 requires/.test(a.title));
    assert.ok(addAll?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(addAll.edit));
    // The fields are there, each a placeholder the level still reports (on the placeholder): to write.
    const placeholders = (d: readonly vscode.Diagnostic[]) => missing(d).filter((x) => /This is a placeholder/.test(x.message));
    await diagnosticsWhere(uri, (d) => placeholders(d).length === missing(d).length && missing(d).length >= 4 && !d.some((x) => code(x) === 'syntax'));
    assert.match(doc.getText(), /\nintended_use: TODO/);
    // One undo takes the whole fix back.
    await vscode.commands.executeCommand('undo');
    await diagnosticsWhere(uri, (d) => missing(d).length === 4);
    await revertAndClose();
  });

  it('sets a stale risk to p_failure × value through the code-action command', async () => {
    const uri = workspaceFile('risk.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [mismatch] = await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'risk-mismatch'));
    const stale = vscode.languages.getDiagnostics(uri).find((x) => code(x) === 'risk-mismatch') ?? mismatch;
    const actions = await codeActionsAt(uri, stale.range, vscode.CodeActionKind.QuickFix.value);
    const setRisk = actions.find((a) => /^Set risk/.test(a.title));
    assert.ok(setRisk?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(setRisk.edit));
    await diagnosticsWhere(uri, (d) => !d.some((x) => code(x) === 'risk-mismatch'));
    assert.match(doc.getText(), /risk: 1\b/);
    await revertAndClose();
  });

  it('goes to the definition of a component id, and renames it across cards', async () => {
    const uri = workspaceFile('system.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('PIPE-1') + 2);
    // The index is built in the background: wait for the cross-card check that needs it.
    await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'component-level'));
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, at);
    const target = defs.map((d) => ('targetUri' in d ? d.targetUri : d.uri).toString());
    assert.deepStrictEqual(target, [workspaceFile('parts/pipeline.trl.yaml').toString()]);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', uri, at, 'PIPE-2');
    const files = edit.entries().map(([u, edits]) => [vscode.workspace.asRelativePath(u), edits.map((e) => e.newText)]);
    files.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepStrictEqual(files, [
      ['parts/pipeline.trl.yaml', ['PIPE-2']],
      ['system.trl.yaml', ['PIPE-2']],
    ]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
