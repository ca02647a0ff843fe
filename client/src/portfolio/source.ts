/**
 * The portfolio as the language server computes it (`trl/portfolio`), for the tree view and
 * the dashboard. The server says when it may have changed (`trl/portfolioChanged`); the source
 * passes that on (`onDidInvalidate`) and each consumer asks again, throttled, when it shows
 * something. Answers can come back out of order: an older one is dropped. Never parses a card.
 */
import * as vscode from 'vscode';
import { PORTFOLIO_REQUEST, type PortfolioParams, type PortfolioResponse } from '../../../protocol/portfolioMessages';
import type { Requester } from '../preview/panel';
import { READINESS_REQUEST, type ReadinessParams, type ReadinessResponse } from '../../../protocol/messages';

export class PortfolioSource implements vscode.Disposable {
  private readonly onDidInvalidateEmitter = new vscode.EventEmitter<void>();
  /** The portfolio may have changed: ask again (fired by the server, and when it (re)starts). */
  readonly onDidInvalidate = this.onDidInvalidateEmitter.event;

  constructor(private readonly request: Requester) {}

  /** Called when the server sends `trl/portfolioChanged`, or a new server runs. */
  invalidate(): void {
    this.onDidInvalidateEmitter.fire();
  }

  /** The portfolio now; undefined when the server is not running (or failed: see its output). */
  async fetch(charts: boolean): Promise<PortfolioResponse | undefined> {
    try {
      return (await this.request<PortfolioResponse | null>(PORTFOLIO_REQUEST, { charts } satisfies PortfolioParams)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** The server's verdict on one card (ready to graduate, or why not); undefined when it cannot say. */
  async readiness(uri: string): Promise<{ level: number; next?: number; ready: boolean; reasons: string[] } | undefined> {
    try {
      const r = await this.request<ReadinessResponse | null>(READINESS_REQUEST, { uri } satisfies ReadinessParams);
      return r && !('error' in r) ? r : undefined;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.onDidInvalidateEmitter.dispose();
  }
}

/**
 * One consumer's latest portfolio: asks on `refresh()` (throttled by the caller), keeps only
 * answers newer than the one it has.
 */
export class Latest {
  private sent = 0;
  private applied = 0;
  value: PortfolioResponse | undefined;

  constructor(
    private readonly source: PortfolioSource,
    private readonly charts: boolean,
  ) {}

  /** Asks; resolves with the answer when it is the newest so far, else undefined. */
  async fetch(): Promise<PortfolioResponse | undefined> {
    const seq = ++this.sent;
    const answer = await this.source.fetch(this.charts);
    if (!answer || seq < this.applied) return undefined;
    this.applied = seq;
    this.value = answer;
    return answer;
  }
}
