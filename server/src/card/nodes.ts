/** Finding YAML nodes by path and by offset. Offsets are relative to the node's section. */
import { isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';

export type PathSeg = string | number;

export interface Located {
  /** The value node at the path, or null when the key is there with no value. */
  node: YamlNode | null;
  /** The key node when the last segment is a mapping key. */
  keyNode?: Scalar;
  /** The item node when the last segment is a sequence index. */
  itemIndex?: number;
}

export function keyName(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k) && k.value !== null && typeof k.value !== 'object') return String(k.value);
  return undefined;
}

export function findPair(map: YamlNode | null | undefined, key: string, index?: KeyIndex): Pair | undefined {
  if (!isMap(map)) return undefined;
  if (index && map.items.length > FEW_KEYS) return index.find(map, key);
  for (const item of map.items) if (keyName(item) === key) return item;
  return undefined;
}

/** Keys of a mapping `findPair` looks through; past them, a `KeyIndex` indexes the mapping. */
const FEW_KEYS = 8;

/**
 * The pairs of each long mapping by key name, for many lookups in the same tree (a card's
 * schema errors, one per unknown key of a mapping of 20,000), which would otherwise look through
 * the mapping each time. A mapping's pairs are indexed as far as lookups have read them, so
 * lookups in text order read each pair once, and together never more than the mapping holds.
 * Made for one pass and dropped with it.
 */
export class KeyIndex {
  private readonly maps = new Map<YAMLMap, { byKey: Map<string, Pair>; read: number }>();

  /** The first pair of `map` whose key is `key`, as `findPair` finds it. */
  find(map: YAMLMap, key: string): Pair | undefined {
    let index = this.maps.get(map);
    if (!index) this.maps.set(map, (index = { byKey: new Map(), read: 0 }));
    const found = index.byKey.get(key);
    if (found) return found;
    const items = map.items;
    while (index.read < items.length) {
      const item = items[index.read++];
      const name = keyName(item);
      if (name === undefined || index.byKey.has(name)) continue;
      index.byKey.set(name, item);
      if (name === key) return item;
    }
    return undefined;
  }
}

/** Walks from `root` along `path`; undefined when the path leaves the tree. */
export function locate(root: YamlNode | null, path: readonly PathSeg[], index?: KeyIndex): Located | undefined {
  let cur: Located = { node: root };
  for (const seg of path) {
    const node = cur.node;
    if (typeof seg === 'number') {
      if (!isSeq(node)) return undefined;
      const item = node.items[seg];
      if (item === undefined) return undefined;
      cur = { node: (item ?? null) as YamlNode | null, itemIndex: seg };
    } else {
      const pair = findPair(node, seg, index);
      if (!pair || !isScalar(pair.key)) return undefined;
      cur = { node: (pair.value ?? null) as YamlNode | null, keyNode: pair.key };
    }
  }
  return cur;
}

export function rangeOf(node: { range?: [number, number, number] | null } | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

export { isMap, isPair, isScalar, isSeq };
