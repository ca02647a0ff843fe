/**
 * The workspace index: what other cards need to know about each card (its id, level,
 * components and previous cards), by URI and by id. The server keeps one for the workspace,
 * built in the background and updated per file; the checker builds one for the cards it checks.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import { cardText } from '../card/document';
import { cardValue, findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';
import { q } from '../rules/problem';
import { ownCopy } from '../text/own';
import { cardTarget, hasScheme } from '../text/links';
import { factRanges, positionsOf, type FactRef } from './factRanges';
import { PROGRESS_FIELDS, progressFacts, type ProgressFacts } from './progress';

export interface CardFacts {
  uri: string;
  id?: string;
  technology?: string;
  level?: number;
  components: string[];
  previous: string[];
  /** Peer cards this one is coupled with (ids or paths): two-way links that cap nothing. */
  coupled: string[];
  /** Where its `level` value is, for problems on other cards that point at it. */
  levelRange?: Range;
  /** Navigation (services/navigation.ts): where the `id` value stands (inside any quotes), and how it is quoted. */
  idRange?: Range;
  idQuote?: '"' | "'";
  /** Navigation: each string entry of `components`, `coupled` and `previous`, with its range. */
  refs?: FactRef[];
  /** The portfolio (workspace/portfolio.ts): dated history, targets, owner, highest risks. */
  progress?: ProgressFacts;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The top-level fields facts are made of: an index needs to parse only these. */
export const FACT_FIELDS: ReadonlySet<string> = new Set(['id', 'technology', 'level', 'components', 'previous', 'coupled', ...PROGRESS_FIELDS]);

/** The parts of a card's facts beyond what the cross-card rules read. */
export interface FactParts {
  /** `idRange`, `idQuote` and `refs`: what navigation reads. */
  navigation: boolean;
  /** `progress`: what the portfolio reads. */
  progress: boolean;
}
const ALL_PARTS: FactParts = { navigation: true, progress: true };

/**
 * A card's facts. `positionAt` turns the model's offsets into positions (an open card's
 * document, or a line table of the text a partial model was parsed from); without it, the
 * positions come from the model's own text, which must then be the whole card. `parts`
 * leaves out what the caller does not read (the checker: navigation and progress).
 */
export function cardFacts(uri: string, card: CardModel, positionAt?: (offset: number) => Position, parts: FactParts = ALL_PARTS): CardFacts {
  const facts = factsOfValue(uri, card, parts.progress);
  // Navigation: ranges, and the file each card path names.
  if (parts.navigation) {
    const { idRange, refs } = factRanges(card, positionAt, (value) => refTarget(uri, value));
    if (idRange && facts.id !== undefined) {
      facts.idRange = idRange.range;
      if (idRange.quote) facts.idQuote = idRange.quote;
    }
    facts.refs = refs;
  }
  const level = findEntry(card, 'level');
  const lr = level && (rangeOf(level.entry.valueNode) ?? rangeOf(level.entry.keyNode));
  if (level && lr) {
    const at = positionAt ?? positionsOf(cardText(card));
    facts.levelRange = { start: at(level.section.offset + lr[0]), end: at(level.section.offset + lr[1]) };
  }
  // Kept by the index for as long as the card is in it: no string of it may hold on to the card's text.
  return ownCopy(facts);
}

/**
 * A card's facts without where they stand in its text (no `idRange`, `refs` or `levelRange`):
 * all that the roll-up and the portfolio read, and what `trl-cards report` indexes.
 */
export function plainFacts(uri: string, card: CardModel): CardFacts {
  return ownCopy(factsOfValue(uri, card, true));
}

function factsOfValue(uri: string, card: CardModel, progress: boolean): CardFacts {
  const data = cardValue(card);
  const facts: CardFacts = { uri, components: strings(data.components), previous: strings(data.previous), coupled: strings(data.coupled) };
  if (typeof data.id === 'string' || typeof data.id === 'number') facts.id = String(data.id);
  if (typeof data.technology === 'string') facts.technology = data.technology;
  if (typeof data.level === 'number' && Number.isInteger(data.level)) facts.level = data.level;
  if (progress) facts.progress = progressFacts(data);
  return facts;
}

/**
 * Resolves a card path (relative to the card that names it, see text/links.ts) to the URI of
 * the card it names; undefined for anything that is not a card path (a URL, a scheme, a host,
 * an absolute path). The one resolution of a card path, for the index, the rules and the services.
 */
export function resolveCardPath(fromUri: string, relative: string): string | undefined {
  return cardTarget(fromUri, relative);
}

/** The key of the card file a `components`, `coupled` or `previous` entry names by path. */
function refTarget(fromUri: string, value: string): string | undefined {
  const target = cardTarget(fromUri, value);
  return target === undefined ? undefined : uriKey(target);
}

function sameFacts(a: CardFacts | undefined, b: CardFacts): boolean {
  return !!a && a.id === b.id && a.level === b.level && a.technology === b.technology && a.components.join('\n') === b.components.join('\n') && a.previous.join('\n') === b.previous.join('\n') && a.coupled.join('\n') === b.coupled.join('\n');
}

/** What the cross-card rules ask of an index. */
export interface CardLookup {
  /** False while the index is still being built: cross-card rules then stay silent. */
  readonly complete: boolean;
  byUri(uri: string): CardFacts | undefined;
  byId(id: string): CardFacts[];
  /**
   * Why `byUri(uri)` found no card, when there is more to say than "not found": the checker
   * says which paths it refuses to read (a device, a pipe, a file outside the folders being
   * checked, one over the size limit).
   */
  whyMissing?(uri: string): string | undefined;
  /** The technology of an id, kept between calls (the cross-card rules ask it of every card of the id). */
  technology?(id: string): Technology;
}

/** A technology: its cards' current ones (`currentCards`) and the most advanced of those. */
export interface Technology {
  current: readonly CardFacts[];
  /** The first current card with the highest level (undefined: none has a level). */
  top?: CardFacts;
}

/** The technology the cards sharing an id make. */
export function technologyOf(cards: readonly CardFacts[]): Technology {
  const current = currentCards(cards);
  let top: CardFacts | undefined;
  for (const c of current) if (c.level !== undefined && (top === undefined || c.level > top.level!)) top = c;
  return top ? { current, top } : { current };
}

/**
 * The technology of `id` in `index`: kept by the index when it can (so the cards of one id,
 * each asking, cost linear time, not the square of their number), else made now.
 */
export function technology(index: CardLookup, id: string): Technology {
  return index.technology ? index.technology(id) : technologyOf(index.byId(id));
}

/** The start of a message about a reference (`written`, resolved to `target`) that leads to no card. */
export function noCardAt(index: CardLookup, target: string | undefined, written: string): string {
  const why = target !== undefined ? index.whyMissing?.(target) : hasScheme(written) || /^[/\\~]/.test(written) ? 'only a path relative to this card, or an http(s) URL, names a card' : undefined;
  return `No card at ${q(written)}${why ? ` (${why})` : ''}`;
}

/**
 * The current cards among those sharing an id: a technology keeps its id across levels, and
 * the card that another card of the same id lists in `previous` is superseded. When every card
 * is superseded by another (a cycle), all count.
 */
export function currentCards(cards: readonly CardFacts[]): CardFacts[] {
  if (cards.length < 2) return [...cards];
  const superseded = new Set<string>();
  for (const c of cards) {
    for (const p of c.previous) {
      const target = cardTarget(c.uri, p);
      if (target !== undefined) superseded.add(uriKey(target));
    }
  }
  const current = cards.filter((c) => !superseded.has(uriKey(c.uri)));
  return current.length ? current : [...cards];
}

/** One key per file, however its URI is encoded (VS Code and Node encode some characters differently). */
export function uriKey(uri: string): string {
  // A file URI of plain characters and no `.` or `..` segment is its own key (what the URL
  // parser gives back), without parsing it: the checker asks this of every card several times.
  if (PLAIN_FILE_URI.test(uri) && !DOT_SEGMENT.test(uri)) return uri;
  try {
    const u = new URL(uri);
    return `${u.protocol}//${u.host}${decodeURIComponent(u.pathname)}`;
  } catch {
    return uri;
  }
}

const PLAIN_FILE_URI = /^file:\/\/\/[\w\-.~+@/]*$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

export class WorkspaceIndex implements CardLookup {
  private readonly uris = new Map<string, CardFacts>();
  private readonly ids = new Map<string, Set<string>>();
  /** Each id's technology, made when first asked and dropped when a card of the id is set or deleted. */
  private readonly technologies = new Map<string, Technology>();
  complete = false;

  /** Records a card's facts; true when they changed (so dependent cards need re-checking). */
  set(facts: CardFacts): boolean {
    const key = uriKey(facts.uri);
    const old = this.uris.get(key);
    // Even new positions alone: the technology holds the facts themselves.
    if (old?.id !== undefined) this.technologies.delete(old.id);
    if (facts.id !== undefined) this.technologies.delete(facts.id);
    // Same facts (only positions moved): kept, but nothing depends on them changing.
    if (sameFacts(old, facts)) {
      this.uris.set(key, facts);
      return false;
    }
    if (old) this.forgetId(old);
    this.uris.set(key, facts);
    if (facts.id !== undefined) {
      const set = this.ids.get(facts.id) ?? new Set<string>();
      set.add(key);
      this.ids.set(facts.id, set);
    }
    return true;
  }

  delete(uri: string): boolean {
    const key = uriKey(uri);
    const old = this.uris.get(key);
    if (!old) return false;
    this.forgetId(old);
    if (old.id !== undefined) this.technologies.delete(old.id);
    this.uris.delete(key);
    return true;
  }

  byUri(uri: string): CardFacts | undefined {
    return this.uris.get(uriKey(uri));
  }

  byId(id: string): CardFacts[] {
    return [...(this.ids.get(id) ?? [])].map((u) => this.uris.get(u)!).filter(Boolean);
  }

  technology(id: string): Technology {
    let known = this.technologies.get(id);
    if (!known) this.technologies.set(id, (known = technologyOf(this.byId(id))));
    return known;
  }

  /** Every card's facts (navigation: workspace symbols, references). */
  cards(): IterableIterator<CardFacts> {
    return this.uris.values();
  }

  get size(): number {
    return this.uris.size;
  }

  private forgetId(facts: CardFacts): void {
    if (facts.id === undefined) return;
    const set = this.ids.get(facts.id);
    set?.delete(uriKey(facts.uri));
    if (set && set.size === 0) this.ids.delete(facts.id);
  }
}

/** Whether a card's references (previous cards, components, coupled cards) may lead to the card `uri`, known by `ids`. */
export function dependsOn(dependent: CardFacts, uri: string, ids: ReadonlySet<string>): boolean {
  const target = uriKey(uri);
  const resolves = (p: string) => {
    const to = cardTarget(dependent.uri, p);
    return to !== undefined && uriKey(to) === target;
  };
  return dependent.previous.some(resolves) || [...dependent.components, ...dependent.coupled].some((c) => ids.has(c) || resolves(c));
}
