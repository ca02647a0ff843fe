/**
 * What changed since the previous card: the preview's "changes since the previous level"
 * (protocol/preview.ts `CardChanges`). A pure function of two cards' plain values (what YAML
 * gave); it never throws, whatever the values are (non-objects, missing, repeated or numeric
 * ids, values that refer to themselves through YAML aliases), and its answer is bounded
 * (`LIMITS.maxChange*`), so the diff of a 1,000-requirement card stays small.
 *
 * Granularity, as a reviewer reads a gated review:
 * - Fields are compared by path down to three keys (`ethics.status`, `data.datasets`,
 *   `owners.product.owner`): a map is walked into, a scalar or a map three keys down is
 *   compared as a whole, with its values before and after, whole (up to `maxChangeText`).
 * - A list on both sides is compared item by item (`listChanges`): items added, removed and
 *   changed — maps matched by the field that names them (`name`, `id`, `statement`, …) with
 *   the fields that changed, scalars by a diff of the two sequences.
 * - `requirements` and `critical_scenarios` are matched item by item (see `itemsOf`) and
 *   reported in `requirements`, with the item's fields that changed (values before and after)
 *   and its risk before and after when it moved.
 * - `SKIPPED` fields are left out (see there).
 */
import { diffArrays } from 'diff';
import { plainRisk } from '../rules/requirements';
import type { CardChanges, FieldChange, FieldValueChange, ItemChange, RequirementChange } from '../../../protocol/preview';
import { LIMITS, MAX_QUOTED_LENGTH } from '../limits';
import { truncate, yamlNumber } from '../text/escape';

export type CardPath = (string | number)[];

export interface PreviousCard {
  /** Where the previous card is (its URI). */
  uri: string;
  /** How the current card names it in `previous` (a path or an id). */
  written: string;
  /** Its plain value. */
  data: unknown;
}

/**
 * Fields that change at every graduation by construction and are shown elsewhere in the
 * preview, so listing them would only push the real changes down:
 * - `level` (the title and the ladder; the previous card's level is in `CardChanges.previous`),
 * - `history` (gains the new review's entry; the preview draws the whole history),
 * - `previous` (gains the previous card; the preview lists the related cards),
 * - `review` and `debrief` (each card carries the review and the debrief of its own level, so
 *   they are new every time: they are read in full on the card face).
 * `requirements` and `critical_scenarios` are not skipped: they are matched item by item.
 */
export const SKIPPED: ReadonlySet<string> = new Set(['level', 'history', 'previous', 'review', 'debrief']);

/** The lists matched item by item, and the field that names an item without an id. */
const ITEM_LISTS: readonly [list: string, textField: string][] = [
  ['requirements', 'text'],
  ['critical_scenarios', 'scenario'],
];
const ITEM_LIST_NAMES: ReadonlySet<string> = new Set(ITEM_LISTS.map(([l]) => l));

/** How many keys down fields are compared one by one (`owners.product.owner`). */
const MAX_PATH_KEYS = 3;
/** How deep a `before` / `after` value is kept; deeper values are shown as `…`. */
const MAX_VALUE_DEPTH = 5;
/** How deep two values are compared; below it they are equal only when they are the same object. */
const MAX_COMPARE_DEPTH = LIMITS.maxNestingDepth;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Deep equality of plain values. NaN equals NaN (a card compared with itself has no change);
 * dates by their time. Pairs already being compared count as equal, so values that refer to
 * themselves (YAML aliases can build them) and shared sub-values cost one visit per pair.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const seen = new Map<object, Set<object>>();
  const eq = (x: unknown, y: unknown, depth: number): boolean => {
    if (x === y) return true;
    if (typeof x === 'number' && typeof y === 'number') return Number.isNaN(x) && Number.isNaN(y);
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (x instanceof Date || y instanceof Date) return x instanceof Date && y instanceof Date && Object.is(x.getTime(), y.getTime());
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (depth >= MAX_COMPARE_DEPTH) return false;
    let pairs = seen.get(x);
    if (pairs?.has(y)) return true;
    if (!pairs) seen.set(x, (pairs = new Set()));
    pairs.add(y);
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!eq(x[i], y[i], depth + 1)) return false;
      return true;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const k of keys) if (!has(yo, k) || !eq(xo[k], yo[k], depth + 1)) return false;
    return true;
  };
  return eq(a, b, 0);
}

/**
 * The characters a diff's values may still spend (`maxChangeChars`): values are shown whole
 * (strings up to `maxChangeText`) until it is spent, then cut to `maxChangeCutText`.
 */
export class Budget {
  private left: number = LIMITS.maxChangeChars;
  text(): number {
    return this.left > 0 ? LIMITS.maxChangeText : LIMITS.maxChangeCutText;
  }
  spend(n: number): void {
    this.left -= n;
  }
}

/**
 * A value made small enough to show and to send: strings cut to `maxChangeText` (or, once the
 * diff's `budget` is spent, `maxChangeCutText`), lists and maps to their first
 * `maxChangeEntries` entries (then `"… n more"`), nesting below `MAX_VALUE_DEPTH` as `…`;
 * numbers that JSON cannot carry as YAML writes them (`.nan`), dates as ISO text. Plain JSON
 * data, whatever came in.
 */
export function boundedValue(value: unknown, depth = 0, budget?: Budget): unknown {
  if (typeof value === 'string') {
    const s = truncate(value, budget?.text() ?? LIMITS.maxChangeText);
    budget?.spend(s.length);
    return s;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : yamlNumber(value); // + 0: -0 is 0, as JSON writes it
  if (typeof value === 'boolean' || value === null) return value;
  if (value === undefined) return null;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (typeof value !== 'object') return String(value);
  if (depth >= MAX_VALUE_DEPTH) return '…';
  const max = LIMITS.maxChangeEntries;
  if (Array.isArray(value)) {
    // Array.from, not map: a hole in a sparse list becomes null, as JSON writes it.
    const out = Array.from(value.slice(0, max), (v) => boundedValue(v, depth + 1, budget));
    if (value.length > max) out.push(`… ${value.length - max} more`);
    return out;
  }
  const keys = Object.keys(value);
  const entries: [string, unknown][] = keys
    .slice(0, max)
    .map((k) => [truncate(k, LIMITS.maxChangeCutText), boundedValue((value as Record<string, unknown>)[k], depth + 1, budget)]);
  if (keys.length > max) entries.push(['…', `${keys.length - max} more`]);
  // fromEntries defines own properties, so a key named `__proto__` stays a key.
  return Object.fromEntries(entries);
}

/** The risk of a requirement or scenario: p_failure × value when both are in range, else its own `risk`. */
/** A requirement's risk (rules/requirements.ts `plainRisk`, the preview's formula too). */
export const itemRisk = plainRisk;

function idOf(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const id = item.id;
  if (typeof id === 'string' && id.trim() !== '') return id;
  if (typeof id === 'number' || typeof id === 'boolean') return typeof id === 'number' ? yamlNumber(id) : String(id);
  return undefined;
}

interface Item {
  index: number;
  value: unknown;
  /** The key it is matched by. */
  key: string;
  /** Its id as the change shows it, when it has one. */
  id?: string;
  /** Its text (`text`, or `scenario`), when it has one. */
  text?: string;
}

/**
 * The items of a list with their matching keys. An item is matched by its `id` (a number and
 * the same number quoted match: `1` and `"1"`), else by its text (`text`, or `scenario` for a
 * critical scenario, the spaces folded: the authors' scenarios have no id), else by its place
 * in the list. A repeated key is matched by occurrence: the second `id: 3` of the previous card
 * with the second of this one. So a reworded scenario without an id shows as one removed and
 * one added, never as a change of the wrong scenario.
 */
function itemsOf(value: unknown, textField: string): Item[] {
  if (!Array.isArray(value)) return [];
  const count = new Map<string, number>();
  // Array.from, not map: a hole in a sparse list is an item too (undefined).
  return Array.from(value, (v: unknown, index) => {
    const id = idOf(v);
    const raw = isRecord(v) ? v[textField] : undefined;
    const text = typeof raw === 'string' && raw.trim() !== '' ? raw : undefined;
    const folded = text?.replace(/\s+/g, ' ').trim();
    const base = id !== undefined ? `id:${id}` : folded !== undefined ? `text:${folded}` : `index:${index}`;
    const n = (count.get(base) ?? 0) + 1;
    count.set(base, n);
    const item: Item = { index, value: v, key: `${base}\u0000${n}` };
    if (id !== undefined) item.id = n > 1 ? `${truncate(id, MAX_QUOTED_LENGTH)} (${ordinal(n)})` : truncate(id, MAX_QUOTED_LENGTH);
    else if (text === undefined) item.id = `#${index + 1}`;
    if (text !== undefined) item.text = text;
    return item;
  });
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** The names of the fields of two items that differ, in the order of the current item then the previous one. */
function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return sameValue(before, after) ? [] : ['(item)'];
  const names = [...Object.keys(after), ...Object.keys(before).filter((k) => !has(after, k))];
  return names.filter((k) => !sameValue(has(before, k) ? before[k] : undefined, has(after, k) ? after[k] : undefined));
}

class Rows {
  readonly out: CardChanges;
  readonly budget = new Budget();
  private rows = 0;
  constructor(previous: CardChanges['previous']) {
    this.out = { previous, added: [], removed: [], changed: [], requirements: [] };
  }
  /** Whether one more row fits; counts it in `omitted` when not. */
  room(): boolean {
    if (this.rows < LIMITS.maxChangeRows) {
      this.rows++;
      return true;
    }
    this.out.omitted = (this.out.omitted ?? 0) + 1;
    return false;
  }
  value(v: unknown): unknown {
    return boundedValue(v, 0, this.budget);
  }
  /** The fields of two map items that changed, each with its values (the `(item)` of two non-maps: the items themselves). */
  fields(before: unknown, after: unknown, names: readonly string[]): FieldValueChange[] {
    return names.slice(0, LIMITS.maxChangeEntries).map((name) => {
      const f: FieldValueChange = { field: truncate(name, MAX_QUOTED_LENGTH) };
      const b = name === '(item)' ? before : isRecord(before) && has(before, name) ? before[name] : undefined;
      const a = name === '(item)' ? after : isRecord(after) && has(after, name) ? after[name] : undefined;
      if (b !== undefined) f.before = this.value(b);
      if (a !== undefined) f.after = this.value(a);
      return f;
    });
  }
}

const dotted = (path: readonly string[]) => path.map((k) => truncate(k, MAX_QUOTED_LENGTH)).join('.');

function safeLine(lineOf: ((path: CardPath) => number | undefined) | undefined, path: CardPath): number | undefined {
  if (!lineOf) return undefined;
  const line = lineOf(path);
  return typeof line === 'number' && Number.isInteger(line) && line >= 0 ? line : undefined;
}

/** The fields that name an item of a list of maps, the first one every item of both lists has wins. */
const NAME_FIELDS = ['id', 'name', 'statement', 'property', 'scenario', 'text', 'title', 'level', 'what'];

/** A scalar as a matching key (a number and the same number quoted match), or undefined. */
function keyText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.replace(/\s+/g, ' ').trim();
  if (typeof v === 'number') return yamlNumber(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Two lists compared item by item: the items added, removed and changed, in this card's order
 * (the removed ones after). Lists of maps are matched by the field that names their items (the
 * first of `NAME_FIELDS` that every item of both has; repeated names by occurrence), and a
 * changed item carries only its fields that changed; other lists are matched by a diff of the
 * two sequences, a removed item followed by an added one reading as one item changed. Lists
 * longer than `maxChangeListItems` are compared by place. Undefined when nothing changed.
 */
function listChanges(before: readonly unknown[], after: readonly unknown[], rows: Rows, lineAt: (index: number) => number | undefined): ItemChange[] {
  const out: ItemChange[] = [];
  const push = (c: ItemChange, index?: number) => {
    if (!rows.room()) return;
    if (c.change !== 'removed' && index !== undefined) {
      const line = lineAt(index);
      if (line !== undefined) c.line = line;
    }
    out.push(c);
  };
  const changedItem = (label: string, b: unknown, a: unknown, index: number) => {
    const names = changedFields(b, a);
    if (!names.length) return;
    if (isRecord(b) && isRecord(a)) push({ change: 'changed', label, fields: rows.fields(b, a, names) }, index);
    else push({ change: 'changed', label, before: rows.value(b), after: rows.value(a) }, index);
  };
  const maps = before.length + after.length > 0 && [...before, ...after].every(isRecord);
  const name = maps ? NAME_FIELDS.find((f) => [...before, ...after].every((x) => keyText((x as Record<string, unknown>)[f]) !== undefined)) : undefined;
  if (name !== undefined && before.length + after.length <= LIMITS.maxChangeListItems) {
    const keyed = (list: readonly unknown[]) => {
      const count = new Map<string, number>();
      return list.map((v, index) => {
        const k = keyText((v as Record<string, unknown>)[name])!;
        const n = (count.get(k) ?? 0) + 1;
        count.set(k, n);
        return { key: `${k}\u0000${n}`, label: `${name}: ${truncate(k, MAX_QUOTED_LENGTH * 2)}${n > 1 ? ` (${ordinal(n)})` : ''}`, value: v, index };
      });
    };
    const was = keyed(before);
    const byKey = new Map(was.map((w) => [w.key, w]));
    const matched = new Set<string>();
    // An item added or removed is shown whole but for the field its label already says.
    const rest = (v: unknown) => Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => k !== name));
    for (const item of keyed(after)) {
      const old = byKey.get(item.key);
      if (!old) push({ change: 'added', label: item.label, after: rows.value(rest(item.value)) }, item.index);
      else {
        matched.add(item.key);
        changedItem(item.label, old.value, item.value, item.index);
      }
    }
    for (const old of was) if (!matched.has(old.key)) push({ change: 'removed', label: old.label, before: rows.value(rest(old.value)) });
    return out;
  }
  const hunks =
    before.length + after.length <= LIMITS.maxChangeListItems
      ? diffArrays(before as unknown[], after as unknown[], { comparator: sameValue, maxEditLength: LIMITS.maxChangeListItems })
      : undefined;
  if (!hunks) {
    // By place.
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= before.length) push({ change: 'added', label: `#${i + 1}`, after: rows.value(after[i]) }, i);
      else if (i >= after.length) push({ change: 'removed', label: `#${i + 1}`, before: rows.value(before[i]) });
      else changedItem(`#${i + 1}`, before[i], after[i], i);
    }
    return out;
  }
  let i = 0; // in before
  let j = 0; // in after
  for (let h = 0; h < hunks.length; h++) {
    const hunk = hunks[h];
    if (!hunk.added && !hunk.removed) {
      i += hunk.count ?? hunk.value.length;
      j += hunk.count ?? hunk.value.length;
      continue;
    }
    // A run removed and a run added side by side: their first items pair up as changed.
    const removed = hunk.removed ? hunk.value : [];
    const next = hunk.removed && hunks[h + 1]?.added ? hunks[++h].value : [];
    const added = hunk.added ? hunk.value : next;
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++) changedItem(`#${j + k + 1}`, removed[k], added[k], j + k);
    for (let k = pairs; k < added.length; k++) push({ change: 'added', label: `#${j + k + 1}`, after: rows.value(added[k]) }, j + k);
    for (let k = pairs; k < removed.length; k++) push({ change: 'removed', label: `#${i + k + 1}`, before: rows.value(removed[k]) });
    i += removed.length;
    j += added.length;
  }
  return out;
}

/**
 * What changed from `previous` to `current` (a card's plain value). `lineOf` gives a path's
 * line in the current card (for fields added and changed, and `['requirements', i]` for an
 * item), when the caller knows it.
 */
export function cardChanges(previous: PreviousCard, current: unknown, lineOf?: (path: CardPath) => number | undefined): CardChanges {
  const before = isRecord(previous.data) ? previous.data : {};
  const after = isRecord(current) ? current : {};
  const level = before.level;
  const rows = new Rows({ uri: previous.uri, written: previous.written, level: typeof level === 'number' && Number.isInteger(level) && level >= 0 && level <= 9 ? level : null });
  const { out } = rows;

  const field = (path: string[], b: unknown, a: unknown, hadB: boolean, hasA: boolean) => {
    if (!hadB && !hasA) return;
    if (hadB && hasA && isRecord(b) && isRecord(a) && path.length < MAX_PATH_KEYS) {
      walk(path, b, a);
      return;
    }
    if (hadB && hasA && sameValue(b, a)) return;
    if (hadB && hasA && Array.isArray(b) && Array.isArray(a)) {
      // One row for the field, and one for each item that changed.
      if (!rows.room()) return;
      const change: FieldChange = { path: dotted(path), items: [] };
      const line = safeLine(lineOf, path);
      if (line !== undefined) change.line = line;
      out.changed.push(change);
      change.items = listChanges(b, a, rows, (i) => safeLine(lineOf, [...path, i]));
      return;
    }
    if (!rows.room()) return;
    const change: FieldChange = { path: dotted(path) };
    if (hadB) change.before = rows.value(b);
    if (hasA) change.after = rows.value(a);
    const line = hasA ? safeLine(lineOf, path) : undefined;
    if (line !== undefined) change.line = line;
    (hadB && hasA ? out.changed : hasA ? out.added : out.removed).push(change);
  };
  const walk = (path: string[], b: Record<string, unknown>, a: Record<string, unknown>) => {
    for (const k of Object.keys(a)) {
      if (path.length === 0 && (SKIPPED.has(k) || itemList(k, b, a))) continue;
      field([...path, k], b[k], a[k], has(b, k), true);
    }
    for (const k of Object.keys(b)) {
      if (has(a, k) || (path.length === 0 && (SKIPPED.has(k) || itemList(k, b, a)))) continue;
      field([...path, k], b[k], undefined, true, false);
    }
  };
  walk([], before, after);

  for (const [list, textField] of ITEM_LISTS) {
    if (!itemList(list, before, after)) continue;
    const was = itemsOf(before[list], textField);
    const now = itemsOf(after[list], textField);
    const byKey = new Map(was.map((w) => [w.key, w]));
    const matched = new Set<string>();
    const risk = (v: unknown) => (isRecord(v) ? itemRisk(v) : undefined);
    const push = (item: Item, change: RequirementChange['change'], old?: Item) => {
      if (!rows.room()) return;
      const c: RequirementChange = { change };
      if (item.id !== undefined) c.id = item.id;
      if (list !== 'requirements') c.list = list;
      const riskBefore = change === 'added' ? undefined : risk((old ?? item).value);
      const riskAfter = change === 'removed' ? undefined : risk(item.value);
      // The risk before and after only when it moved (an item added or removed: its one risk).
      const moved = change !== 'changed' || riskBefore === undefined || riskAfter === undefined ? riskBefore !== riskAfter : Math.abs(riskBefore - riskAfter) > 1e-9;
      if (old) {
        // Its text is shown once: among the fields when it changed, else to say which item it is.
        const names = changedFields(old.value, item.value).filter((f) => !(f === 'risk' && moved));
        if (!names.includes(textField) && item.text !== undefined) c.text = truncate(item.text, LIMITS.maxChangeItemText);
        if (names.length) c.fields = rows.fields(old.value, item.value, names);
      } else if (item.text !== undefined) c.text = rows.value(item.text) as string;
      if (moved && riskBefore !== undefined) c.riskBefore = riskBefore;
      if (moved && riskAfter !== undefined) c.riskAfter = riskAfter;
      const line = change === 'removed' ? undefined : safeLine(lineOf, [list, item.index]);
      if (line !== undefined) c.line = line;
      out.requirements.push(c);
    };
    for (const item of now) {
      const old = byKey.get(item.key);
      if (!old) {
        push(item, 'added');
        continue;
      }
      matched.add(item.key);
      if (!sameValue(old.value, item.value)) push(item, 'changed', old);
    }
    for (const old of was) if (!matched.has(old.key)) push(old, 'removed');
  }
  return out;
}

/**
 * Whether a top-level field is compared item by item: `requirements` or `critical_scenarios`,
 * a list (or absent) on both sides. A list that became something else is a field change.
 */
function itemList(key: string, before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  if (!ITEM_LIST_NAMES.has(key)) return false;
  const ok = (o: Record<string, unknown>) => !has(o, key) || Array.isArray(o[key]);
  return ok(before) && ok(after);
}
