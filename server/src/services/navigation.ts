/**
 * Moving between cards: Go to Definition, Find References, Rename and workspace symbols over
 * the ids and card paths of `id`, `components`, `coupled` and `previous`. Pure functions of
 * (document, card model, workspace index): every range comes from the index's facts (kept at
 * index time, see workspace/factRanges.ts), so no request reads a file (for a rename, the
 * server first reads again the closed cards it edits, and asks again). The card being asked
 * about is read from its live model.
 */
import { parse as parseYaml } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, SymbolTag, type Location, type LocationLink, type Position, type Range, type SymbolInformation, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { CardModel } from '../card/model';
import { LIMITS } from '../limits';
import type { FactRef } from '../workspace/factRanges';
import { cardFacts, currentCards, uriKey, type CardFacts, type CardLookup } from '../workspace/index';

/** What navigation asks of an index: the lookups, and every card. */
export interface NavigationIndex extends CardLookup {
  cards(): Iterable<CardFacts>;
}

/** The most workspace symbols one request returns. */
export const MAX_WORKSPACE_SYMBOLS = LIMITS.maxWorkspaceSymbols;

const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What the cursor is on: the card's own `id` value, or an entry naming another card. */
type Hit = { kind: 'id'; value: string; range: Range } | { kind: 'ref'; ref: FactRef; range: Range };

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(range: Range, p: Position): boolean {
  return before(range.start, p) && before(p, range.end);
}

/** The facts of the card being asked about, from its live model (positions from its document). */
function factsHere(document: TextDocument, card: CardModel): CardFacts {
  return cardFacts(document.uri, card, (offset) => document.positionAt(offset));
}

function hitAt(here: CardFacts, position: Position): Hit | undefined {
  if (here.id !== undefined && here.idRange && contains(here.idRange, position)) return { kind: 'id', value: here.id, range: here.idRange };
  const ref = here.refs?.find((r) => contains(r.range, position));
  return ref ? { kind: 'ref', ref, range: ref.range } : undefined;
}

/** The index's view, with the card being asked about in its live state. */
function view(index: NavigationIndex, here: CardFacts) {
  const self = uriKey(here.uri);
  const live = (f: CardFacts) => (uriKey(f.uri) === self ? here : f);
  return {
    byUri: (uri: string) => (uriKey(uri) === self ? here : index.byUri(uri)),
    byId(id: string): CardFacts[] {
      const found = index.byId(id).filter((f) => uriKey(f.uri) !== self);
      return here.id === id ? [here, ...found] : found;
    },
    *cards(): Generator<CardFacts> {
      let seen = false;
      for (const f of index.cards()) {
        if (uriKey(f.uri) === self) seen = true;
        yield live(f);
      }
      if (!seen) yield here;
    },
  };
}
type View = ReturnType<typeof view>;

/** Of a technology's cards (one id across levels), the current ones, most advanced first. */
function technologyCards(v: View, id: string): CardFacts[] {
  return currentCards(v.byId(id)).sort((a, b) => (b.level ?? -1) - (a.level ?? -1));
}

/** The cards an entry names: a path's card, or the current card of an id (`previous` holds paths only). */
function refCards(v: View, ref: FactRef): CardFacts[] {
  if (ref.target !== undefined) {
    const f = v.byUri(ref.target);
    return f ? [f] : [];
  }
  return ref.key === 'previous' ? [] : technologyCards(v, ref.value);
}

function idLocation(f: CardFacts): Range {
  return f.idRange ?? FIRST_LINE;
}

/** Go to Definition on an `id`, `components`, `coupled` or `previous` value: the `id` of the card it names. */
export function definition(document: TextDocument, card: CardModel, position: Position, index: NavigationIndex): LocationLink[] {
  const here = factsHere(document, card);
  const hit = hitAt(here, position);
  if (!hit) return [];
  const v = view(index, here);
  const targets = hit.kind === 'id' ? technologyCards(v, hit.value) : refCards(v, hit.ref);
  return targets.map((f) => ({ originSelectionRange: hit.range, targetUri: f.uri, targetRange: idLocation(f), targetSelectionRange: idLocation(f) }));
}

/** What references are asked of: ids, and card files (by `uriKey`). */
interface Subject {
  ids: Set<string>;
  files: Set<string>;
}

function subjectOf(v: View, hit: Hit): Subject {
  const subject: Subject = { ids: new Set(), files: new Set() };
  const addId = (id: string) => {
    subject.ids.add(id);
    for (const f of v.byId(id)) subject.files.add(uriKey(f.uri));
  };
  if (hit.kind === 'id') addId(hit.value);
  else {
    const targets = refCards(v, hit.ref);
    for (const t of targets) {
      if (t.id !== undefined) addId(t.id);
      else subject.files.add(uriKey(t.uri));
    }
    // A component code with no card of its own: still the entries that name it.
    if (targets.length === 0 && hit.ref.target === undefined && hit.ref.key !== 'previous') subject.ids.add(hit.ref.value);
    if (targets.length === 0 && hit.ref.target !== undefined) subject.files.add(hit.ref.target);
  }
  return subject;
}

function names(ref: FactRef, subject: Subject): boolean {
  return ref.target !== undefined ? subject.files.has(ref.target) : ref.key !== 'previous' && subject.ids.has(ref.value);
}

function byPlace(a: Location, b: Location): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/**
 * Find References on a card's `id` (or an entry naming a card): every entry of `components`,
 * `coupled` or `previous`, in any card, that names the technology — by its id, or by the path
 * of one of its cards; with the declaration, the `id` of each of its cards.
 */
export function references(document: TextDocument, card: CardModel, position: Position, index: NavigationIndex, includeDeclaration = true): Location[] {
  const here = factsHere(document, card);
  const hit = hitAt(here, position);
  if (!hit) return [];
  const v = view(index, here);
  const subject = subjectOf(v, hit);
  const out: Location[] = [];
  for (const f of v.cards()) {
    if (includeDeclaration && f.id !== undefined && f.idRange && subject.ids.has(f.id)) out.push({ uri: f.uri, range: f.idRange });
    for (const ref of f.refs ?? []) if (names(ref, subject)) out.push({ uri: f.uri, range: ref.range });
  }
  return out.sort(byPlace);
}

export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string } | null;

/** Rename is offered on an `id` value, and on an entry naming an id; a path is renamed by renaming its file. */
export function prepareRename(document: TextDocument, card: CardModel, position: Position): PrepareRenameResult {
  const hit = hitAt(factsHere(document, card), position);
  if (!hit) return null;
  if (hit.kind === 'id') return { range: hit.range, placeholder: hit.value };
  if (hit.ref.target !== undefined || hit.ref.key === 'previous') return { error: 'This entry names a card by its path: rename the card file instead (only ids are renamed here).' };
  return { range: hit.range, placeholder: hit.ref.value };
}

/** Why a new id is refused, or undefined. */
export function invalidId(id: string): string | undefined {
  if (id.trim() === '') return 'An id cannot be empty.';
  if (/\s/.test(id)) return 'An id cannot contain spaces or line breaks.';
  if (id.includes(':')) return 'An id cannot contain `:`.';
  // eslint-disable-next-line no-control-regex -- an id holds no control character
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return 'An id cannot contain control characters.';
  return undefined;
}

/** A plain YAML scalar that reads back as this very string, in a mapping and in a flow list. */
function plainSafe(id: string): boolean {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.\-/+]*$/.test(id)) return false;
  try {
    return parseYaml(id) === id;
  } catch {
    return false;
  }
}

/** The text that replaces a value's range (inside any quotes) so that it reads as `id`. */
function written(id: string, quote: '"' | "'" | undefined): string {
  if (quote === '"') return JSON.stringify(id).slice(1, -1);
  if (quote === "'") return id.replace(/'/g, "''");
  return plainSafe(id) ? id : JSON.stringify(id);
}

export interface RenameOptions {
  /** Whether the client takes `documentChanges` (versioned `TextDocumentEdit`s). */
  documentChanges: boolean;
  /** An open card's version; null for a card read from disk. */
  versionOf(uri: string): number | null;
}

export type RenameResult = { edit: WorkspaceEdit } | { error: string };

/**
 * Renames an id: the `id` of every card of the technology (it keeps its id across levels) and
 * every `components` or `coupled` entry naming it, in one edit across files.
 */
export function rename(
  document: TextDocument,
  card: CardModel,
  position: Position,
  newName: string,
  index: NavigationIndex,
  options: RenameOptions,
): RenameResult {
  const here = factsHere(document, card);
  const hit = hitAt(here, position);
  const prepared = prepareRename(document, card, position);
  if (!hit || !prepared)
    return { error: 'Only an id can be renamed: put the cursor on the `id` value, or on a `components` or `coupled` entry naming an id.' };
  if ('error' in prepared) return prepared;
  const old = prepared.placeholder;
  const why = invalidId(newName);
  if (why) return { error: why };
  // A rename over a partial index would leave the cards it has not seen naming the old id.
  if (!index.complete)
    return {
      error:
        'The workspace is still being indexed (or holds more cards than the server indexes): a rename now could miss cards. Try again once indexing is done.',
    };
  const v = view(index, here);
  if (newName === old) return { edit: options.documentChanges ? { documentChanges: [] } : { changes: {} } };
  const clash = v.byId(newName)[0];
  if (clash)
    return {
      error: `${JSON.stringify(newName)} is already the id of another technology (${decodeURIComponent(clash.uri.slice(clash.uri.lastIndexOf('/') + 1))}): choose another id.`,
    };
  const edits = new Map<string, { uri: string; edits: TextEdit[] }>();
  const add = (uri: string, range: Range, quote: '"' | "'" | undefined) => {
    const key = uriKey(uri);
    const entry = edits.get(key) ?? { uri, edits: [] };
    entry.edits.push({ range, newText: written(newName, quote) });
    edits.set(key, entry);
  };
  for (const f of v.cards()) {
    if (f.id === old && f.idRange) add(f.uri, f.idRange, f.idQuote);
    for (const ref of f.refs ?? []) if (ref.key !== 'previous' && ref.target === undefined && ref.value === old) add(f.uri, ref.range, ref.quote);
  }
  const files = [...edits.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  if (options.documentChanges) {
    return { edit: { documentChanges: files.map((f) => ({ textDocument: { uri: f.uri, version: options.versionOf(f.uri) }, edits: f.edits })) } };
  }
  return { edit: { changes: Object.fromEntries(files.map((f) => [f.uri, f.edits])) } };
}

/** Whether the letters of `query` appear in `name` in order (case-insensitive), as VS Code matches. */
function matches(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of query.toLowerCase()) {
    if (/\s/.test(ch)) continue;
    i = n.indexOf(ch, i);
    if (i < 0) return false;
    i += ch.length;
  }
  return true;
}

/** A symbol's name is never empty (VS Code refuses the whole answer then): blank ids and names count as missing. */
function symbolName(f: CardFacts): string {
  const id = f.id?.trim() ? f.id : undefined;
  const technology = f.technology?.trim() ? f.technology : undefined;
  if (id !== undefined && technology !== undefined) return `${id} — ${technology}`;
  let file = f.uri.slice(f.uri.lastIndexOf('/') + 1);
  try {
    file = decodeURIComponent(file);
  } catch {
    // not percent-encoded as a URI should be: shown as it is
  }
  return id ?? technology ?? (file || f.uri || 'TRL card');
}

/**
 * Workspace symbols: every card by its id and technology, in the container of its level.
 * A card superseded by a later card of the same technology (one that lists it in `previous`)
 * is tagged deprecated. At most `limit` symbols.
 */
export function workspaceSymbols(query: string, index: NavigationIndex, limit = MAX_WORKSPACE_SYMBOLS): SymbolInformation[] {
  const superseded = new Set<string>();
  for (const f of index.cards()) {
    if (f.id === undefined) continue;
    for (const ref of f.refs ?? []) {
      if (ref.key === 'previous' && ref.target !== undefined && ref.target !== uriKey(f.uri) && index.byUri(ref.target)?.id === f.id) superseded.add(ref.target);
    }
  }
  const out: SymbolInformation[] = [];
  for (const f of index.cards()) {
    if (out.length >= limit) break;
    const name = symbolName(f);
    if (!matches(name, query)) continue;
    const level = f.level !== undefined ? `TRL ${f.level}` : 'no level';
    const old = superseded.has(uriKey(f.uri));
    out.push({ name, kind: SymbolKind.Module, location: { uri: f.uri, range: idLocation(f) }, containerName: old ? `${level} (earlier card)` : level, ...(old ? { tags: [SymbolTag.Deprecated] } : {}) });
  }
  return out;
}
