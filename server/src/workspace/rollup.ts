/**
 * The system roll-up: "the TRL of the systems is the lowest level of its constituent parts",
 * transitively (a system of systems). Pure functions over the workspace index: a card's
 * rolled-up level, the chain of components down to the one that limits it, and component
 * cycles (found, reported, never followed forever).
 */
import { CARD_FILE } from '../files';
import { resolveCardPath, technology, uriKey, type CardFacts, type CardLookup } from './index';

/** The card a `components` entry of the card at `fromUri` names: by path, or the current card of an id. */
export function componentCard(value: string, fromUri: string, index: CardLookup): CardFacts | undefined {
  if (CARD_FILE.test(value)) {
    const target = resolveCardPath(fromUri, value);
    return target ? index.byUri(target) : undefined;
  }
  // Of a technology's cards (one id across levels) the current one counts; of several, the most advanced.
  return technology(index, value).top;
}

export interface Rollup {
  /** The lowest level among the card and everything below it (undefined: the card has none). */
  level?: number;
  /** From the card down to the card that sets `level` (just the card when it limits itself). */
  chain: CardFacts[];
}

/**
 * The rolled-up level of a card, memoised over one call site's `memo`. A component that leads
 * back to a card on the way down (a cycle) is skipped here: `componentCycle` reports it.
 */
export function rollup(facts: CardFacts, index: CardLookup, memo = new Map<string, Rollup>(), onPath = new Set<string>()): Rollup {
  const key = uriKey(facts.uri);
  const known = memo.get(key);
  if (known) return known;
  onPath.add(key);
  let best: Rollup = { level: facts.level, chain: [facts] };
  for (const c of facts.components) {
    const part = componentCard(c, facts.uri, index);
    if (!part || onPath.has(uriKey(part.uri))) continue;
    const below = rollup(part, index, memo, onPath);
    if (below.level !== undefined && (best.level === undefined || below.level < best.level)) best = { level: below.level, chain: [facts, ...below.chain] };
  }
  onPath.delete(key);
  memo.set(key, best);
  return best;
}

/** The cycle through `start` that begins with its component `first`, as the cards in order, if any. */
export function componentCycle(start: CardFacts, first: CardFacts, index: CardLookup): CardFacts[] | undefined {
  const target = uriKey(start.uri);
  const seen = new Set<string>();
  const walk = (facts: CardFacts, path: CardFacts[]): CardFacts[] | undefined => {
    const key = uriKey(facts.uri);
    if (key === target) return path;
    if (seen.has(key)) return undefined;
    seen.add(key);
    for (const c of facts.components) {
      const next = componentCard(c, facts.uri, index);
      if (!next) continue;
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(first, [start, first]);
}

/** The cards that contain `uri` (known by `ids`) as a component, directly or through other components. */
export function containersOf(uri: string, ids: ReadonlySet<string>, all: Iterable<CardFacts>, index: CardLookup): Set<string> {
  const cards = [...all];
  const out = new Set<string>();
  let frontier = [{ uri, ids }];
  while (frontier.length) {
    const next: { uri: string; ids: Set<string> }[] = [];
    for (const { uri: u, ids: known } of frontier) {
      const key = uriKey(u);
      for (const c of cards) {
        const ck = uriKey(c.uri);
        if (out.has(ck) || ck === key) continue;
        const names = (v: string) => {
          if (known.has(v)) return true;
          const part = CARD_FILE.test(v) ? componentCard(v, c.uri, index) : undefined;
          return part !== undefined && uriKey(part.uri) === key;
        };
        if (c.components.some(names)) {
          out.add(ck);
          next.push({ uri: c.uri, ids: new Set(c.id !== undefined ? [c.id] : []) });
        }
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * A system card's roll-up for its verdict (services/readiness.ts): the lowest level below it and
 * the card that sets it, when the index is complete and the card names components; else
 * undefined (nothing known to hold it back).
 */
export function systemRollup(uri: string, data: Record<string, unknown>, index: CardLookup | undefined): { level: number; limiting: string } | undefined {
  if (!index?.complete || !Array.isArray(data.components) || data.components.length === 0) return undefined;
  const self = index.byUri(uri);
  if (!self) return undefined;
  const r = rollup(self, index);
  if (r.level === undefined || r.chain.length < 2) return undefined;
  const limiting = r.chain[r.chain.length - 1];
  return { level: r.level, limiting: limiting.id ?? limiting.technology ?? 'a component' };
}
