/** What the in-VS-Code tests share: workspace files, waiting on diagnostics, codes. */
import * as assert from 'assert';
import * as vscode from 'vscode';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the test workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Resolves once the diagnostics of `uri` satisfy `accept` (now, or on a later change event). */
export function diagnosticsWhere(uri: vscode.Uri, accept: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const current = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'trl');
      if (!accept(current)) return false;
      resolve(current);
      return true;
    };
    if (check()) return;
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && check()) sub.dispose();
    });
  });
}

export function code(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The code actions VS Code gets from the providers at `range`. VS Code cancels a provider's
 * request when the state it was asked for is superseded (new diagnostics while it ran): a
 * cancelled request is asked again, a few times, never waited for.
 */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, ...(kind ? [kind] : []));
    } catch (err) {
      if (!(err instanceof Error && (err.name === 'Canceled' || err.message === 'Canceled')) || attempt >= 5) throw err;
    }
  }
}
