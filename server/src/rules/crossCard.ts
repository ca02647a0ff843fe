/**
 * Rules across cards, from the workspace index: `component-level` (a system's TRL is the
 * lowest TRL of its components), `unknown-previous`, `unknown-component` and `unknown-coupled`
 * (links to cards that are not there), `coupled-one-way` (a peer that does not link back).
 * URLs (cards kept in a wiki) and placeholders (see links.ts) are not resolved.
 */
import { isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';
import { noCardAt, resolveCardPath, technology, uriKey, type CardFacts, type CardLookup } from '../workspace/index';
import { CARD_FILE } from '../files';
import { isPlaceholder } from './links';
import { componentCard, componentCycle, rollup, type Rollup } from '../workspace/rollup';
import { problem, q, type Problem } from './problem';
import { pathFacts, previousLevelProblems, type PathFacts } from './transitions';
import { targetProblems, targetRefs, technologyLevel, type TargetRef } from './targets';

export interface ListValue {
  value: string;
  start: number;
  end: number;
}

/** The string items of a top-level list, with absolute ranges (split into items or not). */
export function listValues(card: CardModel, key: string): ListValue[] {
  const ref = findEntry(card, key);
  if (!ref) return [];
  const out: ListValue[] = [];
  const push = (node: YamlNode | null | undefined, base: number) => {
    const r = rangeOf(node);
    if (r && isScalar(node) && typeof node.value === 'string') out.push({ value: node.value, start: base + r[0], end: base + r[1] });
  };
  const { section, entry } = ref;
  if (section.items) for (const item of section.items) push(item.node, section.offset + item.offset);
  else if (isSeq(entry.valueNode)) for (const node of entry.valueNode.items) push(node as YamlNode, section.offset);
  return out;
}

/** Resolves a relative card path against the URI of the card that names it. */
export { resolveCardPath } from '../workspace/index';

function describeCard(facts: CardFacts, fromUri: string): string {
  const from = fromUri.slice(0, fromUri.lastIndexOf('/') + 1);
  const where = facts.uri.startsWith(from) ? facts.uri.slice(from.length) : facts.uri;
  return `${facts.id ? `${q(facts.id)} ` : ''}(${decodeURIComponent(where)})`;
}

/** What a card says about other cards: small, so the checker can keep it for every card. */
export interface CardReferences {
  level: unknown;
  id?: string;
  previous: ListValue[];
  components: ListValue[];
  coupled: ListValue[];
  /** `entered_at` and the levels of `history`, for `previous-level` (rules/transitions.ts). */
  path?: PathFacts;
  /** The well-formed `targets` entries, for `target-overdue` and `target-reached` (rules/targets.ts). */
  targets?: TargetRef[];
}

/** Every offset a card's reference problems may start or end at (the checker turns them into lines and columns). */
export function referenceOffsets(refs: CardReferences): number[] {
  const out: number[] = [];
  for (const v of [...refs.previous, ...refs.components, ...refs.coupled]) out.push(v.start, v.end);
  for (const t of refs.targets ?? []) out.push(...t.levelAt, ...t.byAt);
  return out;
}

export function cardReferences(card: CardModel): CardReferences {
  const id = findEntry(card, 'id')?.entry.value;
  return {
    level: findEntry(card, 'level')?.entry.value,
    ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}),
    previous: listValues(card, 'previous'),
    components: listValues(card, 'components'),
    coupled: listValues(card, 'coupled'),
    path: pathFacts(card),
    targets: targetRefs(card),
  };
}

/** A URL (a card kept in a wiki, say): shown as a link, never resolved. */
export const IS_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

export function crossCardProblems(card: CardModel, uri: string, index: CardLookup, today?: string): Problem[] {
  return index.complete ? referenceProblems(cardReferences(card), uri, index, today) : [];
}

/** The cross-card problems of a card's references, against an index; `today` (YYYY-MM-DD) for the targets. */
export function referenceProblems(refs: CardReferences, uri: string, index: CardLookup, today?: string): Problem[] {
  const out: Problem[] = targetProblems(refs.targets ?? [], refs.level, today, technologyLevel(refs.id, index));
  for (const p of refs.previous) {
    if (IS_URL.test(p.value) || isPlaceholder(p.value)) continue;
    const target = resolveCardPath(uri, p.value);
    if (!target || !index.byUri(target)) {
      out.push(problem('unknown-previous', `${noCardAt(index, target, p.value)}: \`previous\` lists this technology's earlier cards by path relative to this file (or by URL). Fix the path, or remove the entry.`, p.start, p.end));
    }
  }
  const level = refs.level;
  // This card's facts, for the roll-up and cycles (open cards are in the index; else from refs).
  const self: CardFacts = index.byUri(uri) ?? { uri, id: refs.id, level: typeof level === 'number' ? level : undefined, components: refs.components.map((c) => c.value), previous: [], coupled: [] };
  const memo = new Map<string, Rollup>();
  for (const c of refs.components) {
    if (isPlaceholder(c.value)) continue;
    if (CARD_FILE.test(c.value)) {
      const target = resolveCardPath(uri, c.value);
      if (!target || !index.byUri(target)) {
        out.push(problem('unknown-component', `${noCardAt(index, target, c.value)}: name a component by its card's path relative to this file, or by its card's \`id\`.`, c.start, c.end));
        continue;
      }
    }
    // A component code with no card of its own is fine.
    const part = componentCard(c.value, uri, index);
    if (!part || uriKey(part.uri) === uriKey(uri)) continue;
    const cycle = componentCycle(self, part, index);
    if (cycle) {
      const names = cycle.map((f) => describeCard(f, uri)).join(' → ');
      out.push(problem('component-cycle', `\`components\` goes round in a circle: ${names}. A technology cannot be a part of itself: remove the entry that closes the circle, or move a peer to \`coupled\`.`, c.start, c.end));
      continue;
    }
    if (typeof level !== 'number') continue;
    const r = rollup(part, index, memo);
    if (r.level === undefined || r.level >= level) continue;
    const limiting = r.chain[r.chain.length - 1];
    const via = r.chain.length > 1 ? `, through ${r.chain.slice(1).map((f) => describeCard(f, uri)).join(' → ')} at TRL ${limiting.level}` : ` at TRL ${part.level}`;
    const related = limiting.levelRange ? [{ uri: limiting.uri, range: limiting.levelRange, message: `${limiting.id !== undefined ? limiting.id : 'This card'} is at TRL ${limiting.level}, which limits ${refs.id ?? 'the system'}.` }] : undefined;
    const p = problem('component-level', `This card claims TRL ${level}, but its component ${describeCard(part, uri)} is${r.chain.length > 1 ? ` limited to TRL ${r.level}` : ''}${via}: a system's TRL is the lowest TRL of its components. Lower \`level\` to ${r.level}, or graduate the component first (a peer that is not a part of this system belongs in \`coupled\`).`, c.start, c.end, undefined, { level: r.level, limiting: limiting.uri });
    out.push(related ? { ...p, related } : p);
  }
  out.push(...coupledProblems(refs, uri, index));
  return out;
}

/** `coupled`: peers by id or path. They must resolve (paths), and should link back (hint); they cap nothing. */
function coupledProblems(refs: CardReferences, uri: string, index: CardLookup): Problem[] {
  const out: Problem[] = [];
  const self = uriKey(uri);
  for (const c of refs.coupled) {
    if (isPlaceholder(c.value)) continue;
    let peer: CardFacts | undefined;
    if (CARD_FILE.test(c.value)) {
      const target = resolveCardPath(uri, c.value);
      peer = target ? index.byUri(target) : undefined;
      if (!peer) {
        out.push(problem('unknown-coupled', `${noCardAt(index, target, c.value)}: name a coupled card by its path relative to this file, or by its card's \`id\`.`, c.start, c.end));
        continue;
      }
    } else {
      // A code with no card of its own is fine; of a technology's cards, the current one counts.
      peer = technology(index, c.value).current[0];
    }
    if (!peer || uriKey(peer.uri) === self) continue;
    const linksBack = peer.coupled.some((back) => (refs.id !== undefined && back === refs.id) || (CARD_FILE.test(back) && uriKey(resolveCardPath(peer.uri, back) ?? '') === self));
    if (!linksBack) {
      out.push(problem('coupled-one-way', `${describeCard(peer, uri)} does not list this card in its own \`coupled\`: coupled components link both ways. Add ${refs.id !== undefined ? q(refs.id) : "this card's path"} to its \`coupled\`, or move the entry to \`components\` if it is a part of this technology.`, c.start, c.end));
    }
  }
  out.push(...previousLevelProblems(refs.level, refs.previous, refs.path, uri, index));
  return out;
}
