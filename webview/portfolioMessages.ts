/** The messages between the extension and the portfolio dashboard's webview, both ways. Types only. */
import type { ChartLink, PortfolioResponse } from '../protocol/portfolioMessages';

/** Extension → webview: the portfolio with its charts (SVG text drawn by the server). */
export type DashboardHostMessage = { type: 'portfolio'; data: PortfolioResponse };

/** Webview → extension. */
export type DashboardMessage =
  | { type: 'ready' }
  /** Open the current card of a technology (the extension opens only a workspace file). */
  | { type: 'openCard'; uri: string }
  /** A chart's mark that stands for several cards (a bar of a level): the extension lets the user pick one. */
  | { type: 'pickCard'; title: string; cards: ChartLink[] }
  /** What the page drew, read back from its DOM: SVG charts, tables and their body rows, technologies listed. */
  | { type: 'rendered'; charts: number; tables: number; rows: number; technologies: number; complete: boolean; ms: number };
