/**
 * What a card file is called: the one definition, read by the server, the checker and the
 * extension (which must not import the server). Plain values only: this module imports nothing.
 */

/** A card file's name: `*.trl.yaml` or `*.trl.yml`, any case. */
export const CARD_FILE = /\.trl\.ya?ml$/i;

/** The same as a glob, for file watchers and `workspace.findFiles`. */
export const CARD_GLOB = '**/*.trl.{yaml,yml}';

/** The card file names, in words, for messages: `*.trl.yaml, *.trl.yml`. */
export const CARD_NAMES = '*.trl.yaml, *.trl.yml';
