/**
 * The portfolio (protocol/portfolio.ts) from the workspace index: per technology (the cards
 * sharing an id) its current card, level, rolled-up level and limiting component, the stays at
 * each level read from the current card's dated `history`, its moves and cycles; per level the
 * spread of time spent and how many technologies are there; targets on track, at risk or
 * overdue; the highest risks. A pure function of the facts and `today`: nothing is read, and
 * a time without dates is unknown (null), never guessed.
 *
 * How stays are read from `history` (one entry per level review): consecutive entries at the
 * same level are one stay. A stay starts at the date of the review before it (the one that
 * brought the technology there) and ends at its own last review; the first stay's start is
 * unknown. The last stay is the current one when it is at the card's level; otherwise (the last
 * review graduated or reverted the technology to the card's level) it ended at that review, and
 * the current stay at the card's level started then.
 */
import type { CardRef, Days, LevelStats, LevelTime, Portfolio, PortfolioTechnology, RiskView, Spread, Stay, TargetStatus, TargetView, Transition } from '../../../protocol/portfolio';
import { PORTFOLIO_VERSION } from '../../../protocol/portfolio';
import { LEVELS } from '../levels';
import { dateOfDay, dayNumber } from '../text/date';
import { currentCards, uriKey, type CardFacts, type CardLookup } from './index';
import type { HistoryFact } from './progress';
import { componentCard, rollup, type Rollup } from './rollup';

/** What the portfolio reads: every card's facts, and lookups for the roll-up. */
export interface PortfolioIndex extends CardLookup {
  cards(): Iterable<CardFacts>;
}

export interface PortfolioOptions {
  /** YYYY-MM-DD: the current stays run to it, targets are due against it. */
  today: string;
  /** Risks listed across the portfolio (default 10). */
  maxRisks?: number;
  /** Whole paths listed (default 10). */
  maxPaths?: number;
}

/** The quantile `p` (0–1) of sorted values, interpolating between ranks (QUARTILE.INC). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, min: s[0], q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s[s.length - 1] };
}

function ref(f: CardFacts): CardRef {
  const r: CardRef = { uri: f.uri };
  if (f.id !== undefined) r.id = f.id;
  if (f.technology !== undefined) r.technology = f.technology;
  if (f.level !== undefined) r.level = f.level;
  return r;
}

const between = (from: string | undefined, to: string | undefined): Days => {
  const a = from === undefined ? undefined : dayNumber(from);
  const b = to === undefined ? undefined : dayNumber(to);
  return a !== undefined && b !== undefined && b >= a ? b - a : null;
};

interface Run {
  level: number;
  /** The date of its last review, if dated. */
  end?: string;
}

/** Runs of reviews at the same level, in order. */
function runs(history: readonly HistoryFact[]): Run[] {
  const out: Run[] = [];
  for (const h of history) {
    const last = out[out.length - 1];
    if (last && last.level === h.level) last.end = h.date;
    else out.push({ level: h.level, end: h.date });
  }
  return out;
}

/** The stays, path and moves of a technology from its current card's history and level. */
export function staysOf(
  history: readonly HistoryFact[],
  level: number | undefined,
  today: string,
): { stays: Stay[]; path: number[]; transitions: Transition[] } {
  const rs = runs(history);
  const stays: Stay[] = [];
  rs.forEach((r, i) => {
    const from = i > 0 ? rs[i - 1].end : undefined;
    const current = i === rs.length - 1 && r.level === level;
    const stay: Stay = { level: r.level, days: current ? between(from, today) : between(from, r.end), current };
    if (from !== undefined) stay.from = from;
    if (!current && r.end !== undefined) stay.to = r.end;
    stays.push(stay);
  });
  const last = rs[rs.length - 1];
  if (level !== undefined && (!last || last.level !== level)) {
    const from = last?.end;
    const stay: Stay = { level, days: between(from, today), current: true };
    if (from !== undefined) stay.from = from;
    stays.push(stay);
  }
  const path = stays.map((s) => s.level);
  const transitions: Transition[] = [];
  for (let i = 1; i < stays.length; i++) {
    const t: Transition = { from: stays[i - 1].level, to: stays[i].level };
    const date = stays[i].from;
    if (date !== undefined) t.date = date;
    transitions.push(t);
  }
  return { stays, path, transitions };
}

/** Falls from a level that the path later climbs back to (1 → 2 → 1 → 2 is one). */
export function cyclesOf(path: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < path.length; i++) {
    if (path[i] < path[i - 1] && path.slice(i + 1).some((l) => l >= path[i - 1])) n++;
  }
  return n;
}

function timeOf(stays: readonly Stay[]): LevelTime[] {
  const by = new Map<number, LevelTime>();
  for (const s of stays) {
    if (s.current) continue;
    const t = by.get(s.level) ?? { level: s.level, visits: 0, days: 0 };
    t.visits++;
    t.days = t.days === null || s.days === null ? null : t.days + s.days;
    by.set(s.level, t);
  }
  return [...by.values()].sort((a, b) => a.level - b.level);
}

function lastDate(f: CardFacts): string {
  const h = f.progress?.history ?? [];
  for (let i = h.length - 1; i >= 0; i--) if (h[i].date !== undefined) return h[i].date!;
  return '';
}

/** The card that stands for a technology: a current card (not listed in another's `previous`), the highest level, then the latest review. */
export function currentCard(cards: readonly CardFacts[]): CardFacts {
  const current = currentCards(cards);
  return current.reduce((best, c) => {
    const d = (c.level ?? -1) - (best.level ?? -1) || lastDate(c).localeCompare(lastDate(best)) || (uriKey(best.uri) < uriKey(c.uri) ? 1 : -1);
    return d > 0 ? c : best;
  });
}

/** The technologies: cards grouped by id (a card without one is a technology of its own). */
function groups(index: PortfolioIndex): Map<string, CardFacts[]> {
  const out = new Map<string, CardFacts[]>();
  for (const f of index.cards()) {
    const key = f.id ?? uriKey(f.uri);
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  return out;
}

function technology(
  key: string,
  cards: readonly CardFacts[],
  cur: CardFacts,
  index: PortfolioIndex,
  memo: Map<string, Rollup>,
  today: string,
): PortfolioTechnology {
  const progress = cur.progress;
  const history = progress?.history ?? [];
  const { stays, path, transitions } = staysOf(history, cur.level, today);
  const t: PortfolioTechnology = {
    key,
    current: ref(cur),
    cards: cards.length,
    dated: history.filter((h) => h.date !== undefined).length >= 2,
    path,
    stays,
    time: timeOf(stays),
    transitions,
    cycles: cyclesOf(path),
    daysAtLevel: null,
  };
  if (cur.level !== undefined) t.level = cur.level;
  if (progress?.enteredAt !== undefined) t.enteredAt = progress.enteredAt;
  if (progress?.owner !== undefined) t.owner = progress.owner;
  const now = stays.find((s) => s.current);
  if (now) {
    if (now.from !== undefined) t.since = now.from;
    t.daysAtLevel = now.days;
  }
  if (cur.components.length > 0) {
    // The lowest component (through sub-systems) caps the system: at or below its level, the system cannot graduate before it.
    let lowest: Rollup | undefined;
    for (const c of cur.components) {
      const part = componentCard(c, cur.uri, index);
      if (!part || uriKey(part.uri) === uriKey(cur.uri)) continue;
      const r = rollup(part, index, memo);
      if (r.level !== undefined && (lowest?.level === undefined || r.level < lowest.level)) lowest = r;
    }
    if (lowest?.level !== undefined) {
      t.rolledUpLevel = cur.level === undefined ? lowest.level : Math.min(cur.level, lowest.level);
      if (cur.level !== undefined && lowest.level <= cur.level) {
        t.limitedBy = ref(lowest.chain[lowest.chain.length - 1]);
        t.limitChain = lowest.chain.map(ref);
      }
    }
  }
  return t;
}

function targetsOf(t: PortfolioTechnology, cur: CardFacts, medians: ReadonlyMap<number, number>, today: string): TargetView[] {
  const out: TargetView[] = [];
  const todayN = dayNumber(today);
  for (const target of cur.progress?.targets ?? []) {
    const view: TargetView = { technology: t.key, card: t.current, level: target.level, by: target.by, status: 'unknown' };
    // A system has reached a level when its components have too: its rolled-up level counts.
    const level = t.rolledUpLevel ?? t.level;
    if (level !== undefined && target.level <= level) view.status = 'reached';
    else if (target.by < today) view.status = 'overdue';
    else if (level !== undefined && todayN !== undefined) {
      // The portfolio's median time at each level still ahead, less the time already spent at this one.
      let remaining: number | undefined = 0;
      for (let l = level; l < target.level && remaining !== undefined; l++) {
        const m = medians.get(l);
        if (m === undefined) remaining = undefined;
        else remaining += l === t.level ? Math.max(0, m - (t.daysAtLevel ?? 0)) : m;
      }
      if (remaining !== undefined) {
        view.expected = dateOfDay(todayN + Math.round(remaining));
        view.status = view.expected > target.by ? 'at-risk' : 'on-track';
      }
    }
    out.push(view);
  }
  return out;
}

/** The portfolio of every card in `index`, on `options.today`. */
export function computePortfolio(index: PortfolioIndex, options: PortfolioOptions): Portfolio {
  const { today } = options;
  const memo = new Map<string, Rollup>();
  const grouped = [...groups(index)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let cards = 0;
  const techs: PortfolioTechnology[] = [];
  const currents: CardFacts[] = [];
  for (const [key, list] of grouped) {
    cards += list.length;
    const cur = currentCard(list);
    techs.push(technology(key, list, cur, index, memo, today));
    currents.push(cur);
  }

  const levels: LevelStats[] = LEVELS.map((l, level) => {
    const known: number[] = [];
    let unknown = 0;
    for (const t of techs) {
      const time = t.time.find((x) => x.level === level);
      if (!time) continue;
      if (time.days === null) unknown++;
      else known.push(time.days);
    }
    return { level, name: l.name, now: techs.filter((t) => t.level === level).length, time: spread(known), unknown };
  });
  const medians = new Map(levels.filter((l) => l.time).map((l) => [l.level, l.time!.median]));

  const moves = new Map<string, { from: number; to: number; count: number }>();
  const paths = new Map<string, { path: number[]; count: number }>();
  for (const t of techs) {
    for (const m of t.transitions) {
      const k = `${m.from}>${m.to}`;
      const e = moves.get(k) ?? { from: m.from, to: m.to, count: 0 };
      e.count++;
      moves.set(k, e);
    }
    if (t.path.length > 0) {
      const k = t.path.join('>');
      const e = paths.get(k) ?? { path: t.path, count: 0 };
      e.count++;
      paths.set(k, e);
    }
  }

  const targets = techs.flatMap((t, i) => targetsOf(t, currents[i], medians, today));
  const counts: Record<TargetStatus, number> = { 'reached': 0, 'overdue': 0, 'at-risk': 0, 'on-track': 0, 'unknown': 0 };
  for (const t of targets) counts[t.status]++;

  const risks: RiskView[] = [];
  techs.forEach((t, i) => {
    for (const r of currents[i].progress?.risks ?? []) risks.push({ card: t.current, kind: r.kind, what: r.what, risk: r.risk, mitigated: r.mitigated });
  });
  risks.sort(
    (a, b) =>
      b.risk - a.risk ||
      Number(a.mitigated) - Number(b.mitigated) ||
      (a.card.uri < b.card.uri ? -1 : a.card.uri > b.card.uri ? 1 : 0) ||
      (a.what < b.what ? -1 : a.what > b.what ? 1 : 0),
  );

  return {
    version: PORTFOLIO_VERSION,
    today,
    summary: {
      technologies: techs.length,
      cards,
      dated: techs.filter((t) => t.dated).length,
      undated: techs.filter((t) => !t.dated).length,
      heldBack: techs.filter((t) => t.limitedBy).length,
      targets: counts,
    },
    technologies: techs,
    levels,
    transitions: [...moves.values()].sort((a, b) => b.count - a.count || a.from - b.from || a.to - b.to),
    paths: [...paths.values()].sort((a, b) => b.count - a.count || a.path.join('>').localeCompare(b.path.join('>'))).slice(0, options.maxPaths ?? 10),
    bottlenecks: levels
      .filter((l) => l.time)
      .map((l) => ({ level: l.level, median: l.time!.median, n: l.time!.n }))
      .sort((a, b) => b.median - a.median || a.level - b.level)
      .slice(0, 3),
    targets,
    risks: risks.slice(0, options.maxRisks ?? 10),
  };
}
