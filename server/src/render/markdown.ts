/**
 * The card as Markdown, from the render model (protocol/preview.ts), in the spirit of the
 * authors' published card template (ai-infrastructure-alliance/mltrl `mltrl_card.md` and its
 * example cards): a title, a "Summary info | Content, links" table (tech name and project id,
 * current level, owners, reviewers, project, requirements, code and ethics links, components),
 * the **TL;DR**, then one section per block of the card face, then what a reviewer checks: the
 * graduation checklist, the problems, the risk table, the changes since the previous card and
 * the levels. The verdict comes first, under the title (`verdictMd`). For "Export Card as
 * Markdown" and `trl-cards render --format md` (with `--review`, the pull-request view: the
 * verdict, the checklist, the problems and the changes, without the card).
 *
 * A pure string function; every string from the card goes through `markdownText` (text/escape.ts):
 * it renders as text in any Markdown renderer, raw HTML included, escaped only where Markdown
 * would act on it, its hidden characters shown as `⟨U+202E⟩`; the only links are http(s) URLs,
 * relative card paths (`markdownLink`) and the document's own headings; the only HTML written
 * is `<br>`.
 */
import type { CardChanges, CardPreview, CardRef, Checklist, ChecklistItem, FieldValueChange, HistoryStep, ItemChange, LadderStep, PreviewBlock, PreviewProblem, RequirementChange, RiskTable, ValueChange } from '../../../protocol/preview';
import { codeSpan, linkify, markdownCell, markdownLink, markdownText, plainText, truncate } from '../text/escape';
import { problemCounts, riskRowsCounted, riskWords, verdictWords } from './html';
import { wordDiff, wordy } from './wordDiff';

/** A code span in a table cell: a `|` would end the cell even inside the span, so it is escaped (GFM drops the backslash). */
const cellCode = (s: string) => codeSpan(s).replace(/\|/g, '\\|');

/** How many characters of one string are written (the export is for reading, not for megabytes). */
const MAX_TEXT = 20000;
/** How deep nested values are drawn; deeper ones are written as their text. */
const MAX_DEPTH = 6;
/** Columns of a table made from a list of maps; wider lists are written as bullets. */
const MAX_COLUMNS = 8;

const URL_IN_TEXT = /https?:\/\/[^\s"'<>`\\]+[^\s"'<>`\\.,;:!?)\]]/gi;

/** Keys the card format abbreviates, as a reader says them (as the HTML preview labels them). */
const LABELS: Record<string, string> = { rnd: 'R&D', tldr: 'TL;DR', p_failure: 'p(failure)', url: 'URL', id: 'Id' };

function label(key: string): string {
  const l = LABELS[key] ?? key.replace(/_/g, ' ');
  return l.charAt(0).toUpperCase() + l.slice(1);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const isScalar = (v: unknown) => v === null || v === undefined || typeof v !== 'object' || v instanceof Date;

/** A string as escaped Markdown, its http(s) URLs as links. */
export function text(s: string): string {
  return linkify(truncate(s, MAX_TEXT), URL_IN_TEXT, markdownText, (url) => markdownLink(url, url));
}

/** As `text`, for a string inside a line (never at the start of a block: a diff's runs). */
function textIn(s: string): string {
  return linkify(truncate(s, MAX_TEXT), URL_IN_TEXT, markdownCell, (url) => markdownLink(url, url));
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v.trim() === '' ? '—' : text(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '—' : markdownText(v.toISOString().replace(/T00:00:00\.000Z$/, ''));
  return markdownText(plainText(v));
}

/** A value on one line (a table cell or a list item): lists and maps joined with `<br>`. */
export function inline(v: unknown, depth = 0): string {
  if (isScalar(v)) return scalar(v);
  if (depth >= MAX_DEPTH) return markdownText(truncate(plainText(v), MAX_TEXT));
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map((x) => `• ${inline(x, depth + 1)}`).join('<br>');
  const keys = Object.keys(v as object);
  if (keys.length === 0) return '—';
  return keys.map((k) => `**${markdownText(label(k))}:** ${inline((v as Record<string, unknown>)[k], depth + 1)}`).join('<br>');
}

function table(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('left' | 'right')[]): string {
  const sep = head.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(head), line(sep), ...rows.map(line)].join('\n');
}

/** A block's value: text as paragraphs, a map as a two-column table, a list of flat maps as a table, other lists as bullets. */
export function blockValue(v: unknown, depth = 0): string {
  if (isScalar(v)) return scalar(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '_None._';
    const columns = [...new Set(v.flatMap((x) => (isRecord(x) ? Object.keys(x) : [])))];
    const flat = v.every((x) => isRecord(x) && Object.values(x).every((y) => isScalar(y) || (Array.isArray(y) && y.every(isScalar))));
    if (flat && columns.length <= MAX_COLUMNS) {
      return table(
        columns.map((c) => markdownText(label(c))),
        v.map((x) => columns.map((c) => (Object.prototype.hasOwnProperty.call(x, c) ? inline((x as Record<string, unknown>)[c]) : ''))),
      );
    }
    return v.map((x) => `- ${inline(x)}`).join('\n');
  }
  const map = v as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.length === 0) return '—';
  // Short values in one Field | Value table; a list of maps (data.datasets) or a map of maps gets a sub-heading of its own.
  const own = (x: unknown) => (Array.isArray(x) && x.some(isRecord)) || (isRecord(x) && Object.values(x).some((y) => !isScalar(y)));
  const short = keys.filter((k) => !own(map[k]));
  const parts = short.length ? [table(['Field', 'Value'], short.map((k) => [markdownText(label(k)), inline(map[k])]))] : [];
  for (const k of keys) if (own(map[k])) parts.push(`### ${markdownText(label(k))}\n\n${depth < 1 ? blockValue(map[k], depth + 1) : inline(map[k])}`);
  return parts.join('\n\n');
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------
// The parts of the card.

function refMd(r: CardRef): string {
  const target = markdownLink(r.written, r.written);
  const about = [r.technology !== undefined ? markdownText(r.technology) : '', r.level !== undefined && r.level !== null ? `TRL ${r.level}` : '', r.limiting ? '**limiting**' : ''].filter(Boolean);
  const ref = about.length ? `${target} (${about.join(', ')})` : target;
  return ref;
}

/** Owners and reviewers: one row each, or by side (R&D, product), as the card writes them. */
function people(owners: unknown): { owners: string; reviewers: string } | undefined {
  if (!isRecord(owners)) return undefined;
  const names = (v: unknown) => (Array.isArray(v) ? v.map((x) => inline(x)).join(', ') : v === undefined ? '' : inline(v));
  const own: string[] = [];
  const rev: string[] = [];
  const side = (title: string, s: unknown) => {
    if (!isRecord(s)) return;
    if (s.owner !== undefined) own.push(`${title}${names(s.owner)}`);
    if (s.reviewers !== undefined) rev.push(`${title}${names(s.reviewers)}`);
  };
  side('', owners);
  for (const k of Object.keys(owners)) if (k !== 'owner' && k !== 'reviewers') side(`${markdownText(label(k))}: `, owners[k]);
  return { owners: own.join('<br>'), reviewers: rev.join('<br>') };
}

function blockOf(m: CardPreview, key: string): PreviewBlock | undefined {
  return m.blocks.find((b) => b.key === key);
}

/** The title and the authors' "Summary info" table. */
export function summaryMd(m: CardPreview): string {
  const title = m.technology !== undefined && m.technology.trim() !== '' ? markdownText(m.technology) : 'Untitled technology';
  const version = m.cardVersion !== undefined ? ` v${markdownText(m.cardVersion.replace(/^v/i, ''))}` : '';
  const id = m.id !== undefined ? ` (${markdownText(m.id)})` : '';
  const rows: string[][] = [];
  rows.push(['Tech name (project ID)', `${title}${id}`]);
  if (m.cardVersion !== undefined) rows.push(['Version', markdownText(m.cardVersion)]);
  const level = m.level !== null ? `TRL ${m.level}${m.levelName !== undefined ? ` — ${markdownText(m.levelName)}` : ''}` : 'No valid level (0–9)';
  const previous = m.previous.length ? `<br>Previous cards: ${m.previous.map(refMd).join(', ')}` : '';
  rows.push(['Current level', level + (m.enteredAt > 0 ? ` (entered at TRL ${m.enteredAt})` : '') + previous]);
  if (m.rolledUpLevel !== undefined && m.rolledUpLevel !== null && m.level !== null && m.rolledUpLevel < m.level) rows.push(['System level', `TRL ${m.rolledUpLevel}: held back by a component (see Components)`]);
  const who = people(blockOf(m, 'owners')?.value);
  if (who?.owners) rows.push(['Owner(s)', who.owners]);
  if (who?.reviewers) rows.push(['Reviewer(s)', who.reviewers]);
  const links = blockOf(m, 'links')?.value;
  const link = (k: string) => (isRecord(links) && typeof links[k] === 'string' ? markdownLink(links[k] as string, links[k] as string) : undefined);
  const add = (name: string, ...cells: (string | undefined)[]) => {
    const present = cells.filter((c): c is string => c !== undefined);
    if (present.length) rows.push([name, present.join('<br>')]);
  };
  add('Main project page', link('project'));
  add("Req's, V&V docs", link('requirements'));
  add('Code repo & docs', link('code'), link('docs'));
  const ethics = blockOf(m, 'ethics')?.value;
  if (isRecord(ethics) || link('ethics_checklist')) {
    const status = isRecord(ethics) && ethics.status !== undefined ? inline(ethics.status) : undefined;
    const checklist = isRecord(ethics) && typeof ethics.checklist === 'string' ? markdownLink(ethics.checklist, ethics.checklist) : link('ethics_checklist');
    add('Ethics checks?', [status, checklist].filter(Boolean).join(': ') || undefined);
  }
  if (m.components.length) rows.push(['Component codes', m.components.map(refMd).join('<br>')]);
  if (m.coupled.length) rows.push(['Coupled components', m.coupled.map(refMd).join('<br>')]);
  const tldr = blockOf(m, 'tldr');
  return [
    `# ${title}${version}`,
    table(['Summary info', 'Content, links'], rows.map(([k, v]) => [markdownText(k), v])),
    tldr ? `**TL;DR** — ${inline(tldr.value)}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Blocks drawn in the summary (owners, links, TL;DR) when their shape is the card format's. */
function inSummary(b: PreviewBlock): boolean {
  return b.key === 'tldr' || ((b.key === 'owners' || b.key === 'links') && isRecord(b.value));
}

export function blockMd(b: PreviewBlock): string {
  return `## ${markdownText(b.title)}\n\n${blockValue(b.value)}`;
}

/** The risk table: sorted by risk as the model sorts it, with its totals and mitigations. */
export function risksMd(r: RiskTable): string {
  if (r.rows.length === 0) return '## Requirements and risks\n\n_No requirements or critical scenarios._';
  const summary =
    `Risk total **${round(r.total)}** (${riskRowsCounted(r)})${r.highest !== undefined ? `, highest **${round(r.highest)}**` : ''}; ` +
    `**${r.aboveThreshold}** at or above the mitigation threshold ${round(r.threshold)}${r.unmitigated ? `, **${r.unmitigated} without a mitigation**` : ''}.`;
  const num = (x: number | undefined) => (x === undefined ? '' : round(x)); // digits, `.`, `-`, `e`: nothing to escape
  const rows = r.rows.map((row) => [
    `${row.id !== undefined ? markdownText(row.id) : ''}${row.list === 'critical_scenarios' ? ' (scenario)' : ''}`,
    row.text !== undefined ? text(row.text) : '',
    row.kind !== undefined ? markdownText(row.kind) : '',
    row.status !== undefined ? markdownText(row.status) : '',
    num(row.pFailure),
    num(row.value),
    row.risk === undefined ? '' : row.band === 'high' ? `**${num(row.risk)}** (high)` : `${num(row.risk)} (${markdownText(row.band)})`,
    row.mitigation !== undefined ? text(row.mitigation) : row.band === 'high' ? '**none**' : '',
  ]);
  return `## Requirements and risks\n\n${summary}\n\n${table(['Id', 'Requirement or scenario', 'Kind', 'Status', 'p(failure)', 'Value', 'Risk', 'Mitigation'], rows, ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'])}`;
}

function quoteMd(i: ChecklistItem): string {
  return i.quote ? `\n\n  > ${text(i.quote.text)}\n  > — _${markdownText(i.quote.where || i.quote.source)}_` : '';
}

function checklistItemMd(i: ChecklistItem): string {
  return `- **${markdownText(i.severity)}** ${codeSpan(i.field)} (${markdownText(i.why)}, TRL ${i.level}): ${text(i.reason)}${quoteMd(i)}`;
}

/** What the next level will ask: a plan (a task to do), not a problem. */
function planItemMd(i: ChecklistItem): string {
  const how = i.severity === 'error' ? 'required' : i.severity === 'warning' ? 'expected' : 'suggested';
  return `- [ ] ${codeSpan(i.field)} (${how} at TRL ${i.level}): ${text(i.reason)}${quoteMd(i)}`;
}

/** What the level still lacks and what the next one adds. */
export function checklistMd(c: Checklist): string {
  const h = '## Graduation checklist';
  if (c.level === null) return `${h}\n\n_The card has no valid level (0–9): the checklist needs one._`;
  const v = verdictWords(c);
  const parts = [h, v.line];
  if (v.reasons.length) parts.push(v.reasons.map((r) => `- ${markdownText(r)}`).join('\n'));
  if (c.unmet.length) parts.push(`### TRL ${c.level} still lacks`, c.unmet.map(checklistItemMd).join('\n'));
  if (c.nextLevel !== null && c.next.length) parts.push(`### Plan for TRL ${c.nextLevel}`, '_What the next level will ask; nothing is wrong yet._', c.next.map(planItemMd).join('\n'));
  return parts.join('\n\n');
}

/** The ladder (the card's level marked) and the path through the levels, the cycles back marked. */
export function levelsMd(ladder: readonly LadderStep[], history: readonly HistoryStep[]): string {
  const step = (s: LadderStep) => (s.state === 'current' ? `**${s.level} ${markdownText(s.name)}**` : s.state === 'done' ? `${s.level} ✓` : String(s.level));
  const parts = ['## Levels', ladder.map(step).join(' · ')];
  if (history.length) {
    const rows = history.map((s, i) => [String(i + 1), `${s.level !== null ? `TRL ${s.level}` : '?'}${s.back ? ' ↩ **back**' : ''}`, s.date !== undefined ? markdownText(s.date) : '', s.decision !== undefined ? markdownText(s.decision) : '', s.text !== undefined ? text(s.text) : '']);
    parts.push('### History', table(['#', 'Level', 'Date', 'Decision', 'Notes'], rows));
  }
  return parts.join('\n\n');
}

/**
 * The verdict, first: the level, ready to graduate or how many items are missing (the first of
 * them) and why, the problems by severity, the risks, and links to the parts below.
 */
export function verdictMd(m: CardPreview, review = false): string {
  const v = verdictWords(m.checklist);
  const level = m.level !== null ? `**TRL ${m.level}${m.levelName !== undefined ? ` — ${markdownText(m.levelName)}` : ''}**` : '**No valid level**';
  const mark = v.ready === true ? '✅' : v.ready === false ? '❌' : '❔';
  const first = v.first ? ` First: ${codeSpan(v.first.field)} (${markdownText(v.first.why)}): ${text(v.first.reason)}` : '';
  const lines = [`${level} · ${mark} **${markdownText(v.line)}**${first}`];
  if (v.reasons.length) lines.push(v.reasons.map((r) => `- ${markdownText(r)}`).join('\n'));
  const n = problemCounts(m);
  const counts = [plural(n.error, 'error'), plural(n.warning, 'warning'), `${n.information} information`, ...(n.hint ? [plural(n.hint, 'hint')] : [])].join(', ');
  lines.push(`**Problems:** ${counts} · **Risks:** ${markdownText(riskWords(m.risks))}`);
  const jumps: [string, string][] = [['Checklist', 'graduation-checklist'], ['Problems', 'problems'], ...(review ? [] : ([['Risks', 'requirements-and-risks']] as [string, string][])), ...(m.changes ? ([['Changes', 'changes-since-the-previous-card']] as [string, string][]) : []), ['Ladder', 'levels']];
  lines.push(jumps.map(([name, id]) => `[${name}](#${id})`).join(' · '));
  return lines.join('\n\n');
}

/** A value in a line of Markdown (its line breaks as `<br>`). */
function one(v: unknown): string {
  return isScalar(v) ? (typeof v === 'string' ? (v.trim() === '' ? '—' : text(v)) : scalar(v)) : inline(v);
}

/**
 * Marks around a run of a word diff (`~~removed~~`, `**added**`), the run's own spaces kept
 * outside them, as Markdown needs for a mark to open and close.
 */
function mark(run: string, around: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(run)!;
  return m[2] ? `${m[1] ? ' ' : ''}${around}${textIn(m[2])}${around}${m[3] ? ' ' : ''}` : run.replace(/\s+/g, ' ');
}

/** A value before and after: a word diff of two texts (~~removed~~ **added**), else `before → after`. */
export function valueChangeMd(c: ValueChange): string {
  if (c.before === undefined) return `${one(c.after)}`;
  if (c.after === undefined) return `~~${one(c.before)}~~`;
  if (wordy(c.before, c.after)) {
    const runs = wordDiff(c.before, c.after as string);
    if (runs) return runs.map((r) => (r.op === 0 ? textIn(r.text) : mark(r.text, r.op < 0 ? '~~' : '**'))).join('');
  }
  return `${one(c.before)} → ${one(c.after)}`;
}

function fieldsMd(fields: readonly FieldValueChange[], indent: string): string {
  return fields.map((f) => `${indent}- ${codeSpan(f.field)}: ${valueChangeMd(f)}`).join('\n');
}

function itemMd(i: ItemChange): string {
  const head = `  - ${markdownText(i.change)} ${markdownCell(i.label)}`;
  if (i.fields) return `${head}\n${fieldsMd(i.fields, '    ')}`;
  return `${head}: ${valueChangeMd(i)}`;
}

function requirementMd(r: RequirementChange): string {
  const risk = (x: number | undefined) => (x === undefined ? '—' : round(x));
  const moved =
    r.riskBefore === undefined && r.riskAfter === undefined
      ? ''
      : r.change === 'added'
        ? ` (risk ${risk(r.riskAfter)})`
        : r.change === 'removed'
          ? ` (risk was ${risk(r.riskBefore)})`
          : ` — risk ${risk(r.riskBefore)} → ${risk(r.riskAfter)}`;
  const name = [r.id !== undefined ? codeSpan(r.id) : '', r.list === 'critical_scenarios' ? '(scenario)' : '', r.text !== undefined ? (r.change === 'removed' ? `~~${text(r.text)}~~` : text(r.text)) : ''].filter(Boolean).join(' ');
  const head = `- **${markdownCell(r.change)}** ${name}${moved}`;
  return r.fields?.length ? `${head}\n${fieldsMd(r.fields, '  ')}` : head;
}

/**
 * What changed since the previous card: each value whole with a word diff (~~removed~~
 * **added**), lists item by item, requirement rows with their fields' values and the risk when
 * it moved. The pull-request view of a card (`trl-cards render --format md`).
 */
export function changesMd(c: CardChanges | null): string {
  if (!c) return '';
  const prev = `${markdownLink(c.previous.written, c.previous.written)}${c.previous.level !== null ? ` (TRL ${c.previous.level})` : ''}`;
  const parts = [`## Changes since the previous card`, `Compared with ${prev}.`];
  const fieldMd = (f: CardChanges['added'][number], kind: 'added' | 'changed' | 'removed') => {
    const path = codeSpan(f.path);
    if (f.items) return `- ${path}:\n${f.items.map(itemMd).join('\n')}`;
    return `- ${path}: ${valueChangeMd(kind === 'added' ? { after: f.after } : kind === 'removed' ? { before: f.before } : f)}`;
  };
  if (c.changed.length) parts.push('### Changed', c.changed.map((f) => fieldMd(f, 'changed')).join('\n'));
  if (c.added.length) parts.push('### Added', c.added.map((f) => fieldMd(f, 'added')).join('\n'));
  if (c.removed.length) parts.push('### Removed', c.removed.map((f) => fieldMd(f, 'removed')).join('\n'));
  if (c.requirements.length) parts.push('### Requirements and scenarios', c.requirements.map(requirementMd).join('\n'));
  if (c.omitted) parts.push(`_${plural(c.omitted, 'more change')} not listed._`);
  if (parts.length === 2) parts.push('_Nothing changed._');
  return parts.join('\n\n');
}

export function problemsMd(problems: readonly PreviewProblem[]): string {
  if (problems.length === 0) return '## Problems\n\n_No problems._';
  const rows = problems.map((p) => [markdownText(p.severity), `${p.line + 1}:${p.character + 1}`, cellCode(p.code || '—'), markdownCell(p.message)]);
  return `## Problems\n\n${table(['Severity', 'Line', 'Code', 'Message'], rows)}`;
}

/**
 * The card as one Markdown document: the title and the verdict first, then the card as the
 * authors' template has it (the summary table, TL;DR, the sections), then the reviewer's parts.
 * `review`: the pull-request view — the title, the verdict, the checklist, the problems, the
 * changes since the previous card and the levels, without the card itself.
 */
export function cardMarkdown(model: CardPreview, options: { review?: boolean } = {}): string {
  const file = model.uri.replace(/^.*\//, '');
  const review = options.review === true;
  const summary = summaryMd(model);
  const [title, ...face] = summary.split('\n\n');
  const parts = [
    title,
    verdictMd(model, review),
    ...(review ? [] : [...face, ...model.blocks.filter((b) => !inSummary(b)).map(blockMd)]),
    checklistMd(model.checklist),
    problemsMd(model.problems),
    ...(review ? [] : [risksMd(model.risks)]),
    changesMd(model.changes),
    levelsMd(model.ladder, model.history),
    '---',
    `_Rendered by TRL Cards from ${markdownText(decodeURIComponentSafe(file))}._`,
  ];
  return parts.filter(Boolean).join('\n\n') + '\n';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
