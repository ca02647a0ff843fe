/** Diagnostics: every rule over the card model; per-section results are memoised on the section. */
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { cardValue, type CardModel, type Section } from '../card/model';
import { CardValidators } from '../schema';
import { cardProblems } from '../rules/card';
import { RULES, type Problem, type ProblemSeverity, type RuleCode } from '../rules/problem';
import { requirementProblems } from '../rules/requirements';
import { schemaProblems } from '../rules/schema';
import { syntaxProblems } from '../rules/syntax';

export type RuleSetting = 'off' | ProblemSeverity;

export interface ValidationSettings {
  /** Per-code overrides: turn a rule off, or change its severity. */
  rules?: Partial<Record<string, RuleSetting>>;
}

const MEMO_KEY = 'problems';

/** The problems of one section, offsets relative to the section. Memoised on the section. */
function sectionProblems(section: Section, validators: CardValidators): Problem[] {
  const memo = section.memo.get(MEMO_KEY) as Problem[] | undefined;
  if (memo) return memo;
  const out = syntaxProblems(section);
  for (const entry of section.entries) {
    out.push(...schemaProblems(entry, validators), ...requirementProblems(entry));
  }
  section.memo.set(MEMO_KEY, out);
  return out;
}

/** Every problem of the card, absolute offsets, in text order. */
export function computeProblems(card: CardModel, validators: CardValidators, settings: ValidationSettings = {}): Problem[] {
  const all: Problem[] = [];
  for (const section of card.sections) {
    for (const p of sectionProblems(section, validators)) {
      all.push({ ...p, start: p.start + section.offset, end: p.end + section.offset });
    }
  }
  all.push(...cardProblems(card, cardValue(card)));
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const p of all) {
    const setting = settings.rules?.[p.code];
    if (setting === 'off') continue;
    const key = `${p.code}:${p.start}:${p.end}:${p.message}`;
    if (seen.has(key)) continue; // one problem reported once
    seen.add(key);
    out.push(setting ? { ...p, severity: setting } : p);
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

const SEVERITY: Record<ProblemSeverity, DiagnosticSeverity> = { error: 1, warning: 2, information: 3 };

export function toDiagnostic(document: TextDocument, p: Problem, rulesBaseUrl: string | undefined): Diagnostic {
  const d: Diagnostic = {
    range: { start: document.positionAt(p.start), end: document.positionAt(p.end) },
    severity: SEVERITY[p.severity],
    code: p.code,
    source: 'trl',
    message: p.message,
  };
  if (rulesBaseUrl) d.codeDescription = { href: `${rulesBaseUrl}#${p.code}` };
  return d;
}

export function isRuleCode(code: string): code is RuleCode {
  return Object.prototype.hasOwnProperty.call(RULES, code);
}
