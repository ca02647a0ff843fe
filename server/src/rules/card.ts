/** Card-wide rules: `empty-card`, top-level `duplicate-key`, `missing-level`, `level-requirement`. */
import { cardLength } from '../card/document';
import { entries, findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';
import { LEVELS, SOURCE_NAMES, levelInfo, unmetUpTo, type Unmet, type LevelField } from '../levels';
import { problem, q, type Problem } from './problem';

function describeUnmet(level: number, req: LevelField, why: Unmet): string {
  const name = LEVELS[level].name;
  const source = SOURCE_NAMES[req.source];
  switch (why.kind) {
    case 'missing':
      return `TRL ${level} (${name}) requires \`${req.field}\`: ${req.reason} (${source}). Add \`${req.field}\` to the card.`;
    case 'too-few':
      return `TRL ${level} (${name}) needs at least ${why.need} entries in \`${req.field}\`; it has ${why.have}: ${req.reason} (${source}).`;
    case 'condition':
      return `TRL ${level} (${name}): ${req.reason} (${source}).`;
  }
}

/** Problems that depend on the whole card, with absolute offsets. */
export function cardProblems(card: CardModel, data: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const all = entries(card);
  if (all.length === 0 && !card.sections.some((s) => s.head.problems.length || s.notAMapping)) {
    out.push(problem('empty-card', 'This card is empty: start with `technology:` and `level:` (the "Level-0 TRL card" snippet, `trl-card`, writes a level-0 skeleton).', 0, Math.min(cardLength(card), 1)));
    return out;
  }
  // Top-level duplicates span sections, so YAML cannot see them: check here.
  const seen = new Set<string>();
  if (!card.whole) {
    for (const { entry, section } of all) {
      if (seen.has(entry.key)) {
        const r = rangeOf(entry.keyNode) ?? [0, 0];
        out.push(problem('duplicate-key', `Duplicate key ${q(entry.key)}: the card already has this field. Remove one of the two, or merge them.`, section.offset + r[0], section.offset + r[1]));
      }
      seen.add(entry.key);
    }
  }
  const levelRef = findEntry(card, 'level');
  if (!levelRef) {
    const first = all[0];
    const r = first ? rangeOf(first.entry.keyNode) ?? [0, 0] : [0, 0];
    const base = first ? first.section.offset : 0;
    out.push(problem('missing-level', 'The card does not say its level: add `level:` with a whole number from 0 (Brainstorming) to 9 (Deployment).', base + r[0], base + r[1]));
    return out;
  }
  const level = data.level;
  if (typeof level !== 'number' || !levelInfo(level)) return out; // invalid-level is reported by the schema rule
  const { entry, section } = levelRef;
  const r = rangeOf(entry.valueNode) ?? rangeOf(entry.keyNode) ?? [0, 0];
  const entered = findEntry(card, 'entered_at');
  if (entered && typeof entered.entry.value === 'number' && entered.entry.value > level) {
    const er = rangeOf(entered.entry.valueNode) ?? rangeOf(entered.entry.keyNode) ?? [0, 0];
    out.push(problem('invalid-value', `\`entered_at\` is ${entered.entry.value}, above the card's level ${level}: a technology cannot have entered the process at a level it has not reached. Lower \`entered_at\`, or raise \`level\`.`, entered.section.offset + er[0], entered.section.offset + er[1]));
  }
  for (const { level: l, req, why } of unmetUpTo(data, level)) {
    out.push(problem('level-requirement', describeUnmet(l, req, why), section.offset + r[0], section.offset + r[1], req.severity));
  }
  return out;
}
