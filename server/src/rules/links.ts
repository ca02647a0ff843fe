/**
 * `placeholder`: a value that still holds a placeholder (text/placeholder.ts) — the template's
 * `<link to previous cards>`, "(link, if not on main page above)", a `TODO …` left by a snippet,
 * New Card, Graduate or a quick fix. It says nothing: it is flagged, and a link or path holding
 * one is never resolved. A placeholder in a field the card's level asks for is reported by the
 * level rule instead (`level-requirement`, at the entry's severity), on the same value.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { findEntry, type CardModel } from '../card/model';
import { keyName, rangeOf } from '../card/nodes';
import { trimEnd } from '../card/locate';
import { isPlaceholderLink, isPlaceholderText } from '../text/placeholder';
import { problem, q, type Problem } from './problem';

/** Whether a link or path is a placeholder rather than a real target. */
export function isPlaceholder(value: string): boolean {
  return isPlaceholderLink(value);
}

/** Whether the value at `path` is a link or a path (where a bare "link to …" is a placeholder too). */
function isLinkPath(path: readonly (string | number)[]): boolean {
  return LINK_LISTS.has(String(path[0])) || path[0] === 'links' || (path[0] === 'ethics' && path[1] === 'checklist');
}

const LINK_LISTS = new Set(['previous', 'coupled', 'components']);

function message(path: readonly (string | number)[], value: string): string {
  const top = String(path[0]);
  const names = path.filter((p): p is string => typeof p === 'string');
  const field = `\`${names.join('.')}\``;
  if (LINK_LISTS.has(top)) return `${q(value)} is a placeholder, not a ${top === 'previous' ? 'card' : 'link'}: replace it with the ${top === 'previous' ? "earlier card's path or URL" : 'path or URL'}, or remove the entry.`;
  if (top === 'links' || (top === 'ethics' && names[1] === 'checklist')) return `${q(value)} is a placeholder, not a link: replace it with the path or URL, or remove ${field}.`;
  return `${field} is a placeholder, ${q(value)}, not a value: write what it asks for, or remove it.`;
}

/** The text values of `links` and `ethics.checklist`, with absolute ranges (inside any quotes). */
export function linkFields(card: CardModel): { key: string; value: string; start: number; end: number; quoted: boolean }[] {
  const out: { key: string; value: string; start: number; end: number; quoted: boolean }[] = [];
  for (const [key, only] of [['links', undefined], ['ethics', 'checklist']] as const) {
    const ref = findEntry(card, key);
    if (!ref || !isMap(ref.entry.valueNode)) continue;
    for (const pair of ref.entry.valueNode.items) {
      const k = pair.key as YamlNode | null;
      const v = pair.value as YamlNode | null;
      if (!isScalar(k) || (only && k.value !== only) || !isScalar(v) || typeof v.value !== 'string') continue;
      const r = rangeOf(v);
      const quoted = v.type === 'QUOTE_DOUBLE' || v.type === 'QUOTE_SINGLE';
      if (r) out.push({ key, value: v.value, start: ref.section.offset + r[0], end: ref.section.offset + r[1], quoted });
    }
  }
  return out;
}

/** How deep the walk goes (nesting is bounded before parsing: limits.ts). */
const MAX_DEPTH = 64;

/**
 * The placeholders in a value node, as `placeholder` problems with offsets relative to the
 * node's block; `path` is the value's path in the card (for the message). Keys are not values.
 */
export function placeholderProblems(root: YamlNode | null | undefined, path: readonly (string | number)[], text: string): Problem[] {
  const out: Problem[] = [];
  const walk = (node: YamlNode | null | undefined, at: (string | number)[], depth: number) => {
    if (!node || depth > MAX_DEPTH) return;
    if (isScalar(node)) {
      if (typeof node.value === 'string' && (isLinkPath(at) ? isPlaceholderLink(node.value) : isPlaceholderText(node.value))) {
        const r = trimEnd(text, rangeOf(node));
        if (r) out.push(problem('placeholder', message(at, node.value), r[0], r[1]));
      }
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const name = keyName(pair);
        if (name !== undefined) walk(pair.value as YamlNode | null, [...at, name], depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as YamlNode | null, [...at, i], depth + 1));
    }
  };
  walk(root, [...path], 0);
  return out;
}
