/**
 * Rules on a technology's path through the levels (TRL4ML: "no technology can skip levels
 * after the TRL4ML process has been initiated"; cycling back is expected).
 *
 * On one card's `history`: `level-skipped` (a rise of more than one level between two
 * entries), `history-order` (a date before the previous entry's), `history-mismatch` (the last
 * entry does not lead to the card's `level`), `history-start` (the first entry is not at
 * `entered_at`, or 0). Across cards, from the workspace index: `previous-level` (a `previous`
 * card above this card's level with no fall in `history`, or more than one level below with
 * nothing recording the levels in between).
 *
 * Half-typed entries are never guessed at: an entry takes part only when its `level` (an
 * integer 0–9) and its `date` (YYYY-MM-DD) are both well-formed, and two entries are compared
 * only when they are next to each other in the list. The schema rule reports the rest.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { findEntry, type CardModel, type Item } from '../card/model';
import { findPair, rangeOf } from '../card/nodes';
import { uriKey, type CardFacts, type CardLookup } from '../workspace/index';
import { problem, q, type Problem } from './problem';
import { isCalendarDate } from '../text/date';

/** One `history` entry as far as it can be read; offsets relative to the entry's block. */
export interface Step {
  level?: number;
  levelAt?: [number, number];
  date?: string;
  dateAt?: [number, number];
  decision?: 'graduate' | 'hold' | 'revert';
}

const STEP_KEY = 'history-step';

function isLevel(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 9;
}

/** Reads one entry node. Never throws: anything malformed is left out. */
export function readStep(node: YamlNode | null | undefined): Step {
  const step: Step = {};
  if (!isMap(node)) return step;
  const level = findPair(node, 'level')?.value;
  if (isScalar(level) && isLevel(level.value)) {
    step.level = level.value;
    step.levelAt = rangeOf(level);
  }
  const date = findPair(node, 'date')?.value;
  if (isScalar(date) && isCalendarDate(date.value)) {
    step.date = date.value;
    step.dateAt = rangeOf(date);
  }
  const decision = findPair(node, 'decision')?.value;
  if (isScalar(decision) && (decision.value === 'graduate' || decision.value === 'hold' || decision.value === 'revert')) step.decision = decision.value;
  return step;
}

/** A `history` entry with the absolute offset its ranges are relative to. */
export interface PlacedStep {
  step: Step;
  base: number;
}

/** The card's `history` entries in order. Split lists are read per item, memoised on the item. */
export function historySteps(card: CardModel): PlacedStep[] {
  const ref = findEntry(card, 'history');
  if (!ref) return [];
  const { section, entry } = ref;
  if (section.items) {
    return section.items.map((item: Item) => {
      let step = item.memo.get(STEP_KEY) as Step | undefined;
      if (!step) {
        step = readStep(item.node);
        item.memo.set(STEP_KEY, step);
      }
      return { step, base: section.offset + item.offset };
    });
  }
  if (!isSeq(entry.valueNode)) return [];
  return entry.valueNode.items.map((node) => ({ step: readStep(node as YamlNode), base: section.offset }));
}

/** An entry that takes part in the checks: level and date both well-formed. */
type Readable = Step & { level: number; levelAt: [number, number]; date: string; dateAt: [number, number] };

function readable(step: Step | undefined): step is Readable {
  return step !== undefined && step.level !== undefined && step.levelAt !== undefined && step.date !== undefined && step.dateAt !== undefined;
}

/** "TRL 2", "TRL 2 and 3", "TRL 2 to 4". */
function levelSpan(from: number, to: number): string {
  if (from === to) return `TRL ${from}`;
  return to === from + 1 ? `TRL ${from} and ${to}` : `TRL ${from} to ${to}`;
}

function plural(from: number, to: number): string {
  return from === to ? '' : 's';
}

/** The `history` rules of one card, absolute offsets. */
export function transitionProblems(card: CardModel): Problem[] {
  const placed = historySteps(card);
  if (placed.length === 0) return [];
  const out: Problem[] = [];
  const on = (p: PlacedStep, range: [number, number]) => [p.base + range[0], p.base + range[1]] as const;
  for (let i = 1; i < placed.length; i++) {
    const prev = placed[i - 1].step;
    const cur = placed[i].step;
    if (!readable(prev) || !readable(cur)) continue;
    if (cur.level > prev.level + 1) {
      const span = levelSpan(prev.level + 1, cur.level - 1);
      out.push(problem('level-skipped', `\`history\` goes from TRL ${prev.level} to TRL ${cur.level}, skipping ${span}: once the TRL process has started, no level can be skipped. Record the review${plural(prev.level + 1, cur.level - 1)} of ${span} in between, or correct this level.`, ...on(placed[i], cur.levelAt)));
    }
    if (cur.date < prev.date) {
      out.push(problem('history-order', `This review is dated ${cur.date}, before the previous entry's ${prev.date}: \`history\` lists the reviews in the order they happened. Correct the date, or move the entry to its place.`, ...on(placed[i], cur.dateAt)));
    }
  }

  const levelValue = findEntry(card, 'level')?.entry.value;
  const level = isLevel(levelValue) ? levelValue : undefined;
  const enteredRef = findEntry(card, 'entered_at');
  // An `entered_at` that is not a level, or above `level`, is reported elsewhere: no start check then.
  const entered = enteredRef === undefined ? 0 : isLevel(enteredRef.entry.value) ? enteredRef.entry.value : undefined;

  const first = placed[0].step;
  // A card may keep only its recent reviews, the earlier ones being on the `previous` cards it lists.
  const previousListed = Array.isArray(findEntry(card, 'previous')?.entry.value) && (findEntry(card, 'previous')!.entry.value as unknown[]).length > 0;
  if (
    readable(first) &&
    entered !== undefined &&
    !(previousListed && first.level > entered) &&
    (level === undefined || entered <= level) &&
    first.level !== entered
  ) {
    let message: string;
    if (first.level < entered) {
      message = `\`history\` starts at TRL ${first.level}, below \`entered_at\` (${entered}): a technology that entered the TRL process at TRL ${entered} has no reviews below it. Set \`entered_at: ${first.level}\`, or remove the entries from before it entered.`;
    } else if (enteredRef === undefined) {
      message = `\`history\` starts at TRL ${first.level}, but the card does not say it entered the TRL process above level 0. If the technology started at TRL ${first.level} (an off-the-shelf model, a component split off a system), add \`entered_at: ${first.level}\`; otherwise record the review${plural(0, first.level - 1)} of ${levelSpan(0, first.level - 1)} first.`;
    } else {
      message = `\`history\` starts at TRL ${first.level}, but \`entered_at\` is ${entered}: once in the process, no level is skipped. Record the review${plural(entered, first.level - 1)} of ${levelSpan(entered, first.level - 1)} first, or set \`entered_at: ${first.level}\`.`;
    }
    out.push(problem('history-start', message, ...on(placed[0], first.levelAt)));
  }

  const last = placed[placed.length - 1].step;
  if (readable(last) && level !== undefined) {
    const agrees = last.level === level || (last.decision === 'graduate' && last.level + 1 === level) || (last.decision === 'revert' && last.level > level);
    if (!agrees) {
      const decided = last.decision ? ` (decision \`${last.decision}\`)` : '';
      const message =
        last.level < level
          ? `\`history\` ends with the review of TRL ${last.level}${decided}, but the card claims TRL ${level}: record the review${plural(last.level + 1, level)} that brought the technology to TRL ${level}, or correct \`level\`.`
          : `\`history\` ends with the review of TRL ${last.level}${decided}, above the card's TRL ${level}: if the technology was dialled back to TRL ${level}, say so with \`decision: revert\`; otherwise raise \`level\` to ${last.level}, or correct this entry.`;
      out.push(problem('history-mismatch', message, ...on(placed[placed.length - 1], last.levelAt)));
    }
  }
  return out;
}

/** What the cross-card rule needs of a card's path: small, so the checker can keep it per card. */
export interface PathFacts {
  /** `entered_at` when it is a level; undefined when absent or malformed. */
  enteredAt?: number;
  /** The entries of `history` with a well-formed level, in order. */
  history: { level: number; revert: boolean }[];
}

export function pathFacts(card: CardModel): PathFacts {
  const facts: PathFacts = { history: [] };
  const entered = findEntry(card, 'entered_at')?.entry.value;
  if (isLevel(entered)) facts.enteredAt = entered;
  for (const { step } of historySteps(card)) if (step.level !== undefined) facts.history.push({ level: step.level, revert: step.decision === 'revert' });
  return facts;
}

export interface PreviousRef {
  value: string;
  start: number;
  end: number;
}

function describe(facts: CardFacts, fromUri: string): string {
  const from = fromUri.slice(0, fromUri.lastIndexOf('/') + 1);
  const where = facts.uri.startsWith(from) ? facts.uri.slice(from.length) : facts.uri;
  return `${facts.id ? `${q(facts.id)} ` : ''}(${decodeURIComponent(where)})`;
}

function resolve(fromUri: string, relative: string): string | undefined {
  try {
    return new URL(relative, fromUri).toString();
  } catch {
    return undefined;
  }
}

/**
 * `previous-level`: each `previous` entry that resolves to a card in the index, against this
 * card's level and path. Entries that do not resolve are not this rule's concern.
 */
export function previousLevelProblems(
  level: unknown,
  previous: readonly PreviousRef[],
  path: PathFacts | undefined,
  uri: string,
  index: CardLookup,
): Problem[] {
  if (!isLevel(level) || previous.length === 0) return [];
  const history = path?.history ?? [];
  const resolved: { ref: PreviousRef; facts: CardFacts; level: number }[] = [];
  for (const ref of previous) {
    const target = resolve(uri, ref.value);
    const facts = target ? index.byUri(target) : undefined;
    if (!facts || uriKey(facts.uri) === uriKey(uri) || !isLevel(facts.level)) continue;
    resolved.push({ ref, facts, level: facts.level });
  }
  const out: Problem[] = [];
  // For each history entry, whether a later entry is lower: one pass from the end.
  const fallsAfter: boolean[] = new Array(history.length);
  for (let i = history.length - 1, lowest = Infinity; i >= 0; i--) {
    fallsAfter[i] = lowest < history[i].level;
    lowest = Math.min(lowest, history[i].level);
  }
  for (const { ref, facts, level: p } of resolved) {
    if (p > level) {
      // Explained by a fall in this card's history from that level or above.
      const fell = history.some((s, i) => s.level >= p && (s.revert || fallsAfter[i]));
      if (fell) continue;
      out.push(
        problem(
          'previous-level',
          `The previous card ${describe(facts, uri)} is at TRL ${p}, above this card's TRL ${level}, and \`history\` records no fall from TRL ${p}: if the technology was dialled back, record the review that reverted it in \`history\`; otherwise check \`level\` and this link.`,
          ref.start,
          ref.end,
        ),
      );
    } else if (p < level - 1) {
      // A technology that entered the process above that card's level (a component split off a system) did not skip.
      if (path?.enteredAt !== undefined && path.enteredAt > p) continue;
      if (resolved.some((o) => o.level > p && o.level < level)) continue;
      const missing: number[] = [];
      for (let l = p + 1; l < level; l++) if (!history.some((s) => s.level === l)) missing.push(l);
      if (missing.length === 0) continue;
      const cards =
        missing.length === 1 ? `the TRL ${missing[0]} card` : `the TRL ${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]} cards`;
      out.push(
        problem(
          'previous-level',
          `The previous card ${describe(facts, uri)} is at TRL ${p} and this card claims TRL ${level}: levels cannot be skipped. Link ${cards} in \`previous\`, or record the path in \`history\`.`,
          ref.start,
          ref.end,
        ),
      );
    }
  }
  return out;
}
