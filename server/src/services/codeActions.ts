/**
 * Quick fixes: for the problems whose message spells out the edit, the edit itself, as LSP code
 * actions with a `WorkspaceEdit` for the one card. Every edit is a minimal text edit (a key, a
 * value, a few inserted lines): comments and layout elsewhere stay as they are. An edit that
 * changes a value covers the exact extent of that value's node (never the line break after it).
 * What each fix needs is in the problem's `data` (see the rules); what a level lacks comes from
 * `levelStatus`. A fix is offered only when its result keeps the guarantee of `fixCheck.ts`: the
 * same top-level keys, no other field's value changed, no problem added.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { isScalar, visit, type Node as YamlNode, type Pair } from 'yaml';
import { cardStyle, insertFields, nodeAt, valueExtent, type Placeholder } from '../card/edit';
import { rangeAt } from '../card/locate';
import { cardSlice, cardText } from '../card/document';
import { parseCard } from '../card/parse';
import { blockAt, cardValue, entries, findEntry, sectionAt, type CardBody, type CardModel } from '../card/model';
import { reparseView } from '../card/markdownCard';
import type { PathSeg } from '../card/nodes';
import { levelInfo, levelStatus, type Level } from '../levels';
import type { Problem, ProblemData } from '../rules/problem';
import { GRADUATE_COMMAND, SELECT_RANGE_COMMAND } from '../../../protocol/messages';
import type { Readiness } from './readiness';
import { applyOffsetEdits, composeEdits, FixCheck, type FixChange } from './fixCheck';
import { escapedForDoubleQuotes, hiddenRuns, yamlEscape } from '../rules/hidden';
import { dedentSlips } from '../card/indentSlip';

export const FIX_ALL_KIND = 'source.fixAll.trl-cards';

/** What a fix reads of a problem, whether it comes from the client (a diagnostic) or the rules. */
interface Found {
  code: string;
  start: number;
  end: number;
  data?: ProblemData;
  severity?: string;
  diagnostic?: Diagnostic;
}

interface Fix {
  title: string;
  edits: { start: number; end: number; text: string }[];
  preferred?: boolean;
  /**
   * Safe to apply without looking: part of "fix all" and of the checker's `--fix`. Safe means
   * the edit is determined by the card alone and changes no meaning the author chose: a value
   * computed from others (risk), a spelling completed (a version), layout (tabs, quotes). Not
   * safe: guesses (did you mean), placeholders (`TODO` fields), removing an entry.
   */
  safe: boolean;
  found: Found[];
  /** The card paths whose values the fix changes or adds (see `FixChange`). */
  targets: PathSeg[][];
  /** Codes the fix may leave in what it writes (a placeholder's reminder). */
  leaves?: string[];
  /** Values the fixed card must hold. */
  expect?: { path: PathSeg[]; value: unknown }[];
  /** A repeated top-level entry the fix removes (see `FixChange`). */
  removes?: { key: string; occurrence: number };
}

// ---------------------------------------------------------------------------------------------
// Placeholders for the fields a level asks for: valid YAML, and every value a placeholder
// (text/placeholder.ts), so that the card says what is still to write and is not ready until it
// is written: the level's entries report each placeholder, and no schema rule mistakes one for
// a wrong type, value or version.

const TEXT: Record<string, string> = {
  technology: 'TODO name the technology',
  tldr: 'TODO one sentence on what the technology does',
  research_plan: 'TODO describe the research plan',
  intended_use: 'TODO describe the intended use',
  sim_to_real: 'TODO describe how results on simulated data carry over to real data',
  feedback: 'TODO summarise the feedback',
  'data.pipeline': 'TODO describe the data pipeline',
  'links.code': 'TODO link to the code',
  'owners.owner': 'TODO name the owner',
  'owners.rnd.owner': 'TODO name the research owner',
  'owners.product.owner': 'TODO name the product owner',
};

const LISTS: Record<string, string> = {
  'owners.reviewers': 'TODO name a reviewer',
  'owners.rnd.reviewers': 'TODO name a reviewer',
  'owners.product.reviewers': 'TODO name a reviewer',
  previous: 'TODO path or link to the previous card',
  working_group: 'TODO name a member of the working group',
  assumptions: 'TODO state an assumption',
  caveats: 'TODO state a caveat',
  'testing.deployment': 'TODO name a deployment test',
};

const STATUS = 'TODO none, partial, passing or failing';

const SHAPES: Record<string, Placeholder> = {
  hypotheses: { lines: [[1, '- statement: TODO state the hypothesis'], [2, 'references:'], [3, '- TODO cite a relevant paper']] },
  experiments: { lines: [[1, '- property: TODO the property the experiment analyses'], [2, 'method: TODO describe the method']] },
  metrics: { lines: [[1, '- name: TODO name the metric'], [2, 'value: TODO the measured value']] },
  critical_scenarios: { lines: [[1, '- scenario: TODO describe a critical scenario']] },
  requirements: {
    lines: [
      [1, '- id: TODO number.subset.component, e.g. 1 or 1.2'],
      [2, 'kind: TODO research or product'],
      [2, 'text: TODO state the requirement'],
      [2, 'verification: TODO how it is verified'],
      [2, 'validation: TODO how it is validated'],
      [2, 'p_failure: TODO probability of failure, 0 to 1'],
      [2, 'value: TODO value, 1 to 10'],
    ],
  },
  'data.datasets': { lines: [[1, '- name: TODO name the dataset'], [2, 'simulated: TODO true for simulated data, else false']] },
  ethics: { lines: [[1, 'status: TODO not-started, in-progress, done or not-applicable']] },
  'ethics.status': { inline: 'TODO not-started, in-progress, done or not-applicable' },
  monitoring: { lines: [[1, 'what: TODO what is monitored'], [1, 'alerts:'], [2, '- TODO name an alert']] },
  worst_case: { lines: [[1, 'scenario: TODO the worst case'], [1, 'response: TODO the response to it']] },
  debrief: {
    lines: [
      [1, 'accomplished: TODO what was accomplished, and by whom?'],
      [1, 'punted: TODO what was punted or de-scoped?'],
      [1, 'learned: TODO what was learned?'],
      [1, 'tech_debt: TODO what tech debt was gained, and how was it mitigated?'],
    ],
  },
  review: { lines: [[1, 'decision: TODO graduate, hold, revert or stop'], [1, 'notes: TODO notes of the review']] },
  infrastructure: { lines: [[1, 'platform: TODO the platform it runs on']] },
  testing: { lines: [[1, `unit: ${STATUS}`]] },
  'testing.unit': { inline: STATUS },
  'testing.integration': { inline: STATUS },
  'testing.regression': { inline: STATUS },
  'testing.style': { inline: STATUS },
  'testing.documentation': { inline: STATUS },
  'testing.ml_test_score': { inline: 'TODO the ML test score, 0 to 7' },
  'versions.code': { inline: 'TODO the code version, MAJOR.MINOR.PATCH' },
  'versions.data': { inline: 'TODO the data version, MAJOR.MINOR.PATCH' },
  'versions.model': { inline: 'TODO the model version, MAJOR.MINOR.PATCH' },
  decision_path: { inline: 'TODO prototype, research or both' },
  'review.tasks': { lines: [[1, '- TODO a task still needed']] },
};

/** What to write for a field the level table names (a team's own fields get a text). */
export function placeholderFor(field: string): Placeholder {
  if (SHAPES[field]) return SHAPES[field];
  if (LISTS[field]) return { lines: [[1, `- ${LISTS[field]}`]] };
  const leaf = field.slice(field.lastIndexOf('.') + 1).replace(/_/g, ' ');
  return { inline: TEXT[field] ?? `TODO describe the ${leaf}` };
}

// ---------------------------------------------------------------------------------------------
// The fixes, one problem at a time.

function str(data: ProblemData | undefined, key: string): string | undefined {
  const v = data?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** Quotes a replacement like the text it replaces (`"1.0"` stays double-quoted, `'x'` single). */
function quotedLike(original: string, value: string, quoteIfPlain: boolean): string {
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (original.startsWith('"') || quoteIfPlain) return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return value;
}

function lineBounds(card: CardModel, offset: number): { start: number; end: number; text: string } {
  const before = cardSlice(card, Math.max(0, offset - 2000), offset);
  const nl = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  const start = offset - before.length + nl + 1;
  const after = cardSlice(card, offset, offset + 4000);
  const m = /[\r\n]/.exec(after);
  const end = offset + (m ? m.index : after.length);
  return { start, end, text: cardSlice(card, start, end) };
}

/** The whole entry `key: value` whose key starts at `offset`, with its line break, or undefined. */
function entryExtent(card: CardModel, offset: number): { start: number; end: number } | undefined {
  const section = sectionAt(card, offset);
  if (!section) return undefined;
  if (!card.whole && offset === section.offset + (section.entries[0]?.keyNode.range?.[0] ?? -1)) {
    // A top-level entry is its section (a split list's items too), without the blank lines and
    // column-0 comments that end it: those introduce what follows.
    const text = cardSlice(card, section.offset, section.offset + section.length);
    const lines = text.split(/(?<=\n)/);
    while (lines.length > 1 && /^(\s*|#.*)\r?\n?$/.test(lines[lines.length - 1])) lines.pop();
    return { start: section.offset, end: section.offset + lines.join('').length };
  }
  const at = blockAt(card, offset);
  if (!at) return undefined;
  let found: Pair | undefined;
  let flow = false;
  visit(at.block.doc, {
    Map(_, node) {
      if (node.flow) flow = true;
    },
    Pair(_, pair) {
      const k = pair.key as YamlNode | null;
      if (k?.range && at.base + k.range[0] === offset) {
        found = pair as Pair;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (!found || flow) return undefined;
  const value = found.value as YamlNode | null;
  const end = at.base + (value?.range?.[1] ?? (found.key as YamlNode).range![1]);
  const first = lineBounds(card, offset);
  // Only an entry that starts its line (not `- key: …`, not after another key) is removed whole.
  if (first.text.slice(0, offset - first.start).trim() !== '') return undefined;
  let last = lineBounds(card, Math.max(offset, end - 1));
  if (/^\s*$/.test(last.text) && end - 1 > offset) last = lineBounds(card, end - 2);
  const breakLength = cardSlice(card, last.end, last.end + 2).startsWith('\r\n') ? 2 : cardSlice(card, last.end, last.end + 1) ? 1 : 0;
  return { start: first.start, end: last.end + breakLength };
}

/** The card path of the node at `offset` (a key's pair, or a value), or undefined. */
function pathAt(card: CardModel, offset: number): PathSeg[] | undefined {
  return nodeAt(card, offset)?.path;
}

/**
 * What a fix of a syntax problem at `offset` may change: the top-level field holding it, and the
 * keys yaml reads as top-level from its broken lines (a key after a tab, not in column 0). Before
 * the fix the field's value is yaml's reading of broken text (a sibling taken as nested), so it is
 * compared at the top level only; the fix states the value it writes (`expect`) where it knows it.
 */
function brokenField(card: CardModel, offset: number): PathSeg[][] {
  const section = sectionAt(card, offset);
  if (!section) return [];
  const keyAt = (e: (typeof section.entries)[number]) => section.offset + (e.keyNode.range?.[0] ?? 0);
  let i = 0;
  while (i + 1 < section.entries.length && keyAt(section.entries[i + 1]) <= offset) i++;
  const out: PathSeg[][] = [];
  for (let j = i; j < section.entries.length; j++) {
    const at = keyAt(section.entries[j]);
    if (j > i && (at === 0 || /[\r\n]/.test(cardSlice(card, at - 1, at)))) break;
    out.push([section.entries[j].key]);
  }
  return out;
}

/**
 * The edit that replaces the scalar (a value, or a key) starting at `f.start` with `make(its
 * text)`: the exact extent of its node, so that nothing around it (the line break after a block
 * scalar, the next field) is touched; a comment on a block scalar's header line is kept.
 */
function replaceScalar(card: CardModel, f: Found, make: (original: string) => string): { edit: Fix['edits'][number]; written: string; path: PathSeg[]; key: boolean } | undefined {
  const at = nodeAt(card, f.start);
  if (!at || !isScalar(at.node) || at.base + at.node.range![0] !== f.start) return undefined;
  const extent = valueExtent(card, at);
  if (!extent) return undefined;
  const written = make(cardSlice(card, extent.start, extent.end));
  return { edit: { start: extent.start, end: extent.end, text: written + (extent.comment ? ` ${extent.comment}` : '') }, written, path: at.path, key: at.key };
}

/** The line after the one ending at `lineEnd` (its line break skipped), or undefined at the end. */
function nextLine(card: CardModel, lineEnd: number): { start: number; end: number; text: string } | undefined {
  const brk = cardSlice(card, lineEnd, lineEnd + 2);
  return brk ? lineBounds(card, lineEnd + (brk.startsWith('\r\n') ? 2 : 1)) : undefined;
}

/** A double-quoted scalar's text (line breaks and indentation kept: they fold as in a plain scalar). */
function doubleQuoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Quotes a plain value that holds `: ` (`tldr: Note: it works` → `tldr: "Note: it works"`). A
 * value that goes on over more lines is quoted whole — its lines kept, so that it reads the same
 * — or, where it ends is not plain (a comment, a blank line, a line that looks like a key
 * or an item), not at all.
 */
function quoteColonValue(card: CardModel, f: Found): Pick<Fix, 'edits' | 'targets' | 'expect'> | undefined {
  if (str(f.data, 'yaml') !== 'BLOCK_AS_IMPLICIT_KEY') return undefined;
  const line = lineBounds(card, f.start);
  const m = /^(\s*(?:- +)?)([^\s:#'"][^:#]*?)(: +)(.*)$/.exec(line.text);
  if (!m || /\t/.test(m[1])) return undefined;
  let value = m[4];
  const comment = / #/.exec(value);
  if (comment) value = value.slice(0, comment.index);
  value = value.replace(/\s+$/, '');
  if (!value.includes(': ') || /^["'[{|>&*!]/.test(value)) return undefined;
  const keyColumn = m[1].length;
  const start = line.start + keyColumn + m[2].length + m[3].length;
  // The lines the value goes on over: indented past its key, up to the first line that is not.
  let end = start + value.length;
  const parts = [value];
  const blank = (text: string) => /^[ \t]*(#.*)?$/.test(text);
  for (let after = nextLine(card, line.end); after; after = nextLine(card, after.end)) {
    const indent = /^[ \t]*/.exec(after.text)![0];
    const rest = after.text.slice(indent.length);
    if (blank(after.text)) {
      // A blank or comment line ends the value: a line indented past the key after it would be
      // more of the value (after a blank line) or a problem of its own (after a comment).
      let more = nextLine(card, after.end);
      while (more && blank(more.text)) more = nextLine(card, more.end);
      if (more && /^[ \t]*/.exec(more.text)![0].length > keyColumn) return undefined;
      break;
    }
    if (indent.length <= keyColumn) break;
    if (comment || /\t/.test(indent) || /: |:$| #|^[-?:](?: |$)/.test(rest)) return undefined;
    const content = rest.replace(/\s+$/, '');
    parts.push(content);
    end = after.start + indent.length + content.length;
  }
  const path = pathAt(card, line.start + keyColumn);
  if (!path) return undefined;
  const original = cardSlice(card, start, end);
  // The value the author wrote: its lines folded into one, as YAML folds a plain scalar's.
  return { edits: [{ start, end, text: doubleQuoted(original) }], targets: brokenField(card, f.start), expect: [{ path, value: parts.join(' ') }] };
}

/**
 * `hidden-character`: the run written as escapes — in place inside a double-quoted scalar, or
 * the whole scalar double-quoted when it is plain or single-quoted on one line — which keeps
 * every value as it is (layout: part of Fix all); and the run removed, which changes the value
 * holding it (offered, never applied unseen). A block scalar and a comment cannot hold escapes.
 */
function hiddenFixes(card: CardModel, f: Found): Fix[] {
  const text = cardSlice(card, f.start, f.end);
  const runs = hiddenRuns(text);
  // The problem's text is still one run of hidden characters (a diagnostic may be older than the card).
  if (runs.length !== 1 || runs[0].start !== 0 || runs[0].end !== text.length) return [];
  const codes = runs[0].codes;
  const one = codes.length === 1;
  const names = [...new Set(codes)].slice(0, 3).map((c) => '`' + yamlEscape(c) + '`').join(', ');
  const at = nodeAt(card, f.start);
  const r = at?.node.range;
  const inScalar = at && r && isScalar(at.node) && at.base + r[0] <= f.start && f.end <= at.base + r[1] ? at : undefined;
  const out: Fix[] = [];
  if (inScalar) {
    const node = inScalar.node as YamlNode & { type?: string; value?: unknown };
    const start = inScalar.base + r![0];
    const end = inScalar.base + r![1];
    const source = cardSlice(card, start, end);
    let edit: Fix['edits'][number] | undefined;
    if (node.type === 'QUOTE_DOUBLE') edit = { start: f.start, end: f.end, text: codes.map(yamlEscape).join('') };
    else if ((node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE') && typeof node.value === 'string' && !/[\r\n]/.test(source)) {
      edit = { start, end, text: `"${escapedForDoubleQuotes(node.value)}"` };
    }
    if (edit) out.push({ title: `Write the hidden character${one ? '' : 's'} as ${one ? 'an escape' : 'escapes'} (${names})`, edits: [edit], preferred: true, safe: true, found: [f], targets: [] });
  }
  // The value holding the run changes; a key renamed changes its mapping (a top-level key, the card's keys).
  let targets: PathSeg[][] = inScalar ? [inScalar.path] : [];
  if (inScalar?.key) {
    const parent = inScalar.path.slice(0, -1);
    const node = inScalar.node as YamlNode & { type?: string };
    const keyStart = inScalar.base + r![0];
    if (parent.length) targets = [parent];
    else if (node.type === 'PLAIN') {
      const key = cardSlice(card, keyStart, inScalar.base + r![1]);
      targets.push([key.slice(0, f.start - keyStart) + key.slice(f.end - keyStart)]);
    } else return out;
  }
  out.push({ title: `Remove the hidden character${one ? '' : 's'} (${names})`, edits: [{ start: f.start, end: f.end, text: '' }], safe: false, found: [f], targets });
  return out;
}

/**
 * An indentation slip (card/indentSlip.ts): the key, and its value's lines, moved to its
 * siblings' column. Which column the author meant is a guess (the parent's is the other), so
 * the fix is offered, never applied unseen. It adds the key to its siblings' mapping: that
 * mapping's new key is the fix's target, every other value must stay.
 */
function indentSlipFix(card: CardModel, f: Found): Fix[] {
  const column = f.data?.column;
  const at = blockAt(card, f.start);
  if (typeof column !== 'number' || !at) return [];
  const text = at.block.text;
  const rel = f.start - at.base;
  // The block's slips, found again as its parse found them.
  const slip = dedentSlips(text).find((x) => x.keyStart === rel);
  if (!slip || slip.column !== column) return [];
  const pad = ' '.repeat(column - slip.indent);
  const edits: Fix['edits'] = [];
  for (let line = slip.line; line <= slip.end; ) {
    const nl = text.indexOf('\n', line);
    const le = nl < 0 ? text.length : nl;
    if (text.slice(line, le).trim() !== '') edits.push({ start: at.base + line, end: at.base + line, text: pad });
    line = le + 1;
  }
  const sibling = nodeAt(card, at.base + slip.sibling.start);
  if (!sibling?.key) return [];
  const key = text.slice(slip.keyStart, slip.keyEnd);
  const parent = sibling.path.slice(0, -1);
  const targets = /^["']/.test(key) ? [parent] : [[...parent, key]];
  const spaces = `${column} space${column === 1 ? '' : 's'}`;
  return [{ title: `Indent \`${key}\` by ${spaces}, like its siblings`, edits, preferred: true, safe: false, found: [f], targets }];
}

/** Scenarios a requirement may be named in by one fix each (the first is preferred). */
const MAX_SCENARIO_FIXES = 3;

/**
 * `untested-high-risk`: the requirement's id added to a critical scenario's `requirements`, one
 * fix per scenario — appended to a flow list (`[…, "3"]`) or a block list (a `- "3"` line), or a
 * new `requirements: ["3"]` line under the scenario's `scenario`. Scenarios written in flow
 * style, or with a `requirements` that is not a list, are not offered.
 */
function nameInScenarios(card: CardModel, f: Found): Fix[] {
  const id = str(f.data, 'id');
  const scenarios = cardValue(card).critical_scenarios;
  if (id === undefined || !Array.isArray(scenarios)) return [];
  const written = f.data?.numeric === true ? id : quotedLike('', id, true);
  const { eol } = cardStyle(card);
  const out: Fix[] = [];
  for (let i = 0; i < scenarios.length && out.length < MAX_SCENARIO_FIXES; i++) {
    const s = scenarios[i] as Record<string, unknown> | null;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) continue;
    const list = s.requirements;
    let edit: Fix['edits'][number] | undefined;
    if (Array.isArray(list) && list.length) {
      const whole = rangeAt(card, ['critical_scenarios', i, 'requirements']);
      const last = rangeAt(card, ['critical_scenarios', i, 'requirements', list.length - 1]);
      if (!whole || !last) continue;
      if (cardSlice(card, whole.start, whole.start + 1) === '[') edit = { start: last.end, end: last.end, text: `, ${written}` };
      else {
        const line = lineBounds(card, last.start);
        const prefix = line.text.slice(0, last.start - line.start);
        if (!/^ *- +$/.test(prefix) || last.end > line.end) continue;
        edit = { start: line.end, end: line.end, text: `${eol}${prefix}${written}` };
      }
    } else if (list === undefined) {
      const scenario = rangeAt(card, ['critical_scenarios', i, 'scenario']);
      if (!scenario?.key) continue;
      const keyLine = lineBounds(card, scenario.key[0]);
      const before = keyLine.text.slice(0, scenario.key[0] - keyLine.start);
      if (!/^ *(- +)?$/.test(before)) continue;
      // The end of the scenario's value (a block scalar's ends with its line break).
      const valueLine = lineBounds(card, Math.max(scenario.start, scenario.end - 1));
      edit = { start: valueLine.end, end: valueLine.end, text: `${eol}${' '.repeat(before.length)}requirements: [${written}]` };
    } else continue;
    out.push({ title: `Name requirement \`${id}\` in critical scenario #${i + 1}`, edits: [edit], preferred: out.length === 0, safe: false, found: [f], targets: [['critical_scenarios', i, 'requirements']] });
  }
  return out;
}

function fixesFor(card: CardModel, f: Found, levels: readonly Level[]): Fix[] {
  /** The scalar at the problem replaced by `make(its text)`; the fix targets its path (a renamed key, the new key's too). */
  const replace = (title: (written: string) => string, make: (original: string) => string, safe: boolean, renamedTo?: string, expect?: unknown): Fix[] => {
    const r = replaceScalar(card, f, make);
    if (!r) return [];
    const targets = [r.path];
    if (renamedTo !== undefined && r.key) targets.push([...r.path.slice(0, -1), renamedTo]);
    return [
      {
        title: title(r.written),
        edits: [r.edit],
        preferred: true,
        safe,
        found: [f],
        targets,
        ...(expect !== undefined && !r.key ? { expect: [{ path: r.path, value: expect }] } : {}),
      },
    ];
  };
  switch (f.code) {
    case 'risk-mismatch': {
      const expected = f.data?.expected;
      return typeof expected === 'number' ? replace(() => `Set risk to p_failure × value (${expected})`, () => String(expected), true, undefined, expected) : [];
    }
    case 'unknown-field':
    case 'invalid-value': {
      const s = str(f.data, 'suggestion');
      if (!s) return [];
      // A guess: the author may have meant another field or value. Offered, never applied unseen.
      return replace(() => `Did you mean \`${s}\`?`, (original) => quotedLike(original, s, false), false, f.code === 'unknown-field' ? s : undefined);
    }
    case 'invalid-semver': {
      const r = str(f.data, 'replacement');
      if (!r) return [];
      // A plain `1.0.0` is text in YAML, but quoted it reads as a version at a glance; keep `v1.0.0` plain.
      return replace((text) => `Write the version as ${text}`, (original) => quotedLike(original, r, !r.startsWith('v')), true, undefined, r);
    }
    case 'tab-indent': {
      // Each tab becomes the spaces up to the next tab stop, a tab stop being one level of the
      // card's own indentation (2 spaces by default: the tab size the extension sets for cards),
      // so that the line keeps the nesting the author sees.
      const tab = cardStyle(card).unit.length;
      const line = lineBounds(card, f.start);
      const original = cardSlice(card, line.start, f.end);
      if (!/^[\t ]+$/.test(original)) return [];
      let column = 0;
      for (const c of original) column = c === '\t' ? column + tab - (column % tab) : column + 1;
      return [{ title: 'Replace the tabs with spaces', edits: [{ start: line.start, end: f.end, text: ' '.repeat(column) }], preferred: true, safe: true, found: [f], targets: brokenField(card, f.start) }];
    }
    case 'duplicate-key': {
      const extent = entryExtent(card, f.start);
      const key = str(f.data, 'key') ?? cardSlice(card, f.start, f.end);
      const path = pathAt(card, f.start);
      if (!extent || !path) return [];
      const fix: Fix = { title: `Remove this repeat of \`${key}\` (the whole entry)`, edits: [{ ...extent, text: '' }], safe: false, found: [f], targets: [path] };
      if (path.length === 1) {
        // A repeated top-level key: the entry removed, the other one kept as it is.
        const same = entries(card).filter((r) => r.entry.key === path[0]);
        const occurrence = same.findIndex((r) => r.section.offset + (r.entry.keyNode.range?.[0] ?? -1) === f.start);
        if (occurrence < 0) return [];
        return [{ ...fix, targets: [], removes: { key: path[0] as string, occurrence } }];
      }
      return [fix];
    }
    case 'syntax': {
      if (str(f.data, 'yaml') === 'INDENT_SLIP') return indentSlipFix(card, f);
      const quoted = quoteColonValue(card, f);
      return quoted ? [{ title: 'Put the value in quotes (it contains `: `)', ...quoted, preferred: true, safe: true, found: [f] }] : [];
    }
    case 'untested-high-risk':
      return nameInScenarios(card, f);
    case 'hidden-character':
      return hiddenFixes(card, f);
    case 'level-requirement': {
      const field = str(f.data, 'field');
      if (!field || str(f.data, 'unmet') !== 'missing') return [];
      const fix = addFields(card, [field], [f], levels);
      if (!fix) return [];
      return [{ ...fix, title: `Add \`${field}\`` }];
    }
    default:
      return [];
  }
}

function addFields(card: CardModel, fields: readonly string[], found: Found[], _levels: readonly Level[]): Fix | undefined {
  const { insertions, skipped } = fieldInsertions(card, fields);
  if (insertions.length === 0) return undefined;
  const added = fields.filter((f) => !skipped.some((s) => s.path.join('.') === f));
  const n = added.length;
  return {
    title: `Add ${n} field${n === 1 ? '' : 's'}`,
    edits: insertions.map((i) => ({ start: i.offset, end: i.offset, text: i.text })),
    safe: false,
    found,
    targets: added.map((f) => f.split('.')),
    // Each value it writes is a placeholder, a reminder to write the field: reported as one (by the
    // level's entry, or `placeholder`) inside the text it adds, never elsewhere.
    leaves: ['placeholder', 'level-requirement'],
  };
}

/** The fields a card's level asks for at error or warning that it lacks, in level-table order. */
export function requiredMissing(data: unknown, level: number, levels: readonly Level[]): string[] {
  const missing = levelStatus(data, level, levels).unmet.filter((u) => u.why.kind === 'missing' && (u.req.severity === 'error' || u.req.severity === 'warning'));
  return [...new Set(missing.map((u) => u.req.field))];
}

/** The insertions that add each of `fields` with its placeholder (what the level fixes write). */
export function fieldInsertions(card: CardModel, fields: readonly string[]): ReturnType<typeof insertFields> {
  return insertFields(card, fields.map((field) => ({ path: field.split('.'), value: placeholderFor(field) })));
}

/** "Add the N fields TRL n requires": every missing field at error or warning, in level-table order. */
function addAllMissing(card: CardModel, levels: readonly Level[], found: Found[]): Fix | undefined {
  const data = cardValue(card);
  const level = data.level;
  if (!levelInfo(level, levels) || !findEntry(card, 'level')) return undefined;
  const fields = requiredMissing(data, level as number, levels);
  if (fields.length < 2) return undefined;
  // The problems it fixes: those of the fields it adds (not a hint's field, which it leaves).
  const fix = addFields(card, fields, found.filter((f) => fields.includes(str(f.data, 'field') ?? '')), levels);
  if (!fix) return undefined;
  const n = fields.length;
  return { ...fix, title: `Add the ${n} fields TRL ${level as number} requires`, preferred: true };
}

// ---------------------------------------------------------------------------------------------

function toEdits(document: TextDocument, edits: Fix['edits']): TextEdit[] {
  return edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.text }));
}

function action(document: TextDocument, fix: Fix, kind: string): CodeAction {
  // `data.safe`: whether the fix is part of fix-all (and of the checker's `--fix`).
  const a: CodeAction = { title: fix.title, kind, edit: { changes: { [document.uri]: toEdits(document, fix.edits) } }, data: { safe: fix.safe } };
  const diagnostics = fix.found.map((f) => f.diagnostic).filter((d): d is Diagnostic => d !== undefined);
  if (diagnostics.length) a.diagnostics = diagnostics;
  if (fix.preferred) a.isPreferred = true;
  return a;
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
}

export interface CodeActionOptions {
  /** The card's problems now (for "fix all", which covers the whole card). */
  problems: () => Problem[];
  /** The card's verdict (services/readiness.ts): Graduate is offered only on a ready card. */
  readiness?: () => Readiness | undefined;
  /** Whether the client has the command that selects a range (`trlCards.selectRange`): the placeholder fix. */
  selectCommand?: boolean;
  /** The problems of another card (a fix's result), with the same settings: how a fix is checked. */
  problemsOf: (card: CardModel) => Problem[];
  levels: readonly Level[];
}

/** What the check reads of one fix, or of several applied together. */
function changeOf(fixes: readonly Fix[]): FixChange {
  return {
    edits: fixes.flatMap((f) => f.edits),
    targets: fixes.flatMap((f) => f.targets),
    fixes: fixes.flatMap((f) => f.found.map((x) => x.code)),
    leaves: fixes.flatMap((f) => f.leaves ?? []),
    expect: fixes.flatMap((f) => f.expect ?? []),
    removes: fixes.length === 1 ? fixes[0].removes : undefined,
  };
}

/** The quick fixes for the diagnostics in `context`, and the card's "fix all" when asked for. */
export function codeActions(document: TextDocument, card: CardModel, range: Range, context: CodeActionContext, options: CodeActionOptions): CodeAction[] {
  const out: CodeAction[] = [];
  const only = context.only;
  const graduation = graduateAction(document, card, range, options);
  if (graduation && wants(only, 'refactor.graduate')) out.push(graduation);
  let problems: Problem[] | undefined;
  const problemsNow = () => (problems ??= options.problems());
  const check = new FixCheck(card, problemsNow, options.problemsOf);
  if (wants(only, 'quickfix')) {
    // A client without `dataSupport` sends the diagnostic back without its data: the fix reads it
    // from the card's problem of that code at that range (several share the `level` value: the
    // one with that message), found again.
    const dataOf = (code: string, start: number, end: number, message: string): ProblemData | undefined => {
      const here = problemsNow().filter((p) => p.code === code && p.start === start && p.end === end);
      return (here.find((p) => p.message === message) ?? here[0])?.data;
    };
    const found: Found[] = context.diagnostics
      .filter((d) => d.source === 'trl' && typeof d.code === 'string')
      .map((d) => {
        const code = d.code as string;
        const start = document.offsetAt(d.range.start);
        const end = document.offsetAt(d.range.end);
        return { code, start, end, data: (d.data as ProblemData | undefined) ?? dataOf(code, start, end, typeof d.message === 'string' ? d.message : d.message.value), diagnostic: d };
      });
    for (const f of found) for (const fix of fixesFor(card, f, options.levels)) if (check.holds(changeOf([fix]))) out.push(action(document, fix, 'quickfix'));
    // A placeholder gets no text: its fix selects it, for the user to write over.
    if (options.selectCommand) for (const f of found) if (f.diagnostic && (f.code === 'placeholder' || (f.code === 'level-requirement' && str(f.data, 'unmet') === 'placeholder'))) out.push(selectAction(document, f.diagnostic));
    const levelMissing = found.filter((f) => f.code === 'level-requirement' && str(f.data, 'unmet') === 'missing');
    if (levelMissing.length) {
      const all = addAllMissing(card, options.levels, levelMissing);
      // With several fields missing, "add them all" is the obvious choice; with one, adding it.
      if (all && check.holds(changeOf([all]))) out.unshift(action(document, all, 'quickfix'));
      else {
        const single = out.filter((a) => a.title.startsWith('Add `'));
        if (single.length === 1) single[0].isPreferred = true;
      }
    }
  }
  // "Fix all" is offered only when asked for by kind (on save, or the "Fix all" command).
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => o !== 'quickfix')) {
    const fix = fixAll(card, { ...options, problems: problemsNow }, check);
    if (fix) out.push(action(document, fix, FIX_ALL_KIND));
  }
  return out;
}

/**
 * "Graduate to TRL n+1" on the `level` line of a card its level no longer holds back: the
 * client's Graduate command (it asks the server for the next card and creates it, undoably).
 */
function graduateAction(document: TextDocument, card: CardModel, range: Range, options: CodeActionOptions): CodeAction | undefined {
  const levels = options.levels;
  const ref = findEntry(card, 'level');
  const level = ref?.entry.value;
  if (!ref || typeof level !== 'number' || !levels[level] || !levels[level + 1]) return undefined;
  const line = document.positionAt(ref.section.offset).line;
  if (range.start.line > line || range.end.line < line) return undefined;
  const verdict = options.readiness?.();
  if (verdict ? !verdict.ready : !levelStatus(cardValue(card), level, levels).ready) return undefined;
  return { title: `Graduate to TRL ${level + 1} (${levels[level + 1].name})`, kind: 'refactor.graduate', command: { title: 'Graduate', command: GRADUATE_COMMAND, arguments: [document.uri] } };
}

/** "Select the placeholder to write over it": a command, no edit (nothing to check). */
function selectAction(document: TextDocument, d: Diagnostic): CodeAction {
  return { title: 'Select the placeholder to write over it', kind: 'quickfix', diagnostics: [d], command: { title: 'Select the placeholder', command: SELECT_RANGE_COMMAND, arguments: [document.uri, d.range] } };
}

/** Those of `fixes` that keep the guarantee one after another (each with the ones kept before it). */
function oneByOne(fixes: readonly Fix[], check: FixCheck): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) if (check.holds(changeOf([...out, fix]))) out.push(fix);
  return out;
}

/**
 * The fixes of `groups` (the fixes of one top-level field each: their edits may need each other)
 * whose result, applied together, keeps the guarantee: all of them when the combination holds;
 * else each half of the groups checked the same way, and the fixes kept of both when they hold
 * together; a group that fails alone keeps those of its fixes that hold one by one. One check
 * when all is well, a few per offending field otherwise.
 */
function holdingTogether(groups: readonly Fix[][], check: FixCheck): Fix[] {
  const all = groups.flat();
  if (all.length === 0) return [];
  if (check.holds(changeOf(all))) return all;
  if (groups.length === 1) return oneByOne(groups[0], check);
  const mid = groups.length >> 1;
  const kept = [...holdingTogether(groups.slice(0, mid), check), ...holdingTogether(groups.slice(mid), check)];
  if (check.holds(changeOf(kept))) return kept;
  return oneByOne(kept, check);
}

/** Fix-all looks again at its own result this many times at most (a fix may uncover another: a tab out of the way of a quote). */
const FIX_ALL_PASSES = 5;

/**
 * Every safe fix of the card at once, without overlapping edits: "Fix all auto-fixable
 * problems". Applied to its own result until nothing changes, so that a second Fix all has
 * nothing to do; each pass's fixes keep the guarantee on the text they fix.
 */
export function fixAll(card: CardModel, options: CodeActionOptions, check = new FixCheck(card, options.problems, options.problemsOf)): Fix | undefined {
  const original = cardText(card);
  let text = original;
  let edits: Fix['edits'] = [];
  const all: Fix[] = [];
  let checked = check;
  for (let pass = 0; pass < FIX_ALL_PASSES; pass++) {
    // The text of a later pass was parsed and checked when the pass before it kept it.
    const known = pass === 0 ? undefined : checked.checked(text);
    const current = pass === 0 ? card : (known?.card ?? (card.body ? reparseView(card as CardModel & { body: CardBody }, text) : parseCard(text)));
    if (!current) break;
    let found = known?.problems as Problem[] | undefined;
    const problems = pass === 0 ? options.problems : () => (found ??= options.problemsOf(current));
    if (pass > 0) checked = new FixCheck(current, problems, options.problemsOf);
    const kept = fixAllOnce(current, problems, options.levels, checked);
    if (kept.length === 0) break;
    const next = kept.flatMap((f) => f.edits);
    edits = pass === 0 ? next : composeEdits(original, edits, next);
    text = applyOffsetEdits(text, next).text;
    all.push(...kept);
  }
  if (all.length === 0 || text === original) return undefined;
  edits.sort((a, b) => a.start - b.start);
  return { title: 'Fix all auto-fixable TRL card problems', edits, safe: true, found: all.flatMap((f) => f.found), targets: all.flatMap((f) => f.targets) };
}

/** One pass of fix-all: the safe fixes of the card's problems that keep the guarantee together. */
function fixAllOnce(card: CardModel, problems: () => Problem[], levels: readonly Level[], check: FixCheck): Fix[] {
  const chosen: Fix[] = [];
  const overlaps = (a: Fix['edits'][number], b: Fix['edits'][number]) => (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end);
  for (const p of problems()) {
    for (const fix of fixesFor(card, { code: p.code, start: p.start, end: p.end, data: p.data }, levels)) {
      if (!fix.safe) continue;
      if (fix.edits.some((e) => chosen.some((c) => c.edits.some((x) => overlaps(e, x))))) continue;
      chosen.push(fix);
      break;
    }
  }
  const groups = new Map<number, Fix[]>();
  for (const fix of chosen) {
    const at = sectionAt(card, fix.edits[0].start)?.offset ?? -1;
    groups.set(at, [...(groups.get(at) ?? []), fix]);
  }
  return holdingTogether([...groups.values()], check);
}
