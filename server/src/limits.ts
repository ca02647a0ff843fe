/**
 * Every bound on what the server and the checker will do with a card, in one place. Past a
 * bound the card gets one clear diagnostic (or the service gives a bounded answer) — never a
 * crash, a hang, or memory that grows without end. What each bound does is documented in
 * docs/limits.md; keep the two in step.
 *
 * One entry per line, so that changes from different branches merge cleanly.
 */
export const LIMITS = {
  // --- Parsing and checking (server/src/card, server/src/services) ---

  /**
   * Characters (UTF-16 code units) of a card that is parsed. A longer card is not parsed at
   * all: it gets one `too-large` diagnostic and no outline, folding, hover or completion.
   * 4 Mi characters is twice the largest card the performance targets cover (5,000
   * requirements, about 2 MB).
   */
  maxCardLength: 4 * 1024 * 1024,
  /**
   * Characters of a card that cannot be cut into fields (a `---` or `...` marker, a `%`
   * directive, a root that is not a mapping of fields, an alias to an anchor in another
   * field) and so is parsed whole again on every edit: about a second per edit at 1 MB. A
   * longer one is not parsed: one `too-large` problem says why.
   */
  maxWholeCardLength: 512 * 1024,
  /**
   * Nesting depth (block collections, flow brackets and compact `- - ` items counted
   * together) of one block of a card. Measured by a linear scan before the YAML parser runs;
   * a deeper block is not parsed and gets one `too-deep` diagnostic. The parser, the value
   * builder and the schema validators recurse once per level; they overflow the stack near
   * 1,000 levels, so 64 leaves a wide margin while no real card goes past 10.
   */
  maxNestingDepth: 64,
  /** Alias expansions when a block's value is built (yaml's `maxAliasCount`): stops alias bombs. */
  maxAliasCount: 100,
  /**
   * Unknown keys of one mapping listed one by one (`unknown-field`); past it, one more
   * `unknown-field` problem on the mapping's key counts the rest. A mapping of 20,000 unknown
   * keys would otherwise make 20,000 problems on every keystroke in it, of which VS Code shows
   * 1,000 (its own limit per file).
   */
  maxUnknownFields: 1000,
  /**
   * Runs of hidden characters of one block (a top-level field, or an item of a long list) each
   * reported (`hidden-character`); past it, one more problem counts the rest.
   */
  maxHiddenCharacters: 100,
  /**
   * Problems of one code the editor is sent for one card; past it, one more problem of that
   * code, on the first one left out, counts the rest. 20,000 placeholders would otherwise make
   * 20,000 diagnostics (megabytes) on every keystroke. The checker lists them all.
   */
  maxProblemsPerCode: 500,
  /**
   * Diagnostics the editor is sent for one card in all, the most severe first, the last a
   * `too-many-problems` that counts the rest (several codes at their bound would otherwise
   * still make thousands). VS Code itself shows 1,000 markers of a file.
   */
  maxDiagnostics: 1000,
  /** Symbols in one card's outline; past it the longest lists show their first items only. */
  maxOutlineSymbols: 5000,
  /** Folding ranges of one card: VS Code itself keeps 5,000 (`editor.foldingMaximumRegions`). */
  maxFoldingRanges: 5000,
  /**
   * Items of a split top-level list whose inner keys get a line in the preview model (for
   * click-to-reveal); later items get their own line only. Keeps the model of a
   * 5,000-requirement card small while every row of its risk table still has its line.
   */
  maxPreviewItemLines: 2000,
  /**
   * Preview answers the server keeps to answer the next request with only what changed since
   * one of them (protocol/previewDelta.ts): one per open preview, and one in flight.
   */
  maxPreviewAnswersKept: 4,

  // --- The workspace index (server/src/server.ts) ---

  /**
   * Cards the server indexes from disk in the background. Past it the index is left
   * incomplete, so the cross-card rules stay silent rather than report cards as missing.
   */
  maxIndexedCards: 20000,
  /**
   * Folders the server watches itself, when the client cannot watch files for it (no dynamic
   * registration of `workspace/didChangeWatchedFiles`): one `fs.watch` (an inotify watch on
   * Linux) per folder. Past it, cards changed on disk in the other folders are seen when opened.
   */
  maxWatchedDirectories: 1000,
  /** Milliseconds the server's own watcher gathers file events before re-reading the files. */
  watchDebounceMs: 50,
  /** Workspace symbols in one answer (services/navigation.ts): VS Code filters and ranks them again. */
  maxWorkspaceSymbols: 1000,

  // --- What changed since the previous card (server/src/services/cardDiff.ts) ---

  /** Characters of one string in a change's `before` / `after`: a value is shown whole up to this. */
  maxChangeText: 20000,
  /** Characters of the strings of one diff's values; past them, each string is cut to `maxChangeCutText`. */
  maxChangeChars: 500_000,
  /** Characters of a changed requirement's (or scenario's) text when it did not change: it only says which one it is. */
  maxChangeItemText: 120,
  /** Characters of one string once `maxChangeChars` is spent. */
  maxChangeCutText: 300,
  /** Items of a list, or keys of a map, in a change's `before` / `after`; the rest are counted ("… 990 more"). */
  maxChangeEntries: 100,
  /** Items of two lists compared item by item past which they are compared by place (the word diff's edit bound too). */
  maxChangeListItems: 2000,
  /** Field and requirement changes in one diff (a list's item changes each count); the rest are counted in `omitted`. */
  maxChangeRows: 2000,
} as const;

// --- checker and messages ---

/** The largest card file read from disk, in bytes (8 MiB; a 5,000-requirement card is under 2 MB). */
export const MAX_CARD_FILE_BYTES = 8 * 1024 * 1024;
/** The most characters of a card's own text (a key, a value) quoted in one message. */
export const MAX_QUOTED_LENGTH = 40;
/** The longest message a diagnostic may have, in characters; longer ones are cut with `…`. */
export const MAX_MESSAGE_LENGTH = 1000;
/** The largest team configuration file (trl-cards.config.yaml) read, in bytes. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** The most cards the checker's `--cache` file keeps (this run's first, then the most recent others). */
export const MAX_CACHE_ENTRIES = 20_000;
/** The largest `--cache` file read, in bytes; a larger one is ignored and written anew. */
export const MAX_CACHE_FILE_BYTES = 64 * 1024 * 1024;
