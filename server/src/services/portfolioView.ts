/**
 * What the VS Code tree view and dashboard ask for (`trlCards/portfolio`): the portfolio of the
 * index (workspace/portfolio.ts) and the system tree (each technology's components, by
 * technology key). Pure: (index, today) → plain data; the charts are added by the server
 * (services/portfolioCharts.ts), only when the dashboard asks.
 */
import type { PortfolioResponse } from '../../../protocol/portfolioMessages';
import { uriKey } from '../workspace/index';
import { computePortfolio, type PortfolioIndex } from '../workspace/portfolio';
import { componentCard } from '../workspace/rollup';
import type { CardFacts } from '../workspace/index';

/** A technology's key, as the portfolio gives it: its id, or its only card's URI. */
const keyOf = (f: CardFacts) => f.id ?? uriKey(f.uri);

export function portfolioView(index: PortfolioIndex, today: string): PortfolioResponse {
  const portfolio = computePortfolio(index, { today });
  const components: Record<string, string[]> = {};
  for (const t of portfolio.technologies) {
    // The technology's current card, as the portfolio chose it.
    const cur = index.byUri(t.current.uri);
    if (!cur) continue;
    const keys: string[] = [];
    for (const c of cur.components) {
      const part = componentCard(c, cur.uri, index);
      if (!part) continue;
      const k = keyOf(part);
      if (k !== t.key && !keys.includes(k)) keys.push(k);
    }
    if (keys.length) components[t.key] = keys;
  }
  return { complete: index.complete, portfolio, components };
}
