/** A card's facts from its text, parsing only the fields facts are made of (a `.trl.md` card's from its front matter). */
import { parseCardFields } from '../card/parse';
import { isMarkdownCard, parseMarkdownCardFields } from '../card/markdownCard';
import { positionsOf } from './factRanges';
import { FACT_FIELDS, cardFacts, plainFacts } from './index';

export function factsOf(uri: string, text: string) {
  return cardFacts(uri, fieldsOf(uri, text), positionsOf(text));
}

/** The fact fields of a card's text. */
function fieldsOf(uri: string, text: string) {
  return isMarkdownCard(uri) ? parseMarkdownCardFields(text, FACT_FIELDS) : parseCardFields(text, FACT_FIELDS);
}

/** The same without where the facts stand (`plainFacts`): what the portfolio alone needs. */
export function plainFactsOf(uri: string, text: string) {
  return plainFacts(uri, fieldsOf(uri, text));
}
