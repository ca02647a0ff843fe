/**
 * The verdict a reviewer sees is the one to trust: through the code lens, a card the tool itself
 * wrote (New Card at levels 0, 4 and 8, the `trl-card` snippet left with its defaults, a card
 * Graduate wrote) is never "ready to graduate"; a system whose component lags is not, and
 * Graduate refuses it with the reason; the tree's tooltip says the same.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { code, diagnosticsWhere, workspaceFile, codeActionsAt } from './util';

/** The code lens titles of a card, once the server has checked it (its diagnostics came). */
async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  await diagnosticsWhere(uri, (d) => d.length > 0);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((l) => l.command?.title ?? '');
}

function assertNotReady(titles: string[], what: string): void {
  assert.ok(titles.length > 0, `${what}: a code lens`);
  assert.ok(!titles.some((t) => /ready to graduate to TRL/.test(t)), `${what}: ${titles.join(' | ')}`);
  assert.ok(!titles.includes('Graduate'), `${what}: no Graduate lens`);
  assert.ok(titles.some((t) => /missing for TRL|not ready/.test(t)), `${what}: says what is missing: ${titles.join(' | ')}`);
}

describe('the verdict: never "ready" for what the tool wrote, nor for a system held back', () => {
  it('a card New Card just made, at levels 0, 4 and 8', async () => {
    const folder = workspaceFile('readiness');
    for (const level of [0, 4, 8]) {
      const target = vscode.Uri.joinPath(folder, `new-at-${level}.trl.yaml`);
      try {
        const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('trlCards.newCard', { name: `New at ${level}`, level, folder: folder.toString() });
        assert.strictEqual(created?.toString(), target.toString());
        assertNotReady(await lensTitles(target), `New Card at TRL ${level}`);
      } finally {
        if (vscode.window.activeTextEditor?.document.uri.toString() === target.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the trl-card snippet left with its defaults', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'trl-card', content: '' });
    const editor = await vscode.window.showTextDocument(doc);
    try {
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'trl-card', name: 'Level-0 TRL card' });
      assert.match(doc.getText(), /^technology: TODO/);
      // Leave the snippet (its tab stops keep their defaults).
      await vscode.commands.executeCommand('leaveSnippet');
      const titles = await (async () => {
        await diagnosticsWhere(doc.uri, (d) => d.some((x) => code(x) === 'level-requirement'));
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        return lenses.map((l) => l.command?.title ?? '');
      })();
      assertNotReady(titles, 'the trl-card snippet');
      assert.strictEqual(editor.document.uri.toString(), doc.uri.toString());
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('a card Graduate just wrote', async () => {
    const uri = workspaceFile('ready.trl.yaml');
    const target = workspaceFile('ready.level-1.trl.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    try {
      const outcome = await vscode.commands.executeCommand<{ uri?: string; error?: string }>('trlCards.graduate');
      assert.strictEqual(outcome?.uri, target.toString(), outcome?.error);
      assertNotReady(await lensTitles(target), 'the card Graduate wrote');
    } finally {
      if (vscode.window.activeTextEditor?.document.uri.toString() === target.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('a system whose component lags: not ready, Graduate refuses with the reason, the tree says why', async () => {
    const uri = workspaceFile('readiness/system.trl.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The index is built in the background: wait for the cross-card check that needs it.
    await diagnosticsWhere(uri, (d) => d.some((x) => code(x) === 'component-level'));
    const titles = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /TRL 1 — .*: not ready to graduate: .*component-level/.test(t)), titles.join(' | '));
    assert.ok(!titles.includes('Graduate'), titles.join(' | '));
    const outcome = await vscode.commands.executeCommand<{ uri?: string; error?: string }>('trlCards.graduate');
    assert.strictEqual(outcome?.uri, undefined);
    assert.match(outcome?.error ?? '', /not ready to graduate: .*a component holds it back: READY-PART is at TRL 0/);
    const next = workspaceFile('readiness/system.level-2.trl.yaml');
    assert.ok(await vscode.workspace.fs.stat(next).then(() => false, () => true), 'no card written');
    // The Graduate code action is not offered either.
    const actions = await codeActionsAt(uri, new vscode.Range(4, 0, 4, 8));
    assert.ok(!actions.some((a) => /^Graduate/.test(a.title)), actions.map((a) => a.title).join(' | '));
    // The TRL Cards view's tooltip gives the same verdict.
    const api = vscode.extensions.getExtension('trl-cards.trl-cards')!.exports as { portfolioTooltip(uri: string): Promise<string | undefined>; refreshPortfolioTree(): void; onDidUpdatePortfolioTree: vscode.Event<void> };
    let tooltip = await api.portfolioTooltip(uri.toString());
    if (tooltip === undefined) {
      const updated = new Promise<void>((resolve) => {
        const sub = api.onDidUpdatePortfolioTree(() => {
          sub.dispose();
          resolve();
        });
      });
      api.refreshPortfolioTree();
      await updated;
      tooltip = await api.portfolioTooltip(uri.toString());
    }
    // (The tooltip is Markdown: its text's spaces as &nbsp;, its punctuation escaped.)
    const shown = (tooltip ?? '').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(shown, /Verdict: not ready: .*a component holds it back: READY-PART is at TRL 0/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
