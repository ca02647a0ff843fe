/** Outline (document symbols) and folding ranges of a card. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, visit, type Node as YamlNode } from 'yaml';
import { blocks, type Block, type CardModel } from '../card/model';
import { keyName, rangeOf } from '../card/nodes';

const MAX_DEPTH = 3;

function short(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
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
    const id = get('id');
    const label = get('text') ?? get('statement') ?? get('name') ?? get('property') ?? get('scenario');
    if (id && label) return `${id} ${short(label, 50)}`;
    if (id ?? label) return short((id ?? label) as string);
  }
  if (isScalar(node) && node.value !== null) return short(String(node.value));
  return `#${index + 1}`;
}

function symbolsOf(document: TextDocument, base: number, node: YamlNode | null, depth: number): DocumentSymbol[] {
  if (depth >= MAX_DEPTH) return [];
  const out: DocumentSymbol[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = keyName(pair);
      const kr = rangeOf(pair.key as YamlNode | null);
      if (name === undefined || !kr) continue;
      const value = (pair.value ?? null) as YamlNode | null;
      const vr = rangeOf(value);
      out.push(symbol(document, base, name, value, kr, vr ? [kr[0], Math.max(kr[1], vr[1])] : kr, depth));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const r = rangeOf(item as YamlNode | null);
      if (!r || !isMap(item)) return;
      out.push(symbol(document, base, itemName(item as YamlNode, i), item as YamlNode, r, r, depth));
    });
  }
  return out;
}

function symbol(document: TextDocument, base: number, name: string, value: YamlNode | null, sel: [number, number], full: [number, number], depth: number): DocumentSymbol {
  const sym: DocumentSymbol = {
    name,
    kind: kindOf(value),
    range: { start: document.positionAt(base + full[0]), end: document.positionAt(base + full[1]) },
    selectionRange: { start: document.positionAt(base + sel[0]), end: document.positionAt(base + sel[1]) },
  };
  if (isScalar(value) && value.value !== null) sym.detail = short(String(value.value), 40);
  else if (isSeq(value)) sym.detail = `${value.items.length} item${value.items.length === 1 ? '' : 's'}`;
  const children = symbolsOf(document, base, value, depth + 1);
  if (children.length) sym.children = children;
  return sym;
}

export function documentSymbols(document: TextDocument, card: CardModel): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const section of card.sections) {
    const head = symbolsOf(document, section.offset, section.head.doc.contents as YamlNode | null, 0);
    if (section.items && head.length === 1) {
      // A split list: its items are blocks of their own.
      const sym = head[0];
      const children: DocumentSymbol[] = [];
      section.items.forEach((item, i) => {
        const r = rangeOf(item.node);
        if (r && isMap(item.node)) children.push(symbol(document, section.offset + item.offset, itemName(item.node, i), item.node, r, r, 1));
      });
      const last = section.items[section.items.length - 1];
      const lastRange = rangeOf(last.node);
      if (lastRange) sym.range = { start: sym.range.start, end: document.positionAt(section.offset + last.offset + lastRange[1]) };
      sym.detail = `${section.items.length} item${section.items.length === 1 ? '' : 's'}`;
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
      const kr = rangeOf(pair.key as YamlNode | null);
      const vr = rangeOf(pair.value as YamlNode | null);
      if (kr && vr && (isMap(pair.value) || isSeq(pair.value) || (isScalar(pair.value) && (pair.value.type === 'BLOCK_LITERAL' || pair.value.type === 'BLOCK_FOLDED')))) add(kr[0], vr[1]);
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
  const s = document.positionAt(start).line;
  const endPos = document.positionAt(end);
  let e = endPos.line;
  if (endPos.character === 0 && e > s) e--;
  if (e > s) out.push({ startLine: s, endLine: e });
}

export function foldingRanges(document: TextDocument, card: CardModel): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const { section, block, base } of blocks(card)) {
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
