/** What every rule returns, and the catalog of stable diagnostic codes. */

export type ProblemSeverity = 'error' | 'warning' | 'information';

/** A problem with absolute offsets into the card text. */
export interface Problem {
  code: RuleCode;
  severity: ProblemSeverity;
  message: string;
  start: number;
  end: number;
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
  'unknown-previous': { severity: 'warning', summary: '`previous` names a card that does not exist.' },
  'unknown-component': { severity: 'warning', summary: '`components` names a card path that does not exist.' },
  'too-deep': { severity: 'error', summary: 'A part of the card is nested too deeply to be checked.' },
  'too-large': { severity: 'error', summary: 'The card is too large to be checked.' },
} as const satisfies Record<string, { severity: ProblemSeverity; summary: string }>;

export type RuleCode = keyof typeof RULES;

export function problem(code: RuleCode, message: string, start: number, end: number, severity: ProblemSeverity = RULES[code].severity): Problem {
  return { code, severity, message, start, end };
}

/** Quotes a key or value for a message, shortened. */
export function q(value: unknown): string {
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (s === undefined) s = String(value);
  if (s.length > 40) s = s.slice(0, 37) + '…';
  return '`' + s.replace(/`/g, "'") + '`';
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
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
