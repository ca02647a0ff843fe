/**
 * The card as files to keep: one self-contained HTML page (the preview's look, inline CSS, no
 * scripts, a CSP that allows only that stylesheet), used by "Export Card as HTML" and
 * `trl-cards render --format html`.
 */
import { createHash } from 'crypto';
import type { CardPreview } from '../../../protocol/preview';
import css from '../../../webview/preview.css';
import { exportHtml } from './html';

const CSS_HASH = createHash('sha256').update(css, 'utf8').digest('base64');

export function cardHtmlFile(model: CardPreview): string {
  return exportHtml(model, css, CSS_HASH);
}
