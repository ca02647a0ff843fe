/**
 * What the portfolio needs of each card, kept in the index beside its other facts: the dated
 * path through the levels (`history`, `entered_at`), the open `targets`, the owner and the few
 * highest risks. Small on purpose: the index keeps one for every card of a 10,000-card
 * workspace. Read from the card's plain value; never throws, and anything malformed is left out.
 */
import { truncate } from '../text/escape';
import { isCalendarDate } from '../text/date';

/** Risks kept per card: the highest ones (the portfolio lists the highest across cards). */
export const MAX_RISKS_PER_CARD = 3;
/** Characters kept of a risk's description and of an owner. */
const MAX_TEXT = 120;

export type Decision = 'graduate' | 'hold' | 'revert';

export interface HistoryFact {
  level: number;
  /** YYYY-MM-DD when well-formed; an entry without it takes part in the path, not in the times. */
  date?: string;
  decision?: Decision;
}

export interface RiskFactSummary {
  kind: 'requirement' | 'scenario';
  /** The requirement's id and text, or the scenario, cut to 120 characters. */
  what: string;
  risk: number;
  mitigated: boolean;
}

export interface ProgressFacts {
  enteredAt?: number;
  /** `history` entries with a well-formed level, in order. */
  history: HistoryFact[];
  /** Well-formed `targets` entries, in order. */
  targets: { level: number; by: string }[];
  owner?: string;
  /** The card's highest risks (requirements and critical scenarios), highest first. */
  risks: RiskFactSummary[];
}

/** The top-level fields progress facts are made of (an index parses only the fields it needs). */
export const PROGRESS_FIELDS = ['entered_at', 'history', 'targets', 'owners', 'requirements', 'critical_scenarios'] as const;

const isLevel = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 9;
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? truncate(v.trim(), MAX_TEXT) : typeof v === 'number' ? String(v) : undefined);

function risk(item: Record<string, unknown>): number | undefined {
  const p = item.p_failure;
  const v = item.value;
  if (typeof p === 'number' && typeof v === 'number' && p >= 0 && p <= 1 && v >= 1 && v <= 10) return Math.round(p * v * 1000) / 1000;
  const r = item.risk;
  return typeof r === 'number' && r >= 0 && r <= 10 ? r : undefined;
}

function mitigated(item: Record<string, unknown>): boolean {
  const m = item.mitigation;
  return typeof m === 'string' ? m.trim() !== '' : m !== undefined && m !== null;
}

export function progressFacts(data: Record<string, unknown>): ProgressFacts {
  const facts: ProgressFacts = { history: [], targets: [], risks: [] };
  if (isLevel(data.entered_at)) facts.enteredAt = data.entered_at;
  if (Array.isArray(data.history)) {
    for (const e of data.history) {
      if (!isMap(e) || !isLevel(e.level)) continue;
      const step: HistoryFact = { level: e.level };
      if (isCalendarDate(e.date)) step.date = e.date;
      if (e.decision === 'graduate' || e.decision === 'hold' || e.decision === 'revert') step.decision = e.decision;
      facts.history.push(step);
    }
  }
  if (Array.isArray(data.targets)) {
    for (const t of data.targets) if (isMap(t) && isLevel(t.level) && isCalendarDate(t.by)) facts.targets.push({ level: t.level, by: t.by });
  }
  const owners = isMap(data.owners) ? data.owners : undefined;
  if (owners) {
    const side = (k: string) => (isMap(owners[k]) ? (owners[k] as Record<string, unknown>).owner : undefined);
    const owner = text(owners.owner) ?? text(side('rnd')) ?? text(side('product'));
    if (owner) facts.owner = owner;
  }
  // The highest MAX_RISKS_PER_CARD risks, ties in card order (what a stable sort of them all
  // gives), kept as they come: only those few are described.
  const top: { kind: RiskFactSummary['kind']; item: Record<string, unknown>; risk: number }[] = [];
  const add = (list: unknown, kind: RiskFactSummary['kind']) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (!isMap(item)) continue;
      const r = risk(item);
      if (r === undefined) continue;
      if (top.length === MAX_RISKS_PER_CARD && r <= top[top.length - 1].risk) continue;
      let at = top.length;
      while (at > 0 && top[at - 1].risk < r) at--;
      top.splice(at, 0, { kind, item, risk: r });
      if (top.length > MAX_RISKS_PER_CARD) top.pop();
    }
  };
  add(data.requirements, 'requirement');
  add(data.critical_scenarios, 'scenario');
  facts.risks = top.map(({ kind, item, risk: r }) => {
    const what = kind === 'requirement' ? [text(item.id), text(item.text)].filter(Boolean).join(': ') : text(item.scenario) ?? '';
    return { kind, what: truncate(what || (kind === 'requirement' ? 'a requirement' : 'a critical scenario'), MAX_TEXT), risk: r, mitigated: mitigated(item) };
  });
  return facts;
}
