/**
 * The problems of a `.trl.md` card's form (card/markdownCard.ts): no front matter, an empty
 * section, a field given both in the front matter and by a section of the body (reported at
 * both places) or by two sections.
 */
import { rangeAt } from '../card/locate';
import type { CardModel } from '../card/model';
import { problem, type Problem } from './problem';

export function bodyProblems(card: CardModel): Problem[] {
  const body = card.body;
  if (!body) return [];
  const out = body.problems.map((p) => problem(p.code, p.message, p.start, p.end));
  for (const f of body.fields) {
    const keys = f.path.split('.');
    const r = rangeAt(card, keys);
    if (!r) continue;
    const [start, end] = r.key ?? [r.start, r.end];
    out.push(problem('section-and-field', `\`${f.path}\` is given twice: here in the front matter and by the section at line ${lineOf(body.text, f.start)}. Keep one: delete the key, or the section.`, start, end));
    out.push(problem('section-and-field', `\`${f.path}\` is given twice: by this section and in the front matter at line ${lineOf(body.text, start)}. Keep one: delete the section, or the key.`, f.start, f.end));
  }
  return out;
}

/** The 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}
