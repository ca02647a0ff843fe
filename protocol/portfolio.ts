/**
 * The portfolio: where every technology of a workspace stands, how long it spent at each level,
 * its path (forward, back, cycles), its targets and the highest risks. Computed on the server
 * by `server/src/workspace/portfolio.ts`, the same data for the checker's `trl-cards report`
 * (`--format json` prints it), and for the VS Code tree view and dashboard (over a custom
 * request, later). Plain JSON: no `undefined` that matters, no class, no Date (dates are
 * YYYY-MM-DD text, durations whole days). Imports nothing.
 *
 * Versioned: a change that removes or retypes a field raises `PORTFOLIO_VERSION`.
 */

export const PORTFOLIO_VERSION = 1;

/** A time as whole days, or `null` when it is unknown (no dated history): never guessed. */
export type Days = number | null;

/** Median and quartiles (linear interpolation between ranks, as a spreadsheet's QUARTILE.INC). */
export interface Spread {
  /** How many values (technologies) the spread is of. */
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface CardRef {
  /** The card file's URI (file://…); the report shows it relative to where it runs. */
  uri: string;
  id?: string;
  technology?: string;
  level?: number;
}

/** A stay at one level, from the history of the technology's current card. */
export interface Stay {
  level: number;
  /** When the technology came to the level (the date of the review before), if known. */
  from?: string;
  /** When it left (the review that moved it on or back); absent for the current stay. */
  to?: string;
  /** Days at the level: `to − from`, or `today − from` for the current stay; null when a date is missing. */
  days: Days;
  current: boolean;
}

export interface LevelTime {
  level: number;
  /** Stays at the level (more than 1: the technology came back to it). */
  visits: number;
  /** Days over the completed stays; null when any completed stay has an unknown length. */
  days: Days;
}

export interface Transition {
  from: number;
  to: number;
  /** The date of the review that made the move, if known. */
  date?: string;
}

export type TargetStatus = 'reached' | 'overdue' | 'at-risk' | 'on-track' | 'unknown';

export interface TargetView {
  /** The technology's key (see PortfolioTechnology.key). */
  technology: string;
  card: CardRef;
  level: number;
  by: string;
  status: TargetStatus;
  /**
   * The date the technology would reach the level if it spent the portfolio's median time at
   * each level still ahead (less the time already spent at its current level); absent when a
   * median is unknown.
   */
  expected?: string;
}

export interface RiskView {
  card: CardRef;
  kind: 'requirement' | 'scenario';
  what: string;
  risk: number;
  mitigated: boolean;
}

export interface PortfolioTechnology {
  /** The technology's `id`, or the URI of its only card when it has none. */
  key: string;
  /** The current card: of the cards sharing the id, one no other card lists in `previous`; of several, the highest level (then the latest review). */
  current: CardRef;
  /** How many cards the technology has (its level snapshots). */
  cards: number;
  level?: number;
  /** The lowest level of the technology and all its components (a system's TRL), when it has components whose level is known. */
  rolledUpLevel?: number;
  /**
   * The component card that holds the system back: its lowest component (through sub-systems),
   * when that is at or below the system's level, so the system cannot graduate before it.
   * (Below the level, the checker also reports `component-level` on the system card.)
   */
  limitedBy?: CardRef;
  /** The component cards the limit goes through, from the system's component down to `limitedBy`. */
  limitChain?: CardRef[];
  enteredAt?: number;
  owner?: string;
  /** True when the current card's history has at least two dated reviews (so some time is known). */
  dated: boolean;
  /** The levels in the order the technology went through them (runs of the same level merged). */
  path: number[];
  stays: Stay[];
  /** Time per level over completed stays, for each level visited, in level order. */
  time: LevelTime[];
  /** Moves between levels: forward (to > from) and back (to < from). */
  transitions: Transition[];
  /** How many times the technology fell back and came up again to the level it fell from (1→2→1→2 is one cycle). */
  cycles: number;
  /** Since when the technology is at its current level, if known, and how many days that is. */
  since?: string;
  daysAtLevel: Days;
}

export interface LevelStats {
  level: number;
  name: string;
  /** Technologies at this level now (their current card's level). */
  now: number;
  /** Technologies that completed at least one stay at the level, and the spread of their days there. */
  time: Spread | null;
  /** Technologies with a completed stay at this level whose length is unknown. */
  unknown: number;
}

export interface Portfolio {
  version: typeof PORTFOLIO_VERSION;
  /** The date the portfolio was computed for (YYYY-MM-DD): current stays and targets are against it. */
  today: string;
  summary: {
    technologies: number;
    cards: number;
    /** Technologies with dated history, and without (their times are unknown). */
    dated: number;
    undated: number;
    /** Systems held back by a component (see PortfolioTechnology.limitedBy). */
    heldBack: number;
    targets: Record<TargetStatus, number>;
  };
  technologies: PortfolioTechnology[];
  levels: LevelStats[];
  /** Moves between levels across the portfolio, most frequent first. */
  transitions: { from: number; to: number; count: number }[];
  /** Whole paths, most frequent first (at most 10). */
  paths: { path: number[]; count: number }[];
  /** Levels where technologies spent the longest (median of completed stays), longest first. */
  bottlenecks: { level: number; median: number; n: number }[];
  targets: TargetView[];
  /** The highest risks across the technologies' current cards, highest first. */
  risks: RiskView[];
}
