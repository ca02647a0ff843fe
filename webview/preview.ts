/**
 * The card preview, inside the webview: draws the render model the extension posts, and
 * re-draws only what changed — a part of the page whose data is the same keeps its DOM, a risk
 * row or a card block is matched by its key and re-drawn only when its own data changed (a
 * 1,000-requirement card does not rebuild its table per keystroke). Knows the DOM only: the
 * model comes from the language server through the extension; clicks go back as messages.
 */
import { PREVIEW_MODEL_VERSION, type CardPreview, type PreviewBlock, type RequirementRow } from '../protocol/preview';
import { blockElement, changesHtml, checklistHtml, esc, FACE_KEYS, faceHeadHtml, headHtml, ladderHtml, ownersInFace, problemsHtml, RISK_HEAD, riskRowHtml, riskSummaryHtml, verdictHtml } from '../server/src/render/html';
import type { HostMessage, PreviewState, WebviewMessage } from './messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PreviewState | undefined;
  setState(state: PreviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: PreviewState = vscode.getState() ?? { uri: document.body.dataset.uri ?? '', locked: document.body.dataset.locked === 'true', showChanges: false, scrollY: 0 };

// The same elements as the export's page (render/html.ts `bodyHtml`), drawn part by part.
const SKELETON =
  '<div class="toolbar" id="toolbar"><span id="lock-state"></span><label id="changes-toggle" class="hidden"><input type="checkbox" id="show-changes"> Mark the blocks that changed</label><span id="notice" class="notice"></span></div>' +
  '<div class="page">' +
  '<header class="verdict-head"><div id="head"></div><div id="verdict" class="verdict"></div></header>' +
  '<aside class="review"><section class="part" id="checklist"></section><section class="part" id="problems"></section>' +
  '<section class="part changes-part hidden" id="changes"></section><section class="part ladder-part" id="ladder"></section></aside>' +
  `<section class="part risks" id="risks"><div id="risk-summary"></div><div class="table-wrap" id="risk-wrap"><table class="risk-table"><thead>${RISK_HEAD}</thead><tbody id="risk-rows"></tbody></table></div></section>` +
  '<main class="face"><div class="face-card"><div id="face-head" class="face-rows"></div><div id="face-blocks" class="face-rows"></div></div><div id="blocks" class="rest"></div></main>' +
  '</div>';
document.body.innerHTML = SKELETON;

function byId(id: string): HTMLElement {
  return document.getElementById(id)!;
}

let current: CardPreview | undefined;
let pendingScroll = state.scrollY;
/** The data each part was last drawn from (JSON), by part id: a part is re-drawn only when it differs. */
const partSigs = new Map<string, string>();
/** The rows and blocks on the page, by key, with the data they were drawn from. */
const rows = new Map<string, { el: HTMLTableRowElement; sig: string }>();
const blocks = new Map<string, { el: HTMLElement; sig: string }>();

const template = document.createElement('template');
function element<T extends Element>(html: string): T {
  template.innerHTML = html;
  return template.content.firstElementChild as T;
}

/** Draws one part when its data changed; returns whether it did. */
function part(id: string, data: unknown, html: () => string): boolean {
  const sig = JSON.stringify(data);
  if (partSigs.get(id) === sig) return false;
  partSigs.set(id, sig);
  byId(id).innerHTML = html();
  return true;
}

/** Puts `wanted` in `parent` in this order, moving only what is out of place. */
function order(parent: HTMLElement, wanted: readonly Element[]): void {
  let at = parent.firstElementChild;
  for (const el of wanted) {
    if (el !== at) parent.insertBefore(el, at);
    else at = at.nextElementSibling;
  }
  while (at) {
    const next = at.nextElementSibling;
    at.remove();
    at = next;
  }
}

function rowSig(r: RequirementRow): string {
  const { line: _l, endLine: _e, index: _i, ...rest } = r;
  return JSON.stringify(rest);
}

function drawRows(list: readonly RequirementRow[]): number {
  let drawn = 0;
  const seen = new Set<string>();
  const wanted: HTMLTableRowElement[] = [];
  for (const r of list) {
    seen.add(r.key);
    const sig = rowSig(r);
    let known = rows.get(r.key);
    if (!known || known.sig !== sig) {
      const el = known?.el ?? document.createElement('tr');
      el.className = `band-${r.band}`;
      el.dataset.key = r.key;
      el.innerHTML = riskRowHtml(r);
      known = { el, sig };
      rows.set(r.key, known);
      drawn++;
    }
    known.el.dataset.line = String(r.line);
    known.el.dataset.endLine = String(r.endLine);
    wanted.push(known.el);
  }
  for (const key of [...rows.keys()]) if (!seen.has(key)) rows.delete(key);
  order(byId('risk-rows'), wanted);
  byId('risk-wrap').classList.toggle('hidden', list.length === 0);
  return drawn;
}

function blockSig(b: PreviewBlock): string {
  return JSON.stringify([b.title, b.value, b.lines]);
}

function drawBlocks(list: readonly PreviewBlock[]): number {
  let drawn = 0;
  const seen = new Set<string>();
  const face: HTMLElement[] = [];
  const rest: HTMLElement[] = [];
  for (const b of list) {
    // The owners are the face's owner rows (drawn with its head), when shaped as the card format's.
    if (ownersInFace(b)) continue;
    seen.add(b.key);
    const sig = blockSig(b);
    let known = blocks.get(b.key);
    if (!known || known.sig !== sig) {
      const el = element<HTMLElement>(blockElement(b));
      if (known) known.el.replaceWith(el);
      known = { el, sig };
      blocks.set(b.key, known);
      drawn++;
    }
    known.el.dataset.line = String(b.line);
    known.el.dataset.endLine = String(b.endLine);
    (FACE_KEYS.has(b.key) ? face : rest).push(known.el);
  }
  for (const key of [...blocks.keys()]) if (!seen.has(key)) blocks.delete(key);
  order(byId('face-blocks'), face);
  order(byId('blocks'), rest);
  return drawn;
}

/** Marks the blocks the previous card did not have, or had otherwise (with the toggle on). */
function markChanges(): void {
  const c = current?.changes;
  byId('changes').classList.toggle('hidden', !c);
  const on = !!c && state.showChanges;
  const added = new Set(on ? c!.added.map((f) => f.path.split('.')[0]) : []);
  const changed = new Set(on ? c!.changed.map((f) => f.path.split('.')[0]) : []);
  for (const [key, { el }] of blocks) {
    el.classList.toggle('added-block', added.has(key) && !changed.has(key));
    el.classList.toggle('changed-block', changed.has(key));
  }
}

function draw(model: CardPreview): void {
  const start = performance.now();
  let parts = 0;
  if (part('head', [model.technology, model.cardVersion, model.id, model.level, model.levelName, model.enteredAt, model.rolledUpLevel, model.titleLine, model.levelLine], () => headHtml(model))) parts++;
  const { rows: list, ...summary } = model.risks;
  const counts = model.problems.map((p) => p.severity).join();
  if (part('verdict', [model.checklist.level, model.checklist.ready, model.checklist.reasons, model.checklist.nextLevel, model.checklist.unmet, counts, summary, list.length, list.filter((r) => r.risk !== undefined).length, !!model.changes], () => verdictHtml(model))) parts++;
  if (part('face-head', [model.technology, model.cardVersion, model.id, model.level, model.levelName, model.titleLine, model.levelLine, model.previous, model.components, model.coupled, model.blocks.find(ownersInFace) ?? null], () => faceHeadHtml(model))) parts++;
  if (part('ladder', [model.ladder, model.history], () => ladderHtml(model))) parts++;
  if (part('checklist', model.checklist, () => checklistHtml(model.checklist))) parts++;
  if (part('changes', [model.changes, model.previous], () => changesHtml(model.changes, model.previous))) parts++;
  if (part('problems', model.problems, () => problemsHtml(model))) parts++;
  if (part('risk-summary', [summary, list.length, list.filter((r) => r.risk !== undefined).length], () => riskSummaryHtml(model.risks))) parts++;
  const rowsDrawn = drawRows(list);
  const blocksDrawn = drawBlocks(model.blocks);
  byId('changes-toggle').classList.toggle('hidden', !model.changes);
  (byId('show-changes') as HTMLInputElement).checked = state.showChanges;
  markChanges();
  document.title = model.technology ?? 'TRL card';
  // After a reload, back where the reader was (once the page is as long as it was).
  if (pendingScroll) {
    window.scrollTo(0, pendingScroll);
    pendingScroll = 0;
  }
  const ms = performance.now() - start;
  performance.mark('trl-preview-drawn', { detail: { ms } });
  // The page's layout, which the browser does before its next paint anyway: done now, to say what it costs.
  void document.body.offsetHeight;
  const layoutMs = performance.now() - start - ms;
  const info = {
    type: 'rendered' as const,
    layoutMs,
    uri: model.uri,
    version: model.version,
    ms,
    parts,
    rowsDrawn,
    blocksDrawn,
    title: byId('head').querySelector('h1')?.textContent ?? '',
    level: byId('head').querySelector('.trl')?.textContent ?? '',
    rows: byId('risk-rows').children.length,
    changes: byId('changes').querySelectorAll('li').length,
    verdict: byId('verdict').querySelector('.status')?.textContent ?? '',
  };
  // Reported once the page is painted: the frame's callbacks run before its paint, and a task
  // queued from them runs after it (what the keystroke-to-paint measure ends on).
  const drawn = ++drawCount;
  pendingInfo.set(drawn, info);
  requestAnimationFrame(() => paintChannel.port2.postMessage(drawn));
  // A page that paints no frame (hidden) still reports what it drew.
  setTimeout(() => report(drawn), 500);
}

function report(drawn: number): void {
  const info = pendingInfo.get(drawn);
  pendingInfo.delete(drawn);
  if (info) vscode.postMessage(info);
}

let drawCount = 0;
const pendingInfo = new Map<number, Extract<WebviewMessage, { type: 'rendered' }>>();
const paintChannel = new MessageChannel();
paintChannel.port1.onmessage = (event: MessageEvent<number>) => report(event.data);

function showLock(): void {
  byId('lock-state').textContent = state.locked ? '🔒 Locked to this card' : 'Following the active card';
}

function save(): void {
  vscode.setState(state);
}

/** The innermost element drawn from the source line `line`. */
function elementAt(line: number): HTMLElement | undefined {
  let best: HTMLElement | undefined;
  let bestSpan = Infinity;
  for (const el of document.querySelectorAll<HTMLElement>('[data-line]')) {
    const from = Number(el.dataset.line);
    const to = el.dataset.endLine !== undefined ? Number(el.dataset.endLine) : from;
    if (from <= line && line <= to && to - from < bestSpan) {
      best = el;
      bestSpan = to - from;
    }
  }
  return best;
}

let highlighted: HTMLElement | undefined;
function highlight(line: number): void {
  highlighted?.classList.remove('highlight');
  highlighted = elementAt(line);
  if (!highlighted) return;
  highlighted.classList.add('highlight');
  const r = highlighted.getBoundingClientRect();
  if (r.bottom < 0 || r.top > window.innerHeight) highlighted.scrollIntoView({ block: 'center' });
}

/** Scroll sync by block: the card block (or risk row) the editor's top line is in goes to the top. */
function scrollToLine(line: number): void {
  let target: HTMLElement | undefined;
  for (const el of document.querySelectorAll<HTMLElement>('#face-blocks > .block, #blocks > .block, #risk-rows > tr')) {
    const from = Number(el.dataset.line);
    const to = Number(el.dataset.endLine ?? from);
    if (from <= line && line <= to) {
      target = el;
      break;
    }
  }
  if (!target) return;
  const toolbar = byId('toolbar').getBoundingClientRect().height;
  window.scrollTo({ top: window.scrollY + target.getBoundingClientRect().top - toolbar - 4 });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'model') {
    const model = m.model;
    if (model.modelVersion !== PREVIEW_MODEL_VERSION) {
      byId('notice').textContent = 'This preview needs a newer TRL Cards: reload the window.';
      return;
    }
    // Never an older version of the same card after a newer one.
    if (current && current.uri === model.uri && current.version !== null && model.version !== null && model.version < current.version) return;
    if (current && current.uri !== model.uri) {
      window.scrollTo(0, 0);
      state.scrollY = 0;
    }
    current = model;
    state.uri = model.uri;
    draw(model);
    save();
  } else if (m.type === 'highlight') highlight(m.line);
  else if (m.type === 'scrollTo') scrollToLine(m.line);
  else if (m.type === 'locked') {
    state.locked = m.locked;
    showLock();
    save();
  }
});

document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement | null;
  const a = target?.closest('a');
  if (a) {
    event.preventDefault();
    const hash = a.getAttribute('href') ?? '';
    if (a.classList.contains('card-link') && a.dataset.uri) vscode.postMessage({ type: 'openCard', uri: a.dataset.uri });
    else if (a.dataset.href) vscode.postMessage({ type: 'openLink', href: a.dataset.href });
    else if (/^#[\w-]+$/.test(hash)) jumpTo(hash.slice(1));
    return;
  }
  // Unfolding a long value, choosing the card to compare with: not a click on the card's lines.
  if (target?.closest('label, input, select, summary, .toolbar')) return;
  const el = target?.closest<HTMLElement>('[data-line]');
  if (el) vscode.postMessage({ type: 'reveal', line: Number(el.dataset.line) });
});

/** Brings one of the page's parts (a jump link of the verdict) to the top, under the toolbar. */
function jumpTo(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  const toolbar = byId('toolbar').getBoundingClientRect().height;
  window.scrollTo({ top: window.scrollY + el.getBoundingClientRect().top - toolbar - 4 });
}

document.addEventListener('change', (event) => {
  const select = event.target as HTMLSelectElement | null;
  if (select?.id === 'compare-with') vscode.postMessage({ type: 'compareWith', written: select.value });
});

byId('show-changes').addEventListener('change', (event) => {
  state.showChanges = (event.target as HTMLInputElement).checked;
  markChanges();
  save();
});

let scrollTimer: number | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = window.setTimeout(() => {
    state.scrollY = window.scrollY;
    save();
  }, 100);
});

showLock();
byId('blocks').innerHTML = `<p class="empty">Loading ${esc(state.uri.replace(/^.*\//, ''))}…</p>`;
vscode.postMessage({ type: 'ready' });
