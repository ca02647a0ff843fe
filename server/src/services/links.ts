/**
 * Document links: `previous`, `components` and `coupled` entries that are card paths (to the
 * card file) or URLs, and the URLs among `links` and `ethics.checklist`. Placeholders are not
 * links. Resolving a path to a URI reads nothing: the editor opens it when clicked.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { CardModel } from '../card/model';
import { IS_URL, listValues, resolveCardPath } from '../rules/crossCard';
import { isPlaceholder, linkFields } from '../rules/links';
import { CARD_FILE } from '../files';

const WEB = /^https?:\/\//i;

export function documentLinks(document: TextDocument, card: CardModel): DocumentLink[] {
  const out: DocumentLink[] = [];
  const push = (start: number, end: number, target: string, tooltip: string) => out.push({ range: { start: document.positionAt(start), end: document.positionAt(end) }, target, tooltip });
  for (const key of ['previous', 'components', 'coupled']) {
    for (const v of listValues(card, key)) {
      if (isPlaceholder(v.value)) continue;
      if (WEB.test(v.value)) push(v.start, v.end, v.value, 'Open the card (not checked: a URL)');
      else if (!IS_URL.test(v.value) && CARD_FILE.test(v.value)) {
        const target = resolveCardPath(document.uri, v.value);
        if (target) push(v.start, v.end, target, 'Open the card');
      }
    }
  }
  for (const f of linkFields(card)) {
    if (!WEB.test(f.value) || isPlaceholder(f.value)) continue;
    const q = f.quoted ? 1 : 0;
    push(f.start + q, f.end - q, f.value, 'Open the link');
  }
  return out;
}
