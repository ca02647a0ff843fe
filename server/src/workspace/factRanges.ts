/**
 * Where a card's facts stand in its text: the range of its `id` value and of each entry of
 * `components`, `coupled` and `previous`. Kept in the index at index time, so navigation
 * (definition, references, rename) answers without reading any file.
 */
import { isScalar, isSeq, Scalar, type Node as YamlNode } from 'yaml';
import type { Position, Range } from 'vscode-languageserver-types';
import { cardText } from '../card/document';
import { findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';

export type RefKey = 'components' | 'coupled' | 'previous';
export const REF_KEYS: readonly RefKey[] = ['components', 'coupled', 'previous'];

/** A value of the card's text, where it stands. */
export interface FactValue {
  value: string;
  /** The value's text, inside any quotes. */
  range: Range;
  quote?: '"' | "'";
}

/** An entry of `components`, `coupled` or `previous`. */
export interface FactRef extends FactValue {
  key: RefKey;
  /** For a card path: the key (`uriKey`) of the file it names, resolved at index time. */
  target?: string;
}

/** Offsets to positions, by a line table of the text. */
export function positionsOf(text: string): (offset: number) => Position {
  const starts = [0];
  if (!text.includes('\r')) for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  else {
    // A lone CR ends a line too, as in TextDocument.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  };
}

function valueOf(node: YamlNode | null | undefined, base: number, at: (offset: number) => Position): FactValue | undefined {
  const r = rangeOf(node);
  // A block scalar (`|`, `>`) is not a name to navigate by or rewrite.
  if (!r || !isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number') || node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) return undefined;
  const quote = node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : undefined;
  const inner = quote ? 1 : 0;
  const out: FactValue = { value: String(node.value), range: { start: at(base + r[0] + inner), end: at(base + r[1] - inner) } };
  if (quote) out.quote = quote;
  return out;
}

/** The `id` value and the string entries of the three lists, with their ranges. */
export function factRanges(
  card: CardModel,
  at: ((offset: number) => Position) | undefined,
  resolve: (value: string) => string | undefined,
): { idRange?: FactValue; refs: FactRef[] } {
  const pos = at ?? positionsOf(cardText(card));
  const out: { idRange?: FactValue; refs: FactRef[] } = { refs: [] };
  const id = findEntry(card, 'id');
  if (id) {
    const v = valueOf(id.entry.valueNode, id.section.offset, pos);
    if (v) out.idRange = v;
  }
  for (const key of REF_KEYS) {
    const ref = findEntry(card, key);
    if (!ref) continue;
    const push = (node: YamlNode | null | undefined, base: number) => {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const v = valueOf(node, base, pos);
      if (!v) return;
      const target = resolve(v.value);
      out.refs.push(target !== undefined ? { key, ...v, target } : { key, ...v });
    };
    const { section, entry } = ref;
    if (section.items) for (const item of section.items) push(item.node, section.offset + item.offset);
    else if (isSeq(entry.valueNode)) for (const node of entry.valueNode.items) push(node as YamlNode, section.offset);
  }
  return out;
}
