/**
 * Rules on a card's `targets` (the levels a technology is to reach, and by when: TRL4ML's
 * "achieving certain levels in a given period of time"): `target-overdue` (the date has passed
 * and the level is not reached), `target-reached` (the card is already at or above the level).
 *
 * Pure: "today" is passed in (the server and the checker give the real date, tests a fixed
 * one). Without a date, nothing is overdue. Half-typed entries are never guessed at: an entry
 * takes part only when its `level` (an integer 0–9) and `by` (a YYYY-MM-DD day of the calendar)
 * are both well-formed.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { findEntry, type CardModel, type Item } from '../card/model';
import { findPair, rangeOf } from '../card/nodes';
import { technology, type CardLookup } from '../workspace/index';
import { problem, type Problem } from './problem';
import { isCalendarDate } from '../text/date';

/** A well-formed `targets` entry, with absolute offsets of its `level` and `by` values. */
export interface TargetRef {
  level: number;
  by: string;
  levelAt: [number, number];
  byAt: [number, number];
}

const TARGET_KEY = 'target';

/** A target entry as far as it can be read (offsets relative to its node's text), or null. */
function readTarget(node: YamlNode | null | undefined): { level: number; by: string; levelAt: [number, number]; byAt: [number, number] } | null {
  if (!isMap(node)) return null;
  const level = findPair(node, 'level')?.value;
  const by = findPair(node, 'by')?.value;
  if (!isScalar(level) || !isScalar(by)) return null;
  const l = level.value;
  if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > 9) return null;
  if (!isCalendarDate(by.value)) return null;
  const levelAt = rangeOf(level);
  const byAt = rangeOf(by);
  return levelAt && byAt ? { level: l, by: by.value, levelAt, byAt } : null;
}

/** The card's well-formed `targets` entries, in order. Split lists are read per item, memoised on the item. */
export function targetRefs(card: CardModel): TargetRef[] {
  const ref = findEntry(card, 'targets');
  if (!ref) return [];
  const { section, entry } = ref;
  const shift = (t: ReturnType<typeof readTarget>, base: number): TargetRef[] =>
    t ? [{ level: t.level, by: t.by, levelAt: [base + t.levelAt[0], base + t.levelAt[1]], byAt: [base + t.byAt[0], base + t.byAt[1]] }] : [];
  if (section.items) {
    return section.items.flatMap((item: Item) => {
      let t = item.memo.get(TARGET_KEY) as ReturnType<typeof readTarget> | undefined;
      if (t === undefined) {
        t = readTarget(item.node);
        item.memo.set(TARGET_KEY, t);
      }
      return shift(t, section.offset + item.offset);
    });
  }
  if (!isSeq(entry.valueNode)) return [];
  return entry.valueNode.items.flatMap((node) => shift(readTarget(node as YamlNode), section.offset));
}

/**
 * The level a technology has reached, as the index knows it: the highest level of the current
 * cards of its id (a card superseded by a later one is not where the technology stands).
 */
export function technologyLevel(id: string | undefined, index: CardLookup): number | undefined {
  if (id === undefined) return undefined;
  return technology(index, id).top?.level;
}

/**
 * `target-overdue` and `target-reached` for a card at `level` (its own `level` value), on
 * `today` (YYYY-MM-DD). `reached`, when known, is the level the technology has reached across
 * its cards (technologyLevel): an old snapshot whose technology went on to the target's level
 * is not overdue.
 */
export function targetProblems(targets: readonly TargetRef[], level: unknown, today: string | undefined, reached?: number): Problem[] {
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 9) return [];
  const out: Problem[] = [];
  const now = Math.max(level, reached ?? level);
  for (const t of targets) {
    if (t.level <= level) {
      out.push(problem('target-reached', `This card is at TRL ${level}, so the target of TRL ${t.level} (by ${t.by}) is reached: remove it, or replace it with the next target.`, t.levelAt[0], t.levelAt[1], undefined, { level: t.level, by: t.by }));
    } else if (isCalendarDate(today) && t.by < today && t.level > now) {
      out.push(problem('target-overdue', `The target of TRL ${t.level} was due by ${t.by}, and the technology is at TRL ${now}: it is overdue. Agree a new date and change \`by\`, or lower the target's level.`, t.byAt[0], t.byAt[1], undefined, { level: t.level, by: t.by, at: now }));
    }
  }
  return out;
}
