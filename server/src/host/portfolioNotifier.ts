/**
 * Telling the client the portfolio may have changed (`PORTFOLIO_CHANGED_NOTIFICATION`): only
 * once it asked for the portfolio, at most once per PORTFOLIO_CHANGED_DEBOUNCE_MS, and only for
 * what the portfolio shows — a card's id, technology, level, components, previous cards or
 * progress (history, targets, owner, risks) — or the index done.
 */
import { PORTFOLIO_CHANGED_DEBOUNCE_MS } from '../../../protocol/portfolioMessages';
import type { CardFacts } from '../workspace/index';
import type { Disposable, Timers } from './runtime';

/** What of a card's facts the portfolio shows. */
function portfolioSig(f: CardFacts | undefined): string {
  return f ? JSON.stringify([f.id, f.technology, f.level, f.components, f.previous, f.progress]) : '';
}

export class PortfolioNotifier {
  /** The client asked for the portfolio: it is told of changes from now on. */
  asked = false;
  /** The workspace scan is over (the portfolio is complete, or as complete as it gets). */
  scanned = false;
  private timer: Disposable | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly notify: () => void,
    private readonly delay: number = PORTFOLIO_CHANGED_DEBOUNCE_MS,
  ) {}

  /** A card's facts changed from `before` to `after` (undefined: no card). */
  factsChanged(before: CardFacts | undefined, after: CardFacts | undefined): void {
    if (portfolioSig(before) !== portfolioSig(after)) this.changed();
  }

  /** The scan of the workspace is over. */
  scanDone(): void {
    this.scanned = true;
    this.changed();
  }

  changed(): void {
    if (!this.asked || this.timer) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.notify();
    }, this.delay);
  }
}
