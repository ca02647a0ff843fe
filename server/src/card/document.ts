/**
 * The text of an open card, kept as the card model's blocks rather than as one string: an
 * edit changes one block's text and the line table, and never copies the rest of the card (a
 * 5,000-requirement card is about 2 MB; copying it on every keystroke costs more than all the
 * checking). Implements the `TextDocument` interface the services use, with the same
 * semantics as vscode-languageserver-textdocument.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { lastAtOrBefore, lastIndexAtOrBefore, type Block, type CardModel, type Section } from './model';

/** A section's text: its head, then its items. */
export function sectionText(section: Section): string {
  return section.items ? section.head.text + section.items.map((i) => i.text).join('') : section.head.text;
}

/** The whole text of a card (built on demand: O(card size)). */
export function cardText(card: CardModel): string {
  return card.sections.map(sectionText).join('');
}

export function cardLength(card: CardModel): number {
  const last = card.sections[card.sections.length - 1];
  return last ? last.offset + last.length : 0;
}

/** The blocks covering [start, end), with their absolute offsets, in order. */
function* blocksFrom(card: CardModel, start: number): Generator<{ block: Block; base: number }> {
  let si = Math.max(0, lastAtOrBefore(card.sections, start));
  for (; si < card.sections.length; si++) {
    const s = card.sections[si];
    const items = s.items ?? [];
    let k = -1;
    if (items.length && start - s.offset >= items[0].offset) k = lastAtOrBefore(items, start - s.offset);
    if (k < 0) yield { block: s.head, base: s.offset };
    for (let i = Math.max(0, k); i < items.length; i++) yield { block: items[i], base: s.offset + items[i].offset };
    start = -1; // later sections from their start
  }
}

/** The text between two absolute offsets, read from the blocks. */
export function cardSlice(card: CardModel, start: number, end: number): string {
  let out = '';
  for (const { block, base } of blocksFrom(card, start)) {
    if (base >= end) break;
    out += block.text.slice(Math.max(0, start - base), Math.max(0, end - base));
  }
  return out;
}

function charCodeAt(card: CardModel, offset: number): number {
  if (offset < 0) return NaN;
  for (const { block, base } of blocksFrom(card, offset)) {
    const i = offset - base;
    if (i < block.text.length) return block.text.charCodeAt(i);
  }
  return NaN;
}

function isEOL(c: number): boolean {
  return c === 13 || c === 10;
}

function computeLineOffsets(text: string, isAtLineStart: boolean, textOffset = 0): number[] {
  const result = isAtLineStart ? [textOffset] : [];
  // Without a CR, the line ends are the LFs: found by indexOf, many times faster than a loop.
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) result.push(textOffset + i + 1);
    return result;
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isEOL(ch)) {
      if (ch === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      result.push(textOffset + i + 1);
    }
  }
  return result;
}

/**
 * `TextDocument.positionAt` of a plain text, for a few offsets (the checker's rows): the line
 * table is made on the first call.
 */
export function textPositions(text: string): (offset: number) => Position {
  let lineOffsets: number[] | undefined;
  return (offset) => {
    lineOffsets ??= computeLineOffsets(text, true);
    offset = Math.max(Math.min(offset, text.length), 0);
    const line = Math.max(0, lastIndexAtOrBefore(lineOffsets.length, (i) => lineOffsets![i], offset));
    const lineOffset = lineOffsets[line];
    while (offset > lineOffset && isEOL(text.charCodeAt(offset - 1))) offset--;
    return { line, character: offset - lineOffset };
  };
}

export class CardDocument implements TextDocument {
  private lineOffsets: number[];
  private length: number;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    public card: CardModel,
  ) {
    const text = cardText(card);
    this.lineOffsets = computeLineOffsets(text, true);
    this.length = text.length;
  }

  get lineCount(): number {
    return this.lineOffsets.length;
  }

  getText(range?: Range): string {
    if (!range) return cardText(this.card);
    return cardSlice(this.card, this.offsetAt(range.start), this.offsetAt(range.end));
  }

  /** The line of an offset: `positionAt(offset).line`, without reading the text. */
  lineAt(offset: number): number {
    offset = Math.max(Math.min(offset, this.length), 0);
    return Math.max(0, lastIndexAtOrBefore(this.lineOffsets.length, (i) => this.lineOffsets[i], offset));
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.length), 0);
    const line = this.lineAt(offset); // the table always has line 0
    const lineOffset = this.lineOffsets[line];
    offset = this.ensureBeforeEOL(offset, lineOffset);
    return { line, character: offset - lineOffset };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.lineOffsets;
    if (position.line >= lineOffsets.length) return this.length;
    if (position.line < 0) return 0;
    const lineOffset = lineOffsets[position.line];
    if (position.character <= 0) return lineOffset;
    const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this.length;
    const offset = Math.min(lineOffset + position.character, nextLineOffset);
    return this.ensureBeforeEOL(offset, lineOffset);
  }

  getLineRange(line: number): Range {
    const lineOffsets = this.lineOffsets;
    if (line >= lineOffsets.length) {
      const last = lineOffsets.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.length - lineOffsets[last] } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = lineOffsets[line];
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.length;
    return { start: { line, character: 0 }, end: { line, character: this.ensureBeforeEOL(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const lineOffsets = this.lineOffsets;
    if (line < 0 || line >= lineOffsets.length) return '';
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.length;
    return cardSlice(this.card, this.ensureBeforeEOL(next, lineOffsets[line]), next);
  }

  /**
   * Records an edit that `card` (the model of the new text) has already taken: `start`/`end`
   * are offsets in the old text, `text` what replaced them.
   */
  edited(card: CardModel, start: number, end: number, text: string, version: number): void {
    this.card = card;
    this.version = version;
    const diff = text.length - (end - start);
    this.length += diff;
    const insertedEnd = start + text.length;
    // An edit just after a CR may split a CRLF pair, or make one; so may inserted text ending in
    // a CR before an LF.
    const afterCr = charCodeAt(card, start - 1) === 13;
    const crlfAtEnd = charCodeAt(card, insertedEnd - 1) === 13 && charCodeAt(card, insertedEnd) === 10;
    if (afterCr || crlfAtEnd) {
      // A CRLF pair across the edit's boundary: recount (rare).
      this.lineOffsets = computeLineOffsets(cardText(card), true);
      return;
    }
    const lineOffsets = this.lineOffsets;
    const startLine = Math.max(0, lastIndexAtOrBefore(lineOffsets.length, (i) => lineOffsets[i], start));
    const endLine = Math.max(0, lastIndexAtOrBefore(lineOffsets.length, (i) => lineOffsets[i], end));
    const added = computeLineOffsets(text, false, start);
    if (endLine - startLine === added.length) {
      for (let i = 0; i < added.length; i++) lineOffsets[i + startLine + 1] = added[i];
    } else if (added.length < 10000) {
      lineOffsets.splice(startLine + 1, endLine - startLine, ...added);
    } else {
      this.lineOffsets = lineOffsets.slice(0, startLine + 1).concat(added, lineOffsets.slice(endLine + 1));
    }
    if (diff !== 0) {
      const lo = this.lineOffsets;
      for (let i = startLine + 1 + added.length; i < lo.length; i++) lo[i] += diff;
    }
  }

  private ensureBeforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(charCodeAt(this.card, offset - 1))) offset--;
    return offset;
  }
}
