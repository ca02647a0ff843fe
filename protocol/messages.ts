/**
 * The custom messages between the extension and its language server, declared once and
 * imported by both sides. Plain names and types only: this module imports nothing of either.
 */

/** Request `trlCards/serverProcess`: which process serves (the extension's tests kill it to test restarts). */
export const SERVER_PROCESS_REQUEST = 'trlCards/serverProcess';

export interface ServerProcessResult {
  pid: number;
}

// ---------------------------------------------------------------------------------------------
// Graduation and the level code lens.

/** Client command the level code lens runs: lists `items` in a Quick Pick. Arguments: (uri, items). */
export const SHOW_LEVEL_STATUS_COMMAND = 'trlCards.showLevelStatus';
/**
 * Client command the server's quick fixes name to select a placeholder for the user to write
 * over (it adds no text). Arguments: (uri, range). Offered only to a client that says it has it
 * (`initializationOptions.commands`).
 */
export const SELECT_RANGE_COMMAND = 'trlCards.selectRange';
/** Client command "TRL Cards: Graduate to the Next Level". Argument: (uri?), the active card by default. */
export const GRADUATE_COMMAND = 'trlCards.graduate';

/** One entry of a level's status, as the code lens passes it to the client. */
export interface LevelStatusItem {
  /** Dotted field path, e.g. `owners.rnd.owner`. */
  field: string;
  reason: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** The level that adds the entry. */
  level: number;
  /** The card has the field, but only as a placeholder (`TODO …`). */
  placeholder?: boolean;
}

/** Request `trlCards/graduate`: the next card's text, computed by the server from the open card. */
export const GRADUATE_REQUEST = 'trlCards/graduate';

export interface GraduateParams {
  uri: string;
  /** `newCard` (default): a card beside this one, with `previous` back; `inPlace`: this card's level raised. */
  mode?: 'newCard' | 'inPlace';
  /** Pattern of the new card's name: `${name}` (without `.level-N.trl.yaml`) and `${level}`. */
  fileName?: string;
  /** The date of the graduation, YYYY-MM-DD (today by default). */
  today?: string;
}

export type GraduateResponse = { newText: string; fileName: string; level: number } | { error: string };

// ---------------------------------------------------------------------------------------------
// Export (the card preview's "Export Card as HTML / Markdown"); the model itself: protocol/preview.ts.

/** Request `trl/exportCard`: the card rendered as one self-contained HTML file, or as Markdown. */
export const EXPORT_CARD_REQUEST = 'trl/exportCard';

export interface ExportCardParams {
  uri: string;
  format: 'html' | 'md';
  /** As the preview's `compareWith` (protocol/preview.ts): the previous card the changes are shown against. */
  compareWith?: string;
}

export type ExportCardResponse = { text: string } | { error: string };

// ---------------------------------------------------------------------------------------------
// New Card.

/** Client command "TRL Cards: New Card…". Argument: a folder URI (explorer), or `{ name, level, folder }` to run without asking. */
export const NEW_CARD_COMMAND = 'trlCards.newCard';

/** Request `trlCards/levels`: the levels and their names, for the New Card Quick Pick. */
export const LEVELS_REQUEST = 'trlCards/levels';

export interface LevelsParams {
  /** A URI in the folder the card goes in (its team configuration applies). */
  uri?: string;
}

export interface LevelSummary {
  level: number;
  name: string;
  tagline: string;
}

/** Request `trlCards/newCard`: a new card's text and file name, from the level table. */
export const NEW_CARD_REQUEST = 'trlCards/newCard';

export interface NewCardParams {
  /** The technology's name (`technology`; the file is named after it). */
  name: string;
  /** The level it enters the process at, 0–9 (above 0 sets `entered_at`). */
  level: number;
  /** YYYY-MM-DD, the date of its first `history` entry (today by default). */
  today?: string;
  /** A URI in the folder the card goes in (its team configuration applies). */
  uri?: string;
}

export type NewCardResponse = { text: string; fileName: string } | { error: string };

/**
 * Request `trlCards/readiness`: the verdict on a card (open, or read from disk) — the one the
 * code lens, the preview and Graduate show (the server's services/readiness.ts). The tree's
 * tooltip asks it when shown.
 */
export const READINESS_REQUEST = 'trlCards/readiness';

export interface ReadinessParams {
  uri: string;
}

export type ReadinessResponse = { level: number; next?: number; ready: boolean; reasons: string[] } | { error: string };
