/** What every rule returns, the catalog of stable diagnostic codes, and quoting a card's text in a message. */
import { MAX_MESSAGE_LENGTH, MAX_QUOTED_LENGTH } from '../limits';
import { plainText, showControls, truncate } from '../text/escape';

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

/** What a fix or a later service needs to know about a problem (passed on as `Diagnostic.data`). */
export type ProblemData = Record<string, string | number | boolean | string[]>;

/** A problem with absolute offsets into the card text. */
export interface Problem {
  code: RuleCode;
  severity: ProblemSeverity;
  message: string;
  start: number;
  end: number;
  data?: ProblemData;
  /** Places elsewhere that explain the problem (passed on as LSP `relatedInformation`). */
  related?: RelatedPlace[];
}

/** A place in another card: its URI, the range there, and what it shows. */
export interface RelatedPlace {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}

/**
 * Every diagnostic code, with its default severity. Each code is a heading in docs/rules.md
 * (a test checks this), which is where `codeDescription` links.
 */
export const RULES = {
  'syntax': { severity: 'error', summary: 'The card is not valid YAML.' },
  'duplicate-key': { severity: 'error', summary: 'A key appears twice in the same mapping.' },
  'tab-indent': { severity: 'error', summary: 'A tab is used for indentation.' },
  'not-a-mapping': { severity: 'error', summary: 'The card, or a part of it, is not a `key: value` mapping.' },
  'empty-card': { severity: 'error', summary: 'The card file is empty.' },
  'unknown-field': { severity: 'error', summary: 'A key that the card format does not define.' },
  'missing-field': { severity: 'error', summary: 'An item lacks a field the card format requires of it.' },
  'wrong-type': { severity: 'error', summary: 'A value of the wrong type.' },
  'empty-value': { severity: 'error', summary: 'A field that is present but empty.' },
  'invalid-value': { severity: 'error', summary: 'A value that is not one of the allowed choices.' },
  'out-of-range': { severity: 'error', summary: 'A number outside its allowed range.' },
  'invalid-format': { severity: 'error', summary: 'A text value that does not have the required format.' },
  'invalid-semver': { severity: 'error', summary: 'A version that is not a semantic version.' },
  'duplicate-item': { severity: 'error', summary: 'The same item appears twice in a list that must not repeat.' },
  'missing-level': { severity: 'error', summary: 'The card does not say its level.' },
  'invalid-level': { severity: 'error', summary: '`level` is not an integer from 0 to 9.' },
  'level-requirement': { severity: 'error', summary: "A field the card's level requires is missing or incomplete." },
  'risk-mismatch': { severity: 'warning', summary: 'A `risk` that is not `p_failure × value`.' },
  'duplicate-requirement-id': { severity: 'error', summary: 'Two requirements have the same id.' },
  'component-level': { severity: 'error', summary: "The card claims a higher level than one of its components' cards." },
  'component-cycle': { severity: 'error', summary: 'Components that contain each other in a circle.' },
  'unknown-previous': { severity: 'warning', summary: '`previous` names a card that does not exist.' },
  'unknown-component': { severity: 'warning', summary: '`components` names a card path that does not exist.' },
  'unknown-coupled': { severity: 'warning', summary: '`coupled` names a card path that does not exist.' },
  'coupled-one-way': { severity: 'hint', summary: "A coupled card does not list this card back in its own `coupled`." },
  'placeholder': { severity: 'warning', summary: 'A link or path that is still a template placeholder, such as `<link to previous cards>`.' },
  'requirements-in-linked-table': { severity: 'hint', summary: "Requirements' verification, validation and risk are kept in the table `links.requirements` points to." },
  'unmitigated-risk': { severity: 'warning', summary: 'A requirement or critical scenario whose risk reaches the mitigation threshold has no `mitigation`.' },
  'untested-high-risk': { severity: 'information', summary: 'From level 7, a requirement whose risk reaches the mitigation threshold is named by no critical scenario.' },
  'hidden-character': { severity: 'warning', summary: 'A bidi control, zero-width, invisible or control character: the text reads differently than it is stored.' },
  'invalid-config': { severity: 'error', summary: 'The team configuration file (trl-cards.config.yaml) is not valid.' },
  // Level transitions (rules/transitions.ts).
  'level-skipped': { severity: 'error', summary: '`history` rises more than one level between two reviews.' },
  'history-order': { severity: 'error', summary: 'A `history` date is before the previous entry\'s.' },
  'history-mismatch': { severity: 'warning', summary: "The last `history` entry does not lead to the card's `level`." },
  'history-start': { severity: 'warning', summary: '`history` does not start at `entered_at` (or at 0).' },
  'previous-level': { severity: 'warning', summary: "A `previous` card's level skips levels or lies above this card's, unexplained." },
  // Targets (rules/targets.ts).
  'target-overdue': { severity: 'warning', summary: "A target's date has passed and the technology has not reached its level." },
  'target-reached': { severity: 'hint', summary: "A target at or below the card's level: it is reached." },
  // `.trl.md` cards (card/markdownCard.ts, rules/markdownBody.ts).
  'front-matter': { severity: 'error', summary: 'A `.trl.md` card without YAML front matter (`---` lines around the card\'s fields).' },
  'section-and-field': { severity: 'error', summary: 'A prose field given twice: in the front matter and by a section of the body, or by two sections.' },
  'empty-section': { severity: 'warning', summary: 'A section of a `.trl.md` body that names a field but holds no text.' },
  'too-deep': { severity: 'error', summary: 'A part of the card is nested too deeply to be checked.' },
  'too-large': { severity: 'error', summary: 'The card is too large to be checked.' },
  'too-many-problems': { severity: 'information', summary: 'The card has more problems than the editor shows; the checker lists them all.' },
} as const satisfies Record<string, { severity: ProblemSeverity; summary: string }>;

export type RuleCode = keyof typeof RULES;

/**
 * A problem. Its message is made safe here, whatever a rule put in it: cut to
 * MAX_MESSAGE_LENGTH characters (at a character boundary) and with control characters shown
 * as escapes, so a message is one line that prints what it says.
 */
export function problem(
  code: RuleCode,
  message: string,
  start: number,
  end: number,
  severity: ProblemSeverity = RULES[code].severity,
  data?: ProblemData,
): Problem {
  const safe = showControls(truncate(message, MAX_MESSAGE_LENGTH));
  return data ? { code, severity, message: safe, start, end, data } : { code, severity, message: safe, start, end };
}

/**
 * Quotes a key or value of the card for a message: the one way user text enters a message.
 * Shortened to MAX_QUOTED_LENGTH characters (never inside an emoji or an accented letter),
 * numbers as YAML writes them (`.nan`, `.inf`), control characters shown as escapes (`\x1b`,
 * `\n`, `\u202e`), backticks replaced, in backticks.
 */
export function q(value: unknown): string {
  return '`' + showControls(truncate(plainText(value), MAX_QUOTED_LENGTH)).replace(/`/g, "'") + '`';
}

/** The closest candidate by edit distance, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDist <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Two rows of the table, made once per call (a row per line of the table was most of the cost
  // of 20,000 unknown keys' messages).
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (c === b.charCodeAt(j - 1) ? 0 : 1));
    }
    const done = prev;
    prev = cur;
    cur = done;
  }
  return prev[b.length];
}
