/**
 * Card paths to absolute ranges, across the incremental blocks: `['requirements', 3, 'risk']`
 * is found in the item block of requirement 4 when the list is split, in the section otherwise.
 */
import type { Node as YamlNode } from 'yaml';
import { findEntry, type CardModel } from './model';
import { locate, rangeOf, type PathSeg } from './nodes';

export interface PathRange {
  /** The value's range (or the key's, for a key with no value). */
  start: number;
  end: number;
  /** The key's range, when the last segment is a key. */
  key?: [number, number];
}

/** The absolute range of the value at `path` (its key when it has no value), or undefined. */
export function rangeAt(card: CardModel, path: readonly PathSeg[]): PathRange | undefined {
  if (path.length === 0 || typeof path[0] !== 'string') return undefined;
  const ref = findEntry(card, path[0]);
  if (!ref) return undefined;
  const { section, entry } = ref;
  let root: YamlNode | null = entry.valueNode;
  let base = section.offset;
  let text = section.head.text;
  let rest = path.slice(1);
  let keyRange = rangeOf(entry.keyNode);
  if (section.items && typeof rest[0] === 'number') {
    const item = section.items[rest[0]];
    if (!item) return undefined;
    root = item.node;
    base = section.offset + item.offset;
    text = item.text;
    rest = rest.slice(1);
    keyRange = undefined;
  }
  const found = rest.length ? locate(root, rest) : { node: root, keyNode: undefined };
  if (!found) return undefined;
  const key = rangeOf(found.keyNode) ?? (rest.length === 0 ? keyRange : undefined);
  const value = trimEnd(text, rangeOf(found.node));
  const r = value ?? key;
  if (!r) return undefined;
  return { start: base + r[0], end: base + r[1], key: key ? [base + key[0], base + key[1]] : undefined };
}

/** A range without the line breaks and spaces it ends with (a block scalar's or a list's). */
export function trimEnd(text: string, r: [number, number] | undefined): [number, number] | undefined {
  if (!r) return r;
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1] ?? '')) end--;
  return [r[0], end];
}
