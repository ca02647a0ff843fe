/**
 * Graduation: the next card's text, made from the current card's text by small edits (comments
 * and layout kept, nothing re-serialised). Pure: the server runs it on the open card's text, the
 * client writes the result where the user asked.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { blockScalarExtent } from '../card/edit';
import { cardValue, type CardModel } from '../card/model';
import { parseCard } from '../card/parse';
import { LEVELS, levelInfo, levelStatus, type Level } from '../levels';
import { fieldInsertions } from './codeActions';
import type { Readiness } from './readiness';
import { CARD_FILE, CARD_MARKDOWN } from '../../../protocol/cardFile';

export interface GraduateOptions {
  /** Add `previous: ./<this file>` (a new card beside this one); off when raising the level in place. */
  previous?: boolean;
  /** The card's verdict (services/readiness.ts): a card that is not ready is refused, with its reasons. */
  verdict?: Readiness;
}

export type GraduateResult = { newText: string; level: number } | { error: string };

interface TextEdit {
  at: number;
  end: number;
  text: string;
}

/** The file name of a card URI or path (its last segment, decoded). */
export function baseName(uri: string): string {
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * The next card's file name from a pattern with `${name}` and `${level}`: `${name}` is the card's
 * name without `.trl.yaml` and without a `.level-N` suffix.
 */
export function nextFileName(uri: string, level: number, pattern = '${name}.level-${level}.trl.yaml'): string {
  const name = baseName(uri)
    .replace(CARD_FILE, '')
    .replace(/\.level-\d+$/i, '');
  const next = pattern.replace(/\$\{name\}/g, name).replace(/\$\{level\}/g, String(level));
  // A `.trl.md` card's next card is a `.trl.md` too.
  return CARD_MARKDOWN.test(baseName(uri)) ? next.replace(CARD_FILE, '.trl.md') : next;
}

/** One line of text, for a comment or a quoted placeholder. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A quoted YAML string (JSON's double-quoted strings are YAML's). */
function quoted(s: string): string {
  return JSON.stringify(oneLine(s));
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as YamlNode | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * What an edit that replaces a value replaces: the node's text up to its last character that is
 * not white space (a block scalar's range, `>-` and its lines, ends after the line break that
 * follows it: replacing that would glue the next field onto the new value), with a comment on a
 * block scalar's header line (`>- # note`) kept, written back after the new value.
 */
function replaceValue(text: string, node: unknown, value: string): TextEdit | undefined {
  const r = rangeOf(node);
  if (!r) return undefined;
  const block = isScalar(node) && (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') ? blockScalarExtent(text.slice(r[0], r[1])) : undefined;
  let end = block ? r[0] + block.length : r[1];
  while (end > r[0] && /[ \t\r\n]/.test(text[end - 1])) end--;
  // An empty value (`key:` and the line break) starts right after its colon.
  const space = value && text[r[0] - 1] === ':' ? ' ' : '';
  return { at: r[0], end, text: space + (block?.comment ? `${value} ${block.comment}` : value) };
}

/** `value` as a double-quoted YAML string, for flow context, where a comma ends a plain value. */
const flowString = (value: string) => JSON.stringify(value);

/** The offset of the start of the line after the one holding `pos` (or the text's end). */
function lineEndAfter(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

function columnOf(text: string, pos: number): number {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  // A byte order mark before the first key takes no column.
  return pos - start - (start === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0);
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : undefined) === key) as Pair | undefined;
}

/** The debrief's four questions (the template's), as the placeholders of a new level's debrief. */
const DEBRIEF: readonly [string, string][] = [
  ['accomplished', 'TODO what was accomplished, and by whom?'],
  ['punted', 'TODO what was punted or de-scoped?'],
  ['learned', 'TODO what was learned?'],
  ['tech_debt', 'TODO what tech debt was gained, and how was it mitigated?'],
];

/** A block mapping's children indent and where a new pair goes (after its last pair). */
function blockMapInsert(text: string, map: YAMLMap): { at: number; indent: number } | undefined {
  if (map.flow || map.items.length === 0) return undefined;
  const first = rangeOf(map.items[0].key);
  const last = map.items[map.items.length - 1];
  const end = rangeOf(last.value) ?? rangeOf(last.key);
  if (!first || !end) return undefined;
  return { at: lineEndAfter(text, end[1]), indent: columnOf(text, first[0]) };
}

/**
 * Appends `item` (flow text) to a list node: a new `- ` line for a block list, `, item` for a flow
 * one — right after its last item (or its `[`), on that item's line, whatever the layout: never
 * before a `]` that closes the list on a line of its own, where `, item` would start a line at
 * the list's parent's indentation.
 */
function appendToList(text: string, seq: YAMLSeq, item: string, blockItem: (indent: number) => string): TextEdit | undefined {
  const r = rangeOf(seq);
  if (!r) return undefined;
  if (seq.flow) {
    if (text[r[0]] !== '[') return undefined;
    if (seq.items.length === 0) return { at: r[0] + 1, end: r[0] + 1, text: item };
    const last = seq.items[seq.items.length - 1];
    const end = rangeOf(isPair(last) ? (last.value ?? last.key) : last)?.[1];
    if (end === undefined) return undefined;
    return { at: end, end, text: `, ${item}` };
  }
  if (seq.items.length === 0) return undefined;
  const last = rangeOf(seq.items[seq.items.length - 1]);
  if (!last) return undefined;
  const at = lineEndAfter(text, last[1]);
  const indent = columnOf(text, r[0]);
  return { at, end: at, text: (at === text.length && !text.endsWith('\n') ? '\n' : '') + blockItem(indent) };
}

/** The last entry of a history list when it is a mapping at `level` with no decision. */
function sameLevelEntry(seq: YAMLSeq, level: number): YAMLMap | undefined {
  const last = seq.items[seq.items.length - 1];
  if (!isMap(last)) return undefined;
  const l = pairOf(last, 'level')?.value;
  if (!isScalar(l) || l.value !== level || pairOf(last, 'decision')) return undefined;
  return last;
}

/** Whether the list's last entry is the review that graduated the card from `level`. */
function graduatedAt(seq: YAMLSeq, level: number): boolean {
  const last = seq.items[seq.items.length - 1];
  if (!isMap(last)) return false;
  const l = pairOf(last, 'level')?.value;
  const d = pairOf(last, 'decision')?.value;
  return isScalar(l) && l.value === level && isScalar(d) && d.value === 'graduate';
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    out += text.slice(pos, e.at) + e.text;
    pos = Math.max(pos, e.end);
  }
  return out + text.slice(pos);
}

/**
 * The card of the next level: `level` raised to n+1, `previous` pointing back to this card,
 * a `history` entry for the graduation, the review's decision and date (when the card has a
 * `review`), the next level's missing fields and the level's debrief as TODO placeholders.
 * Refuses a card with syntax problems, without a valid level, at TRL 9, or not ready.
 */
export function graduate(
  input: string,
  card: CardModel,
  uri: string,
  today: string,
  levels: readonly Level[] = LEVELS,
  options: GraduateOptions = {},
): GraduateResult {
  // Lines are added after the card's last line: it gets the line end it lacks.
  const text = input.length && !input.endsWith('\n') ? input + (/\r\n/.test(input) ? '\r\n' : '\n') : input;
  if (text !== input) card = parseCard(text);
  const data = cardValue(card);
  const level = data.level;
  if (typeof level !== 'number' || !levelInfo(level, levels)) return { error: 'The card has no valid `level` (a whole number from 0 to 9).' };
  const next = levels[level + 1];
  if (!next) return { error: `TRL ${level} is the last level: there is no level to graduate to.` };
  const status = options.verdict?.status ?? levelStatus(data, level, levels);
  if (options.verdict && !options.verdict.ready) return { error: `The card is not ready to graduate: ${options.verdict.reasons.join('; ')}.` };
  if (!status.ready) {
    const k = status.unmet.filter((u) => u.req.severity === 'error' || u.req.severity === 'warning').length;
    return { error: `The card is not ready to graduate: ${k} item${k === 1 ? '' : 's'} missing for TRL ${level}.` };
  }
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return { error: 'The card has syntax problems: fix them before graduating.' };
  // Fields added at the end would land after the end of the document, in a second one.
  if (/^\.\.\.[ \t]*(?:#[^\n]*)?\r?$/m.test(text))
    return { error: 'The card ends its YAML document with a `...` line: remove it (and anything after it), then graduate.' };
  const root = doc.contents;
  const rootInsert = blockMapInsert(text, root);
  if (!rootInsert || rootInsert.indent !== 0) return { error: 'The card is not a block mapping of fields: it cannot be graduated automatically.' };
  const edits: TextEdit[] = [];
  const eof = text.length;
  const tail: string[] = [];
  const addTop = (lines: string) => tail.push(lines);

  // level
  const levelEdit = replaceValue(text, pairOf(root, 'level')?.value, String(next.level));
  if (!levelEdit) return { error: 'The card has no `level` value to raise.' };
  edits.push(levelEdit);

  // previous
  if (options.previous !== false) {
    const back = `./${baseName(uri)}`;
    const item = /^[\w./-]+$/.test(back) ? back : quoted(back);
    const prev = pairOf(root, 'previous');
    if (!prev) addTop(`previous:\n  - ${item}\n`);
    else if (isSeq(prev.value)) {
      const e = appendToList(text, prev.value, item, (i) => `${' '.repeat(i)}- ${item}\n`);
      if (e) edits.push(e);
    } else {
      const r = replaceValue(text, prev.value, '');
      const keyEnd = rangeOf(prev.key)![1];
      if (r && isScalar(prev.value) && (prev.value.value === null || prev.value.value === ''))
        edits.push({ at: keyEnd, end: r.end, text: `: [${item}]` });
      else if (r && isScalar(prev.value)) edits.push({ at: keyEnd, end: r.end, text: `: [${quoted(String(prev.value.value))}, ${item}]` });
      else if (!r) edits.push({ at: keyEnd, end: keyEnd + 1, text: `: [${item}]` });
    }
  }

  // history
  const entry = { level: level, date: today };
  const flowEntry = `{ level: ${entry.level}, date: ${entry.date}, decision: graduate }`;
  const history = pairOf(root, 'history');
  if (!history) addTop(`history:\n  - level: ${entry.level}\n    date: ${entry.date}\n    decision: graduate\n`);
  else if (isSeq(history.value) && graduatedAt(history.value, level)) {
    // The card's last entry is already the review that graduated it from this level: a second
    // one would start a second stay at the level in the portfolio.
  } else if (isSeq(history.value) && sameLevelEntry(history.value, level)) {
    // The last review was at this level and decided nothing (New Card's entry): it becomes the
    // review that graduates, so that a level has one entry (a stay ends at its last review).
    const last = sameLevelEntry(history.value, level)!;
    const ins = last.flow ? undefined : blockMapInsert(text, last);
    const date = replaceValue(text, pairOf(last, 'date')?.value, today);
    if (last.flow) {
      // Its other keys (notes, reviewers) stay: the date changes, the decision is added.
      const lastPair = last.items[last.items.length - 1];
      const end = rangeOf(lastPair?.value ?? lastPair?.key)?.[1];
      if (date) edits.push(date);
      else if (end !== undefined) edits.push({ at: end, end, text: `, date: ${today}` });
      if (end !== undefined) edits.push({ at: end, end, text: ', decision: graduate' });
    } else if (ins) {
      if (date) edits.push(date);
      else edits.push({ at: ins.at, end: ins.at, text: `${' '.repeat(ins.indent)}date: ${today}\n` });
      edits.push({ at: ins.at, end: ins.at, text: `${' '.repeat(ins.indent)}decision: graduate\n` });
    }
  } else if (isSeq(history.value)) {
    const e = appendToList(text, history.value, flowEntry, (i) => {
      const pad = ' '.repeat(i);
      return `${pad}- level: ${entry.level}\n${pad}  date: ${entry.date}\n${pad}  decision: graduate\n`;
    });
    if (e) edits.push(e);
  }

  // review: the decision that made this card, when the card keeps a review.
  const review = pairOf(root, 'review');
  if (review && isMap(review.value) && !review.value.flow) {
    const map = review.value;
    const ins = blockMapInsert(text, map);
    for (const [key, value] of [
      ['decision', 'graduate'],
      ['date', today],
    ] as const) {
      const r = replaceValue(text, pairOf(map, key)?.value, value);
      if (r) edits.push(r);
      else if (ins) edits.push({ at: ins.at, end: ins.at, text: `${' '.repeat(ins.indent)}${key}: ${value}\n` });
    }
  }

  const debrief = pairOf(root, 'debrief');
  // A debrief the card has is the previous stage's (its edits go first: a new field added at
  // the end of the card comes after the debrief's last line): the new card's debrief is of the level it
  // leaves, its four questions to answer again.
  if (debrief) {
    if (isMap(debrief.value) && !debrief.value.flow) {
      const map = debrief.value;
      const ins = blockMapInsert(text, map);
      for (const [key, question] of DEBRIEF) {
        const r = replaceValue(text, pairOf(map, key)?.value, question);
        if (r) edits.push(r);
        else if (ins) edits.push({ at: ins.at, end: ins.at, text: `${' '.repeat(ins.indent)}${key}: ${question}\n` });
      }
    } else {
      const flow = `{ ${DEBRIEF.map(([k, q]) => `${k}: ${flowString(q)}`).join(', ')} }`;
      const r = replaceValue(text, debrief.value, flow);
      const keyEnd = rangeOf(debrief.key)?.[1];
      if (r) edits.push(r);
      else if (keyEnd !== undefined) edits.push({ at: keyEnd, end: keyEnd + 1, text: `: ${flow}` });
    }
  }

  // The next level's fields the card lacks, and the debrief of the level it leaves when it has
  // none, with the placeholders the level fixes write (services/codeActions.ts): each value a
  // `TODO …` the new card's level entries report, so the new card is not ready until written.
  const handled = new Set(['level', 'history', ...(options.previous !== false ? ['previous'] : [])]);
  const fields: string[] = [];
  for (const u of status.next) {
    if (u.why.kind !== 'missing' || u.req.when || handled.has(u.req.field)) continue;
    handled.add(u.req.field);
    fields.push(u.req.field);
  }
  if (!debrief && !handled.has('debrief')) fields.push('debrief');
  for (const i of fieldInsertions(card, fields).insertions) edits.push({ at: i.offset, end: i.offset, text: i.text.replace(/\r\n/g, '\n') });

  if (tail.length) edits.push({ at: eof, end: eof, text: (text.length && !text.endsWith('\n') ? '\n' : '') + tail.join('') });
  // The lines written end like the card's own (a CRLF card stays CRLF).
  const eol = /\r\n|\n/.exec(text)?.[0] ?? '\n';
  if (eol !== '\n') for (const e of edits) e.text = e.text.replace(/\n/g, eol);
  return { newText: applyEdits(text, edits), level: next.level };
}
