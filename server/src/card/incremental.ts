/**
 * Incremental re-parsing: after an edit, re-parse only the blocks the edit touched.
 *
 * The cut points of a card depend only on the first character of lines (column 0 for
 * sections; the items' indentation for list items). An edit that lies inside a run of blocks
 * leaves the line before the run and the line after it as they were, so cutting the run's new
 * text alone finds the same boundaries a full parse would. The result is always identical to
 * `parseCard(newText)` — a property test checks this after random edit sequences.
 *
 * The new text is never built as a whole: the run's new text is made from its old blocks and
 * the edit. `updateCard` takes over the model it is given: it shifts the offsets of later
 * blocks in place and returns the model for the new text. Blocks it did not re-parse keep
 * their memoised results.
 */
import { cardSlice, cardText, sectionText } from './document';
import { lastAtOrBefore, type CardModel, type Item, type Section } from './model';
import { UnresolvedAlias, cutItems, parseCard, parseItem, parseSections, sectionStarts } from './parse';
import { updateMarkdownCard } from './markdownCard';

export interface Edit {
  /** Start of the replaced range, in the old text. */
  start: number;
  /** End of the replaced range, in the old text. */
  end: number;
  /** The text that replaced it. */
  text: string;
}

const MAX_LOG = 256;

function splice(old: string, from: number, edit: Edit): string {
  return old.slice(0, edit.start - from) + edit.text + old.slice(edit.end - from);
}

/** Re-parse the touched items of one split section; false when the edit changes its shape. */
function updateItems(section: Section, edit: Edit, delta: number): boolean {
  const items = section.items;
  if (!items) return false;
  const rs = edit.start - section.offset;
  const re = edit.end - section.offset;
  // The line before the run must be untouched: the edit starts after the first item's dash.
  if (rs - 1 < items[0].offset || re > section.length) return false;
  const a = lastAtOrBefore(items, rs - 1);
  const b = Math.max(a, lastAtOrBefore(items, re));
  const runStart = items[a].offset;
  let oldRun = '';
  for (let k = a; k <= b; k++) oldRun += items[k].text;
  const indent = items[0].text.length - items[0].text.trimStart().length;
  const runText = splice(oldRun, section.offset + runStart, edit);
  const cut = cutItems(runText, 0, indent);
  if (!cut || cut.starts[0] !== 0) return false;
  const fresh: Item[] = cut.starts.map((s, k) => parseItem(runText.slice(s, k + 1 < cut.starts.length ? cut.starts[k + 1] : runText.length), runStart + s));
  for (let k = b + 1; k < items.length; k++) items[k].offset += delta;
  const removed = items.splice(a, b - a + 1, ...fresh);
  section.length += delta;
  const entry = section.entries[0];
  if (entry && Array.isArray(entry.value)) entry.value.splice(a, b - a + 1, ...fresh.map((i) => i.value));
  // Consumers catch up from the log; one that never reads it gets a fresh start instead.
  if (section.itemLog.push({ removed, added: fresh }) > MAX_LOG) {
    section.itemLog.length = 0;
    section.memo.clear();
  }
  return true;
}

/** The whole new text: the old model's text with `edit` applied (O(card size)). */
export function editedText(card: CardModel, edit: Edit): string {
  return splice(card.body ? card.body.text : cardText(card), 0, edit);
}

/**
 * Whether the edit leaves a CR that is not followed by LF (a lone CR: such a card is parsed
 * whole, see `sectionStarts`). Only the CR before the edit and those it inserts can become one.
 */
function makesLoneCR(card: CardModel, edit: Edit): boolean {
  const text = (edit.start > 0 ? cardSlice(card, edit.start - 1, edit.start) : '') + edit.text;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if ((i + 1 < text.length ? text[i + 1] : cardSlice(card, edit.end, edit.end + 1)) !== '\n') return true;
  }
  return false;
}

/**
 * Whether a line starts a section depends on its first four characters at most (`- `, `---`,
 * a key): an edit that starts there may turn the line into a continuation of the section
 * above (`-statement` → `- statement` under a list whose dashes are in column 0).
 */
const LINE_START_CHARS = 4;

/** The model of the old model's text with `edit` applied. */
export function updateCard(card: CardModel, edit: Edit): CardModel {
  // A `.trl.md` card: its file's text edited, parsed again (markdownCard.ts).
  if (card.body) return updateMarkdownCard(card as CardModel & { body: NonNullable<CardModel['body']> }, edit);
  const sections = card.sections;
  if (card.whole || sections.length === 0 || makesLoneCR(card, edit)) return parseCard(editedText(card, edit));
  const delta = edit.text.length - (edit.end - edit.start);
  let i = Math.max(0, lastAtOrBefore(sections, Math.max(0, edit.start - 1)));
  // The run must start on a line the edit leaves alone: that line stays a section start.
  if (i > 0 && edit.start - sections[i].offset < LINE_START_CHARS) i--;
  const j = Math.max(i, lastAtOrBefore(sections, edit.end));
  const full = (): CardModel => parseCard(editedText(card, edit));
  try {
    if (i === j && updateItems(sections[i], edit, delta)) {
      for (let k = i + 1; k < sections.length; k++) sections[k].offset += delta;
      return card;
    }
    const runStart = sections[i].offset;
    let oldRun = '';
    for (let k = i; k <= j; k++) oldRun += sectionText(sections[k]);
    if (edit.end > runStart + oldRun.length) return full();
    const runText = splice(oldRun, runStart, edit);
    const starts = sectionStarts(runText);
    if (!starts) return full();
    const fresh = parseSections(runText, starts, runStart);
    for (let k = j + 1; k < sections.length; k++) sections[k].offset += delta;
    sections.splice(i, j - i + 1, ...fresh);
    return card;
  } catch (err) {
    if (err instanceof UnresolvedAlias) return full();
    throw err;
  }
}
