/**
 * `--fix` and `--fix-dry-run`: the safe quick fixes applied from the checker. The edits are the
 * editor's own — the language service's fix-all code action (`source.fixAll.trl-cards`, every
 * fix marked safe in services/codeActions.ts) — applied to the text; nothing here decides what
 * to change. A file is written only when its text changed, by cli/write.ts (which keeps links,
 * owners and modes); `--fix-dry-run` prints a unified diff instead.
 */
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND, type CardModel, type LanguageService, type ValidationSettings } from '../languageService';
import { showControls } from '../text/escape';

/** Fix-all is applied again on its own result at most this many times (a fix may uncover another). */
const MAX_PASSES = 5;

export interface FixOutcome {
  /** The text after the fixes (the text the card is then checked on). */
  text: string;
  card: CardModel;
  /** How many problems of each code the fixes removed. */
  fixed: Record<string, number>;
}

function codeCounts(codes: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of codes) out.set(c, (out.get(c) ?? 0) + 1);
  return out;
}

/**
 * The card's text after the language service's fix-all, pass after pass until nothing changes;
 * undefined when no safe fix applies. The edits are applied as the service gave them (and
 * checked them: same fields, no problem added); their line breaks are the card's own.
 */
export function fixText(service: LanguageService, uri: string, text: string, settings: ValidationSettings): FixOutcome | undefined {
  let card = service.parse(text, uri);
  const before = codeCounts(service.problems(card, settings).map((p) => p.code));
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const document = TextDocument.create(uri, 'trl-card', pass, current);
    const whole = { start: { line: 0, character: 0 }, end: document.positionAt(current.length) };
    const action = service.codeActions(document, card, whole, { diagnostics: [], only: [FIX_ALL_KIND] }, settings).find((a) => a.kind === FIX_ALL_KIND);
    const edits = action?.edit?.changes?.[uri];
    if (!edits || edits.length === 0) break;
    const next = TextDocument.applyEdits(document, edits);
    if (next === current) break;
    current = next;
    card = service.parse(current, uri);
  }
  if (current === text) return undefined;
  const after = codeCounts(service.problems(card, settings).map((p) => p.code));
  const fixed: Record<string, number> = {};
  for (const [code, n] of before) {
    const gone = n - (after.get(code) ?? 0);
    if (gone > 0) fixed[code] = gone;
  }
  return { text: current, card, fixed };
}

/** What `--fix` says of a file it changed: `path: fixed 3 problems (risk-mismatch ×2, tab-indent)`. */
export function fixedLine(shownPath: string, fixed: Record<string, number>, dryRun: boolean): string {
  const entries = Object.entries(fixed);
  const n = entries.reduce((s, [, k]) => s + k, 0);
  const what = entries.map(([code, k]) => (k > 1 ? `${code} ×${k}` : code)).join(', ');
  const verb = dryRun ? 'would fix' : 'fixed';
  const count = n === 0 ? 'its layout' : `${n} problem${n === 1 ? '' : 's'} (${what})`;
  return `trl-cards: ${showControls(shownPath)}: ${verb} ${count}.`;
}

/** A unified diff of one file's fix, as lines (control characters shown escaped, like every line the checker prints). */
export function diffLines(shownPath: string, before: string, after: string): string[] {
  const name = shownPath.split(path.sep).join('/');
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 });
  const lines = patch.split('\n');
  if (lines[0].startsWith('=')) lines.shift();
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => showControls(l.replace(/\r$/, '')));
}
