/**
 * Two values as a reviewer compares them: a word-level diff of two strings (the `diff`
 * library's `diffWords`), for the changes since the previous card in the preview, the HTML
 * and the Markdown export. Pure: no DOM, no Node (bundled into the webview too).
 */
import { diffWords } from 'diff';
import { LIMITS } from '../limits';
import { plainText } from '../text/escape';

/** A run of a word diff: kept, removed (`-1`) or added (`1`). */
export interface DiffRun {
  op: -1 | 0 | 1;
  text: string;
}

/**
 * The word diff of `before` and `after`, or undefined when the two differ by more edits than
 * `maxChangeListItems` (then both are shown whole, one after the other).
 */
export function wordDiff(before: string, after: string): DiffRun[] | undefined {
  const changes = diffWords(before, after, { maxEditLength: LIMITS.maxChangeListItems });
  if (!changes) return undefined;
  // Between two changes, a kept run of a few characters and no space (`.`, `3.`, `-`) is part of
  // both: `~~3.1 %~~ **1.3.0**` reads better than `**1.**3.~~1 %~~**0**`. Each change is then its
  // removed text, then its added text.
  const out: DiffRun[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ op: -1, text: removed });
    if (added) out.push({ op: 1, text: added });
    removed = added = '';
  };
  changes.forEach((c, i) => {
    if (c.removed) removed += c.value;
    else if (c.added) added += c.value;
    else if ((removed || added) && i + 1 < changes.length && c.value.length <= 3 && !/\s/.test(c.value)) {
      removed += c.value;
      added += c.value;
    } else {
      flush();
      out.push({ op: 0, text: c.value });
    }
  });
  flush();
  return out;
}

/** A value as one line of text: strings as they are, the rest as YAML would write a scalar or as JSON. */
export function valueText(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  return plainText(v);
}

/** Whether two values are best compared word by word: two strings, one of them a sentence or more (short values read best whole: `+3.1 % → +2.9 %`). */
export function wordy(before: unknown, after: unknown): before is string {
  if (typeof before !== 'string' || typeof after !== 'string') return false;
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  return Math.max(before.length, after.length) > 60 || Math.max(words(before), words(after)) >= 8;
}

/** A value is long (folded until clicked) past this many characters. */
export const FOLD_AT = 240;
