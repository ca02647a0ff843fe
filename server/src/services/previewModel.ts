/**
 * The preview's render model (`trlCards/cardPreview`): the card as plain data with the source line
 * of every block, its level status, its risk table, its problems and the cards it names. A pure
 * function of the document, its parsed model and the workspace index; the webview, the exports
 * and `trl-cards render` all draw from it, so nothing outside the server parses a card.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap, isSeq, type Node as YamlNode } from 'yaml';
import {
  PREVIEW_MODEL_VERSION,
  type CardChanges,
  type CardPreview,
  type CardRef,
  type Checklist,
  type ChecklistItem,
  type HistoryStep,
  type LadderStep,
  type PreviewBlock,
  type PreviewProblem,
  type RequirementRow,
  type RiskTable,
  type Severity,
} from '../../../protocol/preview';
import { CardDocument } from '../card/document';
import type { Memo } from '../card/memo';
import { cardValue, entries, findEntry, type CardModel, type EntryRef } from '../card/model';
import { rangeAt } from '../card/locate';
import { keyName, rangeOf } from '../card/nodes';
import { enteredAt, levelInfo, levelStatus, SOURCE_NAMES, type Level, type UnmetEntry } from '../levels';
import { resolveCardPath, type CardLookup } from '../workspace/index';
import type { Readiness } from './readiness';
import { componentCard, rollup } from '../workspace/rollup';
import { LIMITS } from '../limits';
import { plainRisk, riskTotal, RISK_LISTS } from '../rules/requirements';

/** The card face in the order of the paper's Figure 2, with the headings it uses. */
const FACE: readonly [string, string][] = [
  ['owners', 'Owners and reviewers'],
  ['tldr', 'TL;DR'],
  ['data', 'Data considerations'],
  ['sim_to_real', 'Sim-to-real'],
  ['ethics', 'Ethics'],
  ['model', 'Model / alg details'],
  ['metrics', 'Metrics, results'],
  ['caveats', 'Caveats, known edge cases, recommendations'],
  ['assumptions', 'Key assumptions'],
  ['intended_use', 'Intended use'],
];

/** Headings of the other fields the card format knows; any other key is shown as written. */
const TITLES: Record<string, string> = {
  hypotheses: 'Hypotheses',
  research_plan: 'Research plan',
  experiments: 'Experiments',
  decision_path: 'Decision path',
  working_group: 'Working group',
  versions: 'Versions',
  links: 'Links',
  testing: 'Testing',
  infrastructure: 'Infrastructure',
  review: 'Review',
  debrief: 'Debrief',
  targets: 'Targets',
  entered_at: 'Entered the TRL process at',
};

/** Fields shown elsewhere in the preview (the title, the ladder, the risk table, the links). */
const ELSEWHERE: ReadonlySet<string> = new Set(['technology', 'id', 'version', 'level', 'previous', 'components', 'coupled', 'history', 'requirements', 'critical_scenarios', 'entered_at']);

export interface PreviewInputs {
  document: TextDocument;
  card: CardModel;
  /** The document version (null for a card read from disk). */
  version: number | null;
  levels: readonly Level[];
  threshold: number;
  /** The card's diagnostics, as the editor shows them. */
  diagnostics: readonly Diagnostic[];
  /** The workspace index, for the cards the card names (complete or not). */
  index?: CardLookup;
  /** What changed since the previous card, when it is known. */
  changes?: CardChanges | null;
  /** The card's verdict (services/readiness.ts); without it, the level status alone decides. */
  readiness?: Readiness;
}

/** The line of an offset; a card's own document finds it without reading the text. */
function lineFinder(document: TextDocument): (offset: number) => number {
  return document instanceof CardDocument ? (offset) => document.lineAt(offset) : (offset) => document.positionAt(offset).line;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The lines of one top-level entry, and of its entries one and two levels down. */
function entryLines(document: TextDocument, ref: EntryRef): { line: number; endLine: number; lines: Record<string, number> } {
  const { section, entry } = ref;
  const lineAt = lineFinder(document);
  const keyStart = rangeOf(entry.keyNode)?.[0] ?? 0;
  const line = lineAt(section.offset + keyStart);
  const end = section.offset + section.length;
  const endLine = Math.max(line, lineAt(Math.max(section.offset, end - 1)));
  const lines: Record<string, number> = {};
  const walk = (node: YamlNode | null | undefined, base: number, prefix: string, depth: number) => {
    if (!node || depth > 2) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = keyName(pair);
        const r = rangeOf(pair.key as YamlNode | null);
        if (name === undefined || !r) continue;
        const path = prefix ? `${prefix}.${name}` : name;
        lines[path] = lineAt(base + r[0]);
        walk(pair.value as YamlNode | null, base, path, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const r = rangeOf(item as YamlNode | null);
        if (!r) return;
        const path = prefix ? `${prefix}.${i}` : String(i);
        lines[path] = lineAt(base + r[0]);
        walk(item as YamlNode | null, base, path, depth + 1);
      });
    }
  };
  if (section.items) {
    // A split list: each item is its own block, parsed alone.
    section.items.forEach((item, i) => {
      const at = section.offset + item.offset;
      lines[String(i)] = lineAt(at);
      if (i < LIMITS.maxPreviewItemLines) walk(item.node, at, String(i), 1);
    });
  } else walk(entry.valueNode, section.offset, '', 0);
  return { line, endLine, lines };
}

function blocksOf(document: TextDocument, card: CardModel): PreviewBlock[] {
  const seen = new Set<string>();
  const all = entries(card).filter((r) => !seen.has(r.entry.key) && seen.add(r.entry.key));
  const byKey = new Map(all.map((r) => [r.entry.key, r]));
  const block = (ref: EntryRef, title: string): PreviewBlock => ({ key: ref.entry.key, title, value: ref.entry.value, ...entryLines(document, ref) });
  const out: PreviewBlock[] = [];
  for (const [key, title] of FACE) {
    const ref = byKey.get(key);
    if (ref) out.push(block(ref, title));
  }
  const face = new Set(FACE.map(([k]) => k));
  for (const ref of all) {
    const key = ref.entry.key;
    if (face.has(key) || ELSEWHERE.has(key)) continue;
    out.push(block(ref, TITLES[key] ?? key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())));
  }
  return out;
}

/** The rows of one risk list, with their lines (item blocks when split, nodes otherwise). */
function riskRows(document: TextDocument, card: CardModel, list: string, threshold: number): { rows: RequirementRow[]; memo?: Memo } {
  const ref = findEntry(card, list);
  if (!ref || !Array.isArray(ref.entry.value)) return { rows: [] };
  const values = ref.entry.value as unknown[];
  const { section } = ref;
  const items = section.items;
  const lineAt = lineFinder(document);
  const nodes = !items && isSeq(ref.entry.valueNode) ? ref.entry.valueNode.items : undefined;
  const fallback = lineAt(section.offset);
  const ids = new Map<string, number>();
  for (const v of values) {
    const id = isRecord(v) ? text(v.id) : undefined;
    if (id !== undefined) ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  const rows: RequirementRow[] = new Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const v = values[index];
    let line = fallback;
    let endLine = fallback;
    const item = items?.[index];
    if (item) {
      const at = section.offset + item.offset;
      line = lineAt(at);
      endLine = lineAt(at + Math.max(1, item.text.length) - 1);
    } else if (nodes) {
      const r = rangeOf(nodes[index] as YamlNode | null);
      if (r) {
        line = lineAt(section.offset + r[0]);
        endLine = lineAt(section.offset + Math.max(r[0], r[1] - 1));
      }
    }
    const r = isRecord(v) ? v : {};
    const id = text(r.id);
    const unique = id !== undefined && ids.get(id) === 1;
    // A split list's item keeps its row while nothing the row is made of changed, so an edit of
    // one requirement builds one row (and the preview's delta compares the others by identity).
    const kept = item?.memo.get(ROW_MEMO) as RowMemo | undefined;
    if (
      kept &&
      kept.value === v &&
      kept.unique === unique &&
      kept.index === index &&
      kept.threshold === threshold &&
      kept.row.line === line &&
      kept.row.endLine === endLine
    ) {
      rows[index] = kept.row;
      continue;
    }
    const row = riskRow(r, list, index, unique ? `${list}:${id}` : `${list}#${index}`, line, endLine, threshold);
    item?.memo.set(ROW_MEMO, { value: v, unique, index, threshold, row } satisfies RowMemo);
    rows[index] = row;
  }
  return { rows, memo: section.memo };
}

const ROW_MEMO = 'previewRow';
interface RowMemo {
  value: unknown;
  unique: boolean;
  index: number;
  threshold: number;
  row: RequirementRow;
}

function riskRow(r: Record<string, unknown>, list: string, index: number, key: string, line: number, endLine: number, threshold: number): RequirementRow {
  const id = text(r.id);
  const p = num(r.p_failure);
  const value = num(r.value);
  const risk = plainRisk(r);
  const band: RequirementRow['band'] = risk === undefined ? 'unknown' : risk >= threshold - 1e-9 ? 'high' : risk >= threshold / 2 - 1e-9 ? 'medium' : 'low';
  const row: RequirementRow = { key, list, index, line, endLine, band };
  if (id !== undefined) row.id = id;
  const t = text(r.text) ?? text(r.scenario);
  if (t !== undefined) row.text = t;
  if (text(r.kind) !== undefined) row.kind = text(r.kind);
  if (text(r.status) !== undefined) row.status = text(r.status);
  if (p !== undefined) row.pFailure = p;
  if (value !== undefined) row.value = value;
  if (risk !== undefined) row.risk = risk;
  const m = text(r.mitigation);
  if (m !== undefined && m.trim() !== '') row.mitigation = m;
  return row;
}

/**
 * Highest risk first; unrated rows last; each group in card order (the lists in RISK_LISTS'
 * order, then by index). A total order, so sorting any arrangement of the rows gives one result.
 */
function byRisk(a: RequirementRow, b: RequirementRow): number {
  return (
    (b.risk ?? -1) - (a.risk ?? -1) ||
    RISK_LISTS.indexOf(a.list as (typeof RISK_LISTS)[number]) - RISK_LISTS.indexOf(b.list as (typeof RISK_LISTS)[number]) ||
    a.index - b.index
  );
}

const SORT_MEMO = 'previewSorted';
/** Rows changed since the last sort past which the rows are sorted again from scratch. */
const MAX_RESORTED = 64;

/**
 * The rows sorted by `byRisk`. When only a few rows differ (by identity) from the last call
 * with this memo, the last order is kept and those rows are placed again by binary search.
 */
function sortedRows(rows: RequirementRow[], memo: Memo | undefined): RequirementRow[] {
  const last = memo?.get(SORT_MEMO) as { input: RequirementRow[]; sorted: RequirementRow[] } | undefined;
  let sorted: RequirementRow[] | undefined;
  if (last && last.input.length === rows.length) {
    const gone = new Set<RequirementRow>();
    const fresh: RequirementRow[] = [];
    for (let i = 0; i < rows.length && fresh.length <= MAX_RESORTED; i++) {
      if (last.input[i] === rows[i]) continue;
      gone.add(last.input[i]);
      fresh.push(rows[i]);
    }
    if (fresh.length <= MAX_RESORTED) {
      sorted = gone.size ? last.sorted.filter((r) => !gone.has(r)) : last.sorted.slice();
      for (const r of fresh) {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (byRisk(sorted[mid], r) < 0) lo = mid + 1;
          else hi = mid;
        }
        sorted.splice(lo, 0, r);
      }
    }
  }
  sorted ??= rows.slice().sort(byRisk);
  memo?.set(SORT_MEMO, { input: rows, sorted });
  return sorted;
}

function riskTable(document: TextDocument, card: CardModel, threshold: number): RiskTable {
  const lists = RISK_LISTS.map((l) => riskRows(document, card, l, threshold));
  const all = lists.length === 1 ? lists[0].rows : lists.flatMap((l) => l.rows);
  const rows = sortedRows(all, lists.find((l) => l.rows.length)?.memo);
  const rated = rows.filter((r) => r.risk !== undefined);
  const high = rated.filter((r) => r.band === 'high');
  return {
    rows,
    threshold,
    // The one risk total (rules/requirements.ts), as the code lens shows it.
    total: riskTotal(rated.map((r) => r.risk)),
    ...(rated.length ? { highest: rated[0].risk } : {}),
    aboveThreshold: high.length,
    unmitigated: high.filter((r) => r.mitigation === undefined).length,
  };
}

function checklistItem(document: TextDocument, card: CardModel, u: UnmetEntry, fallbackLine: number): ChecklistItem {
  const path = u.req.field.split('.').map((s) => s.replace(/\[\]$/, ''));
  const at = rangeAt(card, path) ?? rangeAt(card, path.slice(0, 1));
  const why = u.why.kind === 'missing' ? 'missing' : u.why.kind === 'placeholder' ? 'placeholder' : u.why.kind === 'none' ? 'none' : u.why.kind === 'too-few' ? `${u.why.have} of ${u.why.need}` : u.why.condition;
  return {
    field: u.req.field,
    level: u.level,
    severity: u.req.severity,
    reason: u.req.reason,
    why,
    quote: {
      text: u.req.quote.text,
      source: SOURCE_NAMES[u.req.quote.source] ?? u.req.quote.source,
      ...(u.req.quote.where ? { where: u.req.quote.where } : {}),
    },
    line: at ? document.positionAt(at.key?.[0] ?? at.start).line : fallbackLine,
  };
}

function historyOf(document: TextDocument, card: CardModel): HistoryStep[] {
  const ref = findEntry(card, 'history');
  if (!ref || !Array.isArray(ref.entry.value)) return [];
  const lines = entryLines(document, ref).lines;
  const out: HistoryStep[] = [];
  let before: number | null = null;
  (ref.entry.value as unknown[]).forEach((v, i) => {
    const r = isRecord(v) ? v : {};
    const level = typeof r.level === 'number' && Number.isInteger(r.level) ? r.level : null;
    const step: HistoryStep = { line: lines[String(i)] ?? lines[''] ?? 0, level, back: level !== null && before !== null && level < before };
    const date = r.date instanceof Date ? r.date.toISOString().slice(0, 10) : text(r.date);
    if (date !== undefined) step.date = date;
    const decision = text(r.decision);
    if (decision !== undefined) step.decision = decision;
    const note = text(r.summary) ?? text(r.notes) ?? text(r.note) ?? text(r.text);
    if (note !== undefined) step.text = note;
    out.push(step);
    if (level !== null) before = level;
  });
  return out;
}

function refsOf(
  document: TextDocument,
  card: CardModel,
  key: string,
  index: CardLookup | undefined,
  resolve: (written: string) => { uri?: string; technology?: string; level?: number | null },
): CardRef[] {
  const ref = findEntry(card, key);
  if (!ref || !Array.isArray(ref.entry.value)) return [];
  const lines = entryLines(document, ref).lines;
  const out: CardRef[] = [];
  (ref.entry.value as unknown[]).forEach((v, i) => {
    const written = text(v);
    if (written === undefined) return;
    out.push({ written, line: lines[String(i)] ?? 0, ...(index ? resolve(written) : {}) });
  });
  return out;
}

function problemsOf(diagnostics: readonly Diagnostic[]): PreviewProblem[] {
  const out = diagnostics.map((d) => ({
    severity: SEVERITIES[(d.severity ?? 1) - 1] ?? 'error',
    code: d.code === undefined ? '' : String(d.code),
    message: typeof d.message === 'string' ? d.message : d.message.value,
    line: d.range.start.line,
    character: d.range.start.character,
  }));
  out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.line - b.line || a.character - b.character);
  return out;
}

export function previewModel(inputs: PreviewInputs): CardPreview {
  const { document, card, levels, threshold, index } = inputs;
  const uri = document.uri;
  const data = cardValue(card);
  const lineOf = (key: string) => {
    const ref = findEntry(card, key);
    const r = ref && rangeOf(ref.entry.keyNode);
    return ref && r ? document.positionAt(ref.section.offset + r[0]).line : 0;
  };
  const level = typeof data.level === 'number' && Number.isInteger(data.level) && levelInfo(data.level, levels) ? data.level : null;
  const from = enteredAt(data);
  const levelLine = lineOf('level');
  const ladder: LadderStep[] = levels.map((l) => ({
    level: l.level,
    name: l.name,
    ...(l.paperName && l.paperName !== l.name ? { paperName: l.paperName } : {}),
    state: level === null ? 'ahead' : l.level === level ? 'current' : l.level > level ? 'ahead' : l.level < from ? 'before-entry' : 'done',
  }));
  let checklist: Checklist = { level, ready: false, reasons: [], unmet: [], next: [], nextLevel: null };
  if (level !== null) {
    const status = inputs.readiness?.status ?? levelStatus(data, level, levels);
    checklist = {
      level,
      ready: inputs.readiness ? inputs.readiness.ready : status.ready,
      reasons: inputs.readiness?.reasons ?? [],
      unmet: status.unmet.map((u) => checklistItem(document, card, u, levelLine)),
      next: status.next.map((u) => checklistItem(document, card, u, levelLine)),
      nextLevel: levels[level + 1] ? level + 1 : null,
    };
  }
  // The cards it names, from the index: components with their levels and the limiting one.
  const self = index?.byUri(uri);
  const facts = (f: { uri: string; technology?: string; level?: number } | undefined) =>
    f ? { uri: f.uri, ...(f.technology !== undefined ? { technology: f.technology } : {}), level: f.level ?? null } : {};
  const components = refsOf(document, card, 'components', index, (w) => facts(index && componentCard(w, uri, index)));
  let rolledUpLevel: number | null | undefined;
  if (index && self && components.length) {
    const r = rollup(self, index);
    rolledUpLevel = r.level ?? null;
    const limiting = r.chain[1];
    if (limiting && r.level !== undefined && level !== null && r.level < level) for (const c of components) if (c.uri === limiting.uri) c.limiting = true;
  }
  const previous = refsOf(document, card, 'previous', index, (w) => {
    const target = resolveCardPath(uri, w);
    return target ? facts(index?.byUri(target)) : {};
  });
  const coupled = refsOf(document, card, 'coupled', index, (w) => facts(index && componentCard(w, uri, index)));
  const model: CardPreview = {
    modelVersion: PREVIEW_MODEL_VERSION,
    uri,
    version: inputs.version,
    level,
    enteredAt: from,
    titleLine: lineOf('technology'),
    levelLine,
    ladder,
    history: historyOf(document, card),
    blocks: blocksOf(document, card),
    checklist,
    risks: riskTable(document, card, threshold),
    problems: problemsOf(inputs.diagnostics),
    previous,
    components,
    coupled,
    changes: inputs.changes ?? null,
  };
  const technology = text(data.technology);
  if (technology !== undefined) model.technology = technology;
  const id = text(data.id);
  if (id !== undefined) model.id = id;
  const version = text(data.version);
  if (version !== undefined) model.cardVersion = version;
  if (level !== null) model.levelName = levels[level].name;
  if (rolledUpLevel !== undefined) model.rolledUpLevel = rolledUpLevel;
  return model;
}

/**
 * The previous card the changes are shown against: `compareWith` when it is one of the card's
 * `previous` entries and names a card in the index (the reviewer's choice); else, of the
 * `previous` paths that name a card in the index, the one at the highest level below this
 * card's (the last level's card), else the last one listed. URLs and unknown paths are skipped.
 */
export function previousCardOf(
  uri: string,
  data: Record<string, unknown>,
  index: CardLookup,
  compareWith?: string,
): { uri: string; written: string } | undefined {
  const listed = Array.isArray(data.previous) ? data.previous.filter((x): x is string => typeof x === 'string') : [];
  if (compareWith !== undefined && listed.includes(compareWith)) {
    const target = resolveCardPath(uri, compareWith);
    const facts = target ? index.byUri(target) : undefined;
    if (facts) return { uri: facts.uri, written: compareWith };
  }
  const level = typeof data.level === 'number' ? data.level : Infinity;
  let best: { uri: string; written: string; level: number } | undefined;
  for (const written of listed) {
    const target = resolveCardPath(uri, written);
    const facts = target ? index.byUri(target) : undefined;
    if (!facts) continue;
    const at = facts.level ?? -1;
    if (at >= level) continue;
    if (!best || at >= best.level) best = { uri: facts.uri, written, level: at };
  }
  return best && { uri: best.uri, written: best.written };
}
