/**
 * One definition of "ready to graduate", computed once and shown everywhere the verdict is:
 * the code lens, the preview's checklist, the tree's tooltip, the Graduate command and code
 * action (which refuses with the same reasons). A card is ready when:
 *
 * 1. nothing its level asks at error or warning severity is missing or a placeholder
 *    (the level status, `levelStatus`);
 * 2. it has no error (of any rule, at the severities the team and the user set);
 * 3. as a system, its rolled-up level is its own: no component below it ("the TRL of the system
 *    is the lowest level of its constituent parts");
 * 4. its latest review did not decide `hold`, `revert` or `stop`;
 * 5. no placeholder is left on it (a `TODO` in any field: the card is not finished).
 *
 * Pure: the caller gives the problems and the roll-up.
 */
import { levelStatus, valueAt, type Level, type LevelStatus, type UnmetEntry } from '../levels';
import { showControls, truncate } from '../text/escape';

export interface ReadinessInput {
  /** The card's plain data. */
  data: unknown;
  level: number;
  levels: readonly Level[];
  /** The card's problems, at their final severities. */
  problems: readonly { code: string; severity: string; message: string }[];
  /** A system's roll-up, when its components are known: the lowest level below it, and the card that sets it. */
  system?: { level: number; limiting: string };
  /** The card names components whose levels are not known yet (the workspace is still being indexed). */
  componentsUnknown?: boolean;
  /** The level status, when the caller has it already. */
  status?: LevelStatus;
}

export interface Readiness {
  level: number;
  /** The next level, when there is one. */
  next?: number;
  ready: boolean;
  /** Why not, the weightiest first; empty when ready. */
  reasons: string[];
  /** What the level asks at error or warning severity that the card lacks or holds as a placeholder. */
  missing: UnmetEntry[];
  status: LevelStatus;
}

/** The decisions of a review that keep a technology where it is (or send it back, or end it). */
const STOPPING = new Set(['hold', 'revert', 'stop']);

/**
 * The latest review's decision at this level, when it keeps the card from graduating: of
 * `review` and the last `history` entry at the card's level, the later by date (the history
 * entry when their dates tie or one has none: it is the record of the review).
 */
export function holdingDecision(data: unknown, level: number): { decision: string; where: string } | undefined {
  const review = valueAt(data, 'review.decision');
  const reviewDate = dateText(valueAt(data, 'review.date'));
  let entry: { decision?: unknown; date?: string } | undefined;
  const history = valueAt(data, 'history');
  if (Array.isArray(history)) {
    for (let i = history.length - 1; i >= 0; i--) {
      const h = history[i] as Record<string, unknown> | null;
      if (h && typeof h === 'object' && h.level === level) {
        entry = { decision: h.decision, date: dateText(h.date) };
        break;
      }
    }
  }
  const fromReview = typeof review === 'string' ? { decision: review, where: '`review.decision`' } : undefined;
  const fromHistory = entry && typeof entry.decision === 'string' ? { decision: entry.decision, where: 'the last `history` entry at this level' } : undefined;
  // The later of the two decides; when neither is later (the same day, or a date missing), the
  // worse: a card whose review holds it is not ready because its history says graduate, nor the other way.
  const stops = (d: { decision: string; where: string } | undefined) => (d && STOPPING.has(d.decision) ? d : undefined);
  if (!fromReview || !fromHistory) return stops(fromReview ?? fromHistory);
  if (reviewDate !== undefined && entry?.date !== undefined && entry.date !== reviewDate) return stops(entry.date > reviewDate ? fromHistory : fromReview);
  return stops(fromReview) ?? stops(fromHistory);
}

function dateText(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

const DECISION_WORDS: Record<string, string> = {
  hold: 'holds the technology at this level: do the tasks it lists, then review again',
  revert: 'sends the technology back to a lower level',
  stop: 'stops the technology',
};

function fieldList(entries: readonly UnmetEntry[]): string {
  const fields = [...new Set(entries.map((u) => `\`${u.req.field}\``))];
  return fields.length > 3 ? `${fields.slice(0, 3).join(', ')} and ${fields.length - 3} more` : fields.join(', ');
}

export function readiness(input: ReadinessInput): Readiness {
  const { data, level, levels } = input;
  const status = input.status ?? levelStatus(data, level, levels);
  const missing = status.unmet.filter((u) => u.req.severity === 'error' || u.req.severity === 'warning');
  const reasons: string[] = [];
  if (missing.length) {
    const k = missing.length;
    reasons.push(`${k} item${k === 1 ? '' : 's'} missing for TRL ${level}: ${fieldList(missing)}`);
  }
  const errors = input.problems.filter((p) => p.severity === 'error' && p.code !== 'level-requirement');
  if (errors.length) {
    const n = errors.length;
    reasons.push(`${n} error${n === 1 ? '' : 's'} on the card (${errors[0].code}: ${truncate(showControls(errors[0].message), 120)})`);
  }
  if (input.system && input.system.level < level) {
    reasons.push(`a component holds it back: ${showControls(input.system.limiting)} is at TRL ${input.system.level}, and a system's TRL is the lowest of its components'`);
  }
  if (input.componentsUnknown) reasons.push('its components are not known yet (the workspace is still being indexed): a system is ready only when they are');
  const held = holdingDecision(data, level);
  if (held) reasons.push(`its latest review (${held.where}) decided \`${held.decision}\`: it ${DECISION_WORDS[held.decision] ?? 'keeps it at this level'}`);
  const placeholders = input.problems.filter((p) => p.code === 'placeholder');
  if (placeholders.length) {
    const n = placeholders.length;
    reasons.push(`${n} placeholder${n === 1 ? '' : 's'} left to write (${truncate(showControls(placeholders[0].message), 120)})`);
  }
  const next = levels[level + 1] ? level + 1 : undefined;
  return { level, ...(next !== undefined ? { next } : {}), ready: reasons.length === 0, reasons, missing, status };
}
