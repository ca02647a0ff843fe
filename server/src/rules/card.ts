/** Card-wide rules: `empty-card`, top-level `duplicate-key`, `missing-level`, `level-requirement`. */
import { cardLength } from '../card/document';
import { rangeAt } from '../card/locate';
import { entries, findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';
import { LEVELS, levelInfo, levelLabel, levelStatus, type Level, type LevelField, type Unmet } from '../levels';
import { problem, q, type Problem } from './problem';

function fieldWords(req: LevelField): string {
  const alternatives = (req.anyOf ?? []).filter((p) => p !== req.field).map((p) => `\`${p.replace(/\[\]/g, '[]')}\``);
  return alternatives.length ? `\`${req.field}\` (or ${alternatives.join(', or ')})` : `\`${req.field}\``;
}

function describeUnmet(levels: readonly Level[], level: number, req: LevelField, why: Unmet): string {
  const label = levelLabel(levels[level] ?? LEVELS[level]);
  const source = req.quote.where;
  const lead = req.scope === 'gate' ? `To leave ${label}, the card needs` : `From ${label} on, a card needs`;
  switch (why.kind) {
    case 'missing':
      return `${lead} ${fieldWords(req)}: ${req.reason} (${source}). Add \`${req.field}\` to the card.`;
    case 'none':
      return `${lead} ${fieldWords(req)}: ${req.reason} (${source}). \`none\` says there are no such tests: write the tests, and their status (\`partial\`, \`passing\` or \`failing\`).`;
    case 'placeholder':
      return `${lead} ${fieldWords(req)}: ${req.reason} (${source}). This is a placeholder, not ${req.field.includes('.') ? 'the value' : `\`${req.field}\``}: replace it with what the entry asks for.`;
    case 'too-few':
      return `${label}: ${req.reason}; \`${req.field}\` lists ${why.have}, the entry asks for at least ${why.need} (${source}).`;
    case 'condition':
      return `${label}: ${req.reason} (${source}).`;
  }
}

/** Problems that depend on the whole card, with absolute offsets. */
export function cardProblems(card: CardModel, data: Record<string, unknown>, levels: readonly Level[] = LEVELS): Problem[] {
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
        out.push(problem('duplicate-key', `Duplicate key ${q(entry.key)}: the card already has this field. Remove one of the two, or merge them.`, section.offset + r[0], section.offset + r[1], undefined, { key: entry.key }));
      }
      seen.add(entry.key);
    }
  }
  const levelRef = findEntry(card, 'level');
  if (!levelRef) {
    const first = all[0];
    const r = first ? rangeOf(first.entry.keyNode) ?? [0, 0] : [0, 0];
    const base = first ? first.section.offset : 0;
    out.push(problem('missing-level', `The card does not say its level: add \`level:\` with a whole number from 0 (${LEVELS[0].name}) to 9 (${LEVELS[9].name}).`, base + r[0], base + r[1]));
    return out;
  }
  const level = data.level;
  if (!levelInfo(level, levels)) return out; // invalid-level is reported by the schema rule
  const { entry, section } = levelRef;
  const r = rangeOf(entry.valueNode) ?? rangeOf(entry.keyNode) ?? [0, 0];
  const entered = findEntry(card, 'entered_at');
  if (entered && typeof entered.entry.value === 'number' && entered.entry.value > (level as number)) {
    const er = rangeOf(entered.entry.valueNode) ?? rangeOf(entered.entry.keyNode) ?? [0, 0];
    out.push(problem('invalid-value', `\`entered_at\` is ${entered.entry.value}, above the card's level ${level}: a technology cannot have entered the process at a level it has not reached. Lower \`entered_at\`, or raise \`level\`.`, entered.section.offset + er[0], entered.section.offset + er[1]));
  }
  for (const { level: l, req, why } of levelStatus(data, level as number, levels).unmet) {
    const message = describeUnmet(levels, l, req, why);
    const data = { level: l, field: req.field, unmet: why.kind, ...(why.kind === 'condition' ? { condition: why.condition } : {}) };
    const paths = why.kind === 'condition' || why.kind === 'placeholder' || why.kind === 'none' ? why.at : undefined;
    const at = paths ? paths.map((p) => rangeAt(card, p)).filter((x) => x !== undefined) : [];
    if (at.length) for (const a of at) out.push(problem('level-requirement', message, a.start, a.end, req.severity, data));
    else out.push(problem('level-requirement', message, section.offset + r[0], section.offset + r[1], req.severity, data));
  }
  return out;
}
