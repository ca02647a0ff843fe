/**
 * The guarantee behind every fix: a fix is offered only when its result parses to the same
 * top-level keys, changes no field's value but the ones it targets, and adds no problem. The
 * code-action service checks each fix here before it offers it (quick fixes, *Fix all*, and so
 * the checker's `--fix`, which applies *Fix all*): one parse and one check of the fixed card,
 * done only when actions are asked for.
 */
import { parseCard } from '../card/parse';
import { cardText, sectionText } from '../card/document';
import type { CardBody, CardModel } from '../card/model';
import { reparseView } from '../card/markdownCard';
import type { PathSeg } from '../card/nodes';
import type { Problem } from '../rules/problem';

/** A text edit at absolute offsets of the card. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** What a fix changes, as the check reads it. */
export interface FixChange {
  edits: readonly OffsetEdit[];
  /** The card paths whose values the fix changes, adds or removes (all others must keep theirs). */
  targets: readonly (readonly PathSeg[])[];
  /** The codes of the problems the fix removes, one per problem: each must be gone after it. */
  fixes: readonly string[];
  /**
   * Codes the fix may leave inside the text it writes, on purpose: a `TODO` placeholder is a
   * reminder to fill the field in (`placeholder` on a `previous` entry).
   */
  leaves?: readonly string[];
  /**
   * A top-level entry the fix removes, by its key and its place among that key's entries (a
   * repeated key): the others of that key must keep their values.
   */
  removes?: { key: string; occurrence: number };
  /** Values the fixed card must hold (the fix did what it says: a value quoted whole). */
  expect?: readonly { path: readonly PathSeg[]; value: unknown }[];
}

/** Applies offset edits to a text; also gives where each edit's new text stands in the result. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): { text: string; written: [number, number][] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  const written: [number, number][] = [];
  for (const e of sorted) {
    if (e.start < at) throw new Error('overlapping edits');
    out += text.slice(at, e.start);
    written.push([out.length, out.length + e.text.length]);
    out += e.text;
    at = e.end;
  }
  return { text: out + text.slice(at), written };
}

/**
 * Edits of a text `original` followed by edits of the result (`next`, in the result's offsets),
 * as edits of `original`: where a later edit meets an earlier one (overlapping or touching it),
 * the two become one edit of the span they cover. Sorted, never overlapping.
 */
export function composeEdits(original: string, base: readonly OffsetEdit[], next: readonly OffsetEdit[]): OffsetEdit[] {
  const current = applyOffsetEdits(original, base).text;
  let delta = 0;
  type Item = { cs: number; ce: number; base?: OffsetEdit; next?: OffsetEdit };
  const items: Item[] = [...base]
    .sort((a, b) => a.start - b.start)
    .map((e) => {
      const cs = e.start + delta;
      delta += e.text.length - (e.end - e.start);
      return { cs, ce: cs + e.text.length, base: e };
    });
  for (const e of next) items.push({ cs: e.start, ce: e.end, next: e });
  items.sort((a, b) => a.cs - b.cs || a.ce - b.ce);
  const out: OffsetEdit[] = [];
  /** The change in length made by the earlier edits before the group being built. */
  let shift = 0;
  for (let i = 0; i < items.length; ) {
    let ce = items[i].ce;
    let j = i + 1;
    while (j < items.length && items[j].cs <= ce) ce = Math.max(ce, items[j++].ce);
    const group = items.slice(i, j);
    const cs = items[i].cs;
    const bases = group.filter((g) => g.base).map((g) => g.base!);
    const grown = bases.reduce((n, e) => n + e.text.length - (e.end - e.start), 0);
    if (group.every((g) => g.base)) out.push(...bases);
    else {
      const nexts = group.filter((g) => g.next).map((g) => ({ ...g.next!, start: g.next!.start - cs, end: g.next!.end - cs }));
      out.push({ start: cs - shift, end: ce - shift - grown, text: applyOffsetEdits(current.slice(cs, ce), nexts).text });
    }
    shift += grown;
    i = j;
  }
  return out;
}

/** The key a piece of the card that is not `key: value` is compared under (no YAML key is this). */
const NOT_A_MAPPING = '\u0000not-a-mapping';

/** Marks an excluded list element, so that the indices after it still line up. */
const EXCLUDED = Symbol('excluded');

function isContainer(v: unknown): v is Record<string | number, unknown> {
  return v !== null && typeof v === 'object';
}

function has(v: unknown, seg: PathSeg): boolean {
  if (Array.isArray(v)) return typeof seg === 'number' && seg >= 0 && seg < v.length;
  return isContainer(v) && typeof seg === 'string' && Object.prototype.hasOwnProperty.call(v, seg);
}

/** `value` without what is at `path` (a key removed, a list element marked). */
function without(value: unknown, path: readonly PathSeg[]): unknown {
  if (path.length === 0) return EXCLUDED;
  const [seg, ...rest] = path;
  if (!has(value, seg)) return value;
  if (Array.isArray(value)) {
    const copy = value.slice();
    copy[seg as number] = without(value[seg as number], rest);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete copy[seg as string];
  else copy[seg as string] = without(copy[seg as string], rest);
  return copy;
}

/**
 * Deep equality of plain data (NaN equals NaN; prototypes and key order do not matter). An alias
 * to an anchor around it makes a value that contains itself: a pair already being compared is
 * taken as equal (without a stack: a value may nest deeply).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const seen = new Map<object, Set<object>>();
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (Object.is(x, y)) continue;
    if (!isContainer(x) || !isContainer(y) || Array.isArray(x) !== Array.isArray(y)) return false;
    const pairs = seen.get(x) ?? new Set<object>();
    if (pairs.has(y)) continue;
    seen.set(x, pairs.add(y));
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) return false;
      stack.push([x[k], y[k]]);
    }
  }
  return true;
}

type Fields = [key: string, value: unknown][];

/**
 * The card's top-level fields in order (every entry, repeats included); a piece of the card that
 * is not `key: value` counts as a field too, by its text, so that a fix cannot drop it unseen.
 */
function fieldsOf(card: CardModel): Fields {
  const out: Fields = [];
  for (const section of card.sections) {
    for (const entry of section.entries) out.push([entry.key, entry.value]);
    if (section.notAMapping) out.push([NOT_A_MAPPING, sectionText(section).trim()]);
  }
  return out;
}

/** True when an entry of `path[0]` (a key may be repeated) holds `value` at the rest of `path`. */
function holdsValue(fields: Fields, path: readonly PathSeg[], value: unknown): boolean {
  return fields.some(([k, v]) => {
    if (k !== path[0]) return false;
    for (const seg of path.slice(1)) {
      if (!has(v, seg)) return false;
      v = (v as Record<string | number, unknown>)[seg as string];
    }
    return sameValue(v, value);
  });
}

/**
 * A target as far as both cards have it: a field added under a new parent (`owners.rnd.owner`
 * on a card without `owners`) targets the parent it adds.
 */
function effectiveTarget(before: Fields, after: Fields, path: readonly PathSeg[]): readonly PathSeg[] {
  let a: unknown = before.find(([k]) => k === path[0]);
  let b: unknown = after.find(([k]) => k === path[0]);
  if (!a || !b) return path.slice(0, 1);
  a = (a as [string, unknown])[1];
  b = (b as [string, unknown])[1];
  for (let i = 1; i < path.length; i++) {
    if (!has(a, path[i]) || !has(b, path[i])) return path.slice(0, i + 1);
    a = (a as Record<string | number, unknown>)[path[i] as string];
    b = (b as Record<string | number, unknown>)[path[i] as string];
  }
  return path;
}

function excluding(fields: Fields, targets: readonly (readonly PathSeg[])[]): Fields {
  let out = fields;
  for (const t of targets) {
    if (t.length === 0) continue;
    if (t.length === 1) out = out.filter(([k]) => k !== t[0]);
    else out = out.map(([k, v]) => (k === t[0] ? [k, without(v, t.slice(1))] : [k, v]));
  }
  return out;
}

function countCodes(codes: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of codes) out.set(c, (out.get(c) ?? 0) + 1);
  return out;
}

/** Checks fixes of one card: built once per code-action request, from the card as it is. */
export class FixCheck {
  private text?: string;
  private fields?: Fields;
  private counts?: Map<string, number>;
  /** The last result that kept the guarantee, parsed and checked (fix-all's next pass starts from it). */
  private last?: { text: string; card: CardModel; problems: readonly Problem[] };

  constructor(
    private readonly card: CardModel,
    /** The card's problems now (computed once, shared with the code-action service). */
    private readonly problems: () => readonly Problem[],
    /** The problems of another card, checked with the same settings. */
    private readonly problemsOf: (card: CardModel) => readonly Problem[],
  ) {}

  /** The card's text after the change, when the change keeps the guarantee; else undefined. */
  result(change: FixChange): string | undefined {
    if (change.edits.length === 0) return undefined;
    this.text ??= cardText(this.card);
    let applied: { text: string; written: [number, number][] };
    try {
      applied = applyOffsetEdits(this.text, change.edits);
    } catch {
      return undefined;
    }
    if (applied.text === this.text) return undefined;
    // A `.trl.md` card: the same edit of its file, refused when it reaches outside the front matter.
    const card = this.card.body ? reparseView(this.card as CardModel & { body: CardBody }, applied.text) : parseCard(applied.text);
    if (!card) return undefined;
    // Same top-level keys, in the same order, and the same values but at the targets.
    let before = (this.fields ??= fieldsOf(this.card));
    const after = fieldsOf(card);
    const removes = change.removes;
    if (removes) {
      let seen = -1;
      before = before.filter(([k]) => k !== removes.key || ++seen !== removes.occurrence);
      if (seen < removes.occurrence) return undefined;
    }
    const targets = change.targets.map((t) => effectiveTarget(before, after, t));
    const keep = excluding(before, targets);
    const kept = excluding(after, targets);
    if (keep.length !== kept.length) return undefined;
    for (let i = 0; i < keep.length; i++) if (keep[i][0] !== kept[i][0] || !sameValue(keep[i][1], kept[i][1])) return undefined;
    for (const e of change.expect ?? []) if (!holdsValue(after, e.path, e.value)) return undefined;
    // No problem added, and the ones it fixes gone: per code, at most the count before less the fixed ones.
    const counts = (this.counts ??= countCodes(this.problems().map((p) => p.code)));
    const leaves = new Set(change.leaves ?? []);
    const inWritten = (p: Problem) => leaves.has(p.code) && applied.written.some(([s, e]) => s <= p.start && p.end <= e);
    const problems = this.problemsOf(card);
    const now = countCodes(problems.filter((p) => !inWritten(p)).map((p) => p.code));
    const fixed = countCodes(change.fixes);
    for (const [code, n] of now) if (n > (counts.get(code) ?? 0) - (fixed.get(code) ?? 0)) return undefined;
    for (const [code, n] of fixed) if ((now.get(code) ?? 0) > (counts.get(code) ?? 0) - n) return undefined;
    this.last = { text: applied.text, card, problems };
    return applied.text;
  }

  /** The card and problems of `text` when it is the last result checked (no parse again), else undefined. */
  checked(text: string): { card: CardModel; problems: readonly Problem[] } | undefined {
    return this.last?.text === text ? this.last : undefined;
  }

  holds(change: FixChange): boolean {
    return this.result(change) !== undefined;
  }
}
