/**
 * The portfolio dashboard, inside its webview: draws the portfolio the extension posts — a
 * summary, the technologies, each chart (SVG drawn by the server with ECharts) beside the
 * table of its numbers, paths and cycles, bottleneck levels, targets and the highest risks.
 * Every text goes in through `textContent`; a chart's SVG is rebuilt element by element from
 * an allow-list of SVG tags and attributes (no script, no style, no link can come through).
 * Clicking a technology asks the extension to open its card. Knows the DOM only.
 */
import type { Portfolio, PortfolioTechnology, TargetStatus } from '../protocol/portfolio';
import type { ChartLink, PortfolioChart, PortfolioResponse } from '../protocol/portfolioMessages';
import type { DashboardHostMessage, DashboardMessage } from './portfolioMessages';
import { hiddenLabel, hiddenTitle, showHidden, visibleText } from '../server/src/text/escape';

interface VsCodeApi {
  postMessage(message: DashboardMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'defs', 'clipPath', 'title', 'desc']);
const SVG_ATTRS = new Set([
  'width', 'height', 'viewBox', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points', 'transform', 'id', 'class',
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset',
  'opacity', 'text-anchor', 'dominant-baseline', 'font-size', 'font-weight', 'pointer-events', 'clip-path',
  // A chart's marks (services/portfolioCharts.ts): which series and value they draw, checked below.
  'data-series', 'data-index', 'data-kind',
]);
/** The values the data attributes may take: numbers, and the kinds of mark. */
const DATA_VALUES: Record<string, RegExp> = { 'data-series': /^\d{1,4}$/, 'data-index': /^\d{1,6}$/, 'data-kind': /^(chart|line|legend)$/ };

/** An SVG element rebuilt from `source`: allowed tags and attributes only, text as text. */
function rebuild(source: Element): Element | undefined {
  if (!SVG_TAGS.has(source.localName) || source.namespaceURI !== SVG_NS) return undefined;
  const el = document.createElementNS(SVG_NS, source.localName);
  for (const name of source.getAttributeNames()) {
    if (!SVG_ATTRS.has(name)) continue;
    const value = source.getAttribute(name) ?? '';
    // A clip path names one of the chart's own elements; nothing else may be a URL.
    if (/url\(/i.test(value) && !(name === 'clip-path' && /^url\(#[\w-]+\)$/.test(value))) continue;
    if (DATA_VALUES[name] && !DATA_VALUES[name].test(value)) continue;
    el.setAttribute(name, value);
  }
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) el.appendChild(document.createTextNode(visibleText(child.textContent ?? '')));
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const c = rebuild(child as Element);
      if (c) el.appendChild(c);
    }
  }
  return el;
}

function svgOf(text: string): Element | undefined {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  if (parsed.getElementsByTagName('parsererror').length) return undefined;
  const svg = rebuild(parsed.documentElement);
  svg?.setAttribute('role', 'img');
  return svg;
}

/** Text with its hidden characters shown as chips (text/escape.ts `showHidden`), as text nodes and spans. */
function shown(text: string): Node {
  const out = document.createDocumentFragment();
  showHidden(
    text,
    (s) => (out.append(s), ''),
    (c) => {
      const chip = document.createElement('span');
      chip.className = 'hidden-char';
      chip.title = hiddenTitle(c);
      chip.textContent = hiddenLabel(c);
      out.append(chip);
      return '';
    },
  );
  return out;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, visibleText(v));
  for (const c of children) el.append(typeof c === 'string' ? shown(c) : c);
  return el;
}

/** A button that opens a card (the extension checks the URI is a workspace file). */
function cardLink(uri: string, text: string): HTMLElement {
  const b = h('button', { class: 'card-link', type: 'button', title: 'Open the card' }, text);
  b.dataset.uri = uri;
  return b;
}

type Cell = string | Node;
function table(head: string[], rows: Cell[][], caption?: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'none' }, 'None.');
  const t = h('table');
  if (caption) t.append(h('caption', {}, caption));
  t.append(h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))));
  t.append(h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))));
  return t;
}

const days = (n: number | null | undefined) => (n === null || n === undefined ? 'unknown' : `${Math.round(n)} d`);
const nameOf = (t: PortfolioTechnology) => t.current.technology ?? t.current.id ?? t.key;
const STATUS: Record<TargetStatus, string> = { 'reached': 'reached', 'overdue': 'overdue', 'at-risk': 'at risk', 'on-track': 'on track', 'unknown': 'no estimate' };
const STATUS_ORDER: TargetStatus[] = ['overdue', 'at-risk', 'unknown', 'on-track', 'reached'];

function section(id: string, title: string, ...body: Node[]): HTMLElement {
  return h('section', { id, class: 'part' }, h('h2', {}, title), ...body);
}

/** The cards of each chart's marks, by the chart's figure (what a click on a mark opens). */
const chartLinks = new WeakMap<Element, Record<string, ChartLink[]>>();

/**
 * A chart's marks made readable and usable: each mark's `<title>` becomes its tooltip text
 * (`data-tip`, shown by `showTip`; the `<title>` itself is dropped, so the browser does not show
 * a second one) and its accessible name; a mark that stands for cards can be focused and
 * clicked.
 */
function prepareMarks(svg: Element, links: Record<string, ChartLink[]> | undefined): void {
  for (const mark of Array.from(svg.querySelectorAll('[data-series]'))) {
    const title = Array.from(mark.children).find((c) => c.localName === 'title');
    const text = title?.textContent ?? '';
    title?.remove();
    if (text) {
      mark.setAttribute('data-tip', text);
      mark.setAttribute('aria-label', text);
    }
    if (linksOf(mark, links).length) {
      mark.setAttribute('tabindex', '0');
      mark.setAttribute('role', 'button');
      mark.classList.add('opens');
    }
  }
}

/** The cards a mark stands for: its own (a bar, a point), else its series' (a line, a legend entry). */
function linksOf(mark: Element, links: Record<string, ChartLink[]> | undefined): ChartLink[] {
  if (!links) return [];
  const series = mark.getAttribute('data-series');
  const index = mark.getAttribute('data-index');
  return (index !== null ? links[`${series}:${index}`] : undefined) ?? links[String(series)] ?? [];
}

function chartSection(c: PortfolioChart): HTMLElement {
  const svg = svgOf(c.svg);
  const figure = h('figure', { class: 'chart-figure', 'aria-label': c.title });
  if (svg) {
    prepareMarks(svg, c.links);
    if (c.links) chartLinks.set(figure, c.links);
  }
  if (svg) figure.append(svg);
  else figure.append(h('p', { class: 'none' }, 'The chart could not be drawn; its numbers are in the table.'));
  return h('section', { id: `chart-${c.name}`, class: 'part chart' }, h('h2', {}, c.title), h('div', { class: 'chart-row' }, figure, h('div', { class: 'table-wrap' }, table(c.table.head, c.table.rows))));
}

function summary(p: Portfolio): string {
  const s = p.summary;
  const t = s.targets;
  return `${s.technologies} technolog${s.technologies === 1 ? 'y' : 'ies'} on ${s.cards} card${s.cards === 1 ? '' : 's'} · ${s.undated} without dated history · ${s.heldBack} held back by a component · targets: ${t.overdue} overdue, ${t['at-risk']} at risk, ${t['on-track']} on track, ${t.reached} reached`;
}

function draw(data: PortfolioResponse): void {
  const start = performance.now();
  const p = data.portfolio;
  const byKey = new Map(p.technologies.map((t) => [t.key, t]));
  const techs = [...p.technologies].sort((a, b) => (b.level ?? -1) - (a.level ?? -1) || nameOf(a).localeCompare(nameOf(b)));
  const targetsOf = (key: string) => p.targets.filter((x) => x.technology === key);
  const page = h(
    'main',
    { id: 'dashboard' },
    h('header', {}, h('h1', {}, `TRL portfolio, ${p.today}`), h('p', { class: 'summary' }, summary(p)), ...(data.complete ? [] : [h('p', { class: 'notice', id: 'indexing' }, 'Indexing… the portfolio shows the cards indexed so far.')])),
    section(
      'technologies',
      'Technologies',
      h(
        'div',
        { class: 'table-wrap' },
        table(
          ['Technology', 'TRL', 'System TRL', 'Held back by', 'At this level', 'Path', 'Owner', 'Targets'],
          techs.map((t) => [
            cardLink(t.current.uri, nameOf(t)),
            t.level === undefined ? '–' : String(t.level),
            t.rolledUpLevel === undefined ? '' : String(t.rolledUpLevel),
            t.limitedBy ? cardLink(t.limitedBy.uri, `${byKey.get(t.limitedBy.id ?? '') ? nameOf(byKey.get(t.limitedBy.id ?? '')!) : (t.limitedBy.technology ?? t.limitedBy.id ?? 'component')} (TRL ${t.limitedBy.level ?? '?'})`) : '',
            t.since ? `${days(t.daysAtLevel)} (since ${t.since})` : 'unknown',
            t.path.join(' → ') + (t.cycles ? ` (${t.cycles} cycle${t.cycles === 1 ? '' : 's'})` : ''),
            t.owner ?? '',
            targetsOf(t.key).map((x) => `TRL ${x.level} by ${x.by} (${STATUS[x.status]})`).join('; '),
          ]),
        ),
      ),
    ),
    ...(data.charts ?? []).map(chartSection),
    section(
      'paths',
      'Paths and cycles',
      h('div', { class: 'chart-row' }, table(['Path', 'Technologies'], p.paths.map((x) => [x.path.join(' → '), String(x.count)]), 'Most frequent paths'), table(['Move', 'Direction', 'Count'], p.transitions.map((m) => [`${m.from} → ${m.to}`, m.to > m.from ? 'forward' : 'back', String(m.count)]), 'Moves between levels')),
      table(['Technology', 'Cycles', 'Path'], techs.filter((t) => t.cycles > 0).map((t) => [cardLink(t.current.uri, nameOf(t)), String(t.cycles), t.path.join(' → ')]), 'Technologies that fell back and came up again'),
    ),
    section('bottlenecks', 'Bottleneck levels', table(['TRL', 'Name', 'Median days', 'Technologies timed'], p.bottlenecks.map((b) => [String(b.level), p.levels.find((l) => l.level === b.level)?.name ?? '', days(b.median), String(b.n)]), 'Levels with the longest median time (completed stays)')),
    section(
      'targets',
      'Targets',
      table(
        ['Technology', 'Target', 'By', 'Status', 'Expected (medians)'],
        [...p.targets]
          .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.by.localeCompare(b.by))
          .map((x) => [cardLink(x.card.uri, byKey.get(x.technology) ? nameOf(byKey.get(x.technology)!) : x.technology), `TRL ${x.level}`, x.by, h('span', { class: `status status-${x.status}` }, STATUS[x.status]), x.expected ?? '–']),
      ),
    ),
    section('risks', 'Highest risks', table(['Risk', 'Technology', 'What', 'Mitigated'], p.risks.map((r) => [String(r.risk), cardLink(r.card.uri, r.card.technology ?? r.card.id ?? 'card'), `${r.kind === 'scenario' ? 'Scenario: ' : ''}${r.what}`, r.mitigated ? 'yes' : 'no']))),
  );
  document.getElementById('dashboard')?.remove();
  document.body.append(page);
  vscode.postMessage({
    type: 'rendered',
    charts: page.querySelectorAll('figure > svg').length,
    tables: page.querySelectorAll('table').length,
    rows: page.querySelectorAll('tbody > tr').length,
    technologies: page.querySelectorAll('#technologies tbody > tr').length,
    complete: data.complete,
    ms: performance.now() - start,
  });
}

window.addEventListener('message', (event: MessageEvent<DashboardHostMessage>) => {
  const m = event.data;
  if (m && m.type === 'portfolio') draw(m.data);
});

/** Opens the cards of a chart's mark: one at once, several through a pick. */
function openMark(mark: Element): boolean {
  const figure = mark.closest('figure.chart-figure');
  const cards = linksOf(mark, figure ? chartLinks.get(figure) : undefined);
  if (cards.length === 1) vscode.postMessage({ type: 'openCard', uri: cards[0].uri });
  else if (cards.length > 1) vscode.postMessage({ type: 'pickCard', title: mark.getAttribute('data-tip') ?? '', cards });
  return cards.length > 0;
}

document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const b = target?.closest?.('button.card-link') as HTMLElement | null;
  if (b?.dataset.uri) {
    vscode.postMessage({ type: 'openCard', uri: b.dataset.uri });
    return;
  }
  const mark = target?.closest?.('figure.chart-figure [data-series]');
  if (mark) openMark(mark);
});

document.addEventListener('keydown', (event) => {
  const mark = (event.target as Element | null)?.closest?.('figure.chart-figure [data-series]');
  if (mark && (event.key === 'Enter' || event.key === ' ') && openMark(mark)) event.preventDefault();
});

/**
 * The charts' tooltip: one element outside the dashboard (which is redrawn whole), showing the
 * values of the mark under the pointer or with the focus, placed beside it through the CSSOM
 * (the CSP allows no inline style attribute in markup; a script may still set a position).
 */
const tip = h('div', { id: 'chart-tip', role: 'tooltip', class: 'chart-tip', hidden: '' });
document.body.append(tip);

function showTip(mark: Element | null, x?: number, y?: number): void {
  const text = mark?.getAttribute('data-tip');
  if (!mark || !text) {
    tip.hidden = true;
    return;
  }
  tip.textContent = text;
  tip.hidden = false;
  const box = mark.getBoundingClientRect();
  const left = x ?? box.left + box.width / 2;
  const top = y ?? box.top;
  const width = tip.offsetWidth;
  tip.style.left = `${Math.max(4, Math.min(window.innerWidth - width - 4, left + 12)) + window.scrollX}px`;
  tip.style.top = `${Math.max(4, top - tip.offsetHeight - 8) + window.scrollY}px`;
}

document.addEventListener('pointermove', (event) => {
  const mark = (event.target as Element | null)?.closest?.('figure.chart-figure [data-tip]') ?? null;
  showTip(mark, event.clientX, event.clientY);
});
document.addEventListener('focusin', (event) => showTip((event.target as Element | null)?.closest?.('figure.chart-figure [data-tip]') ?? null));
document.addEventListener('focusout', () => showTip(null));

document.body.append(h('p', { id: 'loading', class: 'notice' }, 'Loading the portfolio…'));
window.addEventListener('message', () => document.getElementById('loading')?.remove(), { once: true });
vscode.postMessage({ type: 'ready' });
