/**
 * The card model: a card's text cut into sections (one per top-level key), each parsed on its
 * own; a section whose value is a block list is cut further into one block per list item.
 * Nodes keep offsets relative to their block, and blocks relative to their section, so an edit
 * re-parses only the block it touched: every other block keeps its parse, its value and its
 * memoised results, and only the offsets of later blocks move (see incremental.ts).
 */
import type { Document, Node as YamlNode, Pair, Scalar } from 'yaml';
import type { Memo } from './memo';

/** A problem found while parsing, with offsets relative to its block. */
export interface ParseProblem {
  code: string; // yaml's error code, e.g. MISSING_CHAR
  message: string;
  start: number;
  end: number;
  /** `INDENT_SLIP` (card/indentSlip.ts): the column the key's siblings start at. */
  column?: number;
}

/** A piece of card text parsed on its own. */
export interface Block {
  /** Offset of the block's first character, relative to its section (0 for a section's head). */
  offset: number;
  text: string;
  /** The parsed text; node ranges are relative to the block. */
  doc: Document.Parsed;
  /** Syntax errors and warnings from the YAML parser. */
  problems: ParseProblem[];
  /** Results memoised by the services, keyed by service; dropped with the block. */
  memo: Memo;
  /** Set when the block went past a bound of limits.ts and was not parsed (`doc` is empty). */
  limit?: LimitHit;
}

/** A bound of limits.ts that a block went past, offsets relative to the block. */
export interface LimitHit {
  rule: 'too-deep' | 'too-large';
  start: number;
  end: number;
  /** For `too-large`: the card had to be parsed whole (it cannot be cut into fields). */
  whole?: boolean;
}

/** One item of a top-level block list, parsed on its own: `doc.contents` is a one-item list. */
export interface Item extends Block {
  /** The item's node (the one item of `doc.contents`), or null when the text is not a list item. */
  node: YamlNode | null;
  /** The item as plain data. */
  value: unknown;
}

/** One top-level entry `key: value` of the card. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  /** The value node, or null for `key:` with nothing after it, or for a split list. */
  valueNode: YamlNode | null;
  pair: Pair;
  /** The entry's value as plain data (what JSON Schema validation sees). */
  value: unknown;
}

export interface Section {
  /** Absolute offset of the section's first character in the card text. */
  offset: number;
  /** Length of the section's text: from its first line to the next section's first line. */
  length: number;
  /**
   * The key line with everything up to the first list item when the section is split into
   * items; otherwise the whole section.
   */
  head: Block;
  /** The items of a top-level block list, each parsed alone; undefined when not split. */
  items?: Item[];
  /** The top-level entries this section holds: one, except in a card parsed as a whole. */
  entries: Entry[];
  /** True when the section's text holds content that is not a `key: value` mapping. */
  notAMapping: boolean;
  /**
   * Items replaced since a consumer last read this log (see incremental.ts), so results kept
   * per list can follow edits without rescanning every item.
   */
  itemLog: ItemChange[];
  /** Results memoised per section by the services; dropped with the section. */
  memo: Memo;
}

export interface ItemChange {
  removed: Item[];
  added: Item[];
}

export interface CardModel {
  sections: Section[];
  /** True when the card could not be cut into sections and was parsed as one piece. */
  whole: boolean;
  /**
   * A `.trl.md` card (card/markdownCard.ts): the sections hold its front matter's view (every
   * character outside the YAML a space), and this the file's text and its body's prose fields.
   */
  body?: CardBody;
}

/** What a `.trl.md` card's file holds beyond its front matter's YAML (card/markdownCard.ts). */
export interface CardBody {
  /** The file's own text (the model's blocks hold the view). */
  text: string;
  /** The front matter's YAML: from after the opening `---` line to the closing `---` line's start; undefined when the file has none. */
  frontMatter?: { start: number; end: number };
  /** The prose fields the body's sections give, in text order. */
  fields: BodyField[];
  /** What is wrong with the file's form: no front matter, an empty section, a field given twice. */
  problems: BodyProblem[];
}

/** A prose field given by a section of a `.trl.md` body. */
export interface BodyField {
  /** The field's path (`model.details`, `intended_use`, …). */
  path: string;
  value: unknown;
  /** The section's heading: its text's absolute range. */
  start: number;
  end: number;
}

export interface BodyProblem {
  code: 'front-matter' | 'empty-section' | 'section-and-field';
  message: string;
  start: number;
  end: number;
}

export interface EntryRef {
  entry: Entry;
  section: Section;
}

/** All top-level entries in order, with their sections. */
export function entries(card: CardModel): EntryRef[] {
  const out: EntryRef[] = [];
  for (const section of card.sections) for (const entry of section.entries) out.push({ entry, section });
  return out;
}

/** The first top-level entry with this key (later duplicates are reported). */
export function findEntry(card: CardModel, key: string): EntryRef | undefined {
  for (const section of card.sections) {
    for (const entry of section.entries) if (entry.key === key) return { entry, section };
  }
  return undefined;
}

/** The card as plain data: each key's first value. Cheap: values are built once per block. */
export function cardValue(card: CardModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const section of card.sections) {
    for (const entry of section.entries) if (!(entry.key in out)) out[entry.key] = entry.value;
  }
  if (card.body) for (const f of card.body.fields) mergeField(out, f.path.split('.'), f.value);
  return out;
}

/** A body section's field into a card's value, where the front matter does not give it (never changing the front matter's objects). */
function mergeField(out: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  if (keys.length === 1) {
    if (out[keys[0]] === undefined) out[keys[0]] = value;
    return;
  }
  const parent = out[keys[0]];
  if (parent === undefined || parent === null) out[keys[0]] = { [keys[1]]: value };
  else if (typeof parent === 'object' && !Array.isArray(parent) && (parent as Record<string, unknown>)[keys[1]] === undefined) out[keys[0]] = { ...(parent as Record<string, unknown>), [keys[1]]: value };
}

/** Index of the last element whose `offset` is at or before `offset`, or -1. */
export function lastAtOrBefore(list: readonly { offset: number }[], offset: number): number {
  return lastIndexAtOrBefore(list.length, (i) => list[i].offset, offset);
}

/** In a sorted sequence of `length` values read by `at`, the last index whose value ≤ `value`, or -1. */
export function lastIndexAtOrBefore(length: number, at: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The section holding an absolute offset. */
export function sectionAt(card: CardModel, offset: number): Section | undefined {
  const i = lastAtOrBefore(card.sections, offset);
  return i >= 0 ? card.sections[i] : undefined;
}

/** The block holding an absolute offset, with its absolute base offset. */
export function blockAt(card: CardModel, offset: number): { section: Section; block: Block; base: number; item?: Item } | undefined {
  const section = sectionAt(card, offset);
  if (!section) return undefined;
  if (section.items) {
    const i = lastAtOrBefore(section.items, offset - section.offset);
    if (i >= 0) {
      const item = section.items[i];
      return { section, block: item, base: section.offset + item.offset, item };
    }
  }
  return { section, block: section.head, base: section.offset };
}

/** True when the card is too large to be parsed at all (see limits.ts): services answer nothing. */
export function tooLarge(card: CardModel): boolean {
  return card.sections.length === 1 && card.sections[0].head.limit?.rule === 'too-large';
}

/** Every block of the card in text order, with its absolute base offset. */
export function* blocks(card: CardModel): Generator<{ section: Section; block: Block; base: number; item?: Item }> {
  for (const section of card.sections) {
    yield { section, block: section.head, base: section.offset };
    if (section.items) for (const item of section.items) yield { section, block: item, base: section.offset + item.offset, item };
  }
}
