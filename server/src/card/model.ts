/**
 * The card model: a card's text cut into sections (one per top-level key), each parsed on its
 * own. Nodes keep offsets relative to their section, so a section that an edit did not touch
 * keeps its parse, its value and its problems when text before it moves (see incremental.ts).
 */
import type { Document, Node as YamlNode, Pair, Scalar } from 'yaml';

/** A problem found while parsing, with offsets relative to its section. */
export interface ParseProblem {
  code: string; // yaml's error code, e.g. MISSING_CHAR
  message: string;
  start: number;
  end: number;
}

/** One top-level entry `key: value` of the card. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  /** The value node, or null for `key:` with nothing after it. */
  valueNode: YamlNode | null;
  pair: Pair;
  /** The entry's value as plain data (what JSON Schema validation sees). */
  value: unknown;
}

export interface Section {
  /** Absolute offset of the section's first character in the card text. */
  offset: number;
  /** The section's text: from its key line up to the next section's key line. */
  text: string;
  /** The parsed text, with ranges relative to `offset`. */
  doc: Document.Parsed;
  /** The top-level entries this section holds: one, except in a card parsed as a whole. */
  entries: Entry[];
  /** Syntax errors and warnings from the YAML parser. */
  problems: ParseProblem[];
  /** True when the section's text holds content that is not a `key: value` mapping. */
  notAMapping: boolean;
  /** Per-section results memoised by the services (diagnostics, symbols). Keyed by service. */
  memo: Map<string, unknown>;
}

export interface CardModel {
  text: string;
  sections: Section[];
  /** True when the card could not be cut into sections and was parsed as one piece. */
  whole: boolean;
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

/** The first top-level entry with this key (YAML reports later duplicates). */
export function findEntry(card: CardModel, key: string): EntryRef | undefined {
  for (const section of card.sections) {
    for (const entry of section.entries) if (entry.key === key) return { entry, section };
  }
  return undefined;
}

/** The card as plain data: each key's first value. Cheap: values are computed once per section. */
export function cardValue(card: CardModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const section of card.sections) {
    for (const entry of section.entries) if (!(entry.key in out)) out[entry.key] = entry.value;
  }
  return out;
}

/** The section holding an absolute offset (the last one starting at or before it). */
export function sectionAt(card: CardModel, offset: number): Section | undefined {
  const s = card.sections;
  let lo = 0;
  let hi = s.length - 1;
  let found: Section | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid].offset <= offset) {
      found = s[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
