/**
 * `placeholder`: a link or path still holding the template's placeholder, e.g. the authors'
 * `<link to previous cards>` or "(link, if not on main page above)". Such an entry names no
 * card or page: it is flagged, and never resolved.
 */
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import { findEntry, type CardModel } from '../card/model';
import { rangeOf } from '../card/nodes';
import { listValues } from './crossCard';
import { problem, q, type Problem } from './problem';

const PLACEHOLDER = /^\s*(?:<[^>]*>|\(?\*?\(?(?:link|links|url|path) to\b.*|\(?\*?link,.*|todo\b.*|tbd\b.*|fixme\b.*|\.\.\.|…|x{3,})\s*$/i;

/** Whether a link or path is a template placeholder rather than a real target. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

function message(where: string, value: string): string {
  return `${q(value)} is a placeholder, not a ${where === 'previous' ? 'card' : 'link'}: replace it with the ${where === 'previous' ? "earlier card's path or URL" : 'path or URL'}, or remove the entry.`;
}

/** Placeholders among `previous`, `coupled`, `components` and the values of `links` and `ethics.checklist`. */
export function placeholderProblems(card: CardModel): Problem[] {
  const out: Problem[] = [];
  for (const key of ['previous', 'coupled', 'components']) {
    for (const v of listValues(card, key)) if (isPlaceholder(v.value)) out.push(problem('placeholder', message(key, v.value), v.start, v.end));
  }
  for (const [key, inner] of [['links', undefined], ['ethics', 'checklist']] as const) {
    const ref = findEntry(card, key);
    if (!ref || !isMap(ref.entry.valueNode)) continue;
    for (const pair of ref.entry.valueNode.items) {
      const k = pair.key as YamlNode | null;
      const v = pair.value as YamlNode | null;
      if (!isScalar(k) || (inner && k.value !== inner) || !isScalar(v) || typeof v.value !== 'string' || !isPlaceholder(v.value)) continue;
      const r = rangeOf(v);
      if (r) out.push(problem('placeholder', message(key, v.value), ref.section.offset + r[0], ref.section.offset + r[1]));
    }
  }
  return out;
}
