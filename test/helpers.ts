/** Shared by the unit, protocol and checker tests (bundled into each; runs from dist/test/*). */
import { WorkspaceIndex, cardFacts, getLanguageService } from '../server/src/languageService';
import { RULES } from '../server/src/rules/problem';
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The repository root (tests run from dist/test/<suite>/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** A text with one `|` cursor marker: the text without it and the marker's offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error('expected exactly one | cursor marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

export function doc(text: string, uri = 'file:///test/card.trl.yaml'): TextDocument {
  return TextDocument.create(uri, 'trl-card', 1, text);
}

export interface Expected {
  line: number; // 0-based
  start: number;
  end: number;
  code: string;
  /** Named on the caret line (`code:severity`); otherwise the rule's default (RULES). */
  severity?: string;
  message?: string;
}

const CARET = /^(#?)( *)(\^+)\s+([\w-]+)(?::(error|warning|information|hint))?(?:\s+"(.*)")?\s*$/;

/**
 * Inline expectations: a comment line of carets under the offending text, then the code and
 * optionally a quoted piece of the message. A `#` directly followed by `^` marks column 0.
 * Other comment lines may stand between the line and its carets. The problem's severity is the
 * rule's default (RULES), unless the code is followed by another: `level-requirement:warning`.
 *
 *     version: 1.0
 *     #        ^^^ invalid-semver "MAJOR.MINOR.PATCH"
 *     level: 4
 *     #      ^ level-requirement:warning "`assumptions`"
 */
export function expectations(text: string): Expected[] {
  const out: Expected[] = [];
  const lines = text.split('\n');
  let target = -1;
  lines.forEach((line, i) => {
    const m = CARET.exec(line);
    if (!m || !line.startsWith('#')) {
      // Plain comments between a line and its carets (say, why a problem is expected) are skipped.
      if (!line.trimStart().startsWith('#')) target = i;
      return;
    }
    const startsAtHash = line[1] === '^';
    const start = startsAtHash ? 0 : 1 + m[2].length;
    const end = startsAtHash ? 1 + m[3].length : start + m[3].length;
    out.push({ line: target, start, end, code: m[4], ...(m[5] !== undefined ? { severity: m[5] } : {}), ...(m[6] !== undefined ? { message: m[6] } : {}) });
  });
  return out;
}

/**
 * A problem as the fixtures write it: its line, and its columns there. A range over several
 * lines (a block scalar, a flow list broken over lines) is written on its last line, from
 * column 0 to where it ends: carets cannot go inside a block scalar.
 */
export interface Shown {
  line: number;
  start: number;
  end: number;
  code: string;
  severity: string;
  message: string;
}

export function shownProblems(text: string, problems: readonly { start: number; end: number; code: string; severity: string; message: string }[]): Shown[] {
  const d = doc(text);
  return problems.map((p) => {
    const s = d.positionAt(p.start);
    const e = d.positionAt(p.end);
    const where = e.line === s.line ? { line: s.line, start: s.character, end: e.character } : { line: e.line, start: 0, end: e.character };
    return { ...where, code: p.code, severity: p.severity, message: p.message };
  });
}

/**
 * What differs between a fixture's inline expectations and the problems reported on it, as
 * lines (empty: all expected, all reported).
 */
export function expectationReport(
  text: string,
  problems: readonly { start: number; end: number; code: string; severity: string; message: string }[],
): string[] {
  const unmatched = shownProblems(text, problems);
  const missing: string[] = [];
  for (const exp of expectations(text)) {
    const severity = exp.severity ?? (RULES as Record<string, { severity: string } | undefined>)[exp.code]?.severity;
    const i = unmatched.findIndex(
      (a) =>
        a.line === exp.line && a.start === exp.start && a.end === exp.end && a.code === exp.code &&
        a.severity === severity && (!exp.message || a.message.includes(exp.message)),
    );
    if (i >= 0) unmatched.splice(i, 1);
    else missing.push(`${exp.line + 1}:${exp.start + 1}-${exp.end + 1} ${exp.code}:${severity} "${exp.message ?? ''}"`);
  }
  return [...missing.map((m) => `expected but not reported: ${m}`), ...unmatched.map((a) => `reported but not expected: ${a.line + 1}:${a.start + 1}-${a.end + 1} ${a.code}:${a.severity} — ${a.message}`)];
}

/** Every card of the fixtures and the examples, with its path relative to the repository. */
export function repositoryCards(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else if (/\.trl\.ya?ml$/.test(d.name)) out.push({ name: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(FIXTURES, 'diagnostics'));
  walk(path.join(FIXTURES, 'published'));
  walk(path.join(ROOT, 'examples'));
  return out;
}

/** A small deterministic PRNG, so a failing random test can be replayed from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A card of `requirements` requirements (a list split into items), for edits and sizes. */
export function generatedCard(requirements: number): string {
  const lines = ['technology: Generated', 'level: 2', 'owners:', '  rnd:', '    owner: Ada', '    reviewers: [Grace, Barbara]', 'requirements:'];
  for (let i = 0; i < requirements; i++) {
    lines.push(`  - id: "1.${i + 1}"`, '    kind: research', `    text: Requirement ${i}`, '    verification: Unit test.', '    validation: Trial.', `    p_failure: 0.${(i % 9) + 1}`, '    value: 5');
    if (i % 3 === 0) lines.push(`    risk: ${((i % 9) + 1) / 2}`);
  }
  lines.push('research_plan: x', 'hypotheses:', '  - statement: x', '# trailing comment', '');
  return lines.join('\n');
}

/** A complete workspace index (unless told otherwise) of cards given as uri → text. */
export function indexOf(cards: Record<string, string>, complete = true): WorkspaceIndex {
  const service = getLanguageService();
  const idx = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(cards)) idx.set(cardFacts(uri, service.parse(text)));
  idx.complete = complete;
  return idx;
}

/**
 * Skips the running test — or, from a `before` hook, its suite's tests — and says why: mocha's
 * `this.skip()` takes no reason, so it is kept on the test (or the suite) for the reporter,
 * test/mocha-reporter.cjs, which prints it under each skipped test and in the closing lines.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  // In a hook, `ctx.test` is the hook (and `ctx.currentTest` some test of the suite, even in `before`).
  const runnable = ctx.test;
  const holder = (runnable as { type?: string } | undefined)?.type === 'hook' ? runnable!.parent : runnable;
  if (holder) (holder as { skipReason?: string }).skipReason = reason;
  ctx.skip();
}
