/**
 * The custom requests (protocol/): Graduate, New Card, the level table, the card preview, its
 * exports and the readiness verdict, the portfolio, the server's process. Each answers a
 * cancelled request with the LSP cancellation error, checked before each stage of its work (a
 * stage that waits — a file read, a module load — gives the client's `$/cancelRequest` its
 * chance to arrive); an internal error is logged and answered in words.
 */
import type { CancellationToken } from 'vscode-languageserver-protocol';
import type { CardPreview, CardPreviewParams, CardPreviewResponse } from '../../../protocol/preview';
import type { ExportCardParams, ExportCardResponse, GraduateParams, GraduateResponse, LevelSummary, LevelsParams, NewCardParams, NewCardResponse, ReadinessParams, ReadinessResponse, ServerProcessResult } from '../../../protocol/messages';
import type { PortfolioParams, PortfolioResponse } from '../../../protocol/portfolioMessages';
import { nextFileName } from '../services/graduate';
import type { LanguageService } from '../languageService';
import { cardHtmlFile } from '../render/export';
import { cardMarkdown } from '../render/markdown';
import { cardText } from '../card/document';
import { portfolioView } from '../services/portfolioView';
import { localDate } from '../text/date';
import { attempt, cancelled, isCancelled, type RequestError } from '../runner';
import type { ConfigurationStore } from './configuration';
import type { IndexKeeper } from './indexing';
import type { OpenCards } from './openCards';
import type { PortfolioNotifier } from './portfolioNotifier';
import type { PreviewAnswers } from './previewAnswers';
import type { PreviousCards } from './previousCards';

const INTERNAL = 'Internal error: see the TRL Cards output.';

export interface RequestContext {
  service: () => LanguageService;
  cards: OpenCards;
  configuration: ConfigurationStore;
  indexer: IndexKeeper;
  previous: PreviousCards;
  answers: PreviewAnswers;
  portfolio: PortfolioNotifier;
  pid: number;
  log: (message: string) => void;
}

/** A date the client gave (YYYY-MM-DD), else today's. */
function dateOr(value: unknown): string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(new Date());
}

const uriOf = (params: unknown): string => (typeof (params as { uri?: unknown } | undefined)?.uri === 'string' ? (params as { uri: string }).uri : '');

export class CustomRequests {
  constructor(private readonly c: RequestContext) {}

  /** Graduation (services/graduate.ts): the next level's card text; the client writes it. */
  graduate(params: GraduateParams, token?: CancellationToken): GraduateResponse | RequestError {
    if (isCancelled(params, token)) return cancelled();
    const { cards, configuration, indexer, log } = this.c;
    const document = cards.get(params.uri);
    if (!document) return { error: 'The card is not open.' };
    const inPlace = params.mode === 'inPlace';
    const settings = configuration.settingsFor(document.uri);
    const result = attempt(log, 'Graduate', () => this.c.service().graduate(cardText(document.card), document.card, document.uri, dateOr(params.today), settings, { previous: !inPlace }, indexer.index), () => ({ error: INTERNAL }));
    if ('error' in result) return result;
    const fileName = inPlace ? '' : nextFileName(document.uri, result.level, typeof params.fileName === 'string' && params.fileName ? params.fileName : undefined);
    return { newText: result.newText, fileName, level: result.level };
  }

  /** The preview's render model of a card (open, or on disk): an answer named for later deltas. */
  async preview(params: CardPreviewParams, token?: CancellationToken): Promise<CardPreviewResponse | RequestError | { error: string }> {
    const model = await this.previewOf(uriOf(params), () => isCancelled(params, token), params?.compareWith);
    if (!('uri' in model)) return model;
    return this.c.answers.answer(model, params.base);
  }

  /** The card as a self-contained HTML page or Markdown (render/). */
  async exportCard(params: ExportCardParams, token?: CancellationToken): Promise<ExportCardResponse | RequestError> {
    const model = await this.previewOf(uriOf(params), () => isCancelled(params, token), params?.compareWith);
    if (!('uri' in model)) return model;
    if (params.format !== 'html' && params.format !== 'md') return { error: `Unknown export format '${String(params.format)}': use html or md.` };
    return attempt<ExportCardResponse>(this.c.log, 'Export', () => ({ text: params.format === 'md' ? cardMarkdown(model) : cardHtmlFile(model) }), () => ({ error: INTERNAL }));
  }

  /** The verdict on one card (services/readiness.ts), for the tree's tooltip. */
  async readiness(params: ReadinessParams, token?: CancellationToken): Promise<ReadinessResponse | RequestError> {
    if (isCancelled(params, token)) return cancelled();
    const uri = uriOf(params);
    const found = await this.c.cards.orOnDisk(uri);
    if ('error' in found) return found;
    if (isCancelled(params, token)) return cancelled();
    const { index } = this.c.indexer;
    const verdict = attempt(this.c.log, 'Readiness', () => this.c.service().readiness(found.document.card, uri, this.c.configuration.settingsFor(uri), index.complete ? index : undefined), () => undefined);
    if (!verdict) return { error: 'The card has no valid `level`.' };
    return { level: verdict.level, ...(verdict.next !== undefined ? { next: verdict.next } : {}), ready: verdict.ready, reasons: verdict.reasons };
  }

  /** New Card (services/newCard.ts): the card's text; the client creates the file. */
  newCard(params: NewCardParams, token?: CancellationToken): NewCardResponse | RequestError {
    if (isCancelled(params, token)) return cancelled();
    const today = dateOr(params?.today);
    if (typeof params?.name !== 'string' || typeof params.level !== 'number') return { error: 'New Card needs a name and a level.' };
    const settings = this.c.configuration.settingsFor(params.uri);
    return attempt(this.c.log, 'New Card', () => this.c.service().newCard(params.name, params.level, today, settings), () => ({ error: INTERNAL }));
  }

  levels(params: LevelsParams, token?: CancellationToken): LevelSummary[] | RequestError {
    if (isCancelled(params, token)) return cancelled();
    return this.c.service().levels(this.c.configuration.settingsFor(params?.uri)).map((l) => ({ level: l.level, name: l.name, tagline: l.tagline }));
  }

  /** The portfolio (services/portfolioView.ts); the client asking is told of changes from now on. */
  async portfolio(params: PortfolioParams | undefined, token?: CancellationToken): Promise<PortfolioResponse | null | RequestError> {
    const { portfolio, indexer, log } = this.c;
    portfolio.asked = true;
    if (isCancelled(params, token)) return cancelled();
    const view = attempt<PortfolioResponse | null>(log, 'Portfolio', () => ({ ...portfolioView(indexer.index, localDate(new Date())), complete: portfolio.scanned }), () => null);
    if (!view || params?.charts !== true) return view;
    // The charting library is loaded when the dashboard first asks (not when cards are checked).
    const { portfolioCharts } = await import('../services/portfolioCharts');
    if (isCancelled(params, token)) return cancelled();
    return attempt(log, 'Portfolio charts', () => ({ ...view, charts: portfolioCharts(view.portfolio) }), () => view);
  }

  serverProcess(params: unknown, token?: CancellationToken): ServerProcessResult | RequestError {
    return isCancelled(params, token) ? cancelled() : { pid: this.c.pid };
  }

  /** The preview's model of a card, open or on disk, with what changed since its previous card. */
  private async previewOf(uri: string, isCancelledNow: () => boolean, compareWith?: unknown): Promise<CardPreview | { error: string } | RequestError> {
    if (isCancelledNow()) return cancelled();
    const found = await this.c.cards.orOnDisk(uri);
    if ('error' in found) return found;
    if (isCancelledNow()) return cancelled();
    const { document, version } = found;
    const previous = await this.c.previous.of(document, typeof compareWith === 'string' ? compareWith : undefined);
    if (isCancelledNow()) return cancelled();
    const { index } = this.c.indexer;
    const settings = this.c.configuration.settingsFor(uri);
    return attempt<CardPreview | { error: string }>(this.c.log, 'Preview', () => this.c.service().preview(document, document.card, version, settings, index.complete ? index : undefined, previous), () => ({ error: INTERNAL }));
  }
}
