/**
 * The card preview as HTML, from the render model (protocol/preview.ts): one function per part
 * of the page, so the webview re-renders only the parts (and risk rows, and blocks) whose data
 * changed, and the HTML export concatenates them all. Pure string functions: no DOM and no
 * Node APIs (this module is bundled into the webview too).
 *
 * The page reads as a review: the verdict first (`verdictHtml`: the level, ready or what is
 * missing, the problems by severity, the risks, links to the parts), the reviewer's parts
 * (checklist, problems, changes, ladder), the risk table, then the card face as Figure 2 of the
 * paper lays it out (`faceHeadHtml` and the face blocks: a compact two-column card) and the rest
 * of the card. Every string from the card goes through `esc` (element content: hidden
 * characters as chips, text/escape.ts `hiddenHtml`) or `attr` (attribute values); text renders
 * as text; the only links are http(s) URLs, the cards the workspace resolved and the page's own
 * parts. A word longer than `LONG_WORD` scrolls in its own box, so no table is ever narrower
 * than its words and no word is split.
 */
import { hiddenHtml, htmlEntities, linkify, visibleText } from '../text/escape';
import { webUrl } from '../text/links';
import { FOLD_AT, valueText, wordDiff, wordy } from './wordDiff';
import type { CardChanges, CardPreview, CardRef, Checklist, ChecklistItem, FieldValueChange, ItemChange, PreviewBlock, RequirementChange, RequirementRow, RiskTable, ValueChange } from '../../../protocol/preview';

/** Any value as HTML element content: entities, and each hidden character as a chip. */
export function esc(value: unknown): string {
  return hiddenHtml(String(value));
}

/** Any value for a (double- or single-quoted) attribute: entities, hidden characters as `⟨U+202E⟩`. */
export function attr(value: unknown): string {
  return htmlEntities(visibleText(String(value)));
}

/** How deep nested values are drawn; deeper ones are shown as their text. */
const MAX_DEPTH = 8;
/** How many characters of one string are drawn (the preview is for reading, not for megabytes). */
const MAX_TEXT = 20000;
/** A word longer than this scrolls in a box of its own (`.long-word`) rather than widen its column or break. */
const LONG_WORD = 48;

const URL_IN_TEXT = /https?:\/\/[^\s"'<>`]+[^\s"'<>`.,;:!?)\]]/gi;

/** Text whose words longer than `LONG_WORD` each scroll in a box (a hostile 10,000-character word cannot widen the page). */
function words(s: string): string {
  if (s.length <= LONG_WORD) return esc(s);
  return s
    .split(/(\s+)/)
    .map((w) => (w.length > LONG_WORD && !/\s/.test(w[0]) ? `<span class="long-word" title="${attr(w.length > 200 ? w.slice(0, 200) + '…' : w)}">${esc(w)}</span>` : esc(w)))
    .join('');
}

/** A string as text, its http(s) URLs as links. */
function textHtml(s: string): string {
  const t = s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s;
  return linkify(t, URL_IN_TEXT, words, (url) => link(url, url));
}

/** Our own text that quotes a card (a reason, a problem's message): text only, never a link (a quoted URL may be cut). */
function quotedHtml(s: string): string {
  return words(s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s);
}

/** A URL as a link's text: a line may break after each `/` (and before `?`, `&`, `#`), never inside a word. */
function urlLabel(url: string): string {
  return url
    .split(/(?<=[^/]\/)(?!\/)|(?=[?&#])/)
    .map(words)
    .join('<wbr>');
}

function link(href: string, label: string): string {
  const url = webUrl(href);
  return url ? `<a href="${attr(url)}" data-href="${attr(url)}" class="external">${label === href ? urlLabel(label) : esc(label)}</a>` : words(label);
}

/** Keys the card format abbreviates, as a reader says them. */
const LABELS: Record<string, string> = { rnd: 'R&D', tldr: 'TL;DR', p_failure: 'p(failure)', url: 'URL', id: 'Id' };

function label(key: string): string {
  return LABELS[key] ?? key.replace(/_/g, ' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const isScalar = (v: unknown) => v === null || v === undefined || typeof v !== 'object';

function lineAttr(line: number | undefined): string {
  return line === undefined ? '' : ` data-line="${line}"`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A table of a list of flat maps (the metrics): a column per key, in the order they come. */
function tableHtml(list: readonly Record<string, unknown>[], lines: Record<string, number> | undefined, path: string, depth: number): string {
  const columns = [...new Set(list.flatMap((x) => Object.keys(x)))];
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  const head = `<tr>${columns.map((c) => `<th>${esc(label(c).replace(/^./, (x) => x.toUpperCase()))}</th>`).join('')}</tr>`;
  const body = list
    .map((x, i) => `<tr${lineAttr(lines?.[at(i)])}>${columns.map((c) => `<td${typeof x[c] === 'number' ? ' class="num"' : ''}>${Object.prototype.hasOwnProperty.call(x, c) ? valueHtml(x[c], lines, at(`${i}.${c}`), depth + 2) : ''}</td>`).join('')}</tr>`)
    .join('');
  return `<div class="table-wrap"><table class="values"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

/** A plain value (what YAML gave) as HTML; `lines` gives the source line of paths below `path`. */
export function valueHtml(value: unknown, lines: Record<string, number> | undefined = undefined, path = '', depth = 0): string {
  if (value === null || value === undefined) return '<span class="empty">—</span>';
  if (typeof value === 'string') return value.trim() === '' ? '<span class="empty">—</span>' : `<span class="text">${textHtml(value)}</span>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `<span class="scalar">${esc(value)}</span>`;
  if (depth >= MAX_DEPTH) return `<span class="text">${words(JSON.stringify(value).slice(0, MAX_TEXT))}</span>`;
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="empty">none</span>';
    const items = value.map((v, i) => `<li${lineAttr(lines?.[at(i)])}>${valueHtml(v, lines, at(i), depth + 1)}</li>`).join('');
    return `<ul class="list">${items}</ul>`;
  }
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '<span class="empty">—</span>';
    const rows = keys.map((k) => `<dt${lineAttr(lines?.[at(k)])}>${esc(label(k))}</dt><dd>${valueHtml(value[k], lines, at(k), depth + 1)}</dd>`).join('');
    return `<dl class="fields">${rows}</dl>`;
  }
  return esc(String(value));
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

// ---------------------------------------------------------------------------------------------
// The verdict: what a reviewer reads first.

/** Title, version, id and TRL. */
export function headHtml(m: CardPreview): string {
  const title = m.technology !== undefined ? words(m.technology) : '<span class="empty">Untitled technology</span>';
  const version = m.cardVersion !== undefined ? ` <span class="version">v${esc(m.cardVersion.replace(/^v/i, ''))}</span>` : '';
  const id = m.id !== undefined ? `<span class="id">${words(m.id)}</span>` : '';
  const trl = m.level !== null ? `TRL ${m.level}${m.levelName !== undefined ? ` — ${esc(m.levelName)}` : ''}` : 'No valid level';
  const rolled = m.rolledUpLevel !== undefined && m.rolledUpLevel !== null && m.level !== null && m.rolledUpLevel < m.level ? ` <span class="limited">(the system is at TRL ${m.rolledUpLevel}: see its components)</span>` : '';
  const entered = m.enteredAt > 0 ? ` <span class="entered">entered at TRL ${m.enteredAt}</span>` : '';
  return (
    `<h1 class="title" data-line="${m.titleLine}">${title}${version}</h1>` +
    `<div class="meta">${id}<span class="trl level-${m.level ?? 'none'}" data-line="${m.levelLine}">${trl}</span>${entered}${rolled}</div>`
  );
}

/** The problems by severity, as one line: `2 errors, 1 warning, 0 information`. */
export function problemCounts(m: Pick<CardPreview, 'problems'>): { error: number; warning: number; information: number; hint: number } {
  const n = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const p of m.problems) n[p.severity]++;
  return n;
}

/** The risk table's summary as words (the verdict's and the risk part's). */
export function riskWords(r: RiskTable): string {
  if (r.rows.length === 0) return 'no requirements or critical scenarios';
  return (
    `Risk total ${round(r.total)} (${riskRowsCounted(r)})${r.highest !== undefined ? `, highest ${round(r.highest)}` : ''}; ` +
    `${r.aboveThreshold} at or above the mitigation threshold ${round(r.threshold)}${r.unmitigated ? `, ${r.unmitigated} without a mitigation` : ''}`
  );
}

/**
 * What the risk total counts, as the code lens and the hover say it (rules/requirements.ts
 * `riskCounted`): the rows with a risk, requirements and critical scenarios named.
 */
export function riskRowsCounted(r: RiskTable): string {
  const rated = r.rows.filter((x) => x.risk !== undefined);
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  const scenarios = rated.filter((x) => x.list === 'critical_scenarios').length;
  return `${n(rated.length - scenarios, 'requirement')} + ${n(scenarios, 'critical scenario')}`;
}

/** What the verdict says, as text: ready, or how many items are missing and the first of them. Shared by the exports. */
export function verdictWords(c: Checklist): { ready: boolean | null; line: string; first?: ChecklistItem; reasons: string[] } {
  if (c.level === null) return { ready: null, line: 'No verdict: the card has no valid level (0–9).', reasons: [] };
  if (c.ready) return { ready: true, line: c.nextLevel !== null ? `Ready to graduate to TRL ${c.nextLevel}.` : `At TRL ${c.level}, the last level.`, reasons: [] };
  const blocking = c.unmet.filter((u) => u.severity === 'error' || u.severity === 'warning');
  // The first reason says how many items are missing when some are: the line says it instead.
  const reasons = (c.reasons ?? []).slice(blocking.length && /missing/.test(c.reasons?.[0] ?? '') ? 1 : 0);
  if (blocking.length) return { ready: false, line: `Not ready: ${plural(blocking.length, 'item')} missing for TRL ${c.level}.`, first: blocking[0], reasons };
  return { ready: false, line: `Not ready to graduate.`, reasons };
}

/**
 * The verdict, under the title: ready to graduate (or how many items are missing, the first of
 * them, and the other reasons), the problems by severity, the risks, and links to the parts.
 */
export function verdictHtml(m: CardPreview): string {
  const v = verdictWords(m.checklist);
  const mark = v.ready === true ? '✓' : v.ready === false ? '✗' : '?';
  const cls = v.ready === true ? 'ready' : v.ready === false ? 'missing' : 'none';
  const first = v.first
    ? ` <span class="first" data-line="${v.first.line}">First: <code class="field">${esc(v.first.field)}</code> <span class="why">(${esc(v.first.why)})</span> ${textHtml(v.first.reason)}</span>`
    : '';
  const reasons = v.reasons.length ? `<ul class="reasons">${v.reasons.map((r) => `<li>${quotedHtml(r)}</li>`).join('')}</ul>` : '';
  const n = problemCounts(m);
  const counts = (['error', 'warning', 'information', 'hint'] as const)
    .filter((s) => s !== 'hint' || n.hint > 0)
    .map((s) => `<span class="count-${s}${n[s] ? '' : ' zero'}">${plural(n[s], s === 'information' ? 'information' : s, s === 'information' ? 'information' : `${s}s`)}</span>`)
    .join(', ');
  const jump = [['checklist', 'Checklist'], ['problems', 'Problems'], ['risks', 'Risks'], ...(m.changes ? [['changes', 'Changes']] : []), ['ladder', 'Ladder']]
    .map(([id, name]) => `<a href="#${id}" class="jump-link">${name}</a>`)
    .join(' · ');
  return (
    `<p class="status ${cls}"><span class="mark" aria-hidden="true">${mark}</span> <b>${esc(v.line)}</b>${first}</p>${reasons}` +
    `<p class="summary-line"><span class="label">Problems</span> ${counts}</p>` +
    `<p class="summary-line"><span class="label">Risks</span> ${esc(riskWords(m.risks))}</p>` +
    `<nav class="jump" aria-label="Parts of the review">${jump}</nav>`
  );
}

// ---------------------------------------------------------------------------------------------
// The card face: Figure 2 of the paper.

/** The blocks of the card face that are rows of the Figure 2 card; the others follow below it. */
export const FACE_KEYS: ReadonlySet<string> = new Set(['tldr', 'data', 'sim_to_real', 'ethics', 'model', 'metrics', 'caveats', 'assumptions', 'intended_use']);

function peopleHtml(v: unknown, lines: Record<string, number> | undefined, path: string): string {
  if (v === undefined) return '<span class="empty">—</span>';
  if (Array.isArray(v)) return v.length ? v.map((x, i) => `<span${lineAttr(lines?.[`${path}.${i}`])}>${isScalar(x) ? words(valueText(x)) : valueHtml(x)}</span>`).join(', ') : '<span class="empty">none</span>';
  return isScalar(v) ? words(valueText(v)) : valueHtml(v);
}

/** Owner / reviewers rows of the face, as the figure has them, when `owners` is shaped as the card format's. */
function ownerRows(owners: PreviewBlock | undefined): string[] {
  if (!owners || !isRecord(owners.value)) return [];
  const o = owners.value;
  const row = (name: string, side: Record<string, unknown>, path: string) => {
    const at = (k: string) => (path ? `${path}.${k}` : k);
    const line = owners.lines?.[path || 'owner'] ?? owners.line;
    return faceRow(name, `${peopleHtml(side.owner, owners.lines, at('owner'))} <span class="sep">/</span> ${peopleHtml(side.reviewers, owners.lines, at('reviewers'))}`, line);
  };
  const rows: string[] = [];
  if (o.owner !== undefined || o.reviewers !== undefined) rows.push(row('Owner / reviewers', o, ''));
  if (isRecord(o.rnd)) rows.push(row('R&D owner / reviewer', o.rnd, 'rnd'));
  if (isRecord(o.product)) rows.push(row('Prod owner / reviewer', o.product, 'product'));
  return rows;
}

/** Whether the owners block is drawn as the face's owner rows (else it is a block of its own). */
export function ownersInFace(b: PreviewBlock): boolean {
  return b.key === 'owners' && isRecord(b.value) && Object.keys(b.value).every((k) => ['owner', 'reviewers', 'rnd', 'product'].includes(k)) && [b.value.rnd, b.value.product].every((s) => s === undefined || isRecord(s));
}

function faceRow(name: string, value: string, line: number | undefined, cls = ''): string {
  return `<div class="face-row${cls ? ` ${cls}` : ''}"${lineAttr(line)}><div class="face-label">${esc(name)}</div><div class="face-value">${value}</div></div>`;
}

/**
 * The top rows of the Figure 2 card: the technology and its version, the TRL with the previous
 * cards beside it, the owners and reviewers, the component codes (with their levels, the
 * limiting one marked) and the coupled components.
 */
export function faceHeadHtml(m: CardPreview, exported = false): string {
  const rows: string[] = [];
  const name = m.technology !== undefined ? words(m.technology) : '<span class="empty">Untitled technology</span>';
  const version = m.cardVersion !== undefined ? ` <span class="version">v${esc(m.cardVersion.replace(/^v/i, ''))}</span>` : '';
  const id = m.id !== undefined ? ` <span class="id">(${words(m.id)})</span>` : '';
  rows.push(faceRow('Technology name', `<b>${name}</b>${version}${id}`, m.titleLine));
  const level = m.level !== null ? `<b>${m.level}</b>${m.levelName !== undefined ? ` <span class="level-name">${esc(m.levelName)}</span>` : ''}` : '<span class="empty">no valid level</span>';
  const previous = m.previous.length ? `<ul class="refs inline">${m.previous.map((r) => refHtml(r, exported, true)).join('')}</ul>` : '';
  rows.push(faceRow('TRL', `${level}${previous ? ` <span class="beside">previous cards:</span> ${previous}` : ''}`, m.levelLine));
  rows.push(...ownerRows(m.blocks.find(ownersInFace)));
  if (m.components.length) rows.push(faceRow('Component codes', `<ul class="refs inline">${m.components.map((r) => refHtml(r, exported)).join('')}</ul>`, m.components[0].line));
  if (m.coupled.length) rows.push(faceRow('Coupled components', `<ul class="refs inline">${m.coupled.map((r) => refHtml(r, exported)).join('')}</ul>`, m.coupled[0].line));
  return rows.join('');
}

/** One block: a row of the Figure 2 card, or a section of the rest of the card. */
export function blockHtml(b: PreviewBlock): string {
  if (FACE_KEYS.has(b.key)) {
    const value = b.key === 'metrics' && Array.isArray(b.value) && b.value.length && b.value.every((x) => isRecord(x) && Object.values(x).every(isScalar)) ? tableHtml(b.value as Record<string, unknown>[], b.lines, '', 0) : valueHtml(b.value, b.lines);
    return `<h2 class="face-label">${esc(b.title)}</h2><div class="face-value">${value}</div>`;
  }
  return `<h2>${esc(b.title)}</h2>${valueHtml(b.value, b.lines)}`;
}

export function blockElement(b: PreviewBlock): string {
  return `<section class="block${FACE_KEYS.has(b.key) ? ' face-row' : ''}" data-key="${attr(b.key)}" data-line="${b.line}" data-end-line="${b.endLine}">${blockHtml(b)}</section>`;
}

// ---------------------------------------------------------------------------------------------
// The reviewer's parts.

/** The ladder of levels 0–9, the card's level marked, and its history (cycles back marked). */
export function ladderHtml(m: CardPreview): string {
  const steps = m.ladder
    .map((s) => `<li class="step ${s.state}" title="${attr(s.paperName ? `${s.name} (the paper: ${s.paperName})` : s.name)}"><span class="n">${s.level}</span><span class="name">${esc(s.name)}</span></li>`)
    .join('');
  const history = m.history.length
    ? `<ol class="history">${m.history
        .map(
          (h) =>
            `<li class="${h.back ? 'back' : ''}" data-line="${h.line}">${h.back ? '<span class="badge back" title="The review sent the work back">↩ back</span> ' : ''}` +
            `<span class="h-level">${h.level !== null ? `TRL ${h.level}` : '?'}</span>${h.date !== undefined ? ` <span class="date">${esc(h.date)}</span>` : ''}` +
            `${h.decision !== undefined ? ` <span class="decision">${words(h.decision)}</span>` : ''}${h.text !== undefined ? ` <span class="note">${textHtml(h.text)}</span>` : ''}</li>`,
        )
        .join('')}</ol>`
    : '';
  return `<h2>Levels</h2><ol class="ladder">${steps}</ol>${history ? `<h3>History</h3>${history}` : ''}`;
}

function quoteHtml(i: ChecklistItem): string {
  return i.quote ? `<blockquote class="quote">${textHtml(i.quote.text)}<footer>${esc(i.quote.where || i.quote.source)}</footer></blockquote>` : '';
}

function checklistItemHtml(i: ChecklistItem): string {
  return (
    `<li class="sev-${i.severity}" data-line="${i.line}"><span class="sev" title="${i.severity}">${i.severity}</span> ` +
    `<code class="field">${esc(i.field)}</code> <span class="why">(${esc(i.why)}, TRL ${i.level})</span> <span class="reason">${textHtml(i.reason)}</span>${quoteHtml(i)}</li>`
  );
}

/** What the next level will ask: a plan, not a problem (no severity badge; it says how firmly the level asks it). */
function planItemHtml(i: ChecklistItem): string {
  const how = i.severity === 'error' ? 'required' : i.severity === 'warning' ? 'expected' : 'suggested';
  return (
    `<li class="plan" data-line="${i.line}"><span class="todo" aria-hidden="true">☐</span> ` +
    `<code class="field">${esc(i.field)}</code> <span class="why">(${how} at TRL ${i.level})</span> <span class="reason">${textHtml(i.reason)}</span>${quoteHtml(i)}</li>`
  );
}

/** What the level still lacks, and what the next one adds: the graduation checklist. */
export function checklistHtml(c: Checklist): string {
  if (c.level === null) return '<h2>Graduation checklist</h2><p class="empty">The card has no valid level (0–9): the checklist needs one.</p>';
  const v = verdictWords(c);
  const status = `<p class="status ${c.ready ? 'ready' : 'missing'}">${esc(v.line)}</p>`;
  const reasons = v.reasons.length ? `<ul class="reasons">${v.reasons.map((r) => `<li>${quotedHtml(r)}</li>`).join('')}</ul>` : '';
  const unmet = c.unmet.length ? `<h3>TRL ${c.level} still lacks</h3><ul class="checklist">${c.unmet.map(checklistItemHtml).join('')}</ul>` : '';
  const next = c.nextLevel !== null && c.next.length ? `<h3>Plan for TRL ${c.nextLevel}</h3><p class="hint">What the next level will ask; nothing is wrong yet.</p><ul class="checklist next">${c.next.map(planItemHtml).join('')}</ul>` : '';
  return `<h2>Graduation checklist</h2>${status}${reasons}${unmet}${next}`;
}

/** The summary line of the risk table. */
export function riskSummaryHtml(r: RiskTable): string {
  if (r.rows.length === 0) return '<h2>Requirements and risks</h2><p class="empty">No requirements or critical scenarios.</p>';
  const rated = r.rows.filter((x) => x.risk !== undefined).length;
  return (
    `<h2>Requirements and risks</h2><p class="risk-summary">${r.rows.length} row${r.rows.length === 1 ? '' : 's'}, ${rated} with a risk; ` +
    `total <b>${round(r.total)}</b>${r.highest !== undefined ? `, highest <b>${round(r.highest)}</b>` : ''}; ` +
    `<b>${r.aboveThreshold}</b> at or above the mitigation threshold ${round(r.threshold)}${r.unmitigated ? `, <b class="unmitigated">${r.unmitigated} without a mitigation</b>` : ''}.</p>`
  );
}

/** The risk table's head row. */
export const RISK_HEAD = '<tr><th>Id</th><th>Requirement or scenario</th><th>Kind</th><th>Status</th><th title="p(failure)">p</th><th title="value">v</th><th>Risk</th><th>Mitigation</th></tr>';

/** One row of the risk table (its `data-line` is set apart, so a row keeps its HTML when lines move). */
export function riskRowHtml(row: RequirementRow): string {
  const num = (x: number | undefined) => (x === undefined ? '' : esc(round(x)));
  return (
    `<td class="rid">${row.id !== undefined ? words(row.id) : ''}${row.list === 'critical_scenarios' ? ' <span class="badge">scenario</span>' : ''}</td>` +
    `<td class="rtext">${row.text !== undefined ? textHtml(row.text) : ''}</td><td class="kind" data-label="Kind">${row.kind !== undefined ? words(row.kind) : ''}</td><td class="status" data-label="Status">${row.status !== undefined ? words(row.status) : ''}</td>` +
    `<td class="num" data-label="p">${num(row.pFailure)}</td><td class="num" data-label="v">${num(row.value)}</td><td class="num risk" data-label="Risk">${num(row.risk)}</td>` +
    `<td class="mitigation" data-label="Mitigation">${row.mitigation !== undefined ? textHtml(row.mitigation) : row.band === 'high' ? '<span class="unmitigated">none</span>' : ''}</td>`
  );
}

/** A risk row with its own `<tr>`, as the export writes it. */
export function riskRowElement(row: RequirementRow): string {
  return `<tr class="band-${row.band}" data-key="${attr(row.key)}" data-line="${row.line}">${riskRowHtml(row)}</tr>`;
}

/** The card's problems, by severity. */
export function problemsHtml(m: CardPreview): string {
  if (m.problems.length === 0) return '<h2>Problems</h2><p class="empty">No problems.</p>';
  const items = m.problems
    .map((p) => `<li class="sev-${p.severity}" data-line="${p.line}"><span class="sev">${p.severity}</span> <span class="pos">${p.line + 1}:${p.character + 1}</span> <code>${esc(p.code)}</code> ${quotedHtml(p.message)}</li>`)
    .join('');
  return `<h2>Problems <span class="count">${m.problems.length}</span></h2><ul class="problems">${items}</ul>`;
}

function refHtml(r: CardRef, exported: boolean, compact = false): string {
  const name = r.technology !== undefined && !compact ? ` <span class="ref-name">${words(r.technology)}</span>` : '';
  const level = r.level !== undefined && r.level !== null ? (compact ? ` <span class="trl">(TRL ${r.level})</span>` : ` <span class="trl">TRL ${r.level}</span>`) : '';
  const limiting = r.limiting ? ' <span class="badge limiting" title="This component holds the system back">limiting</span>' : '';
  // A workspace card opens in the editor (the webview asks the extension); an export has no editor.
  const target = r.uri
    ? exported
      ? `<span class="card-ref">${words(r.written)}</span>`
      : `<a href="#" class="card-link" data-uri="${attr(r.uri)}">${words(r.written)}</a>`
    : webUrl(r.written)
      ? link(r.written, r.written)
      : `<span class="unresolved" title="Not found in the workspace">${words(r.written)}</span>`;
  return `<li data-line="${r.line}"${r.limiting ? ' class="limiting"' : ''}>${target}${name}${level}${limiting}</li>`;
}

/** `previous`, `components` and `coupled`: links to the cards they name (the face shows them beside the TRL). */
export function linksHtml(m: CardPreview, exported = false): string {
  const part = (title: string, refs: readonly CardRef[]) => (refs.length ? `<h3>${title}</h3><ul class="refs">${refs.map((r) => refHtml(r, exported)).join('')}</ul>` : '');
  const body = part('Components', m.components) + part('Previous cards', m.previous) + part('Coupled with', m.coupled);
  return body ? `<h2>Related cards</h2>${body}` : '';
}

// ---------------------------------------------------------------------------------------------
// What changed since the previous card.

/** A value as one line of plain text, for a folded value's summary: a map's entries and a list's items side by side. */
function summaryText(v: unknown, depth = 0): string {
  if (isScalar(v)) return valueText(v);
  if (depth > 2) return '…';
  if (Array.isArray(v)) return v.map((x) => summaryText(x, depth + 1)).join(' · ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${label(k)}: ${summaryText(x, depth + 1)}`)
    .join(' · ');
}

/** The first `n` characters of a text, cut at a space. */
function head(text: string, n: number): string {
  return text.length <= n ? text : text.slice(0, n).replace(/\s+\S*$/, '') + ' …';
}

/** A value shown whole, folded (a `<details>`, opened by a click) when long; `summary` is what shows while folded. */
function folded(inner: string, length: number, summary: string): string {
  if (length <= FOLD_AT) return inner;
  return `<details class="fold"><summary>${summary} <span class="more">(${length.toLocaleString('en')} characters: show all)</span></summary>${inner}</details>`;
}

/** A value added or removed alone: text marked as inserted or deleted, a structure in a marked box. */
function wholeValue(v: unknown, kind: 'ins' | 'del'): string {
  const text = summaryText(v);
  if (isScalar(v)) return `<${kind} class="whole">${folded(typeof v === 'string' ? textHtml(v) : esc(valueText(v)), text.length, words(head(text, 120)))}</${kind}>`;
  return `<div class="whole ${kind === 'ins' ? 'added' : 'removed'}">${folded(valueHtml(v), text.length, words(head(text, 120)))}</div>`;
}

function plainValue(v: unknown): string {
  return isScalar(v) ? (typeof v === 'string' ? textHtml(v) : esc(valueText(v))) : valueHtml(v);
}

/** The runs of a word diff around its first change, with a little context: a long diff's summary. */
function firstChange(runs: readonly { op: number; text: string }[]): string {
  const at = runs.findIndex((r) => r.op !== 0);
  const before = at > 0 ? runs[at - 1].text : '';
  const context = before.length > 60 ? '… ' + before.slice(before.length - 60).replace(/^\S*\s/, '') : before;
  const out = [words(context)];
  let i = at;
  for (; i < runs.length && runs[i].op !== 0; i++) out.push(`<${runs[i].op < 0 ? 'del' : 'ins'}>${words(head(runs[i].text, 80))}</${runs[i].op < 0 ? 'del' : 'ins'}>`);
  if (i < runs.length) out.push(words(head(runs[i].text, 40)));
  const more = runs.slice(i).filter((r, k, all) => r.op !== 0 && (k === 0 || all[k - 1].op === 0)).length;
  return `${out.join('')}${more ? ` <span class="more-changes">(and ${more} more change${more === 1 ? '' : 's'})</span>` : ''}`;
}

/** A value before and after: a word diff of two texts, else the two values with an arrow; a value added or removed alone. */
export function valueChangeHtml(c: ValueChange): string {
  const had = c.before !== undefined;
  const has = c.after !== undefined;
  if (!had) return wholeValue(c.after, 'ins');
  if (!has) return wholeValue(c.before, 'del');
  if (wordy(c.before, c.after)) {
    const runs = wordDiff(c.before, c.after as string);
    const length = Math.max(c.before.length, (c.after as string).length);
    if (runs) {
      const inner = `<span class="diff">${runs.map((r) => (r.op === 0 ? textHtml(r.text) : r.op < 0 ? `<del>${textHtml(r.text)}</del>` : `<ins>${textHtml(r.text)}</ins>`)).join('')}</span>`;
      return folded(inner, length, `<span class="diff">${firstChange(runs)}</span>`);
    }
    return folded(`<del class="whole">${textHtml(c.before)}</del> <ins class="whole">${textHtml(c.after as string)}</ins>`, length, words(head(c.after as string, 120)));
  }
  const side = (v: unknown) => folded(plainValue(v), summaryText(v).length, words(head(summaryText(v), 120)));
  return `<span class="before">${side(c.before)}</span> <span class="arrow">→</span> <span class="after">${side(c.after)}</span>`;
}

function fieldValuesHtml(fields: readonly FieldValueChange[]): string {
  return `<dl class="field-changes">${fields.map((f) => `<dt><code>${esc(f.field)}</code></dt><dd>${valueChangeHtml(f)}</dd>`).join('')}</dl>`;
}

function itemChangeHtml(i: ItemChange): string {
  const body = i.fields ? fieldValuesHtml(i.fields) : valueChangeHtml(i);
  return `<li class="${attr(i.change)}"${lineAttr(i.line)}><span class="badge ${attr(i.change)}">${esc(i.change)}</span> <span class="item-label">${words(i.label)}</span> ${body}</li>`;
}

function requirementChangeHtml(r: RequirementChange): string {
  const risk = r.riskBefore !== undefined || r.riskAfter !== undefined
    ? ` <span class="risk-move">${r.change === 'added' ? `risk ${round(r.riskAfter!)}` : r.change === 'removed' ? `risk was ${round(r.riskBefore!)}` : `risk ${r.riskBefore !== undefined ? round(r.riskBefore) : '—'} → ${r.riskAfter !== undefined ? round(r.riskAfter) : '—'}`}</span>`
    : '';
  const what = r.list === 'critical_scenarios' ? ' <span class="badge">scenario</span>' : '';
  const id = r.id !== undefined ? ` <code>${esc(r.id)}</code>` : '';
  const text = r.text !== undefined ? ` <span class="rtext">${r.change === 'removed' ? wholeValue(r.text, 'del') : folded(textHtml(r.text), r.text.length, words(head(r.text, 120)))}</span>` : '';
  const fields = r.fields?.length ? fieldValuesHtml(r.fields) : '';
  return `<li class="${attr(r.change)}"${lineAttr(r.line)}><span class="badge ${attr(r.change)}">${esc(r.change)}</span>${what}${id}${text}${risk}${fields}</li>`;
}

function countWords(c: CardChanges): string {
  const reqs = c.requirements;
  const by = (k: RequirementChange['change']) => reqs.filter((r) => r.change === k).length;
  const parts = [`${plural(c.added.length, 'field')} added`, `${c.changed.length} changed`, `${c.removed.length} removed`];
  const items = reqs.length ? `; ${plural(reqs.length, 'requirement or scenario', 'requirements and scenarios')}: ${by('added')} added, ${by('changed')} changed, ${by('removed')} removed` : '';
  return `${parts.join(', ')}${items}.`;
}

/**
 * What changed since the previous card: each value whole (folded when long) with a word diff,
 * lists item by item, requirement rows with their fields' values and the risk when it moved.
 * `choices`: the previous cards the reviewer may compare with (a select in the preview).
 */
export function changesHtml(c: CardChanges | null, choices: readonly CardRef[] = []): string {
  if (!c) return '';
  const fieldItem = (f: CardChanges['added'][number], kind: 'added' | 'changed' | 'removed') => {
    const body = f.items ? `<ul class="items">${f.items.map(itemChangeHtml).join('')}</ul>` : valueChangeHtml(kind === 'added' ? { after: f.after } : kind === 'removed' ? { before: f.before } : f);
    return `<li${lineAttr(f.line)}><code class="path">${esc(f.path)}</code> ${body}</li>`;
  };
  const list = (title: string, kind: 'added' | 'changed' | 'removed', items: CardChanges['added']) =>
    items.length ? `<h3>${title}</h3><ul class="changes ${kind}">${items.map((f) => fieldItem(f, kind)).join('')}</ul>` : '';
  const reqs = c.requirements.length ? `<h3>Requirements and scenarios</h3><ul class="changes reqs">${c.requirements.map(requirementChangeHtml).join('')}</ul>` : '';
  const omitted = c.omitted ? `<p class="empty">${c.omitted} more change${c.omitted === 1 ? '' : 's'} not shown.</p>` : '';
  const none = !c.added.length && !c.removed.length && !c.changed.length && !c.requirements.length ? '<p class="empty">Nothing changed.</p>' : '';
  const prev = c.previous.level !== null ? ` (TRL ${c.previous.level})` : '';
  const options = choices.filter((r) => r.uri);
  const select =
    options.length > 1
      ? `<label class="compare">Compare with <select id="compare-with">${options.map((r) => `<option value="${attr(r.written)}"${r.written === c.previous.written ? ' selected' : ''}>${esc(r.written)}${r.level !== undefined && r.level !== null ? ` (TRL ${r.level})` : ''}</option>`).join('')}</select></label>`
      : '';
  return (
    `<h2>Changes since <span class="prev">${words(c.previous.written)}</span>${prev}</h2>${select}` +
    `${none ? '' : `<p class="change-count">${countWords(c)}</p>`}${none}${list('Changed', 'changed', c.changed)}${list('Added', 'added', c.added)}${list('Removed', 'removed', c.removed)}${reqs}${omitted}`
  );
}

// ---------------------------------------------------------------------------------------------
// The page.

/** The whole page body, for the export (the webview builds the same parts one by one, in the same elements). */
export function bodyHtml(m: CardPreview): string {
  const face = m.blocks.filter((b) => FACE_KEYS.has(b.key));
  const rest = m.blocks.filter((b) => !FACE_KEYS.has(b.key) && !ownersInFace(b));
  return (
    `<div class="page">` +
    `<header class="verdict-head"><div id="head">${headHtml(m)}</div><div id="verdict" class="verdict">${verdictHtml(m)}</div></header>` +
    `<aside class="review">` +
    `<section class="part" id="checklist">${checklistHtml(m.checklist)}</section>` +
    `<section class="part" id="problems">${problemsHtml(m)}</section>` +
    (m.changes ? `<section class="part changes-part" id="changes">${changesHtml(m.changes)}</section>` : '') +
    `<section class="part ladder-part" id="ladder">${ladderHtml(m)}</section></aside>` +
    `<section class="part risks" id="risks">${riskSummaryHtml(m.risks)}${m.risks.rows.length ? `<div class="table-wrap"><table class="risk-table"><thead>${RISK_HEAD}</thead><tbody>${m.risks.rows.map(riskRowElement).join('')}</tbody></table></div>` : ''}</section>` +
    `<main class="face"><div class="face-card"><div id="face-head" class="face-rows">${faceHeadHtml(m, true)}</div><div id="face-blocks" class="face-rows">${face.map(blockElement).join('')}</div></div>` +
    `<div id="blocks" class="rest">${rest.map(blockElement).join('')}</div></main>` +
    `</div>`
  );
}

/**
 * The card as one self-contained HTML file: inline CSS, no scripts, and a CSP that forbids
 * everything but that one stylesheet (by its hash, computed by the caller).
 */
export function exportHtml(m: CardPreview, css: string, cssHash: string): string {
  const title = m.technology ?? 'TRL card';
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${attr(cssHash)}'; img-src data:">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${attr(title)}${m.level !== null ? ` — TRL ${m.level}` : ''}</title><style>${css}</style></head>` +
    `<body class="export">${bodyHtml(m)}<footer class="generated">Rendered by TRL Cards from ${esc(m.uri.replace(/^.*\//, ''))}.</footer></body></html>\n`
  );
}
