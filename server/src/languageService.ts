/**
 * The façade over the card services. Every service is a pure function of the document, its
 * parsed card model and options; only server.ts knows the LSP connection, and the checker
 * (cli.ts) uses the same façade.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, CodeLens, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, LocationLink, Position, Range, SymbolInformation } from 'vscode-languageserver-types';
import type { CardModel } from './card/model';
import { updateCard, type Edit } from './card/incremental';
export { editedText } from './card/incremental';
import { parseCard } from './card/parse';
import type { Problem } from './rules/problem';
import { CardValidators } from './schema';
import { complete } from './services/completion';
import { computeProblems, toDiagnostic, type CardContext, type ValidationSettings } from './services/diagnostics';
import type { CardLookup } from './workspace/index';
import { hover } from './services/hover';
import { documentLinks } from './services/links';
import { levelTable } from './levels';
import { mitigationThreshold } from './config';
import { documentSymbols, foldingRanges } from './services/symbols';
import { definition, prepareRename, references, rename, workspaceSymbols, type NavigationIndex, type PrepareRenameResult, type RenameOptions, type RenameResult } from './services/navigation';
import { codeActions } from './services/codeActions';
import { codeLenses } from './services/codeLens';
import { graduate, type GraduateOptions, type GraduateResult } from './services/graduate';
import { previewModel } from './services/previewModel';
import type { CardChanges, CardPreview } from '../../protocol/preview';

export interface LanguageServiceOptions {
  /** Base URL of docs/rules.md; each diagnostic links to `${rulesBaseUrl}#${code}`. */
  rulesBaseUrl?: string;
}

export interface LanguageService {
  parse(text: string): CardModel;
  /** The model after one edit, re-parsing only what the edit touched (takes over `card`). */
  update(card: CardModel, edit: Edit): CardModel;
  /** Problems of the card; with a context, also those across cards (links, component levels). */
  problems(card: CardModel, settings?: ValidationSettings, context?: CardContext): Problem[];
  diagnostics(document: TextDocument, card: CardModel, settings?: ValidationSettings, index?: CardLookup): Diagnostic[];
  complete(document: TextDocument, card: CardModel, position: Position, settings?: ValidationSettings): CompletionList;
  hover(document: TextDocument, card: CardModel, position: Position, settings?: ValidationSettings): Hover | null;
  symbols(document: TextDocument, card: CardModel): DocumentSymbol[];
  folding(document: TextDocument, card: CardModel): FoldingRange[];
  /** Links to the cards and pages a card names (paths and URLs; placeholders are not links). */
  links(document: TextDocument, card: CardModel): DocumentLink[];
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
  codeActions(document: TextDocument, card: CardModel, range: Range, context: CodeActionContext, settings?: ValidationSettings): CodeAction[];
  /** The code lens on the `level` line: the level's name, what is missing, or Graduate. */
  codeLenses(document: TextDocument, card: CardModel, settings?: ValidationSettings, index?: CardLookup): CodeLens[];
  /** The next level's card text (minimal edits of `text`), or why not. `today` is YYYY-MM-DD. */
  graduate(text: string, card: CardModel, uri: string, today: string, settings?: ValidationSettings, options?: GraduateOptions): GraduateResult;
  /** The preview's render model (protocol/preview.ts); `version` is null for a card read from disk. */
  preview(document: TextDocument, card: CardModel, version: number | null, settings?: ValidationSettings, index?: CardLookup, changes?: CardChanges | null): CardPreview;
}

export function getLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  const validators = new CardValidators();
  return {
    parse: parseCard,
    update: updateCard,
    problems: (card, settings, context) => computeProblems(card, validators, settings, context),
    diagnostics: (document, card, settings, index) =>
      computeProblems(card, validators, settings, index ? { uri: document.uri, index } : undefined).map((p) => toDiagnostic(document, p, options.rulesBaseUrl)),
    complete: (document, card, position, settings) => complete(document, card, position, levelTable(settings?.config)),
    hover: (document, card, position, settings) => hover(document, card, position, levelTable(settings?.config), mitigationThreshold(settings?.config)),
    symbols: documentSymbols,
    folding: foldingRanges,
    links: documentLinks,
    definition,
    references,
    prepareRename,
    rename,
    workspaceSymbols: (query, index) => workspaceSymbols(query, index),
    codeActions: (document, card, range, context, settings) =>
      codeActions(document, card, range, context, { problems: () => computeProblems(card, validators, settings), levels: levelTable(settings?.config) }),
    codeLenses,
    graduate: (text, card, uri, today, settings, options) => graduate(text, card, uri, today, levelTable(settings?.config), options),
    preview: (document, card, version, settings, index, changes) =>
      previewModel({
        document,
        card,
        version,
        levels: levelTable(settings?.config),
        threshold: mitigationThreshold(settings?.config),
        diagnostics: computeProblems(card, validators, settings, index ? { uri: document.uri, index } : undefined).map((p) => toDiagnostic(document, p, options.rulesBaseUrl)),
        index,
        changes,
      }),
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
