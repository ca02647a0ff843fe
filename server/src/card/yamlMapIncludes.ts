/**
 * yaml's `mapIncludes` (`yaml/dist/compose/util-map-includes.js`), which its composer calls for
 * each key of a mapping to report a repeated one (`DUPLICATE_KEY`), in amortised constant time:
 * esbuild's `yamlMapIncludesPlugin` gives this module to yaml in its place. yaml's own looks
 * through every earlier key, so a mapping of n keys cost n²/2 comparisons: 10 s for 50,000
 * keys. Same answers, same calls, so the same errors in the same order (a test compares with
 * yaml's own module).
 *
 * The composer adds a key's pair to the end of `items` after asking about it, and nothing else
 * changes `items` while the mapping is composed, so the keys seen so far are kept in sets that
 * take the new pairs at each call. They hang on the composition's context (one per document,
 * dropped when the document is composed), by `items`; a mapping of a few keys is looked
 * through as yaml does, with nothing kept.
 */
import { isScalar, type Pair } from 'yaml';

/** What the composer passes: its context (the document's options) and the mapping's pairs so far. */
interface ComposeContext {
  options: { uniqueKeys?: boolean | ((a: unknown, b: unknown) => boolean) };
  [KEYS]?: Map<unknown[], SeenKeys>;
}

interface SeenKeys {
  /** Pairs of `items` already in the sets. */
  count: number;
  /** Every key node (yaml's `a === b`). */
  nodes: Set<unknown>;
  /** Every scalar key's value but NaN (yaml's `a.value === b.value`: a Set compares the same but for NaN). */
  values: Set<unknown>;
}

const KEYS = Symbol('trl-cards: keys of the mappings being composed');

/** Keys a mapping holds before its keys are kept in sets rather than looked through. */
const FEW_KEYS = 8;

export function mapIncludes(ctx: ComposeContext, items: Pair[], search: unknown): boolean {
  const { uniqueKeys } = ctx.options;
  if (uniqueKeys === false) return false;
  if (typeof uniqueKeys === 'function') return items.some((pair) => uniqueKeys(pair.key, search));
  if (items.length < FEW_KEYS) return items.some((pair) => pair.key === search || (isScalar(pair.key) && isScalar(search) && pair.key.value === search.value));
  const byItems = (ctx[KEYS] ??= new Map());
  let seen = byItems.get(items);
  if (!seen) {
    seen = { count: 0, nodes: new Set(), values: new Set() };
    byItems.set(items, seen);
  }
  for (; seen.count < items.length; seen.count++) {
    const key = items[seen.count].key;
    seen.nodes.add(key);
    if (isScalar(key) && !Number.isNaN(key.value)) seen.values.add(key.value);
  }
  return seen.nodes.has(search) || (isScalar(search) && seen.values.has(search.value));
}
