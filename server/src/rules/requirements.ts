/** Requirement-list rules: `risk-mismatch`, `duplicate-requirement-id`. */
import type { Entry } from '../card/model';
import { findPair, isMap, isSeq, rangeOf } from '../card/nodes';
import { problem, type Problem } from './problem';

/** Risk is rounded for comparison: cards write risk with at most a few decimals. */
const RISK_TOLERANCE = 0.005;

export function requirementProblems(entry: Entry): Problem[] {
  if (entry.key !== 'requirements' || !isSeq(entry.valueNode)) return [];
  const out: Problem[] = [];
  const firstById = new Map<string, number>();
  entry.valueNode.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const idPair = findPair(item, 'id');
    const idNode = idPair?.value as { value?: unknown; range?: [number, number, number] } | undefined;
    const id = idNode && (typeof idNode.value === 'string' || typeof idNode.value === 'number') ? String(idNode.value) : undefined;
    if (id !== undefined) {
      const first = firstById.get(id);
      const r = rangeOf(idNode as never);
      if (first !== undefined && r) {
        out.push(problem('duplicate-requirement-id', `Requirement id \`${id}\` is already used by requirement #${first + 1}: give each requirement its own id.`, r[0], r[1]));
      } else if (first === undefined) firstById.set(id, index);
    }
    const p = (findPair(item, 'p_failure')?.value as { value?: unknown } | undefined)?.value;
    const v = (findPair(item, 'value')?.value as { value?: unknown } | undefined)?.value;
    const riskNode = findPair(item, 'risk')?.value as { value?: unknown; range?: [number, number, number] } | undefined;
    const risk = riskNode?.value;
    if (typeof p === 'number' && typeof v === 'number' && typeof risk === 'number') {
      const expected = p * v;
      if (Math.abs(expected - risk) > RISK_TOLERANCE) {
        const r = rangeOf(riskNode as never);
        if (r) {
          const shown = Math.round(expected * 1000) / 1000;
          out.push(problem('risk-mismatch', `\`risk\` is ${risk}, but p_failure × value = ${p} × ${v} = ${shown}: write \`risk: ${shown}\`, or remove it and let the tools compute it.`, r[0], r[1]));
        }
      }
    }
  });
  return out;
}
