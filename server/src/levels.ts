/**
 * The level table (schemas/levels.json) as typed data, and the checks it implies.
 * The same table drives diagnostics, completions, hovers, the checker and the docs.
 */
import table from '../../schemas/levels.json';

export type Source = 'S' | 'R' | 'J' | '~';
export type Severity = 'error' | 'warning';
/** Named conditions a level entry may depend on; see docs/card-format.md. */
export type Condition = 'simulated-data' | 'no-real-data' | 'no-product-requirement' | 'unvalidated-requirement' | 'ethics-not-done';

export interface LevelField {
  /** Dotted path of the field, e.g. `owners.rnd.owner`. */
  field: string;
  reason: string;
  source: Source;
  severity: Severity;
  /** For lists: how many items the level needs (default: at least one). */
  minItems?: number;
  /** The entry applies only when this condition holds on the card. */
  when?: Condition;
  /** The entry applies even to a card that entered the process above its level (`entered_at`). */
  always?: boolean;
}

export interface Level {
  level: number;
  name: string;
  journalName: string;
  tagline: string;
  reviewers: string;
  gate: string;
  adds: LevelField[];
}

export const LEVELS: readonly Level[] = table.levels as Level[];

export const SOURCE_NAMES: Record<Source, string> = {
  S: 'the TRL4ML paper',
  R: 'the mltrl repository',
  J: 'the MLTRL journal paper',
  '~': 'our reading of the framework',
};

export function levelInfo(level: number): Level | undefined {
  return Number.isInteger(level) ? LEVELS[level] : undefined;
}

/** Every entry a card at `level` must satisfy (levels 0..level), with the level that adds it. */
export function requiredUpTo(level: number): { level: number; req: LevelField }[] {
  const out: { level: number; req: LevelField }[] = [];
  for (const l of LEVELS) {
    if (l.level > level) break;
    for (const req of l.adds) out.push({ level: l.level, req });
  }
  return out;
}

/** The value at a dotted path of plain data, or undefined. */
export function valueAt(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

/** Whether some mapping in the list at `path` satisfies `test` (stops at the first). */
function some(data: unknown, path: string, test: (item: Record<string, unknown>) => boolean): boolean {
  const v = valueAt(data, path);
  if (!Array.isArray(v)) return false;
  for (const x of v) if (x !== null && typeof x === 'object' && !Array.isArray(x) && test(x as Record<string, unknown>)) return true;
  return false;
}

const CONDITIONS: Record<Condition, (card: unknown) => boolean> = {
  // Some dataset is simulated and no sim-to-real plan is written.
  'simulated-data': (card) => some(card, 'data.datasets', (d) => d.simulated === true) && isEmpty(valueAt(card, 'sim_to_real')),
  // No dataset is real (none listed counts: a card that entered above level 2 still needs one).
  'no-real-data': (card) => !some(card, 'data.datasets', (d) => d.simulated === false),
  // No requirement is a product requirement (none listed counts too).
  'no-product-requirement': (card) => !some(card, 'requirements', (r) => r.kind === 'product'),
  // Some requirement is not validated.
  'unvalidated-requirement': (card) => some(card, 'requirements', (r) => r.status !== 'validated'),
  // The ethics review exists but is not done.
  'ethics-not-done': (card) => {
    const status = valueAt(card, 'ethics.status');
    return typeof status === 'string' && status !== 'done' && status !== 'not-applicable';
  },
};

export type Unmet = { kind: 'missing' } | { kind: 'too-few'; have: number; need: number } | { kind: 'condition'; condition: Condition };

/** Whether the card (plain data) fails this entry of the level table, and how. */
export function unmet(card: unknown, req: LevelField): Unmet | undefined {
  if (req.when) return CONDITIONS[req.when](card) ? { kind: 'condition', condition: req.when } : undefined;
  const value = valueAt(card, req.field);
  if (req.minItems !== undefined) {
    // Absence is reported by the entry that requires presence; this one counts items only.
    if (!Array.isArray(value)) return undefined;
    return value.length < req.minItems ? { kind: 'too-few', have: value.length, need: req.minItems } : undefined;
  }
  return isEmpty(value) ? { kind: 'missing' } : undefined;
}

/** The level a card entered the process at (`entered_at`), when it is a valid one. */
export function enteredAt(card: unknown): number {
  const v = valueAt(card, 'entered_at');
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 9 ? v : 0;
}

/**
 * Unmet entries of levels entered_at..level (levels are cumulative from where the technology
 * entered the process), without repeating a field already reported as missing.
 */
export function unmetUpTo(card: unknown, level: number): { level: number; req: LevelField; why: Unmet }[] {
  const out: { level: number; req: LevelField; why: Unmet }[] = [];
  const missing = new Set<string>();
  const from = enteredAt(card);
  for (const { level: l, req } of requiredUpTo(level)) {
    if (l < from && !req.always) continue;
    const why = unmet(card, req);
    if (!why) continue;
    if (why.kind === 'missing') {
      if (missing.has(req.field)) continue;
      missing.add(req.field);
    } else if (isEmpty(valueAt(card, req.field)) && missing.has(req.field)) continue;
    out.push({ level: l, req, why });
  }
  return out;
}
