/** `too-deep` and `too-large`: a block, or the whole card, past a bound of limits.ts was not parsed. */
import type { Block } from '../card/model';
import { LIMITS } from '../limits';
import { problem, type Problem } from './problem';

function megabytes(chars: number): string {
  return (chars / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

/** The problem of a block that was not parsed, offsets relative to the block. */
export function limitProblems(block: Block): Problem[] {
  const hit = block.limit;
  if (!hit) return [];
  if (hit.rule === 'too-deep') {
    return [
      problem(
        'too-deep',
        `Nested more than ${LIMITS.maxNestingDepth} levels deep here, so this part of the card is not checked. Flatten it (a card needs a few levels at most), or close the brackets \`[\` / \`{\` left open.`,
        hit.start,
        hit.end,
      ),
    ];
  }
  if (hit.whole) {
    return [
      problem(
        'too-large',
        `This card is ${megabytes(block.text.length)} MB and is read as one piece (it has a \`---\` or \`...\` marker, a \`%\` directive, an alias to an anchor in another field, or does not start with a field), which TRL Cards checks up to ${megabytes(LIMITS.maxWholeCardLength)} MB: it is not checked. Keep one document per card and write values out instead of aliasing them across fields, or split the card.`,
        hit.start,
        hit.end,
      ),
    ];
  }
  return [
    problem(
      'too-large',
      `This card is ${megabytes(block.text.length)} MB, over the ${megabytes(LIMITS.maxCardLength)} MB that TRL Cards checks, so it is not checked and has no outline, folding, hover or completion. Split it into smaller cards (for example one per component).`,
      hit.start,
      hit.end,
    ),
  ];
}
