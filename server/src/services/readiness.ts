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
 * 4. its latest review did not decide `hold`, `revert` or `stop`.
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

/** The latest review's decision, when it keeps the card from graduating: `review`, else the last `history` entry at this level. */
export function holdingDecision(data: unknown, level: number): { decision: string; where: string } | undefined {
  const review = valueAt(data, 'review.decision');
  if (typeof review === 'string' && STOPPING.has(review)) return { decision: review, where: '`review.decision`' };
  const history = valueAt(data, 'history');
  if (Array.isArray(history)) {
    for (let i = history.length - 1; i >= 0; i--) {
      const h = history[i] as Record<string, unknown> | null;
      if (!h || typeof h !== 'object' || h.level !== level) continue;
      if (typeof h.decision === 'string' && STOPPING.has(h.decision) && typeof review !== 'string') return { decision: h.decision, where: 'the last `history` entry at this level' };
      break;
    }
  }
  return undefined;
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
  const held = holdingDecision(data, level);
  if (held) reasons.push(`its latest review (${held.where}) decided \`${held.decision}\`: it ${DECISION_WORDS[held.decision] ?? 'keeps it at this level'}`);
  const next = levels[level + 1] ? level + 1 : undefined;
  return { level, ...(next !== undefined ? { next } : {}), ready: reasons.length === 0, reasons, missing, status };
}
