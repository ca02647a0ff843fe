/** The extension where users meet it: a real VS Code, the real language client and server. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { code, diagnosticsWhere, revertAndClose, workspaceFile } from './util';

const EXTENSION_ID = 'trl-cards.trl-cards';

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('trlCards').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('TRL Cards in VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('does not activate on an ordinary YAML file', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('plain.yaml'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'yaml');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    assert.strictEqual(ext.isActive, false);
  });

  it('activates on a card file, which gets the trl-card language', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('broken.trl.yaml'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'trl-card');
    const ext = vscode.extensions.getExtension<{ ready(): Promise<void> }>(EXTENSION_ID);
    const api = await ext!.activate();
    await api.ready();
    assert.strictEqual(ext!.isActive, true);
  });

  it('shows diagnostics with codes and exact ranges, and clears them when the card is fixed', async () => {
    const uri = workspaceFile('broken.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsWhere(uri, (d) => d.length >= 3);
    const byCode = new Map(diags.map((d) => [code(d), d]));
    const semver = byCode.get('invalid-semver');
    assert.ok(semver, JSON.stringify(diags.map(code)));
    assert.deepStrictEqual([semver.range.start.line, semver.range.start.character, semver.range.end.character], [1, 9, 14]);
    const typo = byCode.get('unknown-field');
    assert.ok(typo);
    assert.match(typo.message, /Did you mean `reviewers`\?/);
    assert.deepStrictEqual([typo.range.start.line, typo.range.start.character, typo.range.end.character], [7, 4, 12]);
    assert.strictEqual(semver.severity, vscode.DiagnosticSeverity.Error);
    const href = typeof semver.code === 'object' ? semver.code.target.toString() : '';
    // VS Code's client asks for the heading's line (`#L<line>`, selected by VS Code's opener);
    // that the line is the code's heading is checked in test/protocol/server.test.ts.
    assert.match(href, /docs\/rules\.md#L\d+$/);

    // Fix both mistakes with ordinary (undoable) editor edits.
    await editor.edit((b) => {
      b.replace(new vscode.Range(1, 9, 1, 14), '"1.0.0"');
      b.replace(new vscode.Range(7, 4, 7, 12), 'reviewers');
    });
    await diagnosticsWhere(uri, (d) => d.length === 0);
    // Undo brings the problems back.
    await vscode.commands.executeCommand('undo');
    await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'invalid-semver'));
    await revertAndClose();
  });

  it('completes the fields the card level still lacks first', async () => {
    const uri = workspaceFile('level4.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const last = new vscode.Position(doc.lineCount - 1, 0);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, last);
    const ours = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property).sort((a, b) => String(a.sortText).localeCompare(String(b.sortText)));
    const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    // What the card's level asks and it lacks: the debrief (from TRL 1) and what TRL 4 adds.
    const missing = ['assumptions', 'caveats', 'debrief', 'ethics', 'intended_use'];
    assert.deepStrictEqual(ours.slice(0, missing.length).map(labelOf).sort(), missing);
    const intended = ours.find((i) => labelOf(i) === 'intended_use')!;
    assert.strictEqual(typeof intended.label === 'string' ? undefined : intended.label.description, 'required for TRL 4');
  });

  it('hovers the level with its name, reviewers and what is missing', async () => {
    const uri = workspaceFile('level4.trl.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 7));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /TRL 4 — Proof of Concept \(PoC\) Development/);
    assert.match(text, /Reviewed by:/);
    assert.match(text, /`intended_use`/);
  });

  it('lists the card sections in the outline', async () => {
    const uri = workspaceFile('level4.trl.yaml');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    const names = symbols.map((s) => s.name);
    for (const n of ['technology', 'level', 'owners', 'requirements', 'data', 'testing']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const reqs = symbols.find((s) => s.name === 'requirements')!;
    assert.match(reqs.children[0].name, /^1 CSI at 30 minutes/);
  });

  it('folds sections and requirements', async () => {
    const uri = workspaceFile('level4.trl.yaml');
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', uri);
    const has = (start: number, end: number) => folds.some((f) => f.start === start && f.end === end);
    assert.ok(has(4, 7), 'owners');
    assert.ok(has(19, 26), `requirements: ${JSON.stringify(folds)}`);
    assert.ok(has(20, 26), `requirement 1: ${JSON.stringify(folds)}`);
  });

  it('restarts the language server on command, and checks again', async () => {
    const uri = workspaceFile('broken.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await diagnosticsWhere(uri, (d) => d.length > 0);
    // The old server's problems go away with it; the new server's come back.
    let cleared = false;
    const watch = vscode.languages.onDidChangeDiagnostics(() => {
      if (vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'trl').length === 0) cleared = true;
    });
    try {
      await vscode.commands.executeCommand('trlCards.restartServer');
      await diagnosticsWhere(uri, (d) => cleared && d.some((x) => code(x) === 'invalid-semver'));
    } finally {
      watch.dispose();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers the level-0 card snippet in a new card', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'trl-card', content: '' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 0));
    const snippet = list.items.find((i) => i.kind === vscode.CompletionItemKind.Snippet && /Level-0 TRL card|trl-card/.test(typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(snippet, 'the level-0 snippet is offered');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('checks a system card against its components across the workspace', async () => {
    const uri = workspaceFile('system.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'component-level'));
    const d = diags.find((x) => code(x) === 'component-level')!;
    assert.match(d.message, /component `PIPE-1` \(parts\/pipeline\.trl\.yaml\) is at TRL 2/);
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.character], [4, 4, 10]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('turns validation off and on with the trlCards.validate.enable setting', async () => {
    const uri = workspaceFile('broken.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await diagnosticsWhere(uri, (d) => d.length > 0);
    try {
      await setSetting('validate.enable', false);
      await diagnosticsWhere(uri, (d) => d.length === 0);
    } finally {
      await setSetting('validate.enable', undefined);
    }
    await diagnosticsWhere(uri, (d) => d.length > 0);
  });

  it('changes a rule severity with the trlCards.rules setting', async () => {
    const uri = workspaceFile('broken.trl.yaml');
    await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'invalid-semver' && x.severity === vscode.DiagnosticSeverity.Error));
    try {
      await setSetting('rules', { 'invalid-semver': 'warning' });
      await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'invalid-semver' && x.severity === vscode.DiagnosticSeverity.Warning));
    } finally {
      await setSetting('rules', undefined);
    }
  });

  it('starts a new server when the server process dies, and checks every open card again', async () => {
    const api = await vscode.extensions.getExtension<{ serverProcess(): Promise<{ pid: number }> }>(EXTENSION_ID)!.activate();
    const cards = [workspaceFile('broken.trl.yaml'), workspaceFile('system.trl.yaml')];
    for (const uri of cards) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const expected = (uri: vscode.Uri) => (uri.path.endsWith('broken.trl.yaml') ? 'invalid-semver' : 'component-level');
    for (const uri of cards) await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === expected(uri)));
    const before = (await api.serverProcess()).pid;
    assert.notStrictEqual(before, process.pid);
    // The dead server's problems go away with it; the new server's come back for each card.
    const cleared = new Set<string>();
    const watch = vscode.languages.onDidChangeDiagnostics(() => {
      for (const uri of cards) if (vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'trl').length === 0) cleared.add(uri.toString());
    });
    try {
      process.kill(before, 'SIGKILL');
      await Promise.all(cards.map((uri) => diagnosticsWhere(uri, (d) => cleared.has(uri.toString()) && d.some((x) => code(x) === expected(uri)))));
    } finally {
      watch.dispose();
    }
    const after = (await api.serverProcess()).pid;
    assert.notStrictEqual(after, before, 'a new server process');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the level status in a code lens, and graduates a ready card to a new card beside it', async () => {
    const uri = workspaceFile('ready.trl.yaml');
    const target = workspaceFile('ready.level-1.trl.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepStrictEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [3, 'TRL 0 — First Principles: ready to graduate to TRL 1'],
        [3, 'Graduate'],
      ],
    );
    let sub: vscode.Disposable | undefined;
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      sub = vscode.workspace.onDidOpenTextDocument((d) => d.uri.toString() === target.toString() && resolve(d));
    });
    try {
      await vscode.commands.executeCommand('trlCards.graduate');
      const created = await opened;
      const text = created.getText();
      assert.match(text, /^# A first idea, ready for its level-0 review\.\n/);
      assert.match(text, /^level: 1$/m);
      assert.match(text, /^previous:\n {2}- \.\/ready\.trl\.yaml$/m);
      assert.match(text, /^history:\n {2}- level: 0\n/m);
      // The new card is the active editor, the cursor on its first TODO.
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.toString(), target.toString());
      assert.strictEqual(editor.document.getText(editor.selection), 'TODO');
      // The card it came from is unchanged.
      assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /^level: 0$/m);
      // Once the next card exists, graduating again refuses: the file is left as it is.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await vscode.commands.executeCommand('trlCards.graduate');
      assert.strictEqual(created.getText(), text);
      await vscode.window.showTextDocument(created);
    } finally {
      sub?.dispose();
      // Leave the workspace clean: drop the new card's unsaved text, close it, delete the file.
      if (vscode.window.activeTextEditor?.document.uri.toString() === target.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('raises the level in the card itself with trlCards.graduate.mode inPlace, as one undoable edit', async () => {
    const uri = workspaceFile('ready.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    try {
      await setSetting('graduate.mode', 'inPlace');
      await vscode.commands.executeCommand('trlCards.graduate');
      assert.match(doc.getText(), /^level: 1$/m);
      assert.match(doc.getText(), /^history:\n {2}- level: 0\n/m);
      assert.doesNotMatch(doc.getText(), /- \.\/ready\.trl\.yaml/);
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(doc.getText(), before);
    } finally {
      await setSetting('graduate.mode', undefined);
      await revertAndClose();
    }
  });
});
