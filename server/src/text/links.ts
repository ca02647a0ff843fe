/**
 * What a card's value may link to — the one decision, read by the document links, the preview
 * model, the HTML and Markdown renderers and the cross-card rules. A value links only to:
 *
 * - an absolute `http:` or `https:` URL with nothing an HTML attribute or a Markdown link
 *   destination could misread (`webUrl`); or
 * - a card file named by a path relative to the card (`cardPath`: `./x.level-4.trl.yaml`,
 *   `../cards/y.trl.yml`), resolved against the card's own URI, keeping its scheme, and — where
 *   the folders are known — only inside them (`cardTarget`).
 *
 * Everything else is text: a value with any other scheme (`command:`, `javascript:`, `data:`,
 * `untitled:`, `file:`), a host (`//host/…`, `\\host\…`), a backslash, an absolute path, a
 * query or a fragment, hidden characters (text/hidden.ts). Pure string functions: no Node API.
 */

import { CARD_FILE } from '../../../protocol/cardFile';
import { HIDDEN_CHARACTER, hasHiddenCharacter } from './hidden';

export { CARD_FILE };

/** The longest link target kept (a longer value is text). */
const MAX_TARGET = 2048;

/** An absolute http(s) URL with no space, quote, angle bracket, backtick or backslash; else undefined. */
export function webUrl(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- a link holds no control character
  return value.length <= MAX_TARGET && /^https?:\/\/[^\s"'<>`\\\u0000-\u001f\u007f-\u009f]+$/i.test(value) && !hasHiddenCharacter(value) ? value : undefined;
}

/**
 * Characters a card path never holds: the hidden ones (text/hidden.ts: controls, bidi controls,
 * zero-width and other invisible characters, the line separators; they make a path read
 * differently than it is stored, and the `hidden-character` rule reports the same set), tab and
 * line ends, `\` (a URL parser reads it as `/`, so `\\host\x` names another machine), `:` (a
 * scheme, or a drive), `?` and `#` (a query or a fragment), `%` (an escape the URL parser would
 * decode), and what a Markdown or HTML link cannot hold.
 */
const NOT_IN_PATH = new RegExp(`${HIDDEN_CHARACTER}|[\\t\\n\\r\\\\:?#%<>"\`|*]`);

/**
 * A card file named by a relative path (`x.trl.yaml`, `./x.trl.yaml`, `../a/x.trl.yml`), as it
 * is written; undefined for anything else (a URL, an absolute path, a host, a scheme…).
 */
export function cardPath(value: string): string | undefined {
  if (value.length === 0 || value.length > MAX_TARGET || !CARD_FILE.test(value) || NOT_IN_PATH.test(value)) return undefined;
  if (value.startsWith('/') || value.startsWith('~')) return undefined;
  const segments = value.split('/');
  // No empty segment (`a//b`), and each name not all spaces (`./ /x.trl.yaml`).
  if (segments.some((s) => s.length === 0 || s.trim().length === 0)) return undefined;
  return value;
}

/** `uri` with `folder` as its ancestor (or itself): same scheme and authority, and its path below the folder's. */
export function isInside(uri: string, folder: string): boolean {
  const base = folder.endsWith('/') ? folder : folder + '/';
  return uri === folder || uri.startsWith(base);
}

/**
 * The URI of the card a relative card path names, from the URI of the card that names it;
 * undefined when the value is not a card path (`cardPath`), the card's URI cannot be a base, or
 * — with `folders` (their URIs) — the target is in none of them. The target keeps the card's
 * scheme and authority: a path never moves to another scheme or host.
 */
export function cardTarget(fromUri: string, value: string, folders?: readonly string[]): string | undefined {
  if (cardPath(value) === undefined) return undefined;
  let from: URL;
  let target: URL;
  try {
    from = new URL(fromUri);
    target = new URL(value.split('/').map(encodeURIComponent).join('/'), from);
  } catch {
    return undefined;
  }
  if (target.protocol !== from.protocol || target.host !== from.host || target.search || target.hash) return undefined;
  const uri = target.toString();
  if (folders && !folders.some((f) => isInside(uri, normalFolder(f)))) return undefined;
  return uri;
}

/** A folder URI in the form `URL` writes (so that a prefix test compares like with like). */
function normalFolder(folder: string): string {
  try {
    return new URL(folder).toString();
  } catch {
    return folder;
  }
}

/** What a value links to: a web page, a card (its URI), or nothing (it is text). */
export type LinkTarget = { kind: 'web'; url: string } | { kind: 'card'; uri: string; path: string };

/** The one decision for a value of the card at `fromUri`: see the module's comment. */
export function linkTarget(value: string, fromUri: string, folders?: readonly string[]): LinkTarget | undefined {
  const url = webUrl(value);
  if (url) return { kind: 'web', url };
  const uri = cardTarget(fromUri, value, folders);
  return uri ? { kind: 'card', uri, path: value } : undefined;
}

/** Whether a value starts with a URI scheme (`command:`, `https:`…): such a value is a URL or text, never a path. */
export function hasScheme(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(value);
}
