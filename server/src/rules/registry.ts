/**
 * Every rule, listed once: its name, the module it lives in, what it reads and the codes it may
 * report. The driver (services/diagnostics.ts) runs the block, entry and card rules from these
 * lists, for the editor and the checker alike, and applies a team's severities in one place
 * (`applyRuleSettings`); the rules that need the driver's own bookkeeping (a split list's items
 * compared with each other, the workspace index) are listed with what runs them. A test reads
 * each module under rules/ and fails when one reports a code it does not declare here, or is
 * not listed; another when a code has no entry in docs/rules.md.
 *
 * To add a rule: one file under rules/, one line here (a `check` for block, entry and card
 * rules), its codes in problem.ts `RULES`, one section in docs/rules.md.
 */
import type { Node as YamlNode } from 'yaml';
import type { Block, CardModel, Entry } from '../card/model';
import type { Level } from '../levels';
import type { CardValidators } from '../schema';
import { cardProblems } from './card';
import { hiddenProblems } from './hidden';
import { placeholderProblems } from './links';
import { bodyProblems } from './markdownBody';
import type { Problem, RuleCode } from './problem';
import { RISK_LISTS, requirementProblems, riskProblems } from './requirements';
import { schemaProblems } from './schema';
import { syntaxProblems } from './syntax';
import { transitionProblems } from './transitions';

/** What a rule reads, and so when it runs again. */
export type RuleReads =
  /** One block's text and YAML (a section's head, or one item of a split list): memoised on it. */
  | 'block'
  /** One top-level entry, or one item of a split list read as a one-item list of its key: memoised on the block. */
  | 'entry'
  /** The whole card's value: run once per check, after the blocks. */
  | 'card'
  /** The items of a split list compared with each other: run by the driver's list check. */
  | 'list'
  /** Other cards, through the workspace index (the checker's too). */
  | 'workspace'
  /** What the editor is sent of the problems, or the team configuration file: not a card's rule. */
  | 'other';

interface RuleBase {
  /** Its name, as its module's (rules/<module>.ts). */
  name: string;
  module: string;
  /** The codes it may report (problem.ts `RULES`). */
  codes: readonly RuleCode[];
}

/** What an entry rule is given: the entry, and for an item of a split list the item's node. */
export interface EntryInput {
  entry: Entry;
  validators: CardValidators;
  /** The block's text (offsets are the block's). */
  text: string;
  /** Set for one item of a split list: `entry` is then the one-item list of the section's key. */
  item?: YamlNode | null;
}

export interface BlockRule extends RuleBase {
  reads: 'block';
  check(block: Block, notAMapping: boolean): Problem[];
}

export interface EntryRule extends RuleBase {
  reads: 'entry';
  check(input: EntryInput): Problem[];
}

export interface CardRule extends RuleBase {
  reads: 'card';
  /** Runs on a `.trl.md` file that has no front matter too (its one problem, not an empty card's). */
  withoutFrontMatter?: true;
  check(card: CardModel, data: Record<string, unknown>, levels: readonly Level[]): Problem[];
}

export interface DriverRule extends RuleBase {
  reads: 'card' | 'list' | 'workspace' | 'other';
  /** Where it runs. */
  runBy: string;
}

export type Rule = BlockRule | EntryRule | CardRule | DriverRule;

const RISK_KEYS = new Set<string>(RISK_LISTS);

export const BLOCK_RULES: readonly BlockRule[] = [
  { name: 'syntax', module: 'syntax', reads: 'block', codes: ['syntax', 'duplicate-key', 'tab-indent', 'not-a-mapping'], check: (block, notAMapping) => syntaxProblems(block, notAMapping) },
  { name: 'hidden', module: 'hidden', reads: 'block', codes: ['hidden-character'], check: (block) => hiddenProblems(block.text) },
];

export const ENTRY_RULES: readonly EntryRule[] = [
  {
    name: 'schema',
    module: 'schema',
    reads: 'entry',
    codes: ['unknown-field', 'missing-field', 'wrong-type', 'empty-value', 'invalid-value', 'out-of-range', 'invalid-format', 'invalid-semver', 'duplicate-item', 'invalid-level'],
    check: ({ entry, validators, item }) => schemaProblems(entry, validators, item !== undefined ? { detached: true } : {}),
  },
  {
    name: 'requirements',
    module: 'requirements',
    reads: 'entry',
    codes: ['risk-mismatch', 'duplicate-requirement-id'],
    check: ({ entry, item }) => (item === undefined ? requirementProblems(entry) : RISK_KEYS.has(entry.key) ? riskProblems(item) : []),
  },
  {
    name: 'links',
    module: 'links',
    reads: 'entry',
    codes: ['placeholder'],
    check: ({ entry, text, item }) =>
      item === undefined ? placeholderProblems(entry.valueNode, [entry.key], text) : placeholderProblems(item, [entry.key, 0], text),
  },
];

export const CARD_RULES: readonly CardRule[] = [
  { name: 'card', module: 'card', reads: 'card', codes: ['empty-card', 'missing-level', 'level-requirement', 'duplicate-key', 'invalid-value'], check: (card, data, levels) => cardProblems(card, data, levels) },
  { name: 'markdownBody', module: 'markdownBody', reads: 'card', codes: ['front-matter', 'section-and-field', 'empty-section'], withoutFrontMatter: true, check: (card) => bodyProblems(card) },
  { name: 'transitions', module: 'transitions', reads: 'card', codes: ['level-skipped', 'history-order', 'history-mismatch', 'history-start', 'previous-level'], check: (card) => transitionProblems(card) },
];

export const DRIVER_RULES: readonly DriverRule[] = [
  { name: 'limits', module: 'limits', reads: 'other', codes: ['too-deep', 'too-large'], runBy: 'services/diagnostics.ts: a block past a bound gets these alone' },
  { name: 'requirement lists', module: 'requirements', reads: 'list', codes: ['duplicate-requirement-id', 'unmitigated-risk', 'untested-high-risk'], runBy: "services/diagnostics.ts: listCheck (a split list's items kept by id and risk, edit by edit)" },
  { name: 'linked V&V table', module: 'requirements', reads: 'card', codes: ['requirements-in-linked-table'], runBy: 'services/diagnostics.ts: deferToLinkedTable' },
  { name: 'crossCard', module: 'crossCard', reads: 'workspace', codes: ['component-level', 'component-cycle', 'unknown-previous', 'unknown-component', 'unknown-coupled', 'coupled-one-way', 'target-overdue', 'target-reached'], runBy: 'services/diagnostics.ts with a complete index; the checker (cli/check.ts) through referenceProblems' },
  { name: 'targets', module: 'targets', reads: 'card', codes: ['target-overdue', 'target-reached'], runBy: 'services/diagnostics.ts without a complete index; crossCard with one' },
  { name: 'editor bound', module: '../services/diagnostics', reads: 'other', codes: ['too-many-problems'], runBy: 'services/diagnostics.ts boundForEditor, for what the editor is sent' },
  { name: 'team configuration', module: '../config', reads: 'other', codes: ['invalid-config'], runBy: 'config.ts parseConfig, on trl-cards.config.yaml' },
];

/** Every rule, once. */
export const RULE_REGISTRY: readonly Rule[] = [...BLOCK_RULES, ...ENTRY_RULES, ...CARD_RULES, ...DRIVER_RULES];
