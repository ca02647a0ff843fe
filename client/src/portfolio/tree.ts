/**
 * The "TRL Cards" view: the technologies of the workspace grouped by level (9 → 0), or as the
 * system tree (a system expands into its components, each with its level; the one that holds
 * it back is marked). Each technology shows its level, its rolled-up level or what holds it
 * back, and the problems VS Code has for its current card; filters (level, owner, has errors,
 * target overdue) from a Quick Pick in the title bar. Data: the server's portfolio
 * (`trlCards/portfolio`) and VS Code's diagnostics; nothing here reads a card.
 */
import * as vscode from 'vscode';
import type { Portfolio, PortfolioTechnology, TargetView } from '../../../protocol/portfolio';
import type { PortfolioResponse } from '../../../protocol/portfolioMessages';
import { visibleText } from '../../../server/src/text/escape';
import { Throttle } from '../util/throttle';
import { CARD_NAMES } from '../../../protocol/cardFile';
import { Latest, type PortfolioSource } from './source';

export const PORTFOLIO_VIEW = 'trlCards.portfolio';
export const FILTER_COMMAND = 'trlCards.portfolio.filter';
export const CLEAR_FILTER_COMMAND = 'trlCards.portfolio.clearFilter';
export const SYSTEM_TREE_COMMAND = 'trlCards.portfolio.showSystemTree';
export const LEVEL_GROUPS_COMMAND = 'trlCards.portfolio.groupByLevel';

export type TreeMode = 'levels' | 'systems';

export interface PortfolioFilter {
  levels: number[];
  owners: string[];
  hasErrors: boolean;
  overdue: boolean;
}

const NO_FILTER: PortfolioFilter = { levels: [], owners: [], hasErrors: false, overdue: false };

type LevelNode = { kind: 'level'; level: number | undefined; techs: PortfolioTechnology[] };
type TechNode = {
  kind: 'tech';
  tech: PortfolioTechnology;
  /** The card, for "Open Preview" from the context menu (the preview takes an element's resourceUri). */
  resourceUri: vscode.Uri;
  /** Keys from the root down to this node (a component cycle stops expanding). */
  trail: string[];
  /** This component is the one that holds its system back. */
  limiting: boolean;
};
export type PortfolioNode = LevelNode | TechNode;

/** A tree item as the tests read it: what the user sees, and the children when expanded. */
export interface TreeItemInfo {
  label: string;
  description: string;
  contextValue: string;
  uri?: string;
  children?: TreeItemInfo[];
}

const DIAGNOSTIC_SOURCE = 'trl';

function problems(uri: vscode.Uri): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
  }
  return { errors, warnings };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const nameOf = (t: PortfolioTechnology) => t.current.technology ?? t.current.id ?? t.key;
const levelText = (l: number | undefined) => (l === undefined ? 'no level' : `TRL ${l}`);

/** A verdict in words: "ready to graduate to TRL 5", or "not ready: 2 items missing for TRL 4: …; …". */
export function verdictText(v: { next?: number; ready: boolean; reasons: string[] }): string {
  if (v.ready) return v.next !== undefined ? `ready to graduate to TRL ${v.next}` : 'at the last level';
  return `not ready: ${v.reasons.join('; ')}`;
}

export class PortfolioTree implements vscode.TreeDataProvider<PortfolioNode>, vscode.Disposable {
  private readonly latest: Latest;
  private readonly view: vscode.TreeView<PortfolioNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onDidChangeTreeDataEmitter = new vscode.EventEmitter<PortfolioNode | undefined>();
  readonly onDidChangeTreeData = this.onDidChangeTreeDataEmitter.event;
  private readonly onDidUpdateEmitter = new vscode.EventEmitter<void>();
  /** Fires after the tree was given a new portfolio or new problem counts (the tests wait on it). */
  readonly onDidUpdate = this.onDidUpdateEmitter.event;
  private mode: TreeMode = 'levels';
  private filter: PortfolioFilter = NO_FILTER;
  private readonly fetching: Throttle;
  private readonly redrawing: Throttle;
  private byKey = new Map<string, PortfolioTechnology>();
  private levelNames = new Map<number, string>();

  constructor(
    private readonly source: PortfolioSource,
    private readonly state: vscode.Memento,
  ) {
    this.latest = new Latest(source, false);
    this.mode = state.get<TreeMode>('trlCards.portfolio.mode') === 'systems' ? 'systems' : 'levels';
    this.view = vscode.window.createTreeView(PORTFOLIO_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.view.message = 'Indexing…';
    this.fetching = new Throttle(() => void this.fetch(), 100);
    this.redrawing = new Throttle(() => this.redraw(), 100);
    this.disposables.push(
      this.view,
      this.onDidChangeTreeDataEmitter,
      this.onDidUpdateEmitter,
      source.onDidInvalidate(() => this.refresh()),
      this.view.onDidChangeVisibility(() => this.view.visible && this.refresh()),
      // Problem counts: only cards of the portfolio.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const shown = this.latest.value?.portfolio.technologies;
        if (!shown) return;
        const uris = new Set(e.uris.map((u) => u.toString()));
        if (shown.some((t) => uris.has(t.current.uri))) this.redrawing.run();
      }),
      vscode.commands.registerCommand(FILTER_COMMAND, () => this.pickFilter()),
      vscode.commands.registerCommand(CLEAR_FILTER_COMMAND, () => this.setFilter(NO_FILTER)),
      vscode.commands.registerCommand(SYSTEM_TREE_COMMAND, () => this.setMode('systems')),
      vscode.commands.registerCommand(LEVEL_GROUPS_COMMAND, () => this.setMode('levels')),
      { dispose: () => this.fetching.dispose() },
      { dispose: () => this.redrawing.dispose() },
    );
    void vscode.commands.executeCommand('setContext', 'trlCards.portfolio.mode', this.mode);
    void vscode.commands.executeCommand('setContext', 'trlCards.portfolio.filtered', false);
    this.refresh();
  }

  /** Asks the server again (throttled). The view asks only while it is visible, or the tests ask. */
  refresh(force = false): void {
    if (force || this.view.visible) this.fetching.run();
  }

  private async fetch(): Promise<void> {
    const answer = await this.latest.fetch();
    if (!answer) return;
    this.byKey = new Map(answer.portfolio.technologies.map((t) => [t.key, t]));
    this.levelNames = new Map(answer.portfolio.levels.map((l) => [l.level, l.name]));
    this.redraw();
  }

  private redraw(): void {
    const answer = this.latest.value;
    if (answer) {
      const n = answer.portfolio.technologies.length;
      this.view.message = !answer.complete ? `Indexing… (${plural(n, 'technology', 'technologies')} so far)` : n === 0 ? `No TRL cards (${CARD_NAMES}) in this workspace.` : this.visibleTechs(answer).length === 0 ? 'No technology matches the filter.' : undefined;
    }
    this.view.description = this.filterText();
    this.onDidChangeTreeDataEmitter.fire(undefined);
    this.onDidUpdateEmitter.fire();
  }

  /** The portfolio the tree shows (the tests read it), after asking once more when asked to. */
  get portfolio(): PortfolioResponse | undefined {
    return this.latest.value;
  }

  private setMode(mode: TreeMode): void {
    this.mode = mode;
    void this.state.update('trlCards.portfolio.mode', mode);
    void vscode.commands.executeCommand('setContext', 'trlCards.portfolio.mode', mode);
    this.redraw();
  }

  setFilter(filter: PortfolioFilter): void {
    this.filter = filter;
    void vscode.commands.executeCommand('setContext', 'trlCards.portfolio.filtered', this.filterText() !== undefined);
    this.redraw();
  }

  private filterText(): string | undefined {
    const f = this.filter;
    const parts: string[] = [];
    if (f.levels.length) parts.push(`TRL ${[...f.levels].sort((a, b) => a - b).join(', ')}`);
    if (f.owners.length) parts.push(f.owners.join(', '));
    if (f.hasErrors) parts.push('with errors');
    if (f.overdue) parts.push('target overdue');
    return parts.length ? `Filtered: ${parts.join(' · ')}` : undefined;
  }

  private async pickFilter(): Promise<void> {
    const p = this.latest.value?.portfolio;
    type Pick = vscode.QuickPickItem & { apply: (f: PortfolioFilter) => void };
    const f = this.filter;
    const items: (Pick | vscode.QuickPickItem)[] = [{ label: 'Problems and targets', kind: vscode.QuickPickItemKind.Separator }];
    const picks: Pick[] = [
      { label: '$(error) Has errors', description: 'cards with an error VS Code knows of (open cards)', picked: f.hasErrors, apply: (x) => (x.hasErrors = true) },
      { label: '$(calendar) Target overdue', description: 'a target date passed with the level not reached', picked: f.overdue, apply: (x) => (x.overdue = true) },
    ];
    items.push(...picks);
    items.push({ label: 'Level', kind: vscode.QuickPickItemKind.Separator });
    for (let l = 9; l >= 0; l--) {
      const now = p?.levels.find((x) => x.level === l)?.now ?? 0;
      const pick: Pick = { label: `TRL ${l}`, description: `${this.levelNames.get(l) ?? ''} · ${now}`, picked: f.levels.includes(l), apply: (x) => x.levels.push(l) };
      items.push(pick);
      picks.push(pick);
    }
    const owners = [...new Set((p?.technologies ?? []).map((t) => t.owner).filter((o): o is string => !!o))].sort();
    if (owners.length) items.push({ label: 'Owner', kind: vscode.QuickPickItemKind.Separator });
    for (const o of owners) {
      const pick: Pick = { label: visibleText(o), description: 'owner', picked: f.owners.includes(o), apply: (x) => x.owners.push(o) };
      items.push(pick);
      picks.push(pick);
    }
    const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Filter the TRL Cards view', placeHolder: 'Levels and owners: any of those picked; problems and targets: all picked' });
    if (!chosen) return;
    const next: PortfolioFilter = { levels: [], owners: [], hasErrors: false, overdue: false };
    for (const c of chosen) if ('apply' in c) c.apply(next);
    this.setFilter(next);
  }

  private matches(t: PortfolioTechnology, targets: readonly TargetView[]): boolean {
    const f = this.filter;
    if (f.levels.length && (t.level === undefined || !f.levels.includes(t.level))) return false;
    if (f.owners.length && (!t.owner || !f.owners.includes(t.owner))) return false;
    if (f.hasErrors && problems(vscode.Uri.parse(t.current.uri)).errors === 0) return false;
    if (f.overdue && !targets.some((x) => x.technology === t.key && x.status === 'overdue')) return false;
    return true;
  }

  private visibleTechs(answer: PortfolioResponse): PortfolioTechnology[] {
    return answer.portfolio.technologies.filter((t) => this.matches(t, answer.portfolio.targets));
  }

  private techNode(tech: PortfolioTechnology, trail: string[], limiting: boolean): TechNode {
    return { kind: 'tech', tech, resourceUri: vscode.Uri.parse(tech.current.uri), trail: [...trail, tech.key], limiting };
  }

  /** In the system tree: shown when it or a component below it matches the filter. */
  private shownInTree(key: string, answer: PortfolioResponse, seen: Set<string>): boolean {
    const t = this.byKey.get(key);
    if (!t || seen.has(key)) return false;
    if (this.matches(t, answer.portfolio.targets)) return true;
    seen.add(key);
    return (answer.components[key] ?? []).some((k) => this.shownInTree(k, answer, seen));
  }

  getChildren(node?: PortfolioNode): PortfolioNode[] {
    const answer = this.latest.value;
    if (!answer) return [];
    if (!node) {
      if (this.mode === 'levels') {
        const techs = this.visibleTechs(answer);
        const groups: LevelNode[] = [];
        for (const level of [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, undefined]) {
          const at = techs.filter((t) => t.level === level).sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
          if (at.length) groups.push({ kind: 'level', level, techs: at });
        }
        return groups;
      }
      // Roots of the system tree: the technologies no other technology lists as a component.
      const inside = new Set(Object.values(answer.components).flat());
      return answer.portfolio.technologies
        .filter((t) => !inside.has(t.key) && this.shownInTree(t.key, answer, new Set()))
        .sort((a, b) => (b.level ?? -1) - (a.level ?? -1) || nameOf(a).localeCompare(nameOf(b)))
        .map((t) => this.techNode(t, [], false));
    }
    if (node.kind === 'level') return node.techs.map((t) => this.techNode(t, [], false));
    if (this.mode !== 'systems') return [];
    const limit = node.tech.limitChain?.[0]?.uri;
    return (answer.components[node.tech.key] ?? [])
      .filter((k) => !node.trail.includes(k) && this.shownInTree(k, answer, new Set(node.trail)))
      .map((k) => this.byKey.get(k)!)
      .map((t) => this.techNode(t, node.trail, t.current.uri === limit));
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: PortfolioNode): vscode.TreeItem {
    if (node.kind === 'level') {
      const name = node.level === undefined ? 'No level' : `TRL ${node.level}`;
      const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `level:${node.level ?? 'none'}`;
      item.description = `${node.level === undefined ? '' : `${this.levelNames.get(node.level) ?? ''} · `}${node.techs.length}`;
      item.contextValue = 'trlLevel';
      item.iconPath = new vscode.ThemeIcon('layers');
      return item;
    }
    const t = node.tech;
    const answer = this.latest.value!;
    const hasParts = this.mode === 'systems' && (answer.components[t.key]?.length ?? 0) > 0 && node.trail.length < 20;
    const item = new vscode.TreeItem(
      visibleText(nameOf(t)),
      hasParts
        ? node.trail.length === 1
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.trail.join('\u0000');
    const { errors, warnings } = problems(node.resourceUri);
    const parts = [levelText(t.level)];
    const limitedBy = t.limitedBy ? (this.byKey.get(t.limitedBy.id ?? '') ?? undefined) : undefined;
    if (t.limitedBy) parts.push(`held back by ${limitedBy ? nameOf(limitedBy) : (t.limitedBy.technology ?? t.limitedBy.id ?? 'a component')} (TRL ${t.limitedBy.level ?? '?'})`);
    else if (t.rolledUpLevel !== undefined && t.rolledUpLevel !== t.level) parts.push(`system TRL ${t.rolledUpLevel}`);
    if (node.limiting) parts.push('limiting');
    if (errors || warnings) parts.push([errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', '));
    item.description = visibleText(parts.join(' · '));
    item.tooltip = this.tooltip(t, answer.portfolio, errors, warnings);
    item.contextValue = t.limitedBy ? 'trlCard.heldBack' : 'trlCard';
    item.iconPath = errors
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : node.limiting
        ? new vscode.ThemeIcon('arrow-down', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon(answer.components[t.key] ? 'type-hierarchy' : 'beaker');
    item.command = { command: 'vscode.open', title: 'Open Card', arguments: [node.resourceUri] };
    return item;
  }

  /**
   * The tooltip, completed when shown with the server's verdict on the current card (the code
   * lens's: ready to graduate, or why not).
   */
  async resolveTreeItem(item: vscode.TreeItem, node: PortfolioNode): Promise<vscode.TreeItem> {
    if (node.kind !== 'tech' || !(item.tooltip instanceof vscode.MarkdownString)) return item;
    const verdict = await this.source.readiness(node.tech.current.uri);
    if (verdict) item.tooltip.appendMarkdown('Verdict: ').appendText(visibleText(verdictText(verdict))).appendMarkdown('  \n');
    return item;
  }

  private tooltip(t: PortfolioTechnology, p: Portfolio, errors: number, warnings: number): vscode.MarkdownString {
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(visibleText(nameOf(t))).appendMarkdown('**');
    if (t.current.id) md.appendText(visibleText(` (${t.current.id})`));
    md.appendMarkdown('\n\n');
    // Card text with its hidden characters shown (`⟨U+202E⟩`), as everywhere else.
    const line = (label: string, text: string) => md.appendMarkdown(`${label}: `).appendText(visibleText(text)).appendMarkdown('  \n');
    line('Level', `${levelText(t.level)}${t.level !== undefined && this.levelNames.has(t.level) ? ` — ${this.levelNames.get(t.level)}` : ''}`);
    if (t.rolledUpLevel !== undefined) line('System level', `TRL ${t.rolledUpLevel}`);
    if (t.limitedBy) line('Held back by', `${t.limitChain?.map((c) => c.technology ?? c.id ?? 'component').join(' → ') ?? ''} (TRL ${t.limitedBy.level ?? '?'})`);
    line('Owner', t.owner ?? 'not named');
    line('At this level', t.daysAtLevel === null ? 'unknown (no dated history)' : `${plural(t.daysAtLevel, 'day')}${t.since ? ` (since ${t.since})` : ''}`);
    if (t.path.length > 1) line('Path', t.path.join(' → ') + (t.cycles ? ` (${plural(t.cycles, 'cycle')})` : ''));
    for (const x of p.targets.filter((x) => x.technology === t.key)) line('Target', `TRL ${x.level} by ${x.by}: ${x.status.replace('-', ' ')}${x.expected ? ` (expected ${x.expected})` : ''}`);
    if (errors || warnings) line('Problems', `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    line('Cards', String(t.cards));
    return md;
  }

  /** The tooltip of the technology whose current card is `uri`, resolved as on hover (the tests read it). */
  async tooltipOf(uri: string): Promise<string | undefined> {
    const tech = [...this.byKey.values()].find((t) => t.current.uri === uri);
    if (!tech) return undefined;
    const node: PortfolioNode = { kind: 'tech', tech, resourceUri: vscode.Uri.parse(tech.current.uri), trail: [tech.key], limiting: false };
    const item = await this.resolveTreeItem(this.getTreeItem(node), node);
    return item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : undefined;
  }

  /** What the tree shows, expanded (the extension's tests read it). */
  items(): TreeItemInfo[] {
    const walk = (nodes: PortfolioNode[], depth: number): TreeItemInfo[] =>
      nodes.map((n) => {
        const item = this.getTreeItem(n);
        const info: TreeItemInfo = { label: String(typeof item.label === 'object' ? item.label.label : item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '' };
        if (n.kind === 'tech') info.uri = n.resourceUri.toString();
        const children = depth < 20 ? this.getChildren(n) : [];
        if (children.length) info.children = walk(children, depth + 1);
        return info;
      });
    return walk(this.getChildren(), 0);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
