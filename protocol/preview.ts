/**
 * The card preview's render model (`trl/cardPreview`): plain, versioned data computed by the
 * server from its parse of the card, so neither the client nor the webview parses a card. The
 * same model feeds the webview, the HTML and Markdown exports and `trl-cards render`.
 * Plain names and types only: this module imports nothing of either side.
 */
import type { CardPreviewDelta } from './previewDelta';

/** Request `trl/cardPreview`: the render model of an open card (or of a card on disk). */
export const CARD_PREVIEW_REQUEST = 'trl/cardPreview';

/** Bumped when the model changes shape; the webview refuses a model it does not know. */
export const PREVIEW_MODEL_VERSION = 2;

export interface CardPreviewParams {
  uri: string;
  /**
   * The entry of the card's `previous` list to show the changes against (as written); without
   * it, or when it names no card the server knows, the card of the highest level below this one.
   */
  compareWith?: string;
  /**
   * The `answer` of the model the asker holds: the server may then answer with only what
   * changed since it (a `CardPreviewDelta`, previewDelta.ts), else with the whole model.
   */
  base?: string;
}

export type CardPreviewResponse = CardPreview | CardPreviewDelta | { error: string };

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A 0-based source line range `[line, endLine]` of the card text. */
export interface SourceLines {
  line: number;
  endLine: number;
}

/**
 * One block of the card face, in the order of the paper's Figure 2: a top-level field and its
 * value as plain data (strings, numbers, booleans, lists and maps, as YAML gave them).
 */
export interface PreviewBlock extends SourceLines {
  /** The top-level key, e.g. `tldr`, `data`, `ethics`; unique within the model. */
  key: string;
  /** The heading the paper's card uses, e.g. "TL;DR", "Data considerations". */
  title: string;
  value: unknown;
  /**
   * Lines of the value's entries, by dotted path below the block (`datasets.0`, `owner`), for
   * click-to-reveal and the cursor's highlight. Only paths with a line of their own are listed.
   */
  lines?: Record<string, number>;
}

export interface LadderStep {
  level: number;
  /** The authors' current name, e.g. "Proof of Principle". */
  name: string;
  /** The paper's name, when it differs. */
  paperName?: string;
  /** `done` below the card's level, `current`, `ahead` above it; `before-entry` below `entered_at`. */
  state: 'done' | 'current' | 'ahead' | 'before-entry';
}

export interface HistoryStep {
  line: number;
  level: number | null;
  date?: string;
  decision?: string;
  text?: string;
  /** Below the level of the step before it: the review sent the work back (a cycle). */
  back: boolean;
}

export interface ChecklistItem {
  /** Dotted field path. */
  field: string;
  /** The level that adds the entry. */
  level: number;
  severity: Severity;
  reason: string;
  /** Why it is not met: `missing`, `too-few` items, or a failed condition. */
  why: string;
  quote?: { text: string; source: string; where?: string };
  /** The line to reveal: the field's, or the line where it would be added. */
  line: number;
}

export interface Checklist {
  level: number | null;
  /**
   * The verdict (the server's services/readiness.ts, as the code lens has it): nothing the level
   * asks at error or warning severity is missing or a placeholder, no error on the card, no
   * component below a system's level, no review that holds it.
   */
  ready: boolean;
  /** Why it is not ready, the weightiest first (empty when ready). */
  reasons: string[];
  /** Entries of this level (and the levels below) that the card fails. */
  unmet: ChecklistItem[];
  /** What the next level adds that the card does not meet yet. */
  next: ChecklistItem[];
  nextLevel: number | null;
}

export interface RequirementRow extends SourceLines {
  /** Stable key for the webview: the id, or `#<index>` when the id is missing or repeated. */
  key: string;
  /** The list the row comes from: `requirements` or `critical_scenarios`. */
  list: string;
  index: number;
  id?: string;
  text?: string;
  kind?: string;
  status?: string;
  pFailure?: number;
  value?: number;
  risk?: number;
  mitigation?: string;
  /** `high` at or above the mitigation threshold, `medium` at half of it, else `low`; `unknown` without a risk. */
  band: 'high' | 'medium' | 'low' | 'unknown';
}

export interface RiskTable {
  /** Rows sorted by risk, highest first (rows without a risk last, in card order). */
  rows: RequirementRow[];
  threshold: number;
  total: number;
  highest?: number;
  aboveThreshold: number;
  unmitigated: number;
}

export interface PreviewProblem {
  severity: Severity;
  code: string;
  message: string;
  line: number;
  character: number;
}

export interface CardRef {
  /** What the card wrote: an id or a path. */
  written: string;
  /** The card it resolves to in the workspace, if any. */
  uri?: string;
  technology?: string;
  level?: number | null;
  line: number;
  /** On components: the component that limits the system's level. */
  limiting?: boolean;
}

/** What changed since the previous card (requirements matched by id). */
export interface CardChanges {
  /** The previous card the changes are computed against. */
  previous: { uri: string; written: string; level: number | null };
  added: FieldChange[];
  removed: FieldChange[];
  changed: FieldChange[];
  requirements: RequirementChange[];
  /** Changes left out past the bound on rows (`LIMITS.maxChangeRows`), when any were. */
  omitted?: number;
}

/** A value before and after (either absent when the field or item was added or removed). */
export interface ValueChange {
  before?: unknown;
  after?: unknown;
}

export interface FieldChange extends ValueChange {
  /** Dotted path, e.g. `data.datasets` or `owners.product.owner`. */
  path: string;
  /** The line in this card (added and changed fields). */
  line?: number;
  /**
   * A list on both sides, compared item by item (then `before` and `after` are left out: the
   * items say it all).
   */
  items?: ItemChange[];
}

/** An item of a list that was added, removed or changed. */
export interface ItemChange extends ValueChange {
  change: 'added' | 'removed' | 'changed';
  /** What names the item: its `id`, `name`, … (`name: Radar 2019`), or its place (`#3`). */
  label: string;
  /** A changed map item: only the fields that changed, each with its values (then `before` and `after` are left out). */
  fields?: FieldValueChange[];
  /** The item's line in this card (added and changed items). */
  line?: number;
}

export interface FieldValueChange extends ValueChange {
  field: string;
}

export interface RequirementChange {
  /** The id as written; absent when the item has none (its text names it). */
  id?: string;
  /** The list the item comes from: `requirements` or `critical_scenarios` (absent means `requirements`). */
  list?: string;
  /**
   * The requirement's text or the scenario, so a reviewer knows which one it is; left out when
   * it is among the `fields` that changed (it is shown there, before and after).
   */
  text?: string;
  change: 'added' | 'removed' | 'changed';
  /** Fields of the requirement that changed (for `changed`), each with its values. */
  fields?: FieldValueChange[];
  /** The risk before and after: both only when it moved; one of them for an item added or removed. */
  riskBefore?: number;
  riskAfter?: number;
  line?: number;
}

export interface CardPreview {
  modelVersion: typeof PREVIEW_MODEL_VERSION;
  uri: string;
  /** The document version the model was computed from (null for a card read from disk). */
  version: number | null;
  /** Set on `trl/cardPreview` answers: names this answer, for a later request's `base`. */
  answer?: string;
  technology?: string;
  id?: string;
  cardVersion?: string;
  level: number | null;
  levelName?: string;
  enteredAt: number;
  /** The line of `technology` (the title) and of `level`. */
  titleLine: number;
  levelLine: number;
  ladder: LadderStep[];
  history: HistoryStep[];
  /** The card face, in Figure 2's order, then every other top-level field in card order. */
  blocks: PreviewBlock[];
  checklist: Checklist;
  risks: RiskTable;
  problems: PreviewProblem[];
  previous: CardRef[];
  components: CardRef[];
  coupled: CardRef[];
  /** The level the components allow (the lowest component level), when the card has components. */
  rolledUpLevel?: number | null;
  /** Null when the card has no previous card in the workspace. */
  changes: CardChanges | null;
}
