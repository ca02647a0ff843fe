/**
 * The open cards: each document holds its text as its model's blocks, updated edit by edit, and
 * keeps its outline and folding for its current version. A card that is not open is read from
 * disk on request (a preview locked to a card whose editor was closed).
 */
import * as path from 'path';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver-types';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { CARD_FILE, filePathOf } from '../files';
import { CardDocument } from '../card/document';
import { editedText, type Edit } from '../card/incremental';
import type { CardModel } from '../card/model';
import { attempt } from '../runner';
import type { CardFiles } from './runtime';

/** Parsing and incremental parsing (the façade's `parse` and `update`); either may throw. */
export interface Parser {
  parse(text: string, uri?: string): CardModel;
  update(card: CardModel, edit: Edit): CardModel;
}

/** What a view of a card keeps for its current version only (a 4 MB card's outline takes a second). */
interface Views {
  version: number;
  symbols?: DocumentSymbol[];
  folding?: FoldingRange[];
}

export class OpenCards {
  private readonly open = new Map<string, CardDocument>();
  private readonly views = new Map<string, Views>();

  constructor(
    private readonly parser: Parser,
    private readonly files: Pick<CardFiles, 'read'>,
    private readonly log: (message: string) => void,
  ) {}

  get(uri: string): CardDocument | undefined {
    return this.open.get(uri);
  }

  has(uri: string): boolean {
    return this.open.has(uri);
  }

  all(): CardDocument[] {
    return [...this.open.values()];
  }

  /** A card parsed, never throwing (an internal error gives the empty card, logged); `uri` says its kind (a `.trl.md` card's front matter). */
  parse(text: string, uri?: string): CardModel {
    return attempt(this.log, 'Parsing', () => this.parser.parse(text, uri), () => this.parser.parse(''));
  }

  opened(uri: string, languageId: string, version: number, text: string): CardDocument {
    const document = new CardDocument(uri, languageId, version, this.parse(text, uri));
    this.open.set(uri, document);
    return document;
  }

  /** Applies an editor's changes in order, each to the text the previous one left (a full text may come first). */
  changed(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): CardDocument | undefined {
    let document = this.open.get(uri);
    if (!document) return undefined;
    for (const change of changes) {
      if ('range' in change) {
        const current = document;
        const start = current.offsetAt(change.range.start);
        const end = current.offsetAt(change.range.end);
        const edit = start <= end ? { start, end, text: change.text } : { start: end, end: start, text: change.text };
        // On an internal error, fall back to a full parse rather than serve a stale model.
        const card = attempt(this.log, 'Incremental parsing', () => this.parser.update(current.card, edit), () => this.parser.parse(editedText(current.card, edit), uri));
        current.edited(card, edit.start, edit.end, edit.text, version);
      } else {
        document = new CardDocument(uri, document.languageId, version, this.parse(change.text, uri));
        this.open.set(uri, document);
      }
    }
    return document;
  }

  closed(uri: string): boolean {
    this.views.delete(uri);
    return this.open.delete(uri);
  }

  /** The outline of an open card, computed once per version. */
  symbols(document: CardDocument, compute: () => DocumentSymbol[]): DocumentSymbol[] {
    const view = this.viewOf(document);
    return (view.symbols ??= compute());
  }

  /** The folding ranges of an open card, computed once per version. */
  folding(document: CardDocument, compute: () => FoldingRange[]): FoldingRange[] {
    const view = this.viewOf(document);
    return (view.folding ??= compute());
  }

  private viewOf(document: CardDocument): Views {
    let view = this.views.get(document.uri);
    if (!view || view.version !== document.version) this.views.set(document.uri, (view = { version: document.version }));
    return view;
  }

  /** An open card as the editor has it (with its version), else a card file read from disk (version null). */
  async orOnDisk(uri: string): Promise<{ document: CardDocument; version: number | null } | { error: string }> {
    const document = this.open.get(uri);
    if (document) return { document, version: document.version };
    const file = CARD_FILE.test(uri) ? filePathOf(uri) : undefined;
    if (file === undefined) return { error: 'The card is not open.' };
    const read = await this.files.read(file);
    if (read.error !== undefined) return { error: `${path.basename(file)}: ${read.error}` };
    return { document: new CardDocument(uri, 'trl-card', 0, this.parse(read.text, uri)), version: null };
  }
}
