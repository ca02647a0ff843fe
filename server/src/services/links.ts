/**
 * Document links: `previous`, `components` and `coupled` entries that are card paths (to the
 * card file) or URLs, and the URLs among `links` and `ethics.checklist`. What may be a link is
 * decided by `linkTarget` (text/links.ts) alone: an http(s) URL, or a card path relative to the
 * card that stays inside the workspace folders. Placeholders are not links. Resolving a path to
 * a URI reads nothing: the editor opens it when clicked.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { CardModel } from '../card/model';
import { listValues } from '../rules/crossCard';
import { isPlaceholder, linkFields } from '../rules/links';
import { linkTarget, webUrl } from '../text/links';

/**
 * The links of a card. `folders`: the URIs of the workspace folders a card path may lead into;
 * without folders, the card's own folder (and those below it).
 */
export function documentLinks(document: TextDocument, card: CardModel, folders?: readonly string[]): DocumentLink[] {
  const out: DocumentLink[] = [];
  const push = (start: number, end: number, target: string, tooltip: string) =>
    out.push({ range: { start: document.positionAt(start), end: document.positionAt(end) }, target, tooltip });
  const within = folders && folders.length ? folders : [document.uri.slice(0, document.uri.lastIndexOf('/') + 1)];
  for (const key of ['previous', 'components', 'coupled']) {
    for (const v of listValues(card, key)) {
      if (isPlaceholder(v.value)) continue;
      const target = linkTarget(v.value, document.uri, within);
      if (target?.kind === 'web') push(v.start, v.end, target.url, 'Open the card (not checked: a URL)');
      else if (target?.kind === 'card') push(v.start, v.end, target.uri, 'Open the card');
    }
  }
  for (const f of linkFields(card)) {
    const url = webUrl(f.value);
    if (!url || isPlaceholder(f.value)) continue;
    const q = f.quoted ? 1 : 0;
    push(f.start + q, f.end - q, url, 'Open the link');
  }
  return out;
}
