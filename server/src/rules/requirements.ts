/** Requirement-list rules: `risk-mismatch`, `duplicate-requirement-id`, `unmitigated-risk`, `untested-high-risk`. */
import type { Node as YamlNode, Pair } from 'yaml';
import type { Entry } from '../card/model';
import { findPair, isMap, isSeq, keyName, rangeOf } from '../card/nodes';
import { yamlNumber } from '../text/escape';
import { problem, q, type Problem } from './problem';

/** Risk is rounded for comparison: cards write risk with at most a few decimals. */
const RISK_TOLERANCE = 0.005;

/** A requirement's id and where it is written, offsets relative to the requirement's block. */
export interface RequirementId {
  id: string;
  start: number;
  end: number;
  /** A text id (`"3"`, `1.2.3`), not a YAML number. */
  asText?: boolean;
}

function scalarAt(item: YamlNode, key: string): { value?: unknown; range?: [number, number, number] | null } | undefined {
  return findPair(item, key)?.value as { value?: unknown; range?: [number, number, number] | null } | undefined;
}

export function requirementId(item: YamlNode | null): RequirementId | undefined {
  if (!isMap(item)) return undefined;
  const idNode = scalarAt(item, 'id');
  const r = rangeOf(idNode);
  if (!idNode || !r || !(typeof idNode.value === 'string' || typeof idNode.value === 'number')) return undefined;
  return typeof idNode.value === 'string' ? { id: idNode.value, start: r[0], end: r[1], asText: true } : { id: String(idNode.value), start: r[0], end: r[1] };
}

/** `risk-mismatch` of one requirement or critical scenario, offsets relative to its block. */
export function riskProblems(item: YamlNode | null): Problem[] {
  if (!isMap(item)) return [];
  const p = scalarAt(item, 'p_failure')?.value;
  const v = scalarAt(item, 'value')?.value;
  const riskNode = scalarAt(item, 'risk');
  const risk = riskNode?.value;
  if (typeof p !== 'number' || typeof v !== 'number' || typeof risk !== 'number') return [];
  const expected = p * v;
  // With `.nan` or `.inf` there is no product to suggest: out-of-range reports those values.
  if (!Number.isFinite(expected)) return [];
  const r = rangeOf(riskNode);
  if (Math.abs(expected - risk) <= RISK_TOLERANCE || !r) return [];
  const shown = Math.round(expected * 1000) / 1000;
  return [problem('risk-mismatch', `\`risk\` is ${yamlNumber(risk)}, but p_failure × value = ${p} × ${v} = ${shown}: write \`risk: ${shown}\`, or remove it and let the tools compute it.`, r[0], r[1], undefined, { expected: shown })];
}

/** A repeat of an id first used by the requirement at `firstIndex` (0-based) of the list. */
export function duplicateIdProblem(rid: RequirementId, firstIndex: number, base = 0): Problem {
  return problem('duplicate-requirement-id', `Requirement id ${q(rid.id)} is already used by requirement #${firstIndex + 1}: give each requirement its own id.`, base + rid.start, base + rid.end);
}

/** `duplicate-requirement-id` over ids in list order, offsets as given. */
export function duplicateIdProblems(ids: readonly (RequirementId | undefined)[]): Problem[] {
  const out: Problem[] = [];
  const first = new Map<string, number>();
  ids.forEach((rid, index) => {
    if (!rid) return;
    const seen = first.get(rid.id);
    if (seen === undefined) first.set(rid.id, index);
    else out.push(duplicateIdProblem(rid, seen));
  });
  return out;
}

/** The rules for a requirements or critical-scenarios list held in one block (not split). */
export function requirementProblems(entry: Entry): Problem[] {
  if ((entry.key !== 'requirements' && entry.key !== 'critical_scenarios') || !isSeq(entry.valueNode)) return [];
  const items = entry.valueNode.items as (YamlNode | null)[];
  const risks = items.flatMap((item) => riskProblems(item));
  return entry.key === 'requirements' ? [...risks, ...duplicateIdProblems(items.map(requirementId))] : risks;
}

/** What `unmitigated-risk` needs of one requirement or scenario, offsets relative to its block. */
export interface RiskFact {
  risk: number;
  /** `p_failure` and `value` when the risk is their product (else the `risk` value was taken). */
  factors?: [number, number];
  mitigated: boolean;
  start: number;
  end: number;
}

/** How the risk is written in a message: `0.4 × 9 = 3.6`, or the `risk` value. */
export function riskShown(fact: RiskFact): string {
  return fact.factors ? `${fact.factors[0]} × ${fact.factors[1]} = ${Math.round(fact.risk * 1000) / 1000}` : String(fact.risk);
}

type ScalarLike = { value?: unknown; range?: [number, number, number] | null } | undefined;

/** The risk of one requirement or scenario (p_failure × value, else its `risk`), if it has one. */
export function riskFact(item: YamlNode | null): RiskFact | undefined {
  if (!isMap(item)) return undefined;
  // The first pair of each key, in one pass over the item (as `scalarAt` for each would find).
  let p: ScalarLike;
  let v: ScalarLike;
  let given: ScalarLike;
  let mitigationNode: ScalarLike;
  let seen = 0;
  for (const pair of item.items as Pair[]) {
    const name = keyName(pair);
    const value = pair.value as ScalarLike;
    if (name === 'p_failure' && !(seen & 1)) {
      p = value;
      seen |= 1;
    } else if (name === 'value' && !(seen & 2)) {
      v = value;
      seen |= 2;
    } else if (name === 'risk' && !(seen & 4)) {
      given = value;
      seen |= 4;
    } else if (name === 'mitigation' && !(seen & 8)) {
      mitigationNode = value;
      seen |= 8;
    }
  }
  const mitigation = mitigationNode?.value;
  const mitigated = typeof mitigation === 'string' ? mitigation.trim() !== '' : mitigation !== undefined && mitigation !== null;
  let risk: number;
  let factors: [number, number] | undefined;
  let at: [number, number] | undefined;
  if (typeof p?.value === 'number' && typeof v?.value === 'number' && p.value >= 0 && p.value <= 1 && v.value >= 1 && v.value <= 10) {
    risk = p.value * v.value;
    factors = [p.value, v.value];
    at = rangeOf(given) ?? rangeOf(p);
  } else if (typeof given?.value === 'number' && given.value >= 0 && given.value <= 10) {
    risk = given.value;
    at = rangeOf(given);
  } else return undefined;
  if (!at) return undefined;
  const fact: RiskFact = { risk, mitigated, start: at[0], end: at[1] };
  if (factors) fact.factors = factors;
  return fact;
}

/** `unmitigated-risk` of one item's risk fact, offsets as the fact's. */
export function unmitigatedProblem(fact: RiskFact | undefined, threshold: number, what: string): Problem | undefined {
  if (!fact || fact.mitigated || fact.risk < threshold - 1e-9) return undefined;
  return problem('unmitigated-risk', `${what} has risk ${riskShown(fact)}, at or above the mitigation threshold ${threshold}, and no \`mitigation\`: say how the risk is mitigated (or lower \`p_failure\` with evidence).`, fact.start, fact.end);
}

/** `unmitigated-risk` over a requirements or critical-scenarios list held in one block. */
export function unmitigatedProblems(entry: Entry, threshold: number): Problem[] {
  if ((entry.key !== 'requirements' && entry.key !== 'critical_scenarios') || !isSeq(entry.valueNode)) return [];
  const out: Problem[] = [];
  entry.valueNode.items.forEach((item, i) => {
    const p = unmitigatedProblem(riskFact(item as YamlNode | null), threshold, riskWhat(entry.key, item as YamlNode | null, i));
    if (p) out.push(p);
  });
  return out;
}

/** From this level on, a high-risk requirement names the critical scenario that tests it. */
export const UNTESTED_FROM_LEVEL = 7;

/**
 * The requirement ids the critical scenarios name (`critical_scenarios[].requirements`, plain
 * data): the link from the level-7 risk table to the requirements it tests.
 */
export function scenarioRequirementIds(scenarios: unknown): Set<string> {
  const out = new Set<string>();
  if (!Array.isArray(scenarios)) return out;
  for (const s of scenarios) {
    const ids = s !== null && typeof s === 'object' ? (s as Record<string, unknown>).requirements : undefined;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string' || typeof id === 'number') out.add(String(id));
  }
  return out;
}

/**
 * `untested-high-risk`: a requirement whose risk reaches the threshold and that no critical
 * scenario names, offsets as the fact's. A requirement without an id cannot be named (the
 * schema reports the missing id).
 */
export function untestedProblem(
  fact: RiskFact | undefined,
  rid: RequirementId | undefined,
  named: ReadonlySet<string>,
  threshold: number,
): Problem | undefined {
  if (!fact || !rid || fact.risk < threshold - 1e-9 || named.has(rid.id)) return undefined;
  return problem(
    'untested-high-risk',
    `Requirement ${q(rid.id)} has risk ${riskShown(fact)}, at or above ${threshold}, and no critical scenario names it: from level ${UNTESTED_FROM_LEVEL}, add its id to the \`requirements\` of the critical scenario (or data slice) that tests it.`,
    fact.start,
    fact.end,
    undefined,
    { id: rid.id, numeric: rid.asText !== true },
  );
}

/** "Requirement `3`", "Critical scenario #2". */
export function riskWhat(key: string, item: YamlNode | null, index?: number): string {
  const rid = requirementId(item);
  if (key === 'requirements') return rid ? `Requirement \`${rid.id}\`` : index !== undefined ? `Requirement #${index + 1}` : 'This requirement';
  return index !== undefined ? `Critical scenario #${index + 1}` : 'This critical scenario';
}

/**
 * The risk of a requirement or scenario given as plain data: `p_failure × value` when both are
 * in range, else its written `risk`; rounded to 1e-6 (so 0.1 × 3 is 0.3). Used by the preview's
 * risk table and the changes since the previous card.
 */
export function plainRisk(item: Record<string, unknown>): number | undefined {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const p = num(item.p_failure);
  const value = num(item.value);
  const risk = p !== undefined && value !== undefined && p >= 0 && p <= 1 && value >= 1 && value <= 10 ? p * value : num(item.risk);
  if (risk === undefined) return undefined;
  const rounded = Math.round(risk * 1e6) / 1e6;
  return (Number.isFinite(rounded) ? rounded : risk) + 0; // a huge risk overflows when scaled; + 0: -0 is 0
}

/**
 * The lists whose items carry a risk (`p_failure × value`, or `risk`): the risk table, its total
 * and its counts read both, in this order.
 */
export const RISK_LISTS = ['requirements', 'critical_scenarios'] as const;

/**
 * The one risk total: the sum of the risks (`plainRisk`) of a card's requirements and critical
 * scenarios, those that have one, rounded once, to two decimals (half up; the sum is taken in
 * millionths, so the order of the items does not change it). The code lens, the hover and the
 * preview's risk table all show this number, and say what it counts (`riskCounted`). The risk
 * table is one table of requirements and critical scenarios (the paper, level 7: "a proper
 * risk-quantification table will highlight these"), so its total counts both.
 */
export function riskTotal(risks: Iterable<number | undefined>): number {
  let millionths = 0;
  for (const r of risks) if (r !== undefined && Number.isFinite(r)) millionths += Math.round(r * 1e6);
  return Math.round(millionths / 1e4) / 100 + 0; // + 0: -0 is 0
}

/** The risk table of a card in numbers (requirements and critical scenarios): what a reviewer asks first. */
export interface RiskSummary {
  /** Requirements and critical scenarios with a risk (`plainRisk`). */
  requirements: number;
  scenarios: number;
  /** `riskTotal` of their risks. */
  total: number;
  /** The highest risk and where it is (the first of equal ones, in table order). */
  highest?: { risk: number; list: (typeof RISK_LISTS)[number]; index: number; id?: string };
  /** At or above the mitigation threshold, and how many of those have a `mitigation`. */
  above: number;
  mitigated: number;
}

/** The risk summary of a card's plain value, against the mitigation threshold. */
export function riskSummary(data: Record<string, unknown>, threshold: number): RiskSummary {
  const out: RiskSummary = { requirements: 0, scenarios: 0, total: 0, above: 0, mitigated: 0 };
  const risks: number[] = [];
  for (const list of RISK_LISTS) {
    const items = data[list];
    if (!Array.isArray(items)) continue;
    items.forEach((r: unknown, index) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) return;
      const item = r as Record<string, unknown>;
      const risk = plainRisk(item);
      if (risk === undefined) return;
      risks.push(risk);
      if (list === 'requirements') out.requirements++;
      else out.scenarios++;
      const id = item.id;
      if (!out.highest || risk > out.highest.risk) out.highest = { risk, list, index, ...(list === 'requirements' && (typeof id === 'string' || typeof id === 'number') ? { id: String(id) } : {}) };
      if (risk >= threshold - 1e-9) {
        out.above++;
        const m = item.mitigation;
        if (typeof m === 'string' ? m.trim() !== '' : m !== undefined && m !== null) out.mitigated++;
      }
    });
  }
  out.total = riskTotal(risks);
  return out;
}

/** "12 requirements + 3 critical scenarios", "1 requirement + 0 critical scenarios": what a summary's total counts, both lists named. */
export function riskCounted(s: RiskSummary): string {
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  return `${n(s.requirements, 'requirement')} + ${n(s.scenarios, 'critical scenario')}`;
}

/** Where the highest risk is: `requirement 7.1`, `requirement #3` (no id), `critical scenario #2`; `quote` writes the id. */
export function riskWhere(h: NonNullable<RiskSummary['highest']>, quote: (id: string) => string = (id) => id): string {
  if (h.list === 'critical_scenarios') return `critical scenario #${h.index + 1}`;
  return h.id !== undefined ? `requirement ${quote(h.id)}` : `requirement #${h.index + 1}`;
}
