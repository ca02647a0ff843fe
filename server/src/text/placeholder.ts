/**
 * The one notion of a placeholder: text that holds a field's place without saying anything —
 * what a template, a snippet, New Card, Graduate or a quick fix leaves for a person to write.
 * Read by the level status (so the rules, the code lens, the preview's checklist, Graduate and
 * the quick fixes agree on what is missing), by the `placeholder` rule, by the schema rule (a
 * placeholder is not also an invalid version or value) and by the tests that check every text
 * the project writes into a card. Pure string functions.
 *
 * A placeholder is a whole value, never a word inside one: "TODO describe the data pipeline"
 * is a placeholder, "Data pipeline (TODO: backfill 2019)" is content with a note in it.
 */

/**
 * The shapes, each matched against the whole value (trimmed):
 * - a marker first: `TODO`, `TBD`, `TBC`, `FIXME`, `XXX` (in capitals, as markers are written;
 *   "Todo list" is a name), or `todo:` / `tbd` alone in any case, maybe in brackets;
 * - "to be determined", "to be defined", "to be decided", "to be written", "to be confirmed";
 * - the authors' and the paper's template texts: `<link to previous cards>`, `(link to …)`,
 *   `*link to …*`, `(link, if …)`; a short `link to …` (see `BARE_LINK`);
 * - anything wholly in angle brackets: `<owner>`, `<…>`;
 * - only dots, ellipses, dashes, question marks (`...`, `…`, `-`, `?`, `???`);
 * - lorem ipsum.
 */
const SHAPES: readonly RegExp[] = [
  /^[(\[*_\s]*(?:TODO|TBD|TBC|FIXME|XXX)(?![A-Za-z0-9_])/,
  /^[(\[*_\s]*(?:todo|tbd|tbc|fixme)(?:\s*[:!.-]|[)\]*_\s]*$)/i,
  /^x{3,}$/i,
  /^to be (?:determined|defined|decided|written|confirmed|filled in|added)\b/i,
  /^[(*_[]+\s*(?:a |the )?(?:link|links|url|path)(?: to\b|\s*,)/i,
  /^<[^<>]*>$/,
  /^[.…\-–—?\s]+$/,
  /^lorem ipsum\b/i,
];

/** The longest text still looked at (a placeholder is short; a long text is content). */
const MAX_PLACEHOLDER = 500;

/** Whether `text` (a whole value) is a placeholder. */
export function isPlaceholderText(text: string): boolean {
  if (text.length > MAX_PLACEHOLDER) return false;
  const t = text.trim();
  if (t === '') return false; // empty is missing, not a placeholder
  return SHAPES.some((re) => re.test(t)) || BARE_LINK.test(t);
}

/**
 * "link to Github etc" without the template's brackets: a placeholder only when short and
 * without a URL ("Path to deployment is blocked by the data licence." is a caveat).
 */
const BARE_LINK = /^(?:link|url|path) to\b(?!.*:\/\/)[^.]{0,30}$/i;

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Whether a value says nothing but placeholders: a placeholder string, or a non-empty list or
 * mapping whose every leaf is a placeholder (`[TBD]`, `{ what: TBD, alerts: [TBD] }`). Numbers,
 * booleans and enum values are never placeholders.
 */
export function isPlaceholderValue(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isPlaceholderText(value);
  if (depth > 16) return false;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => isPlaceholderValue(v, depth + 1));
  if (isRecord(value)) {
    const values = Object.values(value).filter((v) => v !== null && v !== undefined && v !== '');
    return values.length > 0 && values.every((v) => isPlaceholderValue(v, depth + 1));
  }
  return false;
}

/** The paths (below `base`) of the placeholder strings in a value, in order; at most `max`. */
export function placeholderPaths(value: unknown, base: (string | number)[] = [], max = 100): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[], depth: number) => {
    if (out.length >= max || depth > 16) return;
    if (typeof v === 'string') {
      if (isPlaceholderText(v)) out.push(path);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
  };
  walk(value, [...base], 0);
  return out;
}
