/** Outline (document symbols) and folding ranges of a card. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, visit, type Node as YamlNode } from 'yaml';
import { blocks, type Block, type CardModel } from '../card/model';
import { keyName, rangeOf } from '../card/nodes';
import { LIMITS } from '../limits';

const MAX_DEPTH = 3;

function short(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** A symbol's name: VS Code rejects the whole outline when one name is empty. */
function nameOf(text: string): string {
  const one = short(text);
  return one.length ? one : '""';
}

/** How many symbols the outline may still add (see LIMITS.maxOutlineSymbols). */
interface Budget {
  left: number;
}

function kindOf(node: YamlNode | null): SymbolKind {
  if (isMap(node)) return SymbolKind.Module;
  if (isSeq(node)) return SymbolKind.Array;
  if (isScalar(node)) {
    if (typeof node.value === 'number') return SymbolKind.Number;
    if (typeof node.value === 'boolean') return SymbolKind.Boolean;
  }
  return SymbolKind.String;
}

function itemName(node: YamlNode | null, index: number): string {
  if (isMap(node)) {
    const get = (k: string) => {
      const p = node.items.find((it) => keyName(it) === k);
      return isScalar(p?.value) && p?.value.value !== null ? String(p.value.value) : undefined;
    };
    const blankToUndefined = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v : undefined);
    const id = blankToUndefined(get('id'));
    const label = blankToUndefined(get('text') ?? get('statement') ?? get('name') ?? get('property') ?? get('scenario'));
    if (id && label) return `${short(id, 30)} ${short(label, 50)}`;
    if (id ?? label) return short((id ?? label) as string);
  }
  if (isScalar(node) && node.value !== null && String(node.value).trim() !== '') return short(String(node.value));
  return `#${index + 1}`;
}

function symbolsOf(document: TextDocument, base: number, node: YamlNode | null, depth: number, budget: Budget): DocumentSymbol[] {
  if (depth >= MAX_DEPTH) return [];
  const out: DocumentSymbol[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      if (depth > 0 && budget.left <= 0) break;
      const name = keyName(pair);
      const kr = rangeOf(pair.key as YamlNode | null);
      if (name === undefined || !kr) continue;
      const value = (pair.value ?? null) as YamlNode | null;
      const vr = rangeOf(value);
      out.push(symbol(document, base, name, value, kr, vr ? [kr[0], Math.max(kr[1], vr[1])] : kr, depth, budget));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const r = rangeOf(item as YamlNode | null);
      if (!r || !isMap(item) || budget.left <= 0) return;
      out.push(symbol(document, base, itemName(item as YamlNode, i), item as YamlNode, r, r, depth, budget));
    });
  }
  return out;
}

function symbol(
  document: TextDocument,
  base: number,
  name: string,
  value: YamlNode | null,
  sel: [number, number],
  full: [number, number],
  depth: number,
  budget: Budget,
): DocumentSymbol {
  if (depth > 0) budget.left--; // top-level fields are always listed
  const sym: DocumentSymbol = {
    name: nameOf(name),
    kind: kindOf(value),
    range: { start: document.positionAt(base + full[0]), end: document.positionAt(base + full[1]) },
    selectionRange: { start: document.positionAt(base + sel[0]), end: document.positionAt(base + sel[1]) },
  };
  if (isScalar(value) && value.value !== null) sym.detail = short(String(value.value), 40);
  else if (isSeq(value)) sym.detail = `${value.items.length} item${value.items.length === 1 ? '' : 's'}`;
  const children = symbolsOf(document, base, value, depth + 1, budget);
  if (children.length) sym.children = children;
  return sym;
}

/**
 * The outline: top-level fields, the items of lists, and keys down to three levels. At most
 * LIMITS.maxOutlineSymbols symbols: every top-level field is listed first, then their contents
 * in text order until the budget is spent (a list then says how many of its items are shown).
 */
export function documentSymbols(document: TextDocument, card: CardModel): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const fields = card.sections.reduce((n, s) => n + s.entries.length, 0);
  const budget: Budget = { left: Math.max(0, LIMITS.maxOutlineSymbols - fields) };
  for (const section of card.sections) {
    const head = symbolsOf(document, section.offset, section.head.doc.contents as YamlNode | null, 0, budget);
    if (section.items && head.length === 1) {
      // A split list: its items are blocks of their own.
      const sym = head[0];
      const children: DocumentSymbol[] = [];
      let i = 0;
      for (; i < section.items.length && budget.left > 0; i++) {
        const item = section.items[i];
        const r = rangeOf(item.node);
        if (r && isMap(item.node)) children.push(symbol(document, section.offset + item.offset, itemName(item.node, i), item.node, r, r, 1, budget));
      }
      const last = section.items[section.items.length - 1];
      const lastRange = rangeOf(last.node);
      if (lastRange) sym.range = { start: sym.range.start, end: document.positionAt(section.offset + last.offset + lastRange[1]) };
      const n = section.items.length;
      sym.detail = `${n} item${n === 1 ? '' : 's'}${i < n ? ` (the outline shows ${children.length})` : ''}`;
      sym.kind = SymbolKind.Array;
      if (children.length) sym.children = children;
    }
    out.push(...head);
  }
  return out;
}

function blockFolds(document: TextDocument, block: Block, base: number, out: FoldingRange[]): void {
  const add = (start: number, end: number) => addFold(document, base + start, base + end, out);
  visit(block.doc, {
    Pair(_, pair) {
      if (out.length >= LIMITS.maxFoldingRanges) return visit.BREAK;
      const kr = rangeOf(pair.key as YamlNode | null);
      const vr = rangeOf(pair.value as YamlNode | null);
      if (kr && vr && (isMap(pair.value) || isSeq(pair.value) || (isScalar(pair.value) && (pair.value.type === 'BLOCK_LITERAL' || pair.value.type === 'BLOCK_FOLDED')))) add(kr[0], vr[1]);
      return undefined;
    },
    Seq(_, seq) {
      for (const item of seq.items) {
        const r = rangeOf(item as YamlNode | null);
        if (r && isMap(item)) add(r[0], r[1]);
      }
    },
  });
}

/** A fold over [start, end): a node ending at a line break ends on the line before. */
function addFold(document: TextDocument, start: number, end: number, out: FoldingRange[]): void {
  if (out.length >= LIMITS.maxFoldingRanges) return;
  const s = document.positionAt(start).line;
  const endPos = document.positionAt(end);
  let e = endPos.line;
  if (endPos.character === 0 && e > s) e--;
  if (e > s) out.push({ startLine: s, endLine: e });
}

/** Folding ranges, in text order, at most LIMITS.maxFoldingRanges (VS Code keeps no more). */
export function foldingRanges(document: TextDocument, card: CardModel): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const { section, block, base } of blocks(card)) {
    if (out.length >= LIMITS.maxFoldingRanges) break;
    blockFolds(document, block, base, out);
    if (block === section.head && section.items?.length) {
      const key = section.entries[0]?.keyNode;
      const last = section.items[section.items.length - 1];
      const lr = rangeOf(last.node);
      const kr = rangeOf(key);
      if (kr && lr) addFold(document, section.offset + kr[0], section.offset + last.offset + lr[1], out);
    }
  }
  return out;
}
