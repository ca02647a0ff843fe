/**
 * Incremental re-parsing: after an edit, re-parse only the blocks the edit touched.
 *
 * The cut points of a card depend only on the first character of lines (column 0 for
 * sections; the items' indentation for list items). An edit that lies inside a run of blocks
 * leaves the line before the run and the line after it as they were, so cutting the run's new
 * text alone finds the same boundaries a full parse would. The result is always identical to
 * `parseCard(newText)` — a property test checks this after random edit sequences.
 *
 * `updateCard` takes over the model it is given: it shifts the offsets of later blocks in place
 * and returns the model for the new text. Blocks it did not re-parse keep their memoised results.
 */
import { lastAtOrBefore, type CardModel, type Item, type Section } from './model';
import { UnresolvedAlias, cutItems, parseCard, parseItem, parseSections, sectionStarts } from './parse';

export interface Edit {
  /** Start of the replaced range, in the old text. */
  start: number;
  /** End of the replaced range, in the old text. */
  end: number;
  /** Length of the text that replaced it. */
  inserted: number;
}

function sectionEnd(s: Section): number {
  return s.offset + s.length;
}

/** Re-parse the touched items of one split section; false when the edit changes its shape. */
function updateItems(card: CardModel, si: number, newText: string, edit: Edit, delta: number): boolean {
  const section = card.sections[si];
  const items = section.items;
  if (!items) return false;
  const rs = edit.start - section.offset;
  const re = edit.end - section.offset;
  // The line before the run must be untouched: the edit starts after the first item's dash.
  if (rs - 1 < items[0].offset || re > section.length) return false;
  const a = lastAtOrBefore(items, rs - 1);
  const b = Math.max(a, lastAtOrBefore(items, re));
  const runStart = items[a].offset;
  const runEnd = b + 1 < items.length ? items[b + 1].offset : section.length;
  if (re >= runEnd && b + 1 < items.length) return false;
  const indent = items[0].text.length - items[0].text.trimStart().length;
  const runText = newText.slice(section.offset + runStart, section.offset + runEnd + delta);
  const cut = cutItems(runText, 0, indent);
  if (!cut || cut.starts[0] !== 0) return false;
  const fresh: Item[] = cut.starts.map((s, k) => parseItem(runText.slice(s, k + 1 < cut.starts.length ? cut.starts[k + 1] : runText.length), runStart + s));
  for (let k = b + 1; k < items.length; k++) items[k].offset += delta;
  items.splice(a, b - a + 1, ...fresh);
  section.length += delta;
  const entry = section.entries[0];
  if (entry) entry.value = items.map((i) => i.value);
  return true;
}

/** The model of `newText`, which is the old model's text with `edit` applied. */
export function updateCard(card: CardModel, newText: string, edit: Edit): CardModel {
  if (card.whole || card.sections.length === 0) return parseCard(newText);
  const delta = edit.inserted - (edit.end - edit.start);
  const sections = card.sections;
  const i = Math.max(0, lastAtOrBefore(sections, Math.max(0, edit.start - 1)));
  const j = Math.max(i, lastAtOrBefore(sections, edit.end));
  try {
    if (i === j && updateItems(card, i, newText, edit, delta)) {
      for (let k = i + 1; k < sections.length; k++) sections[k].offset += delta;
      card.text = newText;
      return card;
    }
    const runStart = sections[i].offset;
    const runEnd = sectionEnd(sections[j]);
    if (edit.end > runEnd) return parseCard(newText);
    const runText = newText.slice(runStart, runEnd + delta);
    const starts = sectionStarts(runText);
    if (!starts) return parseCard(newText);
    const fresh = parseSections(runText, starts, runStart);
    for (let k = j + 1; k < sections.length; k++) sections[k].offset += delta;
    sections.splice(i, j - i + 1, ...fresh);
    card.text = newText;
    return card;
  } catch (err) {
    if (err instanceof UnresolvedAlias) return parseCard(newText);
    throw err;
  }
}
