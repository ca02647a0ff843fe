/** A card's facts from its text, parsing only the fields facts are made of. */
import { parseCardFields } from '../card/parse';
import { positionsOf } from './factRanges';
import { FACT_FIELDS, cardFacts, plainFacts } from './index';

export function factsOf(uri: string, text: string) {
  return cardFacts(uri, parseCardFields(text, FACT_FIELDS), positionsOf(text));
}

/** The same without where the facts stand (`plainFacts`): what the portfolio alone needs. */
export function plainFactsOf(uri: string, text: string) {
  return plainFacts(uri, parseCardFields(text, FACT_FIELDS));
}
