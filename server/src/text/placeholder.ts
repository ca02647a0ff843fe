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
import { trimHidden } from './hidden';

/**
 * The shapes, each matched against the whole value (trimmed of white space, format characters,
 * fillers and the hidden characters: `trimHidden` in text/hidden.ts, a zero-width space before TODO):
 * - `TODO` or `FIXME` first (in capitals, as markers are written), then a space, a colon, a
 *   bracket, a full stop that ends a sentence, or nothing: "TODO describe the pipeline"; a name
 *   is not one ("TODO-MVC demo", "TODO.txt sync");
 * - `TBD`, `TBC`, `TBA` or `XXX` alone, or followed by a colon, a dash, a bracket or a comma
 *   ("TBD", "TBD: the date", "TBD - ask Grace", "TBD (ask Grace)"): followed by words they are
 *   prose ("TBD on real hardware: results come from the simulator only.", "TBA. The vendor
 *   sends the data in March", "XXX scanners give unreadable output", "XXX.ai partnership");
 * - `todo`, `tbd`, `fixme` in any case, alone, before a colon or a dash, or with a full stop
 *   ("tbd", "todo: x", "todo - later", "tbd."), maybe in brackets or quotes ("[TODO]", "`TODO`");
 * - "to be determined", "to be defined", "to be decided", "to be done", "to be written",
 *   "to be confirmed", "to be completed", "to be added", as the whole value ("To be done in
 *   the next stage: …" is a sentence);
 * - the authors' and the paper's template texts: `<link to previous cards>`, `<Owner(s)>`
 *   (angle brackets around words; not an address, `<ada@example.org>`), `(*link to …*)`,
 *   `*link to …*`, `(link, if …)` (in lower case, closed at the end: "(Path to deployment is
 *   blocked …)" is prose), `[Insert … here]`, `{{ … }}`;
 * - only dots, ellipses, dashes, underscores, question marks (`...`, `…`, `-`, `???`, `___`);
 * - lorem ipsum (alone, or "lorem ipsum dolor …"; "Lorem Ipsum Corp." is a name).
 */
const SHAPES: readonly RegExp[] = [
  /^[([*_`"']*\s*(?:TODO|FIXME)(?=$|[\s:,;!?()\]*_`"']|\.(?:\s|$))/,
  /^[([*_`"']*\s*(?:TBD|TBC|TBA|XXX|T\.B\.D\.?)(?:\s*$|\s*:|[.!?)\]*_`"']+$|\s+[-–—]\s|\s*[(,])/,
  /^[([*_`"']*\s*(?:todo|tbd|tbc|tba|fixme|to do)\s*(?:[:]|[.!?)\]*_`"']*$|[-–—]\s)/i,
  /^to be (?:determined|defined|decided|done|written|confirmed|completed|filled in|added)[.!]?$/i,
  /^[(*_[]+\s*(?:a |the )?(?:link|links|url|path)(?: to\b|\s*,)[^()[\]]*[)*_\]]+$/,
  /^\(to be [a-z]+\)$/i,
  /^<[\p{L}*_(][^<>@]*>$/u,
  /^\[insert\b[^\]]*\]$/i,
  /^\{\{[^{}]*\}\}$/,
  /^[.…\-–—_?\s]+$/,
  /^lorem ipsum(?:$|[\s,.]+dolor\b)/i,
];

/** The longest text still looked at (a placeholder is short; a long text is content). */
const MAX_PLACEHOLDER = 500;

/** Whether `text` (a whole value) is a placeholder. */
export function isPlaceholderText(text: string): boolean {
  if (text.length > MAX_PLACEHOLDER) return false;
  const t = trimHidden(text);
  if (t === '') return false; // empty is missing, not a placeholder
  return SHAPES.some((re) => re.test(t));
}

/** Whether `text` says nothing at all: empty, or only spaces and invisible characters. */
export function isBlankText(text: string): boolean {
  return trimHidden(text) === '';
}

/**
 * "link to Github etc" without the template's brackets: a placeholder in a link or path field
 * (`links`, `ethics.checklist`, `previous`, `components`, `coupled`) when short and without a
 * URL. Elsewhere it is prose ("Path to deployment is blocked by the data licence.").
 */
const BARE_LINK = /^(?:link|url|path) to\b(?!.*:\/\/)[^.]{0,30}$/i;

/** Whether a value of a link or path field is a placeholder: `isPlaceholderText`, or a short bare "link to …". */
export function isPlaceholderLink(text: string): boolean {
  return isPlaceholderText(text) || (text.length <= MAX_PLACEHOLDER && BARE_LINK.test(trimHidden(text)));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Whether a value says nothing but placeholders: a placeholder string, or a non-empty list or
 * mapping whose every leaf is a placeholder (`[TBD]`, `{ what: TBD, alerts: [TBD] }`). Numbers,
 * booleans and enum values are never placeholders.
 */
export function isPlaceholderValue(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isPlaceholderText(value) || (depth > 0 && isBlankText(value));
  if (depth > 16) return false;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => v === null || isPlaceholderValue(v, depth + 1));
  if (isRecord(value)) {
    const values = Object.values(value).filter((v) => v !== null && v !== undefined);
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
