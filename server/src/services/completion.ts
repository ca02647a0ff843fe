/**
 * Completions: keys at every depth from the schema, ordered by what the card's level needs;
 * values for enums, booleans and `level`. Inserting a key inserts a skeleton snippet (plain text,
 * with empty values, for clients that take no snippets).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import { blockAt, cardValue, entries, tooLarge, type CardModel } from '../card/model';
import { LEVELS, entriesFor, levelEntriesFor, levelInfo, levelStatus, levelTitle, scopeWords, type Level, type LevelField } from '../levels';
import { deref, schemaAt, typeOf, type JsonSchema } from '../schema';
import { cursorContext, type ScanBounds, type Seg } from './context';
import { itemSnippets } from './itemSnippets';
import { codeSpan, escapeMarkdown } from '../text/escape';
import { reasonMarkdown } from './hover';

/** What the client takes: with `snippetSupport` false, items are plain text (no `$1`, no choices); true by default. */
export interface CompletionOptions {
  snippetSupport?: boolean;
  /** The user's date, YYYY-MM-DD, for the snippets' `$CURRENT_YEAR`… in plain text and in their documentation. */
  today?: string;
}

const INDENT = '  ';

function dotted(path: readonly Seg[]): string {
  return path.filter((s) => s !== '*').join('.');
}

function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return m ? m[1] : text;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => '\\' + c);
}


class Tabstops {
  private n = 0;
  /** `plain`: every tab stop is left empty, for clients without snippets. */
  constructor(private readonly plain = false) {}
  next(placeholder?: string, choices?: readonly unknown[]): string {
    if (this.plain) return '';
    this.n++;
    if (choices && choices.length) return `\${${this.n}|${choices.map((c) => String(c).replace(/[,|\\$}]/g, (x) => '\\' + x)).join(',')}|}`;
    return placeholder ? `\${${this.n}:${escapeSnippet(placeholder)}}` : `$${this.n}`;
  }
}

/** Which properties of an object schema a skeleton writes out. */
function skeletonProps(schema: JsonSchema, fieldPath: string, level: number | undefined): string[] {
  const props = Object.keys(schema.properties ?? {});
  const chosen = new Set<string>(schema.required ?? []);
  if (level !== undefined) {
    for (const { req } of entriesFor(level, 0)) {
      if (req.when) continue;
      const prefix = fieldPath ? fieldPath + '.' : '';
      if (req.field.startsWith(prefix)) {
        const child = req.field.slice(prefix.length).split('.')[0];
        if (props.includes(child)) chosen.add(child);
      }
    }
  }
  if (chosen.size === 0) return props.length <= 4 ? props : props.slice(0, 1);
  return props.filter((p) => chosen.has(p));
}

/** The snippet text that follows `key:`, for a value of this schema at this indentation. */
function valueSkeleton(schema: JsonSchema | undefined, indent: string, fieldPath: string, level: number | undefined, stops: Tabstops, depth = 0): string {
  const s = deref(schema);
  const t = typeOf(s);
  if (!s || depth > 3) return ' ' + stops.next();
  if (t === 'enum') return ' ' + stops.next(undefined, s.enum);
  if (t === 'boolean') return ' ' + stops.next(undefined, [true, false]);
  if (t === 'integer' || t === 'number') return ' ' + stops.next(s.minimum !== undefined ? String(s.minimum) : '0');
  if (t === 'object') {
    const inner = indent + INDENT;
    return skeletonProps(s, fieldPath, level)
      .map((p) => `\n${inner}${p}:${valueSkeleton(s.properties?.[p], inner, fieldPath ? `${fieldPath}.${p}` : p, level, stops, depth + 1)}`)
      .join('');
  }
  if (t === 'array') {
    const item = deref(s.items);
    const inner = indent + INDENT;
    if (typeOf(item) === 'object' && item) {
      const props = skeletonProps(item, '', undefined);
      const lines = props.map((p, i) => `${i === 0 ? `${inner}- ` : `${inner}  `}${p}:${valueSkeleton(item.properties?.[p], inner + INDENT, '', undefined, stops, depth + 1)}`);
      return '\n' + lines.join('\n');
    }
    return `\n${inner}- ${stops.next()}`;
  }
  return ' ' + stops.next();
}

function keySnippet(key: string, schema: JsonSchema | undefined, fieldPath: string, level: number | undefined, options: CompletionOptions): string {
  const text = `${key}:${valueSkeleton(schema, '', fieldPath, level, new Tabstops(options.snippetSupport === false))}`;
  if (options.snippetSupport !== false) return text;
  // Plain text: the skeleton's keys with empty values; no trailing blanks but on the last line,
  // where the cursor lands after the insertion.
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? l.trimEnd() : l)).join('\n');
}

function documentation(schema: JsonSchema | undefined, field: string, levels: readonly Level[]): string {
  const parts: string[] = [];
  if (schema?.markdownDescription ?? schema?.description) parts.push(String(schema?.markdownDescription ?? schema?.description));
  const reqs = levelEntriesFor(field, levels);
  if (reqs.length) {
    parts.push(
      reqs
        .map(({ level, req }) => `- **${levelTitle(levels[level])}**${req.field !== field ? ` needs ${codeSpan(req.field)}` : ''}${req.when ? ' (when it applies)' : ''}, ${scopeWords(req, level)}: ${reasonMarkdown(req)} — _"${escapeMarkdown(req.quote.text)}" (${escapeMarkdown(req.quote.where)})_`)
        .join('\n'),
    );
  }
  return parts.join('\n\n');
}

interface Rank {
  group: number;
  /** The level that asks for it, to list lower levels' needs first. */
  order?: number;
  label?: string;
  detail?: string;
}

function rankKey(
  field: string,
  cardLevel: number | undefined,
  unmetFields: Map<string, { level: number; req: LevelField }>,
  next: Map<string, LevelField>,
  schemaRequired: boolean,
): Rank {
  const hit = [...unmetFields.entries()].find(([f]) => f === field || f.startsWith(field + '.'));
  if (hit) {
    const { level, req } = hit[1];
    // What the level asks plainly first; information and hints after, as suggestions.
    const soft = req.severity === 'information' || req.severity === 'hint';
    const word = soft ? 'suggested' : 'required';
    return {
      group: 0,
      order: (soft ? 10 : 0) + level,
      label: `${word} for TRL ${level}`,
      detail: `${word} for TRL ${level}: ${field} — ${req.reason}`,
    };
  }
  if (schemaRequired) return { group: 1, label: 'required', detail: `required by every card: ${field}` };
  if (cardLevel !== undefined && cardLevel < 9) {
    const needs = [...next.entries()].find(([f]) => f === field || f.startsWith(field + '.'))?.[1];
    if (needs)
      return { group: 2, label: `TRL ${cardLevel + 1} will need`, detail: `next level (TRL ${cardLevel + 1}) will need ${field} — ${needs.reason}` };
  }
  return { group: 3, label: 'optional' };
}

/** The block under the cursor bounds the text the context scan reads (see ScanBounds). */
function scanBounds(document: TextDocument, card: CardModel, offset: number): ScanBounds | undefined {
  const at = blockAt(card, offset);
  if (!at) return undefined;
  const floorLine = document.positionAt(at.base).line;
  const key = at.section.entries[0]?.key;
  if (at.item && key !== undefined) return { floorLine, list: { key, indent: at.item.text.length - at.item.text.trimStart().length } };
  return { floorLine };
}

export function complete(
  document: TextDocument,
  card: CardModel,
  position: Position,
  levels: readonly Level[] = LEVELS,
  options: CompletionOptions = { snippetSupport: true },
): CompletionList {
  const list: CompletionList = { isIncomplete: false, items: [] };
  if (tooLarge(card)) return list;
  // A position past the end of its line (or of the text) means the end of that line.
  const offset = document.offsetAt(position);
  position = document.positionAt(offset);
  const ctx = cursorContext(document, position, scanBounds(document, card, offset));
  if (!ctx) return list;
  const data = cardValue(card);
  const level = levelInfo(data.level, levels) ? (data.level as number) : undefined;
  const range = { start: document.positionAt(ctx.wordStart), end: document.positionAt(ctx.wordEnd) };

  if (ctx.kind === 'value') {
    const schema = schemaAt(ctx.path);
    const key = ctx.path[ctx.path.length - 1];
    if (ctx.path.length === 1 && key === 'level') {
      list.items = levels.map((l) => ({
        label: String(l.level),
        kind: CompletionItemKind.EnumMember,
        labelDetails: { description: l.name },
        detail: levelTitle(l),
        documentation: { kind: MarkupKind.Markdown, value: `${l.tagline}\n\n**Reviewed by:** ${l.reviewers}` },
        sortText: String(l.level),
        textEdit: { range, newText: String(l.level) },
      }));
      return list;
    }
    const values = typeOf(schema) === 'enum' ? (schema?.enum ?? []) : typeOf(schema) === 'boolean' ? [true, false] : [];
    list.items = values.map((v, i) => ({
      label: String(v),
      kind: CompletionItemKind.EnumMember,
      documentation: schema?.markdownDescription ? { kind: MarkupKind.Markdown, value: schema.markdownDescription } : undefined,
      sortText: String(i).padStart(3, '0'),
      textEdit: { range, newText: String(v) },
    }));
    return list;
  }

  // A hypothesis, a requirement… only inside the list it belongs to (services/itemSnippets.ts).
  const snippets = itemSnippets(document, ctx, range, { snippetSupport: options.snippetSupport ?? true, today: options.today });
  const schema = schemaAt(ctx.path);
  if (typeOf(schema) !== 'object' || !schema?.properties) return { ...list, items: snippets };
  const present = ctx.path.length === 0 ? new Set(entries(card).map((e) => e.entry.key)) : ctx.present;
  const unmetFields = new Map<string, { level: number; req: LevelField }>();
  const next = new Map<string, LevelField>();
  if (level !== undefined && !ctx.path.includes('*')) {
    const status = levelStatus(data, level, levels);
    for (const u of status.unmet) if (!u.req.when && !unmetFields.has(u.req.field)) unmetFields.set(u.req.field, u);
    for (const u of status.next) if (!u.req.when && !next.has(u.req.field)) next.set(u.req.field, u.req);
  }
  const prefix = dotted(ctx.path);
  for (const [name, propSchema] of Object.entries(schema.properties)) {
    if (present.has(name)) continue;
    const field = prefix ? `${prefix}.${name}` : name;
    const rank = rankKey(field, level, unmetFields, next, (schema.required ?? []).includes(name));
    const resolved = deref(propSchema);
    const item: CompletionItem = {
      label: name,
      kind: CompletionItemKind.Property,
      detail: rank.detail ?? firstSentence(resolved?.description),
      documentation: { kind: MarkupKind.Markdown, value: documentation(resolved, ctx.path.includes('*') ? '' : field, levels) },
      sortText: `${rank.group}-${String(rank.order ?? 0).padStart(2, '0')}-${name}`,
      filterText: name,
      insertTextFormat: options.snippetSupport !== false ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: keySnippet(name, resolved, ctx.path.includes('*') ? '' : field, level, options) },
    };
    if (rank.label) item.labelDetails = { description: rank.label };
    list.items.push(item);
  }
  list.items.push(...snippets);
  list.items.sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
  const first = list.items[0];
  if (first && first.sortText?.startsWith('0-')) first.preselect = true;
  return list;
}
