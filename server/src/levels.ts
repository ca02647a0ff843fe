/**
 * The level table (schemas/levels.json) as typed data, a team's adjustments to it, and a card's
 * level status: what its level asks of it, and what it still lacks. The same table and the same
 * status drive diagnostics, completions, hovers, the checker and the docs.
 */
import table from '../../schemas/levels.json';
import { isBlankText, isPlaceholderValue, placeholderPaths } from './text/placeholder';
import { webUrl } from './text/links';

export type QuoteSource = 'paper' | 'template' | 'example' | 'checklist' | 'talk' | 'reading' | 'team';
export type EntrySeverity = 'error' | 'warning' | 'information' | 'hint';
export type Scope = 'gate' | 'standing';
/** Named conditions a level entry may depend on; see docs/card-format.md. */
export type Condition =
  | 'simulated-data'
  | 'no-real-data'
  | 'no-product-requirement'
  | 'unvalidated-requirement'
  | 'ethics-not-done'
  | 'unreferenced-hypothesis'
  | 'failing-tests'
  | 'failed-requirement'
  | 'review-without-tasks';

export interface Quote {
  text: string;
  source: QuoteSource;
  where: string;
}

export interface LevelField {
  /** Dotted path of the field the entry asks for (what a fix would add), e.g. `owners.rnd.owner`. */
  field: string;
  /** Paths any one of which satisfies the entry; `list[].key`: every item (at least one) has it. */
  anyOf?: string[];
  /** The entry fails when this condition holds on the card (instead of when `field` is missing). */
  when?: Condition;
  /** For lists: how many items the entry needs, counted over every path of `anyOf`. */
  minItems?: number;
  /** `gate`: asked of a card at this level only; `standing`: from this level on. */
  scope: Scope;
  /** Applies even to a card that entered the process above this level (`entered_at`). */
  always?: boolean;
  /** Applies only to a card above the level it entered at. */
  onlyAboveEntry?: boolean;
  severity: EntrySeverity;
  reason: string;
  quote: Quote;
}

export interface Level {
  level: number;
  /** The authors' current name. */
  name: string;
  /** The TRL4ML paper's name, where it differs from `name`. */
  paperName: string;
  tagline: string;
  reviewers: string;
  gate: string;
  adds: LevelField[];
}

export const LEVELS: readonly Level[] = table.levels as Level[];

export const SOURCE_NAMES: Record<QuoteSource, string> = {
  paper: 'the TRL4ML paper',
  template: "the authors' card template",
  example: "the authors' example cards",
  checklist: "the authors' ethics checklist",
  talk: "the authors' talk",
  reading: 'our reading of the framework',
  team: "your team's configuration",
};

/** "TRL 0 — First Principles (the paper: Brainstorming)". */
export function levelTitle(l: Level): string {
  return `TRL ${l.level} — ${l.name}${l.paperName !== l.name ? ` (the paper: ${l.paperName})` : ''}`;
}

/** "TRL 4 (Proof of Concept (PoC) Development)": short, for messages. */
export function levelLabel(l: Level): string {
  return `TRL ${l.level} (${l.name})`;
}

export function levelInfo(level: unknown, levels: readonly Level[] = LEVELS): Level | undefined {
  return typeof level === 'number' && Number.isInteger(level) ? levels[level] : undefined;
}

// ---------------------------------------------------------------------------------------------
// A team's adjustments (trl-cards.config.yaml), merged over the built-in table.

export type SeverityOverride = EntrySeverity | 'off';

export interface TeamEntry {
  field: string;
  scope?: Scope;
  severity?: EntrySeverity;
  reason?: string;
}

export interface TeamLevel {
  /** Extra entries for this level. */
  require?: TeamEntry[];
  /** New severities (or `off`) for this level's built-in entries, by field. */
  entries?: Record<string, SeverityOverride>;
}

/** The parts of the team configuration that shape the level table. */
export interface LevelConfig {
  levels?: Partial<Record<string, TeamLevel>>;
}

const merged = new WeakMap<LevelConfig, readonly Level[]>();

/** The level table with a team's adjustments; the same object for the same configuration. */
export function levelTable(config?: LevelConfig): readonly Level[] {
  if (!config?.levels) return LEVELS;
  const known = merged.get(config);
  if (known) return known;
  const out = LEVELS.map((l) => {
    const team = config.levels?.[String(l.level)];
    if (!team) return l;
    const adds: LevelField[] = [];
    for (const entry of l.adds) {
      const override = team.entries && Object.hasOwn(team.entries, entry.field) ? team.entries[entry.field] : undefined;
      if (override === 'off') continue;
      adds.push(override ? { ...entry, severity: override } : entry);
    }
    for (const r of team.require ?? []) {
      adds.push({
        field: r.field,
        scope: r.scope ?? 'standing',
        severity: r.severity ?? 'warning',
        reason: r.reason ?? `your team requires it from TRL ${l.level}`,
        quote: { text: r.reason ?? `required by the team from TRL ${l.level}`, source: 'team', where: 'trl-cards.config.yaml' },
      });
    }
    return { ...l, adds };
  });
  merged.set(config, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading a card's plain data.

/** The value at a dotted path of plain data, or undefined. */
export function valueAt(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const part of pathParts(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The paths the level table names, each split once (it names a few dozen). */
const PARTS = new Map<string, string[]>();

function pathParts(path: string): string[] {
  let parts = PARTS.get(path);
  if (!parts) {
    parts = path.split('.');
    if (PARTS.size < 1000) PARTS.set(path, parts);
  }
  return parts;
}

export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

/**
 * Whether a value says nothing: empty (see `isEmpty`) or only placeholders (`TODO …`, `TBD`,
 * `<link to …>`: text/placeholder.ts). What the level table asks for is missing when absent.
 */
export function isAbsent(value: unknown): boolean {
  return isEmpty(value) || (typeof value === 'string' && isBlankText(value)) || isPlaceholderValue(value);
}

/** Whether a path of `anyOf` holds: `a.b`, or `list[].key` (every item, at least one, has it). */
function pathHolds(data: unknown, path: string): boolean {
  const at = path.indexOf('[].');
  if (at < 0) {
    const v = valueAt(data, path);
    // A test status of `none` says there are no such tests: not what a level asks for.
    return !isAbsent(v) && !(v === 'none' && TEST_STATUS.has(path));
  }
  const list = valueAt(data, path.slice(0, at));
  if (!Array.isArray(list) || list.length === 0) return false;
  const rest = path.slice(at + 3);
  return list.every((item) => pathHolds(item, rest));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Whether some mapping in the list at `path` satisfies `test` (stops at the first). */
function some(data: unknown, path: string, test: (item: Record<string, unknown>) => boolean): boolean {
  const v = valueAt(data, path);
  return Array.isArray(v) && v.some((x) => isRecord(x) && test(x));
}

/** A relative path to a file: no scheme, no space; a folder or an extension (`docs/vv.md`, `VV.xlsx`). */
const RELATIVE_FILE = /^(?![a-z][a-z0-9+.-]*:)(?!\/\/)[^\s?#<>"|*]+(?:\/|\.[A-Za-z0-9]{1,8})[^\s?#<>"|*]*$/i;

/** The card keeps verification, validation and statuses of its requirements in a linked table. */
export function requirementsLinked(card: unknown): boolean {
  // A link: an http(s) URL (text/links.ts) or a relative path to a file of the repository
  // (`docs/vv-table.md`), not a placeholder nor words ("see wiki").
  const v = valueAt(card, 'links.requirements');
  return typeof v === 'string' && !isAbsent(v) && (webUrl(v) !== undefined || RELATIVE_FILE.test(v));
}

/** A path inside the card: keys and list indexes. */
export type CardPath = (string | number)[];

const TEST_SUITES = ['unit', 'integration', 'regression'] as const;

/** The test statuses (`none`, `partial`, `passing`, `failing`) a level entry may ask for. */
const TEST_STATUS: ReadonlySet<string> = new Set(['testing.unit', 'testing.integration', 'testing.regression', 'testing.style', 'testing.documentation']);

/**
 * What each condition finds: false when it does not hold, true when it holds for the card as a
 * whole, or the paths of the values that make it hold (to report on each).
 */
const CONDITIONS: Record<Condition, (card: unknown) => boolean | CardPath[]> = {
  // Some dataset is simulated (not a benchmark problem) and no sim-to-real plan is written.
  'simulated-data': (card) => some(card, 'data.datasets', (d) => d.simulated === true && d.benchmark !== true) && isAbsent(valueAt(card, 'sim_to_real')),
  // No dataset is real (none listed counts).
  'no-real-data': (card) => !some(card, 'data.datasets', (d) => d.simulated === false),
  // No requirement is a product requirement (none listed counts too).
  'no-product-requirement': (card) => !some(card, 'requirements', (r) => r.kind === 'product'),
  // Some requirement is not validated. A linked V&V table (`links.requirements`) stands in for
  // the statuses the card leaves out, never for one it states.
  'unvalidated-requirement': (card) => {
    const linked = requirementsLinked(card);
    return some(card, 'requirements', (r) => r.status !== 'validated' && !(linked && r.status === undefined));
  },
  // The ethics review exists but is not done.
  'ethics-not-done': (card) => {
    const status = valueAt(card, 'ethics.status');
    return typeof status === 'string' && status !== 'done' && status !== 'not-applicable';
  },
  // Some stated hypothesis names no reference: each such statement.
  'unreferenced-hypothesis': (card) => {
    const list = valueAt(card, 'hypotheses');
    if (!Array.isArray(list)) return false;
    const out: CardPath[] = [];
    list.forEach((h, i) => {
      if (isRecord(h) && isAbsent(h.references) && !isAbsent(h.statement)) out.push(['hypotheses', i, 'statement']);
    });
    return out.length ? out : false;
  },
  // A test suite is failing: each failing status.
  'failing-tests': (card) => {
    const out: CardPath[] = TEST_SUITES.filter((s) => valueAt(card, `testing.${s}`) === 'failing').map((s) => ['testing', s]);
    return out.length ? out : false;
  },
  // A requirement or critical scenario says it failed: each such status.
  'failed-requirement': (card) => {
    const out: CardPath[] = [];
    for (const key of ['requirements', 'critical_scenarios']) {
      const list = valueAt(card, key);
      if (Array.isArray(list)) list.forEach((r, i) => isRecord(r) && r.status === 'failed' && out.push([key, i, 'status']));
    }
    return out.length ? out : false;
  },
  // The review does not graduate the technology (it holds it, or sends it back) and lists no tasks still needed.
  'review-without-tasks': (card) => {
    const d = valueAt(card, 'review.decision');
    return (d === 'hold' || d === 'revert') && isAbsent(valueAt(card, 'review.tasks')) ? [['review', 'decision']] : false;
  },
};

export type Unmet =
  | { kind: 'missing' }
  /** Written, but only placeholders: `at` are the placeholder strings (paths in the card). */
  | { kind: 'placeholder'; at: CardPath[] }
  /** A test status the level asks for says `none`: the card states there are no such tests. */
  | { kind: 'none'; at: CardPath[] }
  | { kind: 'too-few'; have: number; need: number }
  | { kind: 'condition'; condition: Condition; at?: CardPath[] };

/** How many items the lists at `paths` hold, placeholders (`- TODO name a reviewer`) not counted. */
function count(data: unknown, paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) {
    const v = valueAt(data, p);
    if (Array.isArray(v)) for (const x of v) if (!isAbsent(x)) n++;
  }
  return n;
}

/** The placeholder strings of the first path of `paths` that holds only placeholders (as card paths). */
function placeholdersAt(data: unknown, paths: readonly string[]): CardPath[] {
  for (const p of paths) {
    const at = p.indexOf('[].');
    if (at < 0) {
      const v = valueAt(data, p);
      if (!isEmpty(v) && isPlaceholderValue(v)) return placeholderPaths(v, pathParts(p));
      continue;
    }
    // `list[].key`: the items whose key is only placeholders.
    const list = valueAt(data, p.slice(0, at));
    if (!Array.isArray(list)) continue;
    const rest = p.slice(at + 3);
    const out: CardPath[] = [];
    list.forEach((item, i) => {
      const v = valueAt(item, rest);
      if (!isEmpty(v) && isPlaceholderValue(v)) out.push(...placeholderPaths(v, [...pathParts(p.slice(0, at)), i, ...pathParts(rest)]));
    });
    if (out.length) return out;
  }
  return [];
}

/** Whether the card (plain data) fails this entry of the level table, and how. */
export function unmet(card: unknown, req: LevelField): Unmet | undefined {
  if (req.when) {
    const found = CONDITIONS[req.when](card);
    if (found === false) return undefined;
    return found === true ? { kind: 'condition', condition: req.when } : { kind: 'condition', condition: req.when, at: found };
  }
  const paths = req.anyOf ?? [req.field];
  if (req.minItems !== undefined) {
    // Absence is reported by the entry that requires presence; this one counts items only.
    if (!paths.some((p) => Array.isArray(valueAt(card, p)))) return undefined;
    const have = count(card, paths);
    return have < req.minItems ? { kind: 'too-few', have, need: req.minItems } : undefined;
  }
  if (paths.some((p) => pathHolds(card, p))) return undefined;
  const at = placeholdersAt(card, paths);
  if (at.length) return { kind: 'placeholder', at };
  const none = paths.filter((p) => TEST_STATUS.has(p) && valueAt(card, p) === 'none');
  return none.length ? { kind: 'none', at: none.map((p) => [...pathParts(p)]) } : { kind: 'missing' };
}

/** The level a card entered the process at (`entered_at`), when it is a valid one. */
export function enteredAt(card: unknown): number {
  const v = valueAt(card, 'entered_at');
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 9 ? v : 0;
}

/** Whether an entry of level `at` applies to a card at `level` that entered at `from`. */
export function applies(req: LevelField, at: number, level: number, from: number): boolean {
  if (at > level) return false;
  if (req.scope === 'gate' && at !== level) return false;
  if (at < from && !req.always) return false;
  if (req.onlyAboveEntry && level <= from) return false;
  return true;
}

/** Every entry that applies to a card at `level` that entered at `from`, with the level that adds it. */
export function entriesFor(level: number, from: number, levels: readonly Level[] = LEVELS): { level: number; req: LevelField }[] {
  const out: { level: number; req: LevelField }[] = [];
  for (const l of levels) {
    if (l.level > level) break;
    for (const req of l.adds) if (applies(req, l.level, level, from)) out.push({ level: l.level, req });
  }
  return out;
}

export interface UnmetEntry {
  level: number;
  req: LevelField;
  why: Unmet;
}

/** A card's level status: where it stands, and what its level and the next one ask of it. */
export interface LevelStatus {
  level: number;
  enteredAt: number;
  /** Entries of this card's level (and below) that the card fails. */
  unmet: UnmetEntry[];
  /** Entries the next level adds that the card does not meet yet (empty at TRL 9). */
  next: UnmetEntry[];
  /** Whether nothing this level asks at error or warning severity is missing. */
  ready: boolean;
}

const RANK: Record<EntrySeverity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * Unmet entries among `list`, each field reported once: of several entries asking for the same
 * missing field (or the same condition on it), the one with the highest severity, in the place
 * of the first. A condition on a field already reported missing is not reported again.
 */
function unmetOf(card: unknown, list: readonly { level: number; req: LevelField }[]): UnmetEntry[] {
  const out: UnmetEntry[] = [];
  const slot = new Map<string, number>();
  for (const { level, req } of list) {
    const why = unmet(card, req);
    if (!why) continue;
    const absentField = why.kind === 'missing' || why.kind === 'placeholder' || why.kind === 'none';
    if (!absentField && isAbsent(valueAt(card, req.field)) && slot.has(req.field)) continue;
    const key = absentField ? req.field : why.kind === 'condition' ? `${req.field}?${why.condition}` : undefined;
    const at = key === undefined ? undefined : slot.get(key);
    if (at === undefined) {
      if (key !== undefined) slot.set(key, out.length);
      out.push({ level, req, why });
    } else if (RANK[req.severity] < RANK[out[at].req.severity]) out[at] = { level, req, why };
  }
  return out;
}

/** The level status of a card (plain data) at a valid `level`. */
export function levelStatus(card: unknown, level: number, levels: readonly Level[] = LEVELS): LevelStatus {
  const from = enteredAt(card);
  const unmetHere = unmetOf(card, entriesFor(level, from, levels));
  const nextLevel = levels[level + 1];
  const next = nextLevel
    ? unmetOf(
        card,
        nextLevel.adds
          .filter((req) => applies(req, nextLevel.level, nextLevel.level, Math.min(from, level)))
          .map((req) => ({ level: nextLevel.level, req })),
      )
    : [];
  return { level, enteredAt: from, unmet: unmetHere, next, ready: !unmetHere.some((u) => u.req.severity === 'error' || u.req.severity === 'warning') };
}

/** Level-table entries about a dotted field path (the field itself or a field inside it). */
export function levelEntriesFor(field: string, levels: readonly Level[] = LEVELS): { level: number; req: LevelField }[] {
  const out: { level: number; req: LevelField }[] = [];
  const about = (f: string) => f === field || f.startsWith(field + '.') || f.replace(/\[\]/g, '') === field;
  for (const l of levels) for (const req of l.adds) if (about(req.field) || req.anyOf?.some(about)) out.push({ level: l.level, req });
  return out;
}

/** "required on a TRL 4 card", "from TRL 4", with what narrows it. */
export function scopeWords(req: LevelField, level: number): string {
  const base = req.scope === 'gate' ? `to leave TRL ${level}` : `from TRL ${level} on`;
  const extra = [req.always ? 'on every card' : '', req.onlyAboveEntry ? 'on cards above their entry level' : ''].filter(Boolean);
  return extra.length ? `${base}, ${extra.join(', ')}` : base;
}
