/** Every size, depth and length bound, in one place. */

// --- checker and messages ---

/** The largest card file read from disk, in bytes (8 MiB; a 5,000-requirement card is under 2 MB). */
export const MAX_CARD_FILE_BYTES = 8 * 1024 * 1024;
/** The most characters of a card's own text (a key, a value) quoted in one message. */
export const MAX_QUOTED_LENGTH = 40;
/** The longest message a diagnostic may have, in characters; longer ones are cut with `…`. */
export const MAX_MESSAGE_LENGTH = 1000;
/** The largest team configuration file (trl-cards.config.yaml) read, in bytes. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
