/**
 * Document links: `previous`, `components` and `coupled` entries that are card paths (to the
 * card file) or URLs, and the URLs among `links` and `ethics.checklist`. Placeholders are not
 * links. Resolving a path to a URI reads nothing: the editor opens it when clicked.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLink } from 'vscode-languageserver-types';
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import { findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';
import { IS_URL, listValues, resolveCardPath } from '../rules/crossCard';
import { isPlaceholder } from '../rules/links';

const CARD_PATH = /\.trl\.ya?ml$/i;
const WEB = /^https?:\/\//i;

export function documentLinks(document: TextDocument, card: CardModel): DocumentLink[] {
  const out: DocumentLink[] = [];
  const push = (start: number, end: number, target: string, tooltip: string) => out.push({ range: { start: document.positionAt(start), end: document.positionAt(end) }, target, tooltip });
  for (const key of ['previous', 'components', 'coupled']) {
    for (const v of listValues(card, key)) {
      if (isPlaceholder(v.value)) continue;
      if (WEB.test(v.value)) push(v.start, v.end, v.value, 'Open the card (not checked: a URL)');
      else if (!IS_URL.test(v.value) && CARD_PATH.test(v.value)) {
        const target = resolveCardPath(document.uri, v.value);
        if (target) push(v.start, v.end, target, 'Open the card');
      }
    }
  }
  for (const [key, only] of [['links', undefined], ['ethics', 'checklist']] as const) {
    const ref = findEntry(card, key);
    if (!ref || !isMap(ref.entry.valueNode)) continue;
    for (const pair of ref.entry.valueNode.items) {
      const k = pair.key as YamlNode | null;
      const v = pair.value as YamlNode | null;
      if (!isScalar(k) || (only && k.value !== only) || !isScalar(v) || typeof v.value !== 'string' || !WEB.test(v.value) || isPlaceholder(v.value)) continue;
      const r = rangeOf(v);
      // A quoted value: the link covers the text inside the quotes.
      const q = v.type === 'QUOTE_DOUBLE' || v.type === 'QUOTE_SINGLE' ? 1 : 0;
      if (r) push(ref.section.offset + r[0] + q, ref.section.offset + r[1] - q, v.value, 'Open the link');
    }
  }
  return out;
}
