/**
 * The card preview in the real VS Code: what the webview reports drawing (read back from its
 * DOM by the page script), after the commands a user runs. Clicks inside the webview, reloads
 * and hostile cards are checked from the browser side (test/vscode/ui.mjs).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { revertAndClose, workspaceFile } from './util';
import type { WebviewMessage } from '../../../webview/messages';

const EXTENSION_ID = 'trl-cards.trl-cards';

/** What the webview reports drawing (webview/messages.ts), with the extension host's times of its request (client/src/preview/panel.ts). */
type Rendered = Extract<WebviewMessage, { type: 'rendered' }> & { timings?: { changed?: number; asked: number; answered: number; reported: number } };

interface Api {
  previews(): { uri: string; locked: boolean; rendered?: Rendered }[];
  onDidRenderPreview: vscode.Event<Rendered>;
  serverProcess(): Promise<{ pid: number }>;
}

async function api(): Promise<Api> {
  return (await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate()) as Api;
}

/** Resolves with the first drawing (already reported, or to come) that `accept` takes. */
function rendered(a: Api, accept: (r: Rendered) => boolean, already = true): Promise<Rendered> {
  return new Promise((resolve) => {
    if (already) {
      const known = a.previews().find((p) => p.rendered && accept(p.rendered));
      if (known?.rendered) return resolve(known.rendered);
    }
    const sub = a.onDidRenderPreview((r) => {
      if (!accept(r)) return;
      sub.dispose();
      resolve(r);
    });
  });
}

async function closePreviews(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A card with `n` requirements (the size the preview must keep up with as the user types). */
function bigCard(n: number): string {
  const reqs = Array.from({ length: n }, (_, i) => `  - id: "${i + 1}"\n    kind: product\n    text: Requirement ${i + 1} holds.\n    verification: Test ${i + 1}.\n    validation: Trial ${i + 1}.\n    p_failure: 0.1\n    value: ${(i % 9) + 1}\n    risk: ${Math.round(0.1 * ((i % 9) + 1) * 10) / 10}\n`).join('');
  return `technology: Big card\nid: BIG-1\nversion: "1.0.0"\nlevel: 2\ntldr: A card with many requirements.\nowners:\n  rnd:\n    owner: A\n    reviewers: [B]\nrequirements:\n${reqs}`;
}

describe('TRL Cards preview in VS Code', () => {
  afterEach(closePreviews);

  it('opens beside the card, shows its name and level, and follows an edit', async () => {
    const a = await api();
    const uri = workspaceFile('level4.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('trlCards.showPreviewToSide');
    const first = await rendered(a, (r) => r.uri === uri.toString());
    assert.strictEqual(first.title, 'Radar nowcasting v1.0.0');
    assert.match(first.level, /^TRL 4 — /);
    assert.ok(first.rows >= 1, 'the requirement is in the risk table');
    // The preview sits beside the card, not over it.
    const tabs = vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => (t.input instanceof vscode.TabInputWebview ? 'preview' : t.label)));
    assert.strictEqual(tabs.length, 2, JSON.stringify(tabs));
    // An edit is drawn without saving, and the version drawn is the edited one.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 12, 0, 28), 'Storm nowcasting');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await rendered(a, (r) => r.uri === uri.toString() && r.title.startsWith('Storm nowcasting'), false);
    assert.strictEqual(after.version, doc.version);
    assert.ok(after.parts >= 1 && after.blocksDrawn === 0, `only the title part is drawn again: ${JSON.stringify(after)}`);
    await revertAndClose();
  });

  it('opens beside a card that becomes active when trlCards.preview.openBesideCards is on (as npm start sets it), and not by default', async () => {
    const a = await api();
    const uri = workspaceFile('level4.trl.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.deepStrictEqual(a.previews(), [], 'off by default: opening a card opens no preview');
    await closePreviews();
    const config = vscode.workspace.getConfiguration('trlCards');
    await config.update('preview.openBesideCards', true, vscode.ConfigurationTarget.Global);
    try {
      const drawn = rendered(a, (r) => r.uri === uri.toString(), false);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await drawn;
      const tabs = vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => (t.input instanceof vscode.TabInputWebview ? 'preview' : t.label)));
      assert.deepStrictEqual(tabs, [['level4.trl.yaml'], ['preview']]);
      // One preview: going back to the card opens no second one.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
      assert.strictEqual(a.previews().length, 1);
    } finally {
      await config.update('preview.openBesideCards', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('follows the active card editor, and a locked preview stays on its card', async () => {
    const a = await api();
    const first = workspaceFile('level4.trl.yaml');
    const second = workspaceFile('risk.trl.yaml');
    const third = workspaceFile('ready.trl.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(first));
    await vscode.commands.executeCommand('trlCards.showPreviewToSide');
    await rendered(a, (r) => r.uri === first.toString());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(second), vscode.ViewColumn.One);
    await rendered(a, (r) => r.uri === second.toString());
    assert.deepStrictEqual(
      a.previews().map((p) => p.uri),
      [second.toString()],
      'one preview, now on the second card',
    );
    await vscode.commands.executeCommand('trlCards.togglePreviewLock');
    assert.deepStrictEqual(a.previews().map((p) => p.locked), [true]);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(third), vscode.ViewColumn.One);
    // No unlocked preview is left: Open Preview makes a second one, for the third card.
    await vscode.commands.executeCommand('trlCards.showPreviewToSide');
    await rendered(a, (r) => r.uri === third.toString());
    const previews = a.previews();
    assert.strictEqual(previews.length, 2);
    assert.deepStrictEqual(previews.find((p) => p.locked)?.uri, second.toString(), 'the locked preview stays on its card');
  });

  it('keeps up after the server restarts', async () => {
    const a = await api();
    const uri = workspaceFile('level4.trl.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('trlCards.showPreviewToSide');
    await rendered(a, (r) => r.uri === uri.toString());
    const before = (await a.serverProcess()).pid;
    process.kill(before, 'SIGKILL');
    // Edited while the server is down or starting: the new server's model shows the edit.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 12, 0, 28), 'Hail nowcasting');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await rendered(a, (r) => r.uri === uri.toString() && r.title.startsWith('Hail nowcasting'));
    assert.notStrictEqual((await a.serverProcess()).pid, before);
    await revertAndClose();
  });

  it('redraws only the edited row of a 1,000-requirement card, within a frame, and paints a keystroke', async function () {
    // 60 edits and keystrokes, each waited for until painted: minutes on a loaded machine.
    this.timeout(300_000);
    const a = await api();
    const uri = workspaceFile('big-preview.trl.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(bigCard(1000)));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('trlCards.showPreviewToSide');
      const first = await rendered(a, (r) => r.uri === uri.toString() && r.rows === 1000);
      assert.strictEqual(first.rowsDrawn, 1000);
      const times: number[] = [];
      // Edit the text of requirement 500, twenty times, each drawn before the next.
      const line = doc.getText().split('\n').findIndex((l) => l === '    text: Requirement 500 holds.');
      assert.ok(line > 0);
      for (let i = 0; i < 20; i++) {
        const edit = new vscode.WorkspaceEdit();
        const text = doc.lineAt(line).text;
        edit.replace(uri, new vscode.Range(line, 0, line, text.length), `    text: Requirement 500 holds (edit ${i}).`);
        assert.ok(await vscode.workspace.applyEdit(edit));
        const r = await rendered(a, (x) => x.uri === uri.toString() && x.version === doc.version, false);
        assert.strictEqual(r.rows, 1000);
        assert.ok(r.rowsDrawn <= 1, `one row drawn again, not the table: ${r.rowsDrawn}`);
        times.push(r.ms);
      }
      times.sort((x, y) => x - y);
      // Reported, not asserted: speed is measured, not tested (docs/performance.md).
      console.log(`preview-perf: apply an edit to a 1,000-requirement card in the webview: median ${times[10].toFixed(2)} ms, max ${times[19].toFixed(2)} ms (20 edits)`);

      // Keystroke to preview painted, end to end: a key typed in the card's editor (the `type`
      // command, as a keyboard types), the document change, the model request and the server's
      // answer, the webview's drawing, its next paint, and its report of it back here.
      // The card's editor has the focus (`type` types where the focus is).
      const editor = await vscode.window.showTextDocument(doc, {
        viewColumn: vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn,
        preserveFocus: false,
      });
      const end = doc.lineAt(line).text.length;
      editor.selection = new vscode.Selection(line, end, line, end);
      const keys: number[] = [];
      // Where the time went: key → change seen, → model asked for, → answered, → painted and reported.
      const stages: number[][] = [[], [], [], []];
      const layouts: number[] = [];
      for (let i = 0; i < 40; i++) {
        const version = doc.version;
        const painted = rendered(a, (x) => x.uri === uri.toString() && x.version === version + 1, false);
        const start = performance.now();
        await vscode.commands.executeCommand('type', { text: i % 2 ? '!' : '?' });
        assert.strictEqual(doc.version, version + 1, 'the key was typed in the card');
        const r = await painted;
        keys.push(performance.now() - start);
        layouts.push(r.layoutMs);
        assert.ok(r.rowsDrawn <= 1, `one row drawn again: ${r.rowsDrawn}`);
        const t = r.timings;
        if (t && i >= 10 && t.changed !== undefined)
          [t.changed - start, t.asked - t.changed, t.answered - t.asked, t.reported - t.answered].forEach((x, k) => stages[k].push(x));
      }
      const mid = (xs: number[]) => (xs.length ? [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] : NaN);
      const where = { key: mid(stages[0]), queued: mid(stages[1]), server: mid(stages[2]), webview: mid(stages[3]) };
      console.log(`preview-perf: keystroke stages (medians): to the change event ${where.key.toFixed(1)} ms, waiting to ask ${where.queued.toFixed(1)} ms, the server's answer ${where.server.toFixed(1)} ms, drawn, painted and reported ${where.webview.toFixed(1)} ms (layout ${mid(layouts).toFixed(1)} ms)`);
      // The first ten keystrokes warm the code up (as a user's first keystrokes do); not counted.
      const counted = keys.slice(10).sort((x, y) => x - y);
      const median = counted[Math.floor(counted.length / 2)];
      console.log(`preview-perf: keystroke to preview painted, 1,000-requirement card: median ${median.toFixed(1)} ms, max ${counted[counted.length - 1].toFixed(1)} ms (${counted.length} keystrokes; first ten: ${keys.slice(0, 10).map((x) => x.toFixed(0)).join(', ')} ms)`);
      // For docs/performance.md (scripts/bench/preview.mjs reads it).
      const artifacts = process.env.TRL_TEST_ARTIFACTS;
      if (artifacts) {
        const keystroke = { median, max: counted[counted.length - 1], n: counted.length, warmup: keys.slice(0, 10), stages: where };
        fs.writeFileSync(path.join(artifacts, 'preview-perf.json'), JSON.stringify({ median: times[10], max: times[19], n: times.length, keystroke, at: new Date().toISOString(), cpus: os.cpus().length, load: os.loadavg()[0] }) + '\n');
      }
      await revertAndClose();
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('shows what changed since the previous card, and exports the card as Markdown', async () => {
    const a = await api();
    const uri = workspaceFile('level4.trl.yaml');
    const target = workspaceFile('level4-export.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('trlCards.showPreviewToSide');
    const r = await rendered(a, (x) => x.uri === uri.toString());
    assert.ok(r.changes > 0, 'level4.trl.yaml lists broken.trl.yaml as its previous card: changes are listed');
    try {
      await vscode.commands.executeCommand('trlCards.exportMarkdown', uri, target);
      const md = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.match(md, /^# Radar nowcasting/);
      assert.match(md, /## Changes since/);
    } finally {
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });

  it('exports the card as one HTML file with no scripts', async () => {
    const uri = workspaceFile('level4.trl.yaml');
    const target = workspaceFile('level4-export.html');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    try {
      await vscode.commands.executeCommand('trlCards.exportHtml', uri, target);
      const html = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.match(html, /<title>Radar nowcasting — TRL 4<\/title>/);
      assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
      assert.doesNotMatch(html, /<script/i);
    } finally {
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });
});
