/**
 * The card preview as HTML, from the render model (protocol/preview.ts): one function per part
 * of the page, so the webview re-renders only the parts (and risk rows, and blocks) whose data
 * changed, and the HTML export concatenates them all. Pure string functions: no DOM and no
 * Node APIs (this module is bundled into the webview too). Every string from the card goes
 * through `esc`; text renders as text; the only links are http(s) URLs and the cards the
 * workspace resolved.
 */
import { htmlEntities, linkify } from '../text/escape';
import { webUrl } from '../text/links';
import type { CardChanges, CardPreview, CardRef, Checklist, ChecklistItem, PreviewBlock, RequirementRow, RiskTable } from '../../../protocol/preview';

/** Any value as text for HTML content and (double- or single-quoted) attribute values: `htmlEntities`. */
export function esc(value: unknown): string {
  return htmlEntities(String(value));
}

/** How deep nested values are drawn; deeper ones are shown as their text. */
const MAX_DEPTH = 8;
/** How many characters of one string are drawn (the preview is for reading, not for megabytes). */
const MAX_TEXT = 20000;

const URL_IN_TEXT = /https?:\/\/[^\s"'<>`]+[^\s"'<>`.,;:!?)\]]/gi;

/** A string as text, its http(s) URLs as links. */
function textHtml(s: string): string {
  const t = s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s;
  return linkify(t, URL_IN_TEXT, esc, (url) => link(url, url));
}

function link(href: string, label: string): string {
  const url = webUrl(href);
  return url ? `<a href="${esc(url)}" data-href="${esc(url)}" class="external">${esc(label)}</a>` : esc(label);
}

/** Keys the card format abbreviates, as a reader says them. */
const LABELS: Record<string, string> = { rnd: 'R&D', tldr: 'TL;DR', p_failure: 'p(failure)', url: 'URL', id: 'Id' };

function label(key: string): string {
  return LABELS[key] ?? key.replace(/_/g, ' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function lineAttr(line: number | undefined): string {
  return line === undefined ? '' : ` data-line="${line}"`;
}

/** A plain value (what YAML gave) as HTML; `lines` gives the source line of paths below `path`. */
export function valueHtml(value: unknown, lines: Record<string, number> | undefined = undefined, path = '', depth = 0): string {
  if (value === null || value === undefined) return '<span class="empty">—</span>';
  if (typeof value === 'string') return value.trim() === '' ? '<span class="empty">—</span>' : `<span class="text">${textHtml(value)}</span>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `<span class="scalar">${esc(value)}</span>`;
  if (depth >= MAX_DEPTH) return `<span class="text">${esc(JSON.stringify(value).slice(0, MAX_TEXT))}</span>`;
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
// The parts of the page.

/** Title, version, id and TRL: the top of the paper's card. */
export function headHtml(m: CardPreview): string {
  const title = m.technology !== undefined ? esc(m.technology) : '<span class="empty">Untitled technology</span>';
  const version = m.cardVersion !== undefined ? ` <span class="version">v${esc(m.cardVersion.replace(/^v/i, ''))}</span>` : '';
  const id = m.id !== undefined ? `<span class="id">${esc(m.id)}</span>` : '';
  const trl = m.level !== null ? `TRL ${m.level}${m.levelName !== undefined ? ` — ${esc(m.levelName)}` : ''}` : 'No valid level';
  const rolled = m.rolledUpLevel !== undefined && m.rolledUpLevel !== null && m.level !== null && m.rolledUpLevel < m.level ? ` <span class="limited">(the system is at TRL ${m.rolledUpLevel}: see its components)</span>` : '';
  const entered = m.enteredAt > 0 ? ` <span class="entered">entered at TRL ${m.enteredAt}</span>` : '';
  return (
    `<h1 class="title" data-line="${m.titleLine}">${title}${version}</h1>` +
    `<div class="meta">${id}<span class="trl level-${m.level ?? 'none'}" data-line="${m.levelLine}">${trl}</span>${entered}${rolled}</div>`
  );
}

/** The ladder of levels 0–9, the card's level marked, and its history (cycles back marked). */
export function ladderHtml(m: CardPreview): string {
  const steps = m.ladder
    .map((s) => `<li class="step ${s.state}" title="${esc(s.paperName ? `${s.name} (the paper: ${s.paperName})` : s.name)}"><span class="n">${s.level}</span><span class="name">${esc(s.name)}</span></li>`)
    .join('');
  const history = m.history.length
    ? `<ol class="history">${m.history
        .map(
          (h) =>
            `<li class="${h.back ? 'back' : ''}" data-line="${h.line}">${h.back ? '<span class="badge back" title="The review sent the work back">↩ back</span> ' : ''}` +
            `<span class="h-level">${h.level !== null ? `TRL ${h.level}` : '?'}</span>${h.date !== undefined ? ` <span class="date">${esc(h.date)}</span>` : ''}` +
            `${h.decision !== undefined ? ` <span class="decision">${esc(h.decision)}</span>` : ''}${h.text !== undefined ? ` <span class="note">${textHtml(h.text)}</span>` : ''}</li>`,
        )
        .join('')}</ol>`
    : '';
  return `<h2>Levels</h2><ol class="ladder">${steps}</ol>${history ? `<h3>History</h3>${history}` : ''}`;
}

function checklistItemHtml(i: ChecklistItem): string {
  const quote = i.quote ? `<blockquote class="quote">${textHtml(i.quote.text)}<footer>${esc(i.quote.where || i.quote.source)}</footer></blockquote>` : '';
  return (
    `<li class="sev-${i.severity}" data-line="${i.line}"><span class="sev" title="${i.severity}">${i.severity}</span> ` +
    `<code class="field">${esc(i.field)}</code> <span class="why">(${esc(i.why)}, TRL ${i.level})</span> <span class="reason">${textHtml(i.reason)}</span>${quote}</li>`
  );
}

/** What the level still lacks, and what the next one adds: the graduation checklist. */
export function checklistHtml(c: Checklist): string {
  if (c.level === null) return '<h2>Graduation checklist</h2><p class="empty">The card has no valid level (0–9): the checklist needs one.</p>';
  const blocking = c.unmet.filter((u) => u.severity === 'error' || u.severity === 'warning');
  const status = c.ready
    ? c.nextLevel !== null
      ? `<p class="status ready">Nothing TRL ${c.level} requires is missing: ready to graduate to TRL ${c.nextLevel}.</p>`
      : `<p class="status ready">TRL ${c.level} is the last level.</p>`
    : blocking.length
      ? `<p class="status missing">${blocking.length} item${blocking.length === 1 ? '' : 's'} missing for TRL ${c.level}.</p>`
      : `<p class="status missing">Not ready to graduate.</p>`;
  const reasons = !c.ready && (c.reasons ?? []).length > (blocking.length ? 1 : 0) ? `<ul class="reasons">${c.reasons.slice(blocking.length ? 1 : 0).map((r) => `<li>${textHtml(r)}</li>`).join('')}</ul>` : '';
  const unmet = c.unmet.length ? `<h3>TRL ${c.level} still lacks</h3><ul class="checklist">${c.unmet.map(checklistItemHtml).join('')}</ul>` : '';
  const next = c.nextLevel !== null && c.next.length ? `<h3>TRL ${c.nextLevel} adds</h3><ul class="checklist next">${c.next.map(checklistItemHtml).join('')}</ul>` : '';
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
    `<td class="rid">${row.id !== undefined ? esc(row.id) : ''}${row.list === 'critical_scenarios' ? ' <span class="badge">scenario</span>' : ''}</td>` +
    `<td class="rtext">${row.text !== undefined ? textHtml(row.text) : ''}</td><td>${row.kind !== undefined ? esc(row.kind) : ''}</td><td>${row.status !== undefined ? esc(row.status) : ''}</td>` +
    `<td class="num">${num(row.pFailure)}</td><td class="num">${num(row.value)}</td><td class="num risk">${num(row.risk)}</td>` +
    `<td class="mitigation">${row.mitigation !== undefined ? textHtml(row.mitigation) : row.band === 'high' ? '<span class="unmitigated">none</span>' : ''}</td>`
  );
}

/** A risk row with its own `<tr>`, as the export writes it. */
export function riskRowElement(row: RequirementRow): string {
  return `<tr class="band-${row.band}" data-key="${esc(row.key)}" data-line="${row.line}">${riskRowHtml(row)}</tr>`;
}

/** The card's problems, by severity. */
export function problemsHtml(m: CardPreview): string {
  if (m.problems.length === 0) return '<h2>Problems</h2><p class="empty">No problems.</p>';
  const items = m.problems
    .map((p) => `<li class="sev-${p.severity}" data-line="${p.line}"><span class="sev">${p.severity}</span> <span class="pos">${p.line + 1}:${p.character + 1}</span> <code>${esc(p.code)}</code> ${esc(p.message)}</li>`)
    .join('');
  return `<h2>Problems <span class="count">${m.problems.length}</span></h2><ul class="problems">${items}</ul>`;
}

function refHtml(r: CardRef, exported: boolean): string {
  const name = r.technology !== undefined ? ` <span class="ref-name">${esc(r.technology)}</span>` : '';
  const level = r.level !== undefined && r.level !== null ? ` <span class="trl">TRL ${r.level}</span>` : '';
  const limiting = r.limiting ? ' <span class="badge limiting" title="This component holds the system back">limiting</span>' : '';
  // A workspace card opens in the editor (the webview asks the extension); an export has no editor.
  const target = r.uri
    ? exported
      ? `<span class="card-ref">${esc(r.written)}</span>`
      : `<a href="#" class="card-link" data-uri="${esc(r.uri)}">${esc(r.written)}</a>`
    : webUrl(r.written)
      ? link(r.written, r.written)
      : `<span class="unresolved" title="Not found in the workspace">${esc(r.written)}</span>`;
  return `<li data-line="${r.line}"${r.limiting ? ' class="limiting"' : ''}>${target}${name}${level}${limiting}</li>`;
}

/** `previous`, `components` and `coupled`: links to the cards they name. */
export function linksHtml(m: CardPreview, exported = false): string {
  const part = (title: string, refs: readonly CardRef[]) => (refs.length ? `<h3>${title}</h3><ul class="refs">${refs.map((r) => refHtml(r, exported)).join('')}</ul>` : '');
  const body = part('Components', m.components) + part('Previous cards', m.previous) + part('Coupled with', m.coupled);
  return body ? `<h2>Related cards</h2>${body}` : '';
}

function short(v: unknown): string {
  if (v === undefined) return '<span class="empty">—</span>';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return esc(s.length > 160 ? s.slice(0, 160) + '…' : s);
}

/** What changed since the previous card. */
export function changesHtml(c: CardChanges | null): string {
  if (!c) return '';
  const list = (title: string, cls: string, items: CardChanges['added']) =>
    items.length ? `<h3>${title}</h3><ul class="changes ${cls}">${items.map((f) => `<li${lineAttr(f.line)}><code>${esc(f.path)}</code>${cls === 'changed' ? `: ${short(f.before)} → ${short(f.after)}` : ''}</li>`).join('')}</ul>` : '';
  const reqs = c.requirements.length
    ? `<h3>Requirements</h3><ul class="changes reqs">${c.requirements
        .map((r) => {
          const risk = r.riskBefore !== undefined || r.riskAfter !== undefined ? ` <span class="risk-move">risk ${r.riskBefore !== undefined ? round(r.riskBefore) : '—'} → ${r.riskAfter !== undefined ? round(r.riskAfter) : '—'}</span>` : '';
          const fields = r.fields?.length ? ` (${r.fields.map(esc).join(', ')})` : '';
          const what = r.list === 'critical_scenarios' ? ' <span class="badge">scenario</span>' : '';
          const text = r.text !== undefined && r.text !== r.id ? ` <span class="rtext">${esc(r.text)}</span>` : '';
          return `<li class="${r.change}"${lineAttr(r.line)}><span class="badge ${r.change}">${r.change}</span>${what} <code>${esc(r.id)}</code>${text}${fields}${risk}</li>`;
        })
        .join('')}</ul>`
    : '';
  const omitted = c.omitted ? `<p class="empty">${c.omitted} more change${c.omitted === 1 ? '' : 's'} not shown.</p>` : '';
  const none = !c.added.length && !c.removed.length && !c.changed.length && !c.requirements.length ? '<p class="empty">Nothing changed.</p>' : '';
  const prev = c.previous.level !== null ? ` (TRL ${c.previous.level})` : '';
  return `<h2>Changes since <span class="prev">${esc(c.previous.written)}</span>${prev}</h2>${none}${list('Added', 'added', c.added)}${list('Changed', 'changed', c.changed)}${list('Removed', 'removed', c.removed)}${reqs}${omitted}`;
}

/** One block of the card face (its heading, its value). */
export function blockHtml(b: PreviewBlock): string {
  return `<h2>${esc(b.title)}</h2>${valueHtml(b.value, b.lines)}`;
}

export function blockElement(b: PreviewBlock): string {
  return `<section class="block" data-key="${esc(b.key)}" data-line="${b.line}" data-end-line="${b.endLine}">${blockHtml(b)}</section>`;
}

/** The whole page body, for the export (the webview builds the same parts one by one). */
export function bodyHtml(m: CardPreview): string {
  const links = linksHtml(m, true);
  return (
    `<header class="card-head">${headHtml(m)}</header>` +
    `<div class="columns"><main class="face">${m.blocks.map(blockElement).join('')}</main>` +
    `<aside class="review"><section class="part ladder-part">${ladderHtml(m)}</section>` +
    `<section class="part">${checklistHtml(m.checklist)}</section>` +
    (m.changes ? `<section class="part changes-part">${changesHtml(m.changes)}</section>` : '') +
    (links ? `<section class="part">${links}</section>` : '') +
    `<section class="part">${problemsHtml(m)}</section></aside></div>` +
    `<section class="part risks">${riskSummaryHtml(m.risks)}${m.risks.rows.length ? `<div class="table-wrap"><table class="risk-table"><thead>${RISK_HEAD}</thead><tbody>${m.risks.rows.map(riskRowElement).join('')}</tbody></table></div>` : ''}</section>`
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
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${esc(cssHash)}'; img-src data:">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${esc(title)}${m.level !== null ? ` — TRL ${m.level}` : ''}</title><style>${css}</style></head>` +
    `<body class="export">${bodyHtml(m)}<footer class="generated">Rendered by TRL Cards from ${esc(m.uri.replace(/^.*\//, ''))}.</footer></body></html>\n`
  );
}
