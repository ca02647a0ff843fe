/**
 * The TRL Cards view and the portfolio dashboard in the real VS Code, over the cards of
 * test/vscode/workspace/portfolio/ (a system, ROUTE, held back by its map matcher, and an
 * arrival-time model) and the other cards of the test workspace. The tree is read through the
 * extension's API as a user sees it (labels, descriptions, children); the dashboard reports
 * what it drew, read from its DOM. Each test waits for the event it needs.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFile } from './util';

const EXTENSION_ID = 'trl-cards.trl-cards';

interface Item {
  label: string;
  description: string;
  contextValue: string;
  uri?: string;
  children?: Item[];
}

interface DashboardRendered {
  charts: number;
  tables: number;
  rows: number;
  technologies: number;
  complete: boolean;
}

interface Api {
  portfolioTree(): Item[];
  portfolio(): { complete: boolean; portfolio: { technologies: { key: string; level?: number }[] } } | undefined;
  refreshPortfolioTree(): void;
  setPortfolioFilter(filter: { levels: number[]; owners: string[]; hasErrors: boolean; overdue: boolean }): void;
  onDidUpdatePortfolioTree: vscode.Event<void>;
  dashboard(): DashboardRendered | undefined;
  onDidRenderDashboard: vscode.Event<DashboardRendered>;
}

async function api(): Promise<Api> {
  return (await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate()) as Api;
}

/** Resolves with the tree once `accept` takes it (now, or after a later update). */
function treeWhere(a: Api, accept: (items: Item[]) => boolean): Promise<Item[]> {
  return new Promise((resolve) => {
    const check = () => {
      if (!a.portfolio()?.complete) return false;
      const items = a.portfolioTree();
      if (!accept(items)) return false;
      resolve(items);
      return true;
    };
    if (check()) return;
    const sub = a.onDidUpdatePortfolioTree(() => check() && sub.dispose());
  });
}

const group = (items: Item[], label: string) => items.find((i) => i.label === label);
const names = (g: Item | undefined) => (g?.children ?? []).map((c) => c.label);
const find = (items: Item[], label: string): Item | undefined => {
  for (const i of items) {
    if (i.label === label) return i;
    const inside = find(i.children ?? [], label);
    if (inside) return inside;
  }
  return undefined;
};

describe('TRL Cards view and portfolio dashboard in VS Code', () => {
  const mapMatcher = workspaceFile('portfolio/map-matcher.trl.yaml');
  let original: Uint8Array | undefined;

  before(async () => {
    const a = await api();
    // The view asks the server while it is visible.
    await vscode.commands.executeCommand('workbench.view.extension.trlCards');
    a.refreshPortfolioTree();
    original = await vscode.workspace.fs.readFile(mapMatcher);
  });

  after(async () => {
    if (original) await vscode.workspace.fs.writeFile(mapMatcher, original);
    await vscode.commands.executeCommand('trlCards.portfolio.groupByLevel');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('groups the technologies by level, 9 to 0, with what holds a system back', async () => {
    const a = await api();
    const items = await treeWhere(a, (t) => names(group(t, 'TRL 5')).includes('Delivery route planner'));
    const levels = items.map((i) => (i.label === 'No level' ? -1 : Number(i.label.replace('TRL ', ''))));
    assert.deepStrictEqual(levels, [...levels].sort((x, y) => y - x), `levels from 9 down: ${items.map((i) => i.label).join(', ')}`);
    assert.deepStrictEqual(names(group(items, 'TRL 5')).sort(), ['Delivery route planner', 'GPS map matcher'].sort());
    assert.ok(names(group(items, 'TRL 6')).includes('Arrival-time model'), JSON.stringify(items));
    // The card without an id (ready.trl.yaml) is a technology of its own, at level 0.
    assert.ok(names(group(items, 'TRL 0')).includes('Ready idea'), JSON.stringify(group(items, 'TRL 0')));
    const route = find(items, 'Delivery route planner')!;
    assert.match(route.description, /^TRL 5 · held back by GPS map matcher \(TRL 5\)/);
    assert.strictEqual(route.contextValue, 'trlCard.heldBack');
    assert.ok(route.uri?.endsWith('/portfolio/route-planner.trl.yaml'), route.uri);
    // Every technology the server counts is in the tree once.
    const shown = items.flatMap((g) => g.children ?? []);
    assert.strictEqual(shown.length, a.portfolio()!.portfolio.technologies.length);
  });

  it('shows a name\'s hidden characters as their codes, never applied (hostile/bidi.trl.yaml)', async () => {
    const a = await api();
    const items = await treeWhere(a, (t) => !!find(t, '<img src=x>⟨U+202E⟩lmth.exe'));
    const bidi = find(items, '<img src=x>⟨U+202E⟩lmth.exe')!;
    assert.ok(bidi.uri?.endsWith('/hostile/bidi.trl.yaml'), bidi.uri);
    assert.ok(!/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/.test(JSON.stringify(items)), 'no hidden character in any label or description');
  });

  it('shows the system tree, the limiting component marked, and back', async () => {
    const a = await api();
    await vscode.commands.executeCommand('trlCards.portfolio.showSystemTree');
    const items = await treeWhere(a, (t) => find(t, 'Delivery route planner')?.children !== undefined);
    const route = find(items, 'Delivery route planner')!;
    assert.ok(items.includes(route), 'a system is a root of the system tree');
    assert.deepStrictEqual(names(route), ['GPS map matcher', 'Arrival-time model']);
    assert.match(route.children![0].description, /TRL 5 · limiting/);
    assert.doesNotMatch(route.children![1].description, /limiting/);
    assert.ok(!items.some((i) => i.label === 'GPS map matcher'), 'a component is not a root');
    await vscode.commands.executeCommand('trlCards.portfolio.groupByLevel');
    await treeWhere(a, (t) => t.some((i) => i.label === 'TRL 5'));
  });

  it('filters by level, and the filter clears', async () => {
    const a = await api();
    a.setPortfolioFilter({ levels: [6], owners: [], hasErrors: false, overdue: false });
    const only = await treeWhere(a, (t) => t.length === 1);
    assert.strictEqual(only[0].label, 'TRL 6');
    a.setPortfolioFilter({ levels: [], owners: ['Mei Lin <mei.lin@example.org>'], hasErrors: false, overdue: false });
    const mei = await treeWhere(a, (t) => t.flatMap((g) => g.children ?? []).length === 1);
    assert.deepStrictEqual(mei.flatMap((g) => names(g)), ['GPS map matcher']);
    await vscode.commands.executeCommand('trlCards.portfolio.clearFilter');
    await treeWhere(a, (t) => names(group(t, 'TRL 5')).length >= 2 && t.length > 2);
  });

  it('follows a card whose level changes on disk', async () => {
    const a = await api();
    await treeWhere(a, (t) => names(group(t, 'TRL 5')).includes('GPS map matcher'));
    const text = Buffer.from(original!).toString('utf8');
    assert.match(text, /^level: 5$/m);
    await vscode.workspace.fs.writeFile(mapMatcher, Buffer.from(text.replace(/^level: 5$/m, 'level: 6')));
    const items = await treeWhere(a, (t) => names(group(t, 'TRL 6')).includes('GPS map matcher'));
    assert.ok(!names(group(items, 'TRL 5')).includes('GPS map matcher'));
    // The system is no longer held back: its lowest component is above its level.
    assert.doesNotMatch(find(items, 'Delivery route planner')!.description, /held back/);
    await vscode.workspace.fs.writeFile(mapMatcher, original!);
    await treeWhere(a, (t) => names(group(t, 'TRL 5')).includes('GPS map matcher'));
  });

  it('opens the dashboard, which draws its charts beside their numbers', async () => {
    const a = await api();
    const drawn = new Promise<DashboardRendered>((resolve) => {
      const sub = a.onDidRenderDashboard((r) => {
        if (!r.complete) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.commands.executeCommand('trlCards.openPortfolio');
    const r = await drawn;
    assert.strictEqual(r.charts, 3, JSON.stringify(r));
    assert.strictEqual(r.technologies, a.portfolio()!.portfolio.technologies.length);
    // A table per chart, the technologies, paths, moves, cycles, bottlenecks, targets and risks: rows in each.
    assert.ok(r.tables >= 3 + 5, JSON.stringify(r));
    assert.ok(r.rows > r.technologies + 10, JSON.stringify(r));
    assert.deepStrictEqual(a.dashboard(), r);
  });
});
