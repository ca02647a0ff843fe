/**
 * Answers of `trlCards/cardPreview` as changes: the render model of a 1,000-requirement card is
 * about 300 KB of JSON, and moving and parsing it costs more than computing it. A preview that
 * names the answer it holds (`base`) gets only what differs from it: the fields replaced, the
 * blocks and risk rows that changed (by key), those that only moved in the text (their new
 * lines), and the new order of keys when it changed. Pure functions of plain data, shared by
 * the server (which makes the delta) and the client (which applies it); imports only types.
 */
import type { CardPreview, PreviewBlock, RequirementRow, RiskTable, SourceLines } from './preview';

/** What changed in a keyed list (the preview's blocks, the risk table's rows). */
export interface KeyedChanges<T> {
  /**
   * The keys in the new order, when the keys or their order changed: runs of the old order as
   * `[start, length]` (indexes into the old list), and keys that are new as strings.
   */
  order?: (string | [number, number])[];
  /** Items that are new, or changed in more than their lines. */
  put: T[];
  /** Items that only moved in the text: `[key, line, endLine]`. */
  moved: [string, number, number][];
}

/** Every field of the model but the keyed lists, as the delta replaces them. */
type Fields = Omit<CardPreview, 'blocks' | 'risks'> & { risks: Omit<RiskTable, 'rows'> };

export interface CardPreviewDelta {
  delta: true;
  modelVersion: CardPreview['modelVersion'];
  uri: string;
  /** The answer this delta applies to. */
  base: string;
  /** The answer the delta makes (the next request's `base`). */
  answer: string;
  /** Fields replaced whole (the risk table without its rows is one field, `risks`). */
  set: Partial<Fields>;
  /** Optional fields the new model no longer has. */
  unset: string[];
  blocks?: KeyedChanges<PreviewBlock>;
  rows?: KeyedChanges<RequirementRow>;
}

export function isPreviewDelta(x: unknown): x is CardPreviewDelta {
  return typeof x === 'object' && x !== null && (x as { delta?: unknown }).delta === true;
}

/** Nesting past which two values count as different (the delta then carries the value whole). */
const MAX_DEPTH = 64;

/** Deep equality of plain data (what JSON carries); past `MAX_DEPTH` levels, false. */
export function samePlain(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth >= MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlain(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!samePlain((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/** True when `a` and `b` differ at most in `line` and `endLine`. */
function sameButLines<T extends SourceLines>(a: T, b: T): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (k === 'line' || k === 'endLine') continue;
    if (!Object.prototype.hasOwnProperty.call(b, k) || !samePlain((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function unique(keys: readonly string[]): boolean {
  return new Set(keys).size === keys.length;
}

/** The changes from `from` to `to`, or undefined when a list's keys are not unique. */
function keyedChanges<T extends SourceLines & { key: string }>(from: readonly T[], to: readonly T[]): KeyedChanges<T> | undefined {
  const fromKeys = from.map((x) => x.key);
  const toKeys = to.map((x) => x.key);
  if (!unique(fromKeys) || !unique(toKeys)) return undefined;
  const before = new Map(from.map((x) => [x.key, x]));
  const out: KeyedChanges<T> = { put: [], moved: [] };
  if (!samePlain(fromKeys, toKeys)) out.order = runs(fromKeys, toKeys);
  for (const item of to) {
    const old = before.get(item.key);
    if (old === item) continue;
    if (!old || !sameButLines(old, item)) out.put.push(item);
    else if (old.line !== item.line || old.endLine !== item.endLine) out.moved.push([item.key, item.line, item.endLine]);
  }
  return out;
}

/** `to` as runs of `from` (`[start, length]`) and the keys `from` does not have. */
function runs(from: readonly string[], to: readonly string[]): (string | [number, number])[] {
  const at = new Map(from.map((k, i) => [k, i]));
  const out: (string | [number, number])[] = [];
  let run: [number, number] | undefined;
  for (const k of to) {
    const i = at.get(k);
    if (i === undefined) {
      out.push(k);
      run = undefined;
    } else if (run && run[0] + run[1] === i) run[1]++;
    else {
      run = [i, 1];
      out.push(run);
    }
  }
  return out;
}

function keysOf(from: readonly string[], order: readonly (string | [number, number])[]): string[] {
  const out: string[] = [];
  for (const o of order) {
    if (typeof o === 'string') out.push(o);
    else {
      const [start, length] = o;
      if (!(start >= 0 && length >= 0 && start + length <= from.length)) throw new Error(`The preview's changes name rows ${start}–${start + length} of a list of ${from.length}.`);
      for (let i = start; i < start + length; i++) out.push(from[i]);
    }
  }
  return out;
}

function applyKeyed<T extends SourceLines & { key: string }>(from: readonly T[], changes: KeyedChanges<T> | undefined): T[] {
  if (!changes) return from.slice();
  const before = new Map(from.map((x) => [x.key, x]));
  const put = new Map(changes.put.map((x) => [x.key, x]));
  const moved = new Map(changes.moved.map(([k, line, endLine]) => [k, { line, endLine }]));
  const fromKeys = from.map((x) => x.key);
  const keys = changes.order ? keysOf(fromKeys, changes.order) : fromKeys;
  return keys.map((k) => {
    const item = put.get(k) ?? before.get(k);
    if (!item) throw new Error(`The preview's changes name '${k}', which the model it applies to does not have.`);
    const m = moved.get(k);
    return m ? { ...item, ...m } : item;
  });
}

function fieldsOf(model: CardPreview): Record<string, unknown> {
  const { blocks: _blocks, risks, ...rest } = model;
  const { rows: _rows, ...summary } = risks;
  return { ...rest, risks: summary };
}

/**
 * The delta from the model answered as `base` to the model answered as `answer`, or undefined
 * when the lists cannot be matched by key (then the full model is the answer).
 */
export function previewDelta(from: CardPreview, to: CardPreview, base: string, answer: string): CardPreviewDelta | undefined {
  const blocks = keyedChanges(from.blocks, to.blocks);
  const rows = keyedChanges(from.risks.rows, to.risks.rows);
  if (!blocks || !rows) return undefined;
  const a = fieldsOf(from);
  const b = fieldsOf(to);
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const k of Object.keys(b)) if (k !== 'answer' && !samePlain(a[k], b[k])) set[k] = b[k];
  for (const k of Object.keys(a)) if (k !== 'answer' && !(k in b)) unset.push(k);
  const delta: CardPreviewDelta = { delta: true, modelVersion: to.modelVersion, uri: to.uri, base, answer, set: set as Partial<Fields>, unset };
  if (blocks.order || blocks.put.length || blocks.moved.length) delta.blocks = blocks;
  if (rows.order || rows.put.length || rows.moved.length) delta.rows = rows;
  return delta;
}

/** The model a delta makes from the model it applies to. Throws when they do not match. */
export function applyPreviewDelta(from: CardPreview, delta: CardPreviewDelta): CardPreview {
  const fields = fieldsOf(from);
  for (const k of delta.unset) delete fields[k];
  Object.assign(fields, delta.set);
  const { risks, ...rest } = fields as Fields;
  return { ...rest, answer: delta.answer, blocks: applyKeyed(from.blocks, delta.blocks), risks: { ...risks, rows: applyKeyed(from.risks.rows, delta.rows) } };
}
