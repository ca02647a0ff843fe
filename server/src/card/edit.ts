/**
 * Where to write a field into a card: a card path (`owners.product.reviewers`) to an insertion
 * point and an indentation, across the incremental blocks. A nested field goes at the end of its
 * existing parent mapping, indented like that mapping's keys; a new top-level key at the end of
 * the card. Fields whose parent is not a block mapping (a flow mapping `{ … }`, a list, a text)
 * have no insertion point: a fix is not offered for them. A field written with nothing after its
 * colon (`tldr:`) gets its value there.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { cardSlice } from './document';
import { cardEnd } from './markdownCard';
import { blockAt, findEntry, type CardModel } from './model';
import { findPair, keyName, type PathSeg } from './nodes';

/** A text insertion at an absolute offset of the card. */
export interface Insertion {
  offset: number;
  text: string;
}

/** How the card indents and ends its lines. */
export interface CardStyle {
  /** One level of indentation: the smallest indentation the card uses (2 spaces by default). */
  unit: string;
  eol: string;
}

/** The card's own indentation unit and line end, read from its top-level sections' text. */
export function cardStyle(card: CardModel): CardStyle {
  let min = Infinity;
  let eol = '\n';
  for (const section of card.sections) {
    const text = section.head.text;
    if (eol === '\n' && text.includes('\r\n')) eol = '\r\n';
    // A line indented with a tab after spaces is not the card's own indentation.
    for (const m of text.matchAll(/(?:^|\n)( +)[^ \t\r\n#]/g)) min = Math.min(min, m[1].length);
    if (section.items) for (const item of section.items.slice(0, 20)) for (const m of item.text.matchAll(/(?:^|\n)( +)[^ \t\r\n#]/g)) min = Math.min(min, m[1].length);
    if (min === 1 || min === 2) break;
  }
  return { unit: ' '.repeat(Number.isFinite(min) && min <= 8 ? min : 2), eol };
}

/** What to write under a new key: a value on the key's line, and/or lines below it. */
export interface Placeholder {
  /** Written after `key:` (with a space), e.g. `TODO describe the intended use`. */
  inline?: string;
  /** Lines below the key, each with its depth in indentation units below the key. */
  lines?: [depth: number, text: string][];
}

/** A field to add: its path of keys from the card's root, and what to write. */
export interface NewField {
  path: readonly string[];
  value: Placeholder;
}

interface Tree {
  keys: Map<string, Tree>;
  value?: Placeholder;
}

function render(key: string, tree: Tree, indent: string, style: CardStyle): string {
  const { unit, eol } = style;
  if (tree.value && tree.keys.size === 0) {
    let out = `${indent}${key}:${tree.value.inline !== undefined ? ' ' + tree.value.inline : ''}${eol}`;
    for (const [depth, text] of tree.value.lines ?? []) out += `${indent}${unit.repeat(depth)}${text}${eol}`;
    return out;
  }
  let out = `${indent}${key}:${eol}`;
  for (const [k, sub] of tree.keys) out += render(k, sub, indent + unit, style);
  return out;
}

/** The column of an absolute offset (characters since the line start). */
function lineStart(card: CardModel, offset: number): number {
  const before = cardSlice(card, Math.max(0, offset - 400), offset);
  const i = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return i < 0 ? offset - before.length : offset - before.length + i + 1;
}

/** Just after the line break ending the last non-blank line at or before `end`, in `text` (based at `base`). */
function afterLastLine(text: string, end: number): { offset: number; needsBreak: boolean } {
  let i = Math.min(end, text.length);
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  let j = i;
  while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
  if (j >= text.length) return { offset: j, needsBreak: true };
  if (text[j] === '\r' && text[j + 1] === '\n') return { offset: j + 2, needsBreak: false };
  return { offset: j + 1, needsBreak: false };
}

/** `key:` with nothing after it (not `~` or `null`, which a mapping cannot follow). */
function isBlank(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]));
}

/** Where a value ends: the end of its last pair's value (or key), relative to the block. */
function valueEnd(pair: Pair): number | undefined {
  const v = pair.value as YamlNode | null;
  return v?.range?.[1] ?? (pair.key as YamlNode | null)?.range?.[1];
}

/**
 * The insertions that add `fields` to the card, merged so that fields sharing a new parent are
 * written under one key (adding `owners.rnd.owner` and `owners.rnd.reviewers` to a card without
 * `owners` writes one `owners:`). Fields that cannot be placed are left out and listed in
 * `skipped`.
 */
export function insertFields(card: CardModel, fields: readonly NewField[]): { insertions: Insertion[]; skipped: NewField[] } {
  const style = cardStyle(card);
  const insertions: Insertion[] = [];
  const skipped: NewField[] = [];
  const root: Tree = { keys: new Map() };
  for (const f of fields) {
    let t = root;
    for (const k of f.path) {
      let next = t.keys.get(k);
      if (!next) t.keys.set(k, (next = { keys: new Map() }));
      t = next;
    }
    t.value = f.value;
  }
  const endOfCard: string[] = [];
  const skip = (tree: Tree, path: string[]) => {
    if (tree.value) skipped.push({ path, value: tree.value });
    for (const [k, sub] of tree.keys) skip(sub, [...path, k]);
  };
  for (const [key, tree] of root.keys) {
    const ref = findEntry(card, key);
    if (!ref) {
      endOfCard.push(render(key, tree, '', style));
      continue;
    }
    const { section, entry } = ref;
    const text = section.head.text;
    const base = section.offset;
    /** `key:` already there with nothing after it: the placeholder goes after its colon and below it. */
    const fill = (keyNode: YamlNode, value: YamlNode | null, sub: Tree, path: string[]) => {
      const keyEnd = keyNode.range![1];
      const colon = text.indexOf(':', keyEnd);
      if (!sub.value || sub.keys.size || !isBlank(value) || colon < 0 || /[^ \t]/.test(text.slice(keyEnd, colon))) return skip(sub, path);
      const indent = ' '.repeat(keyNode.range![0] - (lineStart(card, base + keyNode.range![0]) - base));
      if (sub.value.inline !== undefined) insertions.push({ offset: base + colon + 1, text: ' ' + sub.value.inline });
      const below = sub.value.lines ?? [];
      if (below.length) {
        const at = afterLastLine(text, colon + 1);
        insertions.push({ offset: base + at.offset, text: (at.needsBreak ? style.eol : '') + below.map(([depth, line]) => `${indent}${style.unit.repeat(depth)}${line}${style.eol}`).join('') });
      }
    };
    if (tree.value && tree.keys.size === 0) {
      if (section.items) skip(tree, [key]);
      else fill(entry.keyNode as YamlNode, entry.valueNode, tree, [key]);
      continue;
    }
    // Walk down the existing mappings; the first missing key is written in its parent mapping.
    const place = (node: YamlNode | null, keyOffset: number, subtree: Tree, path: string[]) => {
      for (const [k, sub] of subtree.keys) {
        const pair = findPair(node, k);
        if (pair) {
          const value = pair.value as YamlNode | null;
          if (sub.keys.size && (isBlank(value) || (isMap(value) && value.flow !== true))) {
            place(isMap(value) ? value : null, (pair.key as YamlNode).range![0], sub, [...path, k]);
          } else if (sub.keys.size === 0) fill(pair.key as YamlNode, value, sub, [...path, k]);
          else skip(sub, [...path, k]);
          continue;
        }
        if (isMap(node) && node.flow) {
          skip(sub, [...path, k]);
          continue;
        }
        let indent: string;
        let at: { offset: number; needsBreak: boolean };
        const first = isMap(node) ? (node.items[0]?.key as YamlNode | undefined) : undefined;
        if (isMap(node) && first?.range && node.items.length) {
          indent = ' '.repeat(first.range[0] - (lineStart(card, base + first.range[0]) - base));
          at = afterLastLine(text, valueEnd(node.items[node.items.length - 1]) ?? first.range[1]);
        } else if (isBlank(node)) {
          // `key:` with nothing after it: the first line under the key.
          indent = ' '.repeat(keyOffset - (lineStart(card, base + keyOffset) - base)) + style.unit;
          at = afterLastLine(text, keyOffset + 1);
        } else {
          skip(sub, [...path, k]);
          continue;
        }
        const written = render(k, sub, indent, style);
        const offset = base + at.offset;
        const previous = insertions.find((i) => i.offset === offset);
        if (previous) previous.text += written;
        else insertions.push({ offset, text: (at.needsBreak ? style.eol : '') + written });
      }
    };
    const value = entry.valueNode;
    if (!isBlank(value) && !(isMap(value) && !value.flow)) {
      skip(tree, [key]);
      continue;
    }
    place(value, (entry.keyNode as YamlNode).range![0], tree, [key]);
  }
  if (endOfCard.length) {
    const length = cardEnd(card);
    const tail = cardSlice(card, Math.max(0, length - 2), length);
    const needsBreak = length > 0 && !tail.endsWith('\n') && !tail.endsWith('\r');
    insertions.push({ offset: length, text: (needsBreak ? style.eol : '') + endOfCard.join('') });
  }
  insertions.sort((a, b) => a.offset - b.offset);
  return { insertions, skipped };
}

/** A node found by offset: its card path, the node (a value, or a key), and its block's base offset. */
export interface NodeAt {
  path: PathSeg[];
  node: YamlNode;
  /** True when `node` is a mapping key (`path` then names its pair). */
  key: boolean;
  base: number;
}

function holds(node: YamlNode | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && r[0] <= offset && offset < Math.max(r[1], r[0] + 1);
}

/**
 * The innermost node at an absolute offset, with its card path (`['requirements', 3, 'risk']`),
 * across the incremental blocks; undefined outside any node or under a key that is not text.
 */
export function nodeAt(card: CardModel, offset: number): NodeAt | undefined {
  const at = blockAt(card, offset);
  if (!at) return undefined;
  const rel = offset - at.base;
  const path: PathSeg[] = [];
  let node: YamlNode | null;
  if (at.item) {
    const key = at.section.entries[0]?.key;
    if (key === undefined) return undefined;
    path.push(key, at.section.items!.indexOf(at.item));
    node = at.item.node;
  } else node = at.block.doc.contents as YamlNode | null;
  if (!holds(node, rel)) return undefined;
  for (;;) {
    let next: YamlNode | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        const v = pair.value as YamlNode | null;
        if (!holds(k, rel) && !holds(v, rel)) continue;
        const name = keyName(pair);
        if (name === undefined) return undefined;
        path.push(name);
        if (holds(k, rel)) return { path, node: k!, key: true, base: at.base };
        next = v!;
        break;
      }
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => holds(item as YamlNode | null, rel));
      if (i >= 0) {
        path.push(i);
        next = node.items[i] as YamlNode;
      }
    }
    if (!next) return node ? { path, node, key: false, base: at.base } : undefined;
    node = next;
  }
}

/**
 * The exact extent of a node's text, absolute: a block scalar (`>-` and its lines) ends with its
 * last line of text, not with the line break after it; `comment` is a comment on its header line
 * (`>- # note`), which an edit replacing the value writes back after it.
 */
export function valueExtent(card: CardModel, at: NodeAt): { start: number; end: number; comment?: string } | undefined {
  const r = at.node.range;
  if (!r) return undefined;
  const start = at.base + r[0];
  let end = at.base + r[1];
  if (isScalar(at.node) && (at.node.type === 'BLOCK_FOLDED' || at.node.type === 'BLOCK_LITERAL')) {
    const block = blockScalarExtent(cardSlice(card, start, end));
    if (!block) return undefined;
    end = start + block.length;
    return block.comment !== undefined ? { start, end, comment: block.comment } : { start, end };
  }
  return { start, end };
}

/**
 * A block scalar's own text (`>-` and its lines, as its node's range gives them): its length up
 * to its last character of text (not the line break after it), and a comment on its header
 * line (`>- # note`). Undefined when the text does not start with a block scalar's header.
 */
export function blockScalarExtent(text: string): { length: number; comment?: string } | undefined {
  const header = /^[|>][-+0-9]*[ \t]*(#[^\r\n]*)?/.exec(text);
  if (!header) return undefined;
  let k = text.length;
  while (k > header[0].length && /[ \t\r\n]/.test(text[k - 1])) k--;
  return header[1] ? { length: k, comment: header[1].replace(/[ \t]+$/, '') } : { length: k };
}
