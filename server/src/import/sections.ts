/**
 * The authors' template's section headings and the card fields they hold, with the spellings
 * found in the wild ("Model info", "Caveats", "Debrief", …). A heading matches whatever its case,
 * spacing, emphasis and trailing colon; and what a section gives its field. One table for the
 * importer and for `.trl.md` cards (card/markdownCard.ts). Pure.
 */
import type Token from 'markdown-it/lib/token.mjs';

export type SectionField = 'requirements' | 'model.details' | 'intended_use' | 'testing.notes' | 'data.considerations' | 'caveats' | 'assumptions' | 'debrief';

const HEADINGS: [RegExp, SectionField][] = [
  [/^(top[- ]?level |main |key )?(requirements|req's|reqs)$/, 'requirements'],
  [/^(model ?\/ ?algorithm|model|algorithm)( info| information| details)?$/, 'model.details'],
  [/^intended use(s|-cases| cases)?$/, 'intended_use'],
  [/^(testing|test)( status)?$/, 'testing.notes'],
  [/^data( considerations)?$/, 'data.considerations'],
  [/^(caveats|known edge cases|limitations)(,? (and )?(known edge cases|recommendations))*$/, 'caveats'],
  [/^(key )?assumptions$/, 'assumptions'],
  [/^((mltrl |ml ?trl )?(stage |level )?debrief)$/, 'debrief'],
];

/** A heading's text as compared: lower case, single spaces, no emphasis, no trailing colon. */
export function headingKey(text: string): string {
  return text.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().replace(/\s*:$/, '').toLowerCase();
}

/** The field a section of this heading holds, if the template names it. */
export function sectionField(heading: string): SectionField | undefined {
  const key = headingKey(heading);
  return HEADINGS.find(([re]) => re.test(key))?.[1];
}

/** A heading's section: the heading's text, 0-based line and depth, and its content's lines. */
export interface Section {
  /** The heading's text (its Markdown source), its 0-based line and its depth (1–6). */
  title: string;
  line: number;
  depth: number;
  /** The 0-based lines of its content: from the line after the heading to the next heading of the same or a higher level. */
  start: number;
  end: number;
}

/** The sections of a Markdown body's headings (outside code fences: markdown-it's tokens), each up to the next heading of its depth or higher. */
export function headingSections(tokens: readonly Token[], lineCount: number): Section[] {
  const headings: { title: string; line: number; after: number; depth: number }[] = [];
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open' && t.level === 0 && t.map) headings.push({ title: tokens[i + 1].content, line: t.map[0], after: t.map[1], depth: Number(t.tag.slice(1)) });
  });
  return headings.map((h, k) => {
    let next: (typeof headings)[number] | undefined;
    for (let j = k + 1; j < headings.length && !next; j++) if (headings[j].depth <= h.depth) next = headings[j];
    return { title: h.title, line: h.line, depth: h.depth, start: h.after, end: next ? next.line : lineCount };
  });
}

/** The lines of `lines[start, end)` without the blank lines at either end. */
export function trimmedRange(lines: readonly string[], start: number, end: number): [number, number] {
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return [start, end];
}

/** The common indentation of the non-blank lines removed (a list item's content, a section). */
export function dedent(lines: readonly string[]): string[] {
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ ]*/.exec(l)![0].length);
  const w = widths.length ? Math.min(...widths) : 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(w)));
}

/** A list item's text: its source lines, the marker taken off the first, the rest dedented by the marker's width. */
export function itemText(lines: readonly string[], item: Token, end: number): { first: string; rest: string[] } {
  const [s, e] = trimmedRange(lines, item.map![0], Math.min(item.map![1], end));
  const head = lines[s];
  const marker = /^\s*(?:\d+[.)]|[-*+])(\s+|$)/.exec(head)![0];
  const rest = lines.slice(s + 1, e).map((l) => (l.slice(0, marker.length).trim() === '' ? l.slice(marker.length) : l.replace(/^\s+/, '')));
  return { first: head.slice(marker.length), rest };
}

/** The items (open tokens) of the list whose open token is at `i`, at the list's own depth. */
export function listItems(tokens: readonly Token[], i: number): Token[] {
  const items: Token[] = [];
  const depth = tokens[i].level;
  for (let j = i + 1; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.level === depth && (t.type === 'bullet_list_close' || t.type === 'ordered_list_close')) break;
    if (t.level === depth + 1 && t.type === 'list_item_open') items.push(t);
  }
  return items;
}

const DEBRIEF: [RegExp, string][] = [
  [/accomplish|achiev|done\b/i, 'accomplished'],
  [/punt|de-?scop/i, 'punted'],
  [/learn/i, 'learned'],
  [/debt/i, 'tech_debt'],
];

/** What a prose section gives its field: the value (undefined when the section is empty), the lines it took, and notes on what it left. */
export interface SectionValue {
  value: unknown;
  /** 0-based line ranges [start, end) the value was read from (a debrief's items, the whole section otherwise). */
  taken: [number, number][];
  /** Lines (0-based) and what a person should know: a debrief question with no field or no answer. */
  notes: { line: number; what: string }[];
}

/**
 * A prose section's value for its field, its Markdown as it is: *Caveats* and *Key assumptions*
 * one entry per list item when the section is one list (else the section as one entry); the
 * debrief each answer by its question; any other field the section's text.
 */
export function sectionValue(field: SectionField, s: Section, lines: readonly string[], tokens: readonly Token[]): SectionValue {
  const [start, end] = trimmedRange(lines, s.start, s.end);
  const text = dedent(lines.slice(start, end)).join('\n');
  const notes: SectionValue['notes'] = [];
  if (text === '') return { value: undefined, taken: [], notes };
  if (field === 'caveats' || field === 'assumptions') {
    const at = tokens.findIndex((t) => (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') && t.level === 0 && t.map && t.map[0] >= start && t.map[0] < end);
    const only = at >= 0 && tokens[at].map![0] === start && tokens[at].map![1] >= end;
    const value = only
      ? listItems(tokens, at).map((item) => {
          const { first, rest } = itemText(lines, item, end);
          return [first, ...rest].join('\n').trim();
        })
      : [text];
    return { value, taken: [[s.line, s.end]], notes };
  }
  if (field === 'debrief') {
    // Each numbered question's answer (the item after its first paragraph), by the question.
    const debrief: Record<string, string> = {};
    const taken: [number, number][] = [];
    const at = tokens.findIndex((t) => t.type === 'ordered_list_open' && t.level === 0 && t.map && t.map[0] >= start && t.map[0] < end);
    if (at >= 0) {
      for (const item of listItems(tokens, at)) {
        const { first, rest } = itemText(lines, item, end);
        const key = DEBRIEF.find(([re]) => re.test(first))?.[1];
        const [a, b] = trimmedRange(rest, 0, rest.length);
        const answer = dedent(rest.slice(a, b)).join('\n');
        if (key === undefined || debrief[key] !== undefined || answer === '') {
          notes.push({ line: item.map![0], what: `the debrief question "${first.trim()}" is not one of the card format's four (accomplished, punted, learned, tech debt), or has no answer` });
          continue;
        }
        debrief[key] = answer;
        taken.push([item.map![0], Math.min(item.map![1], end)]);
      }
    }
    if (!Object.keys(debrief).length) {
      notes.push({ line: s.line, what: 'the debrief has no numbered questions with answers' });
      return { value: undefined, taken: [], notes };
    }
    return { value: debrief, taken: [[s.line, s.line + 1], ...taken], notes };
  }
  return { value: text, taken: [[s.line, s.end]], notes };
}
