/**
 * The façade over the card services. Every service is a pure function of the document, its
 * parsed card model and options; only server.ts knows the LSP connection, and the checker
 * (cli.ts) uses the same façade.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, CodeLens, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, LocationLink, MarkupContent, Position, Range, SymbolInformation } from 'vscode-languageserver-types';
import type { CardModel } from './card/model';
import { updateCard, type Edit } from './card/incremental';
export { editedText } from './card/incremental';
import { parseCard } from './card/parse';
import { inFrontMatter, isMarkdownCard, parseMarkdownCard } from './card/markdownCard';
import type { Problem } from './rules/problem';
import { CardValidators } from './schema';
import { complete, type CompletionOptions } from './services/completion';
import { boundForEditor, computeProblems, toDiagnostic, type CardContext, type DiagnosticOptions, type ValidationSettings } from './services/diagnostics';
import { markdownToPlainText } from './text/markdown';
import type { CardLookup } from './workspace/index';
import { hover } from './services/hover';
import { documentLinks } from './services/links';
import { levelTable } from './levels';
import { mitigationThreshold } from './config';
import { documentSymbols, foldingRanges } from './services/symbols';
import { definition, prepareRename, references, rename, workspaceSymbols, type NavigationIndex, type PrepareRenameResult, type RenameOptions, type RenameResult } from './services/navigation';
import { codeActions } from './services/codeActions';
import { codeLenses } from './services/codeLens';
import { readiness, type Readiness } from './services/readiness';
import { systemRollup } from './workspace/rollup';
import { graduate, type GraduateOptions, type GraduateResult } from './services/graduate';
import { previewModel } from './services/previewModel';
import type { CardPreview } from '../../protocol/preview';
import { SELECT_RANGE_COMMAND } from '../../protocol/messages';
import { cardChanges, type PreviousCard } from './services/cardDiff';
import { cardValue } from './card/model';
import { rangeAt } from './card/locate';
import { newCard, type NewCardResult } from './services/newCard';
import type { Level } from './levels';

export interface LanguageServiceOptions {
  /** Base URL of docs/rules.md; each diagnostic links to `${rulesBaseUrl}#${code}`. */
  rulesBaseUrl?: string;
  /** What the client takes (from its capabilities; everything when not said). */
  client?: Partial<ClientSupport>;
  /**
   * The 1-based line of each rule's heading in docs/rules.md (`ruleHeadingLines`): with it, a
   * diagnostic links to `${rulesBaseUrl}#L<line>`, which VS Code opens at the rule's section.
   */
  ruleLines?: ReadonlyMap<string, number>;
  /** Client commands the code actions may name (`initializationOptions.commands`): `trlCards.selectRange`. */
  clientCommands?: readonly string[];
}

/** The client's capabilities the services shape their answers to, as plain options. */
export interface ClientSupport extends DiagnosticOptions, CompletionOptions {
  /** Hovers in Markdown (`hover.contentFormat`); else plain text. */
  hoverMarkdown: boolean;
  /** Completion documentation in Markdown (`completionItem.documentationFormat`); else plain text. */
  documentationMarkdown: boolean;
}

const FULL_SUPPORT: ClientSupport = { data: true, relatedInformation: true, snippetSupport: true, hoverMarkdown: true, documentationMarkdown: true };

/** A hover's or an item's Markdown as plain text. */
function plain<T extends { kind: string; value: string } | string | undefined>(content: T): T | MarkupContent {
  return content && typeof content === 'object' && content.kind === 'markdown' ? { kind: 'plaintext', value: markdownToPlainText(content.value) } : content;
}

export interface LanguageService {
  /**
   * The card's model. `uri` (or path) says what kind of card file the text is: a `*.trl.md`
   * is read as YAML front matter over a Markdown body (card/markdownCard.ts); anything else, or
   * no `uri`, as a YAML card.
   */
  parse(text: string, uri?: string): CardModel;
  /** The model after one edit, re-parsing only what the edit touched (takes over `card`). */
  update(card: CardModel, edit: Edit): CardModel;
  /** Problems of the card; with a context, also those across cards (links, component levels). */
  problems(card: CardModel, settings?: ValidationSettings, context?: CardContext): Problem[];
  diagnostics(document: TextDocument, card: CardModel, settings?: ValidationSettings, index?: CardLookup): Diagnostic[];
  complete(document: TextDocument, card: CardModel, position: Position, settings?: ValidationSettings, options?: CompletionOptions): CompletionList;
  hover(document: TextDocument, card: CardModel, position: Position, settings?: ValidationSettings): Hover | null;
  symbols(document: TextDocument, card: CardModel): DocumentSymbol[];
  folding(document: TextDocument, card: CardModel): FoldingRange[];
  /**
   * Links to the cards and pages a card names: http(s) URLs, and card paths relative to the
   * card inside `folders` (the workspace folders' URIs; without them, the card's own folder).
   */
  links(document: TextDocument, card: CardModel, folders?: readonly string[]): DocumentLink[];
  // Navigation between cards (services/navigation.ts), over the workspace index.
  /** The `id` of the card an `id`, `components`, `coupled` or `previous` value names. */
  definition(document: TextDocument, card: CardModel, position: Position, index: NavigationIndex): LocationLink[];
  /** Every entry, in any card, naming the technology under the cursor (and its `id`s, with the declaration). */
  references(document: TextDocument, card: CardModel, position: Position, index: NavigationIndex, includeDeclaration?: boolean): Location[];
  prepareRename(document: TextDocument, card: CardModel, position: Position): PrepareRenameResult;
  /** Renames an id across the technology's cards and every entry naming it. */
  rename(document: TextDocument, card: CardModel, position: Position, newName: string, index: NavigationIndex, options: RenameOptions): RenameResult;
  /** Every card by id and technology, filtered by `query`, capped. */
  workspaceSymbols(query: string, index: NavigationIndex): SymbolInformation[];
  /** Quick fixes for the diagnostics in `context`; with `context.only` asking for it, the card's fix-all. */
  codeActions(
    document: TextDocument,
    card: CardModel,
    range: Range,
    context: CodeActionContext,
    settings?: ValidationSettings,
    index?: CardLookup,
  ): CodeAction[];
  /** The code lens on the `level` line: the level's name, what is missing, or Graduate. */
  codeLenses(document: TextDocument, card: CardModel, settings?: ValidationSettings, index?: CardLookup): CodeLens[];
  /**
   * Whether the card is ready to graduate, and why not (services/readiness.ts): the one verdict
   * of the code lens, the preview, the tree and Graduate. Undefined without a valid level.
   */
  readiness(card: CardModel, uri: string, settings?: ValidationSettings, index?: CardLookup): Readiness | undefined;
  /**
   * The next level's card text (minimal edits of `text`), or why not: refused, with the
   * readiness reasons, unless the card is ready. `today` is YYYY-MM-DD.
   */
  graduate(
    text: string,
    card: CardModel,
    uri: string,
    today: string,
    settings?: ValidationSettings,
    options?: GraduateOptions,
    index?: CardLookup,
  ): GraduateResult;
  /** The preview's render model (protocol/preview.ts); `version` is null for a card read from disk. */
  preview(
    document: TextDocument,
    card: CardModel,
    version: number | null,
    settings?: ValidationSettings,
    index?: CardLookup,
    previous?: PreviousCard,
  ): CardPreview;
  /** A new card entering at `level`, with what the level requires as placeholders, and its file name. */
  newCard(name: string, level: number, today: string, settings?: ValidationSettings): NewCardResult;
  /** The level table, with the team's configuration merged in. */
  levels(settings?: ValidationSettings): readonly Level[];
}

export function getLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  const validators = new CardValidators();
  /** The verdict on a card (see services/readiness.ts), from its problems with the cards it names. */
  const ready = (card: CardModel, uri: string, settings?: ValidationSettings, index?: CardLookup, problems?: readonly Problem[]): Readiness | undefined => {
    const levels = levelTable(settings?.config);
    const data = cardValue(card);
    const level = data.level;
    if (typeof level !== 'number' || !levels[level] || !Number.isInteger(level)) return undefined;
    const componentsUnknown = Array.isArray(data.components) && data.components.length > 0 && !index?.complete;
    const all = problems ?? computeProblems(card, validators, settings, index ? { uri, index } : undefined);
    return readiness({ data, level, levels, problems: all, system: systemRollup(uri, data, index), componentsUnknown });
  };
  const client: ClientSupport = { ...FULL_SUPPORT, ...options.client };
  const completionOptions: CompletionOptions = { snippetSupport: client.snippetSupport };
  const diagnosticOptions: DiagnosticOptions = { data: client.data, relatedInformation: client.relatedInformation };
  return {
    parse: (text, uri) => (isMarkdownCard(uri) ? parseMarkdownCard(text) : parseCard(text)),
    update: updateCard,
    problems: (card, settings, context) => computeProblems(card, validators, settings, context),
    diagnostics: (document, card, settings, index) =>
      boundForEditor(computeProblems(card, validators, settings, index ? { uri: document.uri, index } : undefined)).map((p) =>
        toDiagnostic(document, p, options.rulesBaseUrl, diagnosticOptions, options.ruleLines),
      ),
    complete: (document, card, position, settings, overrides) => {
      if (!inFrontMatter(card, document.offsetAt(position))) return { isIncomplete: false, items: [] };
      const list = complete(document, card, position, levelTable(settings?.config), { ...completionOptions, ...overrides });
      if (!client.documentationMarkdown) for (const item of list.items) item.documentation = plain(item.documentation);
      return list;
    },
    hover: (document, card, position, settings) => {
      if (!inFrontMatter(card, document.offsetAt(position))) return null;
      const h = hover(document, card, position, levelTable(settings?.config), mitigationThreshold(settings?.config, settings?.mitigationThreshold));
      return h && !client.hoverMarkdown ? { ...h, contents: plain(h.contents as MarkupContent) } : h;
    },
    symbols: documentSymbols,
    folding: foldingRanges,
    links: documentLinks,
    definition,
    references,
    prepareRename,
    rename,
    workspaceSymbols: (query, index) => workspaceSymbols(query, index),
    codeActions: (document, card, range, context, settings, index) =>
      codeActions(document, card, range, context, {
        problems: () => computeProblems(card, validators, settings),
        problemsOf: (fixed) => computeProblems(fixed, validators, settings),
        levels: levelTable(settings?.config),
        readiness: () => ready(card, document.uri, settings, index),
        selectCommand: options.clientCommands?.includes(SELECT_RANGE_COMMAND) ?? false,
      }),
    codeLenses: (document, card, settings, index) => codeLenses(document, card, settings, index, ready(card, document.uri, settings, index)),
    readiness: (card, uri, settings, index) => ready(card, uri, settings, index),
    graduate: (text, card, uri, today, settings, options, index) =>
      card.body ? { error: 'Graduate does not handle .trl.md cards yet: copy the card to its next level by hand.' } : graduate(text, card, uri, today, levelTable(settings?.config), { ...options, verdict: ready(card, uri, settings, index) }),
    preview: (document, card, version, settings, index, previous) => {
      const problems = computeProblems(card, validators, settings, index ? { uri: document.uri, index } : undefined);
      return previewModel({
        document,
        card,
        version,
        levels: levelTable(settings?.config),
        threshold: mitigationThreshold(settings?.config, settings?.mitigationThreshold),
        diagnostics: problems.map((p) => toDiagnostic(document, p, options.rulesBaseUrl)),
        readiness: ready(card, document.uri, settings, index, problems),
        index,
        changes: previous
          ? cardChanges(previous, cardValue(card), (path) => {
              const r = rangeAt(card, path);
              return r ? document.positionAt(r.key?.[0] ?? r.start).line : undefined;
            })
          : null,
      });
    },
    newCard: (name, level, today, settings) => newCard(name, level, today, levelTable(settings?.config)),
    levels: (settings) => levelTable(settings?.config),
  };
}

export type { CardContext, ValidationSettings } from './services/diagnostics';
export { parseConfig, CONFIG_FILE, CONFIG_FILES, type TeamConfig, type LoadedConfig } from './config';
export { WorkspaceIndex, cardFacts, type CardFacts, type CardLookup } from './workspace/index';
export { cardReferences, referenceOffsets, referenceProblems, type CardReferences } from './rules/crossCard';
export { localDate } from './text/date';
export type { CardModel } from './card/model';
export type { NavigationIndex, PrepareRenameResult, RenameOptions, RenameResult } from './services/navigation';
export { CardDocument, cardText } from './card/document';
export type { Edit } from './card/incremental';
export type { Problem } from './rules/problem';
export { FIX_ALL_KIND } from './services/codeActions';
export { nextFileName, type GraduateResult } from './services/graduate';
export type { Readiness } from './services/readiness';
export { previousCardOf } from './services/previewModel';
export type { PreviousCard } from './services/cardDiff';
