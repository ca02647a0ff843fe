/**
 * The previous card a preview compares with (what changed since it): an open card as the editor
 * has it, else the file read from disk and kept, by URI, while its stamp is unchanged (a
 * preview refreshed on every keystroke does not read and parse it again each time). At most
 * `max` files are kept; past it the cache starts again.
 */
import type { CardDocument } from '../card/document';
import { cardValue, type CardModel } from '../card/model';
import { filePathOf } from '../files';
import { LIMITS } from '../limits';
import type { PreviousCard } from '../services/cardDiff';
import { previousCardOf } from '../services/previewModel';
import { attempt } from '../runner';
import type { WorkspaceIndex } from '../workspace/index';
import type { CardFiles } from './runtime';

export interface PreviousCardsOptions {
  files: Pick<CardFiles, 'read' | 'stamp'>;
  /** Parses a card's text; never throws. */
  parse: (text: string, uri?: string) => CardModel;
  index: WorkspaceIndex;
  open: { get(uri: string): CardDocument | undefined };
  log: (message: string) => void;
  max?: number;
}

export class PreviousCards {
  private readonly read = new Map<string, { stamp: string; data: unknown }>();

  constructor(private readonly options: PreviousCardsOptions) {}

  /** The card `document` names as its previous one (the nearest level below it, or the entry `compareWith` of its `previous` list), with its value; undefined without a complete index. */
  async of(document: CardDocument, compareWith?: string): Promise<PreviousCard | undefined> {
    const { index, open, log } = this.options;
    if (!index.complete) return undefined;
    const target = attempt(log, 'Preview', () => previousCardOf(document.uri, cardValue(document.card), index, compareWith), () => undefined);
    if (!target) return undefined;
    const edited = open.get(target.uri);
    if (edited) return { ...target, data: cardValue(edited.card) };
    const data = await this.fromDisk(target.uri);
    return data === undefined ? undefined : { ...target, data };
  }

  /** A card file's plain value, read again only when its stamp changed; undefined when it cannot be read. */
  private async fromDisk(uri: string): Promise<unknown> {
    const file = filePathOf(uri);
    if (file === undefined) return undefined;
    const { files, parse } = this.options;
    const stamp = await files.stamp(file);
    if (stamp === undefined) return undefined;
    const known = this.read.get(uri);
    if (known && known.stamp === stamp) return known.data;
    const read = await files.read(file);
    if (read.error !== undefined) return undefined;
    const data = cardValue(parse(read.text, uri));
    if (this.read.size >= (this.options.max ?? LIMITS.maxIndexedCards)) this.read.clear();
    this.read.set(uri, { stamp, data });
    return data;
  }
}
