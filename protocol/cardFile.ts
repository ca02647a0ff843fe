/**
 * What a card file is called: the one definition, read by the server, the checker and the
 * extension (which must not import the server). Plain values only: this module imports nothing.
 */

/** A card file's name: `*.trl.yaml`, `*.trl.yml` or `*.trl.md`, any case. */
export const CARD_FILE = /\.trl\.(?:ya?ml|md)$/i;

/** A Markdown card's name (`*.trl.md`): YAML front matter over a Markdown body. A plain `*.md` is never a card. */
export const CARD_MARKDOWN = /\.trl\.md$/i;

/** The same as a glob, for file watchers and `workspace.findFiles`. */
export const CARD_GLOB = '**/*.trl.{yaml,yml,md}';

/** The card file names, in words, for messages: `*.trl.yaml, *.trl.yml, *.trl.md`. */
export const CARD_NAMES = '*.trl.yaml, *.trl.yml, *.trl.md';
