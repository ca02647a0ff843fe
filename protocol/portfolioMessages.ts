/**
 * The portfolio between the language server and the extension's tree view and dashboard:
 * request `trlCards/portfolio` and notification `trlCards/portfolioChanged`. The portfolio itself is
 * protocol/portfolio.ts. Plain names and types only: this module imports nothing of either side.
 */

import { notification, request } from './methods';
import type { Portfolio } from './portfolio';

/** Request `trlCards/portfolio`: the portfolio of the server's workspace index, today (the server's local date). */
export const PORTFOLIO_REQUEST = request<PortfolioParams | undefined, PortfolioResponse | null>('portfolio');

export interface PortfolioParams {
  /** Also render the dashboard's charts (SVG text); the tree view does not need them. */
  charts?: boolean;
}

/** A card a chart's mark stands for: what to call it, and its URI (a click opens it). */
export interface ChartLink {
  label: string;
  uri: string;
}

/**
 * One chart of the dashboard: SVG text drawn on the server (ECharts), and the numbers it draws.
 * Its marks carry `data-series`, `data-index` and `data-kind` (`chart`, `line`, `legend`) and a
 * `<title>` with their values; `links` gives the cards of a mark, by `"<series>:<index>"` (a bar,
 * a point) or `"<series>"` (a line, its legend entry).
 */
export interface PortfolioChart {
  /** Stable name (an HTML id). */
  name: string;
  title: string;
  svg: string;
  table: { head: string[]; rows: string[][] };
  links?: Record<string, ChartLink[]>;
}

export interface PortfolioResponse {
  /** False while the server is still indexing the workspace: the portfolio has the cards indexed so far. */
  complete: boolean;
  portfolio: Portfolio;
  /**
   * The system tree: for each technology (by `PortfolioTechnology.key`) that has components,
   * the keys of the technologies its current card lists, in the card's order (components that
   * name no known card are left out).
   */
  components: Record<string, string[]>;
  /** When asked for (`charts: true`). */
  charts?: PortfolioChart[];
}

/**
 * Notification `trlCards/portfolioChanged` (server → client, no parameters): the portfolio may have
 * changed (a card's facts changed, a card was added or removed, the index was completed).
 * Sent at most once per `PORTFOLIO_CHANGED_DEBOUNCE_MS`; the client asks again when it shows one.
 */
export const PORTFOLIO_CHANGED_NOTIFICATION = notification('portfolioChanged');
export const PORTFOLIO_CHANGED_DEBOUNCE_MS = 150;
