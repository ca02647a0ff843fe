/** Diagnostics: every rule over the card model; per-section results are memoised on the section. */
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'path';
import { LIMITS, MAX_MESSAGE_LENGTH } from '../limits';
import { showControls, truncate } from '../text/escape';
import { isSeq, type Node as YamlNode } from 'yaml';
import { cardValue, lastAtOrBefore, type Block, type CardModel, type Entry, type Item, type Section } from '../card/model';
import { CardValidators } from '../schema';
import { levelTable, requirementsLinked } from '../levels';
import type { TeamConfig } from '../config';
import { findEntry } from '../card/model';
import { findPair, rangeOf } from '../card/nodes';
import { problem } from '../rules/problem';
import { crossCardProblems } from '../rules/crossCard';
import type { CardLookup } from '../workspace/index';
import type { Problem, ProblemSeverity } from '../rules/problem';
import { duplicateIdProblem, requirementId, riskFact, riskWhat, scenarioRequirementIds, unmitigatedProblem, unmitigatedProblems, untestedProblem, UNTESTED_FROM_LEVEL, type RequirementId, type RiskFact } from '../rules/requirements';
import { mitigationThreshold } from '../config';
import { LINKABLE, unknownTopLevelKey } from '../rules/schema';
import { limitProblems } from '../rules/limits';
import { BLOCK_RULES, CARD_RULES, ENTRY_RULES } from '../rules/registry';
import { targetProblems, targetRefs } from '../rules/targets';

export type RuleSetting = 'off' | ProblemSeverity;

/** Where the card is, and the other cards it may name (for cross-card rules). */
export interface CardContext {
  uri: string;
  index: CardLookup;
}

export interface ValidationSettings {
  /** Per-code overrides: turn a rule off, or change its severity (the user's, over the team's). */
  rules?: Partial<Record<string, RuleSetting>>;
  /** The team's configuration (trl-cards.config.yaml): level entries, rule severities, risk. */
  config?: TeamConfig;
  /**
   * Today, YYYY-MM-DD, for the `targets` rules: the server and the checker give the real date,
   * tests a fixed one. Without it a card checked alone (no complete index) gets no target
   * problems: the checker reports them with the cross-card ones.
   */
  today?: string;
  /** The user's mitigation threshold (`trlCards.risk.mitigationThreshold`); the team's config wins. */
  mitigationThreshold?: number;
}

const MEMO_KEY = 'problems';
const IDS_KEY = 'requirement-id';

function memo<T>(block: Block, key: string, compute: () => T): T {
  if (block.memo.has(key)) return block.memo.get(key) as T;
  const value = compute();
  block.memo.set(key, value);
  return value;
}

/** Problems of a section's head block (and of its whole value when not split). */
function headProblems(section: Section, validators: CardValidators): Problem[] {
  return memo(section.head, MEMO_KEY, () => {
    if (section.head.limit) return limitProblems(section.head);
    const out = BLOCK_RULES.flatMap((r) => r.check(section.head, section.notAMapping ?? false));
    for (const entry of section.entries) {
      if (section.items) {
        if (!validators.forKey(entry.key)) out.push(unknownTopLevelKey(entry));
        continue;
      }
      for (const r of ENTRY_RULES) out.push(...r.check({ entry, validators, text: section.head.text }));
    }
    return out;
  });
}

/** Problems of one item of a split list, checked as a one-item list of its section's key. */
function itemProblems(section: Section, item: Item, validators: CardValidators): Problem[] {
  return memo(item, MEMO_KEY, () => {
    if (item.limit) return limitProblems(item);
    const out = BLOCK_RULES.flatMap((r) => r.check(item, false));
    const entry = section.entries[0];
    // Items of an unknown key are not checked: the key itself is reported, once, on the head.
    if (!entry || !validators.forKey(entry.key) || !isSeq(item.doc.contents) || item.node === null) return out;
    const asList: Entry = { key: entry.key, keyNode: entry.keyNode, pair: entry.pair, valueNode: item.doc.contents, value: [item.value] };
    for (const r of ENTRY_RULES) out.push(...r.check({ entry: asList, validators, text: item.text, item: item.node }));
    return out;
  });
}

/** Requirement ids of a split list, memoised per item (null: the item has no id). */
function itemId(item: Item): RequirementId | null {
  return memo(item, IDS_KEY, () => requirementId(item.node) ?? null);
}

/**
 * What the checks found across the items of one split list, kept up to date from the
 * section's item log: each edit costs the items it replaced, not the length of the list.
 */
interface ListCheck {
  /** Items whose own problems are not empty. */
  withProblems: Set<Item>;
  /** Requirements only: the items using each id (one item alone, not in a set), and the ids used more than once. */
  byId: Map<string, Item | Set<Item>>;
  repeated: Set<string>;
  /** Requirements and scenarios whose risk reaches `threshold` with no mitigation. */
  unmitigated: Set<Item>;
  /** Requirements and scenarios whose risk reaches `threshold`, mitigated or not. */
  high: Set<Item>;
  threshold: number;
}

const LIST_KEY = 'list-check';

/** The items an entry of `ListCheck.byId` holds, in a new array. */
function usersOf(users: Item | Set<Item>): Item[] {
  return users instanceof Set ? [...users] : [users];
}

const RISK_KEY = 'risk-fact';

/** An item's risk, memoised (null: it has none). */
function itemRisk(item: Item): RiskFact | null {
  return memo(item, RISK_KEY, () => riskFact(item.node) ?? null);
}

function listCheck(section: Section, validators: CardValidators, threshold: number): ListCheck {
  let check = section.memo.get(LIST_KEY) as ListCheck | undefined;
  if (check && check.threshold !== threshold) check = undefined;
  const ids = section.entries[0]?.key === 'requirements';
  const risks = ids || section.entries[0]?.key === 'critical_scenarios';
  const addItem = (c: ListCheck, item: Item) => {
    const own = (item.memo.get(MEMO_KEY) as Problem[] | undefined) ?? itemProblems(section, item, validators);
    if (own.length) c.withProblems.add(item);
    if (risks) {
      const r = itemRisk(item);
      if (r && r.risk >= threshold - 1e-9) {
        c.high.add(item);
        if (!r.mitigated) c.unmitigated.add(item);
      }
    }
    const rid = ids ? itemId(item) : null;
    if (!rid) return;
    // Most ids have one user: the item itself is kept, and a set made only for a second.
    const users = c.byId.get(rid.id);
    if (users === undefined) c.byId.set(rid.id, item);
    else {
      if (users instanceof Set) users.add(item);
      else if (users !== item) c.byId.set(rid.id, new Set([users, item]));
      if (c.byId.get(rid.id) instanceof Set) c.repeated.add(rid.id); // a set holds two or more
    }
  };
  if (!check) {
    check = { withProblems: new Set(), byId: new Map(), repeated: new Set(), unmitigated: new Set(), high: new Set(), threshold };
    for (const item of section.items!) addItem(check, item);
    section.itemLog.length = 0;
    section.memo.set(LIST_KEY, check);
    return check;
  }
  for (const change of section.itemLog) {
    for (const item of change.removed) {
      check.withProblems.delete(item);
      check.unmitigated.delete(item);
      check.high.delete(item);
      const rid = ids ? itemId(item) : null;
      const users = rid && check.byId.get(rid.id);
      if (!rid || !users) continue;
      if (users === item) check.byId.delete(rid.id);
      else if (users instanceof Set) {
        users.delete(item);
        if (users.size === 0) check.byId.delete(rid.id);
        else if (users.size === 1) check.byId.set(rid.id, users.values().next().value!);
      }
      if (!(check.byId.get(rid.id) instanceof Set)) check.repeated.delete(rid.id); // one user left, or none
    }
    for (const item of change.added) addItem(check, item);
  }
  section.itemLog.length = 0;
  return check;
}

/** `duplicate-requirement-id` across the items of a split list, absolute offsets. */
function duplicateItemIds(section: Section, check: ListCheck): Problem[] {
  const items = section.items!;
  const out: Problem[] = [];
  for (const id of check.repeated) {
    const users = usersOf(check.byId.get(id)!).sort((x, y) => x.offset - y.offset);
    const firstIndex = lastAtOrBefore(items, users[0].offset);
    for (const item of users.slice(1)) out.push(duplicateIdProblem(itemId(item)!, firstIndex, section.offset + item.offset));
  }
  return out;
}

/** Every problem of the card, absolute offsets, in text order. */
export function computeProblems(card: CardModel, validators: CardValidators, settings: ValidationSettings = {}, context?: CardContext): Problem[] {
  // A `.trl.md` file without front matter: that one problem, not those of an empty card.
  if (card.body && !card.body.frontMatter) {
    const levels = levelTable(settings.config);
    return applyRuleSettings(CARD_RULES.filter((r) => r.withoutFrontMatter).flatMap((r) => r.check(card, {}, levels)), settings);
  }
  const all: Problem[] = [];
  const add = (list: readonly Problem[], base: number) => {
    for (const p of list) all.push({ ...p, start: p.start + base, end: p.end + base });
  };
  // A block past a bound of limits.ts was not parsed: what the card says is not fully known, so
  // the checks of the whole card (levels, links to other cards) would mislead. Skip them.
  let limited = false;
  const threshold = mitigationThreshold(settings.config, settings.mitigationThreshold);
  /** The high-risk requirements, with the base of their offsets (for `untested-high-risk`). */
  const high: { fact: RiskFact; rid: RequirementId; base: number }[] = [];
  for (const section of card.sections) {
    add(headProblems(section, validators), section.offset);
    if (section.head.limit) limited = true;
    if (!section.items) {
      for (const entry of section.entries) {
        add(unmitigatedProblems(entry, threshold), section.offset);
        if (entry.key === 'requirements' && isSeq(entry.valueNode)) {
          for (const item of entry.valueNode.items as (YamlNode | null)[]) {
            const fact = riskFact(item);
            const rid = requirementId(item);
            if (fact && rid && fact.risk >= threshold - 1e-9) high.push({ fact, rid, base: section.offset });
          }
        }
      }
      continue;
    }
    const check = listCheck(section, validators, threshold);
    for (const item of check.withProblems) {
      if (item.limit) limited = true;
      add(item.memo.get(MEMO_KEY) as Problem[], section.offset + item.offset);
    }
    for (const item of check.unmitigated) {
      const p = unmitigatedProblem(itemRisk(item) ?? undefined, threshold, riskWhat(section.entries[0].key, item.node));
      if (p) add([p], section.offset + item.offset);
    }
    all.push(...duplicateItemIds(section, check));
    if (section.entries[0]?.key === 'requirements') {
      for (const item of check.high) {
        const fact = itemRisk(item);
        const rid = itemId(item);
        if (fact && rid) high.push({ fact, rid, base: section.offset + item.offset });
      }
    }
  }
  const data = cardValue(card);
  if (!limited) {
    const levels = levelTable(settings.config);
    for (const r of CARD_RULES) all.push(...r.check(card, data, levels));
    if (high.length && typeof data.level === 'number' && data.level >= UNTESTED_FROM_LEVEL) {
      const named = scenarioRequirementIds(data.critical_scenarios);
      for (const h of high) {
        const p = untestedProblem(h.fact, h.rid, named, threshold);
        if (p) add([p], h.base);
      }
    }
    // Targets: across cards when the index is complete (a later card may have reached one), else this card alone.
    if (context?.index.complete) all.push(...crossCardProblems(card, context.uri, context.index, settings.today));
    else if (settings.today !== undefined) all.push(...targetProblems(targetRefs(card), data.level, settings.today));
  }
  const linked = requirementsLinked(data);
  if (linked) deferToLinkedTable(card, all);
  const out: Problem[] = [];
  const seen = new Set<string>();
  // A placeholder in a field the level asks for is reported once, by the level rule.
  const asked = new Set<string>();
  for (const p of all) if (p.code === 'level-requirement' && p.data?.unmet === 'placeholder') asked.add(`${p.start}:${p.end}`);
  for (const p of all) {
    if (linked && p.code === 'missing-field' && p.data?.linkable) continue;
    if (p.code === 'placeholder' && asked.has(`${p.start}:${p.end}`)) continue;
    // A byte-order mark that starts the card is the file's encoding mark, not hidden text.
    if (p.code === 'hidden-character' && p.data?.bom && p.start === 0) continue;
    const key = `${p.code}:${p.start}:${p.end}:${p.message}`;
    if (seen.has(key)) continue; // one problem reported once
    seen.add(key);
    out.push(p);
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return applyRuleSettings(out, settings);
}

/**
 * The user's and the team's severities applied to problems, the one place they are (the editor's
 * problems, and the checker's problems across cards): a rule `off` is dropped, another severity
 * replaces the rule's own. The user's setting (`settings.rules`) goes before the team's.
 */
export function applyRuleSettings(problems: readonly Problem[], settings: Pick<ValidationSettings, 'rules' | 'config'>): Problem[] {
  if (!settings.rules && !settings.config?.rules) return [...problems];
  const out: Problem[] = [];
  for (const p of problems) {
    const setting = settings.rules?.[p.code] ?? settings.config?.rules?.[p.code];
    if (setting === 'off') continue;
    out.push(setting ? { ...p, severity: setting } : p);
  }
  return out;
}

/** Codes bounded where they are found (`unknown-field`: per mapping, `LIMITS.maxUnknownFields`). */
const SELF_BOUNDED = new Set(['unknown-field']);

const SEVERITY_RANK: Record<ProblemSeverity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

/**
 * What the editor is sent of a card's problems: the first `LIMITS.maxProblemsPerCode` of each
 * code (in text order) and, for a code that has more, one problem on the first left out that
 * counts them, as severe as the worst of them; then at most `LIMITS.maxDiagnostics` in all, the
 * most severe first, and one `too-many-problems` on the card's first line counting the rest.
 * The checker, the verdict and the fixes read every problem: only what is drawn is bounded.
 */
export function boundForEditor(problems: readonly Problem[]): Problem[] {
  const counts = new Map<string, number>();
  for (const p of problems) if (!SELF_BOUNDED.has(p.code)) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  let out: Problem[] = [...problems];
  if ([...counts.values()].some((n) => n > LIMITS.maxProblemsPerCode)) {
    out = [];
    const listed = new Map<string, number>();
    const rest = new Map<string, { first: Problem; count: number; severity: ProblemSeverity }>();
    for (const p of problems) {
      const n = (listed.get(p.code) ?? 0) + 1;
      listed.set(p.code, n);
      if (SELF_BOUNDED.has(p.code) || n <= LIMITS.maxProblemsPerCode) {
        out.push(p);
        continue;
      }
      const r = rest.get(p.code);
      if (!r) rest.set(p.code, { first: p, count: 1, severity: p.severity });
      else {
        r.count++;
        if (SEVERITY_RANK[p.severity] > SEVERITY_RANK[r.severity]) r.severity = p.severity;
      }
    }
    for (const [code, r] of rest) {
      const message = `This and ${r.count - 1} more \`${code}\` problem${r.count === 2 ? '' : 's'} after it are not listed one by one (the first ${LIMITS.maxProblemsPerCode} are): fix those, and the rest are listed as they go; \`trl-cards check\` lists them all.`;
      out.push({ ...r.first, severity: r.severity, message, data: { count: r.count } });
    }
    out.sort((a, b) => a.start - b.start || a.end - b.end);
  }
  if (out.length <= LIMITS.maxDiagnostics) return out;
  const ranked = [...out].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.start - b.start);
  const kept = ranked.slice(0, LIMITS.maxDiagnostics - 1);
  const left = ranked.slice(LIMITS.maxDiagnostics - 1);
  // On the first problem left out, in text order.
  const first = left.reduce((a, b) => (b.start < a.start ? b : a));
  const n = left.length;
  const summary: Problem = { code: 'too-many-problems', severity: 'information', message: `This and ${n - 1} more problem${n === 2 ? '' : 's'} are not shown (the editor shows ${LIMITS.maxDiagnostics - 1}, the most severe first): fix those, and the rest are shown as they go; \`trl-cards check\` lists them all.`, start: first.start, end: first.end, data: { count: n } };
  return [...kept, summary].sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * With `links.requirements` set, a requirement's V&V and risk may live in the linked table: the
 * `missing-field` problems about them are dropped, and one hint on the link says so.
 */
function deferToLinkedTable(card: CardModel, all: Problem[]): void {
  const deferred = all.filter((p) => p.code === 'missing-field' && p.data?.linkable);
  if (deferred.length === 0) return;
  const named = new Set(deferred.flatMap((p) => p.data!.linkable as string[]));
  const fields = [...LINKABLE].filter((f) => named.has(f));
  const links = findEntry(card, 'links');
  const pair = links ? findPair(links.entry.valueNode, 'requirements') : undefined;
  const r = rangeOf((pair?.value ?? pair?.key ?? null) as YamlNode | null) ?? [0, 0];
  const [start, end] = links ? [links.section.offset + r[0], links.section.offset + r[1]] : [0, 0];
  const n = deferred.length;
  all.push(
    problem(
      'requirements-in-linked-table',
      `${n} requirement${n === 1 ? '' : 's'} on this card leave${n === 1 ? 's' : ''} out ${fields.map((f) => '`' + f + '`').join(', ')}: they are taken to be in the table \`links.requirements\` points to. Keep that table up to date, or write them on the card.`,
      start,
      end,
      undefined,
      { count: n, fields },
    ),
  );
}

const SEVERITY: Record<ProblemSeverity, DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

/**
 * The link of a rule's code: `${rulesBaseUrl}#L<line>` when the line of its heading in
 * docs/rules.md is known (VS Code's opener reads `#L<line>` on a file URI as a selection, so a
 * click lands on the rule's own section), else the heading's anchor, `${rulesBaseUrl}#<code>`.
 */
export function ruleHref(rulesBaseUrl: string, code: string, ruleLines?: ReadonlyMap<string, number>): string {
  const line = ruleLines?.get(code);
  return line !== undefined ? `${rulesBaseUrl}#L${line}` : `${rulesBaseUrl}#${code}`;
}

/** What the client takes in a diagnostic (its diagnostic capabilities); both by default. */
export interface DiagnosticOptions {
  /** `Diagnostic.data` (`dataSupport`): without it, code actions find the problem again from its range. */
  data: boolean;
  /** `relatedInformation`: without it, each related place is folded into the message. */
  relatedInformation: boolean;
}

/** A related place in words, for a message: `parts/part.trl.yaml:3: …` (the path from the card's folder). */
function relatedWords(from: string, r: { uri: string; range: { start: { line: number } }; message: string }): string {
  let where = r.uri;
  try {
    const a = new URL(from);
    const b = new URL(r.uri);
    if (a.protocol === b.protocol && a.host === b.host)
      where =
        path.posix.relative(path.posix.dirname(decodeURIComponent(a.pathname)), decodeURIComponent(b.pathname)) || path.posix.basename(b.pathname);
  } catch {
    // Not a URL we can make relative: the URI as it is.
  }
  return `${showControls(where)}:${r.range.start.line + 1}: ${r.message}`;
}

export function toDiagnostic(
  document: TextDocument,
  p: Problem,
  rulesBaseUrl: string | undefined,
  options: DiagnosticOptions = { data: true, relatedInformation: true },
  ruleLines?: ReadonlyMap<string, number>,
): Diagnostic {
  const d: Diagnostic = {
    range: { start: document.positionAt(p.start), end: document.positionAt(p.end) },
    severity: SEVERITY[p.severity],
    code: p.code,
    source: 'trl',
    message: p.message,
  };
  if (rulesBaseUrl) d.codeDescription = { href: ruleHref(rulesBaseUrl, p.code, ruleLines) };
  if (p.data && options.data) d.data = p.data;
  if (p.related?.length) {
    if (options.relatedInformation) d.relatedInformation = p.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
    else d.message = truncate(`${p.message} ${p.related.map((r) => `(${relatedWords(document.uri, r)})`).join(' ')}`, MAX_MESSAGE_LENGTH);
  }
  return d;
}
