/** Finding YAML nodes by path and by offset. Offsets are relative to the node's section. */
import { isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar } from 'yaml';

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

export function findPair(map: YamlNode | null | undefined, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) if (keyName(item) === key) return item;
  return undefined;
}

/** Walks from `root` along `path`; undefined when the path leaves the tree. */
export function locate(root: YamlNode | null, path: readonly PathSeg[]): Located | undefined {
  let cur: Located = { node: root };
  for (const seg of path) {
    const node = cur.node;
    if (typeof seg === 'number') {
      if (!isSeq(node)) return undefined;
      const item = node.items[seg];
      if (item === undefined) return undefined;
      cur = { node: (item ?? null) as YamlNode | null, itemIndex: seg };
    } else {
      const pair = findPair(node, seg);
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
