/**
 * `trl-cards import`: a card in the authors' Markdown layout (the mltrl repository's template
 * and example cards) read into a card of ours, a `.trl.md` (YAML front matter over the
 * source's own body) or a `.trl.yaml`. Pure: text in, text out, no file system.
 *
 * What it reads: the "Summary info | Content, links" table (each row by its label), the
 * **TL;DR** paragraph, the numbered list of the "Top-level requirements" section, and (for the
 * `.trl.yaml` form) the template's prose sections. What it never does is invent a typed value:
 * what a person must decide (a requirement's `kind` and risk, the datasets and whether they are
 * simulated, the ethics status the card gives as "WIP" or "Yes", the test statuses) is written
 * as a `TODO …` placeholder (text/placeholder.ts recognises it) and listed in `left`, each with
 * its line in the source. Nothing of the source is dropped: a `.trl.md` keeps every other line
 * of the body as it was; a `.trl.yaml` keeps the lines no field takes as comments.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { Document, Scalar, visit } from 'yaml';
import { headingSections, itemText, listItems, sectionField, sectionValue, trimmedRange, type Section, type SectionField } from './sections';

export type ImportTarget = 'md' | 'yaml';

export interface ImportOptions {
  /** `md`: a `.trl.md` (front matter over the body); `yaml`: a `.trl.yaml`. */
  target: ImportTarget;
}

/** A place in the source (its 1-based line) and what happened there. */
export interface SourceNote {
  line: number;
  what: string;
}

export interface ImportResult {
  /** The card's text, with the source's line ends (LF or CRLF). */
  text: string;
  /** What the importer left for a person to decide: one entry per placeholder it wrote. */
  left: SourceNote[];
  /** What a person should know: a title that says another level, rows and sections with no field. */
  warnings: SourceNote[];
}

const md = new MarkdownIt({ html: true });

/** The placeholders the importer writes: each a `TODO …` text, so the checker reports it as one. */
export const PLACEHOLDER = {
  technology: 'TODO the name of the technology',
  level: 'TODO the level, 0 to 9',
  kind: 'TODO research or product',
  pFailure: 'TODO the probability that it fails, 0 to 1',
  value: 'TODO its value, an integer from 1 to 10',
  datasetName: 'TODO name each dataset in use (with its version)',
  simulated: 'TODO true if simulated or surrogate data, false if real',
  testStatus: 'TODO none, partial, passing or failing',
  deployment: 'TODO the deployment tests run: ab, blue-green, shadow, canary or others',
  ethics: (said: string) => `TODO not-started, in-progress, done or not-applicable (the card says "${said}")`,
} as const;

/** A row label of the summary table, normalised: lower case, no emphasis, no trailing `?` or `:`. */
function label(text: string): string {
  return text.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().replace(/[?:.]+$/, '').trim().toLowerCase();
}

type RowKind = 'technology' | 'id' | 'level' | 'previous' | 'owner' | 'reviewers' | 'project' | 'requirements' | 'code' | 'docs' | 'ethics' | 'coupled';

/** Which field a summary-table row fills, by its label (the template's, and the spellings found in the wild). */
function rowKind(text: string): RowKind | undefined {
  const l = label(text);
  if (/^(tech(nology)?( name)?|name)\b/.test(l)) return 'technology';
  if (/^(project )?id$/.test(l)) return 'id';
  if (/^(current )?(ml)?(trl|level)\b/.test(l)) return 'level';
  if (/^(previous|prior)\b/.test(l)) return 'previous';
  if (/^owners?\b|^owner\(s\)/.test(l)) return 'owner';
  if (/^reviewers?\b|^reviewer\(s\)/.test(l)) return 'reviewers';
  if (/\bproject page\b|\bmain page\b|\bwiki\b/.test(l)) return 'project';
  if (/\breq|\bv&v\b/.test(l)) return 'requirements';
  if (/\bcode\b/.test(l)) return 'code';
  if (/^(docs|documentation)\b/.test(l)) return 'docs';
  if (/\bethic/.test(l)) return 'ethics';
  if (/\bcoupled\b/.test(l)) return 'coupled';
  return undefined;
}

/** A footnote reference (`[^1]`), which is Markdown, not part of a value. */
const FOOTNOTE_REF = /\[\^[^\]\s]+\]/g;

/** The one link a value is, when it is nothing but a link: `[text](href)`, `<href>` or a bare URL. */
function onlyLink(text: string): string | undefined {
  const t = text.trim();
  const m = /^\[[^\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)$/.exec(t) ?? /^<((?:https?|mailto):[^<>\s]+)>$/i.exec(t) ?? /^(https?:\/\/\S+)$/i.exec(t);
  return m ? m[1] : undefined;
}

/** The targets of the Markdown links in a text, in order. */
function linkTargets(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\[[^\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)|<((?:https?):[^<>\s]+)>/gi)) out.push(m[1] ?? m[2]);
  return out;
}

/** A text without one pair of parentheses around all of it. */
function unparen(text: string): string {
  const t = text.trim();
  return /^\([^()]*\)$/.test(t) ? t.slice(1, -1).trim() : t;
}

/** Splits a list written in one cell ("Eric Xing, Dava Newman") at commas and semicolons. */
function splitList(text: string): string[] {
  return text.split(/\s*[,;]\s*/).map((s) => s.trim()).filter((s) => s !== '');
}

/** The level a title or a cell says: "level 4", "TRL 4", "L4", or a leading digit (cells only). */
function titleLevel(title: string): number | undefined {
  const m = /\b(?:ml)?(?:trl|level|l)[\s\-_:]*([0-9])\b/i.exec(title);
  return m ? Number(m[1]) : undefined;
}

interface CardParts {
  [key: string]: unknown;
}

export function importAuthorsCard(markdown: string, options: ImportOptions): ImportResult {
  const crlf = /\r\n/.test(markdown);
  const source = markdown.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  const tokens = md.parse(source, {});
  const left: SourceNote[] = [];
  const warnings: SourceNote[] = [];
  /** 0-based lines the front matter took (removed from a `.trl.md` body; not kept as comments in a `.trl.yaml`). */
  const taken = new Set<number>();
  const take = (start: number, end: number) => {
    for (let l = start; l < end; l++) taken.add(l);
  };
  const card: CardParts = {};
  const comments: string[] = [];

  // Headings (outside code fences: markdown-it's tokens) and the sections they open (after
  // the heading's own lines: two for a setext heading).
  const sections: Section[] = headingSections(tokens, lines.length);

  // The title: the first heading of level 1, for the level it may name.
  const title = sections.find((s) => s.depth === 1);

  // The summary table: the first top-level table with a row the importer knows.
  let tableLevel: { level: number; line: number } | undefined;
  const tableAt = tokens.findIndex((t, i) => t.type === 'table_open' && t.level === 0 && tableRows(tokens, i).some((r) => rowKind(r.cells[0] ?? '') !== undefined));
  if (tableAt < 0) {
    warnings.push({ line: 1, what: 'no summary table ("Summary info | Content, links") was found: the technology and its level are left for a person' });
  } else {
    const table = tokens[tableAt];
    take(table.map![0], table.map![1]);
    const rows = tableRows(tokens, tableAt);
    const seen = new Set<RowKind>();
    for (const row of rows) {
      const [name = '', raw = '', ...extra] = row.cells;
      const kind = rowKind(name);
      const line = row.line + 1;
      const value = raw.replace(FOOTNOTE_REF, '').trim();
      if (row.header && kind === undefined) continue; // "Summary info | Content, links"
      if (extra.some((c) => c.trim() !== '')) {
        comments.push(`${name} | ${raw} | ${extra.join(' | ')}`);
        warnings.push({ line, what: `the row "${name}" has more than two cells: the cells after the second are kept as a comment` });
      }
      if (kind === undefined || seen.has(kind)) {
        if (value !== '' || name.trim() !== '') comments.push(`${name}: ${raw}`);
        warnings.push({ line, what: kind === undefined ? `the row "${name}" has no field in the card format: it is kept as a comment in the front matter` : `a second row for "${name}": it is kept as a comment` });
        continue;
      }
      seen.add(kind);
      if (value === '') continue;
      if (/\[\^[^\]\s]+\]/.test(raw)) warnings.push({ line, what: `the footnote mark in "${name}" is left out of the value; the footnote stays in the body` });
      switch (kind) {
        case 'technology': {
          const m = /^(.*\S)\s*\(([^()]+)\)$/.exec(value);
          card.technology = m ? m[1] : value;
          if (m) card.id = m[2].trim();
          break;
        }
        case 'id':
          card.id = value;
          break;
        case 'level': {
          const m = /^(?:(?:ml)?trl|level|l)?\s*([0-9])(?![0-9.])\s*(.*)$/is.exec(value);
          if (m) {
            card.level = Number(m[1]);
            tableLevel = { level: card.level as number, line };
            const rest = unparen(m[2]);
            const targets = linkTargets(rest);
            const previous = targets.length ? targets : rest ? [rest] : [];
            if (previous.length) card.previous = previous;
            for (const p of targets) {
              if (/\.md$/i.test(p) && !/\.trl\.md$/i.test(p)) warnings.push({ line, what: `the previous card "${p}" is in the authors' layout: import it too, and point \`previous\` at the card it becomes` });
            }
          } else {
            card.level = PLACEHOLDER.level;
            left.push({ line, what: `\`level\`: "${value}" names no level from 0 to 9; the level is left for a person` });
          }
          break;
        }
        case 'previous': {
          const targets = linkTargets(value);
          card.previous = targets.length ? targets : splitList(value);
          break;
        }
        case 'owner':
          card.owners = { ...(card.owners as object | undefined), owner: value };
          break;
        case 'reviewers':
          card.owners = { ...(card.owners as object | undefined), reviewers: splitList(value) };
          break;
        case 'project':
        case 'requirements':
        case 'code':
        case 'docs':
          card.links = { ...(card.links as object | undefined), [kind]: onlyLink(value) ?? value };
          break;
        case 'ethics': {
          // "WIP: *link to …*", "Yes: *link to …*", "Done", or only a link.
          const m = /^([^:]{1,40}?)\s*(?::\s*(.*))?$/s.exec(value);
          const link = onlyLink(value);
          const said = link === undefined && m ? m[1].trim() : undefined;
          const checklist = link ?? (m && m[2] !== undefined ? m[2].trim() : undefined);
          const ethics: Record<string, string> = {};
          if (said !== undefined && !/^\(?\*?link\b/i.test(said)) {
            ethics.status = PLACEHOLDER.ethics(said);
            left.push({ line, what: `\`ethics.status\`: the card says "${said}": write not-started, in-progress, done or not-applicable` });
            if (checklist) ethics.checklist = onlyLink(checklist) ?? checklist;
          } else {
            ethics.status = PLACEHOLDER.ethics(value);
            ethics.checklist = link ?? value;
            left.push({ line, what: '`ethics.status`: the card gives the checklist only: write not-started, in-progress, done or not-applicable' });
          }
          card.ethics = ethics;
          break;
        }
        case 'coupled':
          card.coupled = splitList(value);
          break;
      }
    }
  }
  if (card.technology === undefined) {
    card.technology = PLACEHOLDER.technology;
    left.push({ line: 1, what: '`technology`: no "Tech name (project ID)" row: the name of the technology is left for a person' });
  }
  const said = title ? titleLevel(title.title) : undefined;
  if (card.level === undefined) {
    if (said !== undefined) {
      card.level = said;
      warnings.push({ line: title!.line + 1, what: `the level, ${said}, is read from the title: the card has no "Current Level" row` });
    } else {
      card.level = PLACEHOLDER.level;
      left.push({ line: 1, what: '`level`: the card says no level ("Current Level" row): it is left for a person' });
    }
  } else if (said !== undefined && tableLevel && said !== tableLevel.level) {
    warnings.push({ line: title!.line + 1, what: `the title says level ${said}, the summary table level ${tableLevel.level}: the card is imported at level ${tableLevel.level}; correct whichever is wrong` });
  }

  // The TL;DR: a top-level paragraph that starts with it.
  const TLDR = /^\s*(?:\*\*|__)?\s*TL;?\s?DR\s*:?\s*(?:\*\*|__)?\s*(?:[:—–-]\s*)?/i;
  const tldrAt = tokens.findIndex((t, i) => t.type === 'paragraph_open' && t.level === 0 && TLDR.test(tokens[i + 1].content));
  if (tldrAt >= 0) {
    const [s, e] = tokens[tldrAt].map!;
    const text = lines.slice(s, e).join('\n').replace(TLDR, '').trim();
    if (text !== '') {
      card.tldr = text;
      take(s, e);
    }
  }

  // The top-level requirements: the first numbered list of their section, each item by its number.
  const reqSection = sections.find((s) => sectionField(s.title) === 'requirements');
  if (reqSection) {
    const at = tokens.findIndex((t) => t.type === 'ordered_list_open' && t.level === 0 && t.map && t.map[0] >= reqSection.start && t.map[0] < reqSection.end);
    if (at >= 0) {
      const requirements: Record<string, unknown>[] = [];
      for (const item of listItems(tokens, at)) {
        const { first, rest } = itemText(lines, item, reqSection.end);
        const text = [first, ...rest].join('\n').trim();
        const line = item.map![0] + 1;
        const id = /^[1-9]\d*$/.test(item.info) ? Number(item.info) : item.info;
        requirements.push({ id, kind: PLACEHOLDER.kind, text, p_failure: PLACEHOLDER.pFailure, value: PLACEHOLDER.value });
        left.push({ line, what: `requirement ${id}: \`kind\` (research or product) is left for a person` });
        left.push({ line, what: `requirement ${id}: \`p_failure\` (its risk: the probability that it fails) is left for a person` });
        left.push({ line, what: `requirement ${id}: \`value\` (its risk: an integer from 1 to 10) is left for a person` });
      }
      if (requirements.length) {
        card.requirements = requirements;
        const list = tokens[at].map!;
        take(list[0], Math.min(list[1], reqSection.end));
      }
    } else {
      warnings.push({ line: reqSection.line + 1, what: 'the top-level requirements are not a numbered list: they stay in the body, and `requirements` is left for a person' });
    }
  }

  // The prose sections: for a `.trl.yaml`, into their fields; for a `.trl.md`, they stay in the body.
  const prose = new Map<SectionField, Section>();
  for (const s of sections) {
    const field = sectionField(s.title);
    if (field === undefined || field === 'requirements') continue;
    if (prose.has(field)) {
      warnings.push({ line: s.line + 1, what: `a second "${s.title}" section: ${options.target === 'yaml' ? 'it is kept as a comment' : 'the checker reports it'}` });
      continue;
    }
    prose.set(field, s);
  }
  if (options.target === 'yaml') {
    for (const [field, s] of prose) proseField(card, field, s, lines, tokens, take, warnings);
  }

  // What a person must decide about the data and the tests: placeholders, listed.
  const level = typeof card.level === 'number' ? card.level : undefined;
  const dataSection = prose.get('data.considerations');
  if (dataSection || (level !== undefined && level >= 2)) {
    const line = dataSection ? dataSection.line + 1 : 1;
    const data = (card.data ??= {}) as Record<string, unknown>;
    data.datasets = [{ name: PLACEHOLDER.datasetName, simulated: PLACEHOLDER.simulated }];
    left.push({ line, what: '`data.datasets`: the datasets in use (with their versions) are left for a person' });
    left.push({ line, what: '`data.datasets[].simulated`: whether each dataset is simulated or real is left for a person' });
  }
  const testSection = prose.get('testing.notes');
  if (testSection || (level !== undefined && level >= 3)) {
    const line = testSection ? testSection.line + 1 : 1;
    const testing = (card.testing ??= {}) as Record<string, unknown>;
    for (const key of ['unit', 'integration', ...(level !== undefined && level >= 9 ? ['regression'] : [])]) {
      testing[key] = PLACEHOLDER.testStatus;
      left.push({ line, what: `\`testing.${key}\`: the status of the ${key} tests is left for a person` });
    }
    if (level !== undefined && level >= 8) {
      testing.deployment = [PLACEHOLDER.deployment];
      left.push({ line, what: '`testing.deployment`: the deployment tests run are left for a person' });
    }
  }

  // The rest of the source: a `.trl.md`'s body, or a `.trl.yaml`'s trailing comments.
  const rest: string[] = [];
  for (let l = 0; l < lines.length; l++) {
    if (!taken.has(l)) rest.push(lines[l]);
    // A blank line after what was taken, when one came before it, goes too (no runs of blanks).
    else if (!taken.has(l + 1) && lines[l + 1]?.trim() === '' && (rest.length === 0 || rest[rest.length - 1].trim() === '')) taken.add(l + 1);
  }
  const yaml = cardYaml(card, comments);
  let text: string;
  if (options.target === 'md') {
    text = `---\n${yaml}---\n${rest.join('\n')}`;
  } else {
    const kept = trimmedRange(rest, 0, rest.length);
    const body = rest.slice(kept[0], kept[1]);
    text = yaml + (body.length ? `\n# The rest of the source, which no field takes (kept as it was):\n${body.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n')}\n` : '');
  }
  if (!text.endsWith('\n')) text += '\n';
  left.sort((a, b) => a.line - b.line);
  warnings.sort((a, b) => a.line - b.line);
  return { text: crlf ? text.replace(/\n/g, '\r\n') : text, left, warnings };
}

/** A table's rows (header first): each row's 0-based line and its cells' Markdown. */
function tableRows(tokens: readonly Token[], at: number): { line: number; header: boolean; cells: string[] }[] {
  const rows: { line: number; header: boolean; cells: string[] }[] = [];
  let header = false;
  for (let j = at + 1; j < tokens.length && tokens[j].type !== 'table_close'; j++) {
    const t = tokens[j];
    if (t.type === 'thead_open') header = true;
    else if (t.type === 'thead_close') header = false;
    else if (t.type === 'tr_open') rows.push({ line: t.map ? t.map[0] : 0, header, cells: [] });
    else if (t.type === 'inline') rows[rows.length - 1]?.cells.push(t.content);
  }
  return rows;
}

/** A prose section into its field of a `.trl.yaml`: the section's Markdown, as it is (sections.ts reads it). */
function proseField(
  card: CardParts,
  field: SectionField,
  s: Section,
  lines: readonly string[],
  tokens: readonly Token[],
  take: (a: number, b: number) => void,
  warnings: SourceNote[],
): void {
  const { value, taken, notes } = sectionValue(field, s, lines, tokens);
  for (const n of notes) warnings.push({ line: n.line + 1, what: `${n.what}: it is kept as a comment` });
  if (value === undefined) return;
  const keys = field.split('.');
  let o = card as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
  for (const [a, b] of taken) take(a, b);
}

/** The card as YAML: block scalars for text over several lines, no folding, the rows with no field as comments at the end. */
function cardYaml(card: CardParts, comments: readonly string[]): string {
  const order = ['technology', 'id', 'level', 'previous', 'owners', 'links', 'ethics', 'coupled', 'tldr', 'requirements', 'model', 'intended_use', 'testing', 'data', 'caveats', 'assumptions', 'debrief'];
  const sorted: CardParts = {};
  for (const k of order) if (card[k] !== undefined) sorted[k] = card[k];
  const doc = new Document(sorted);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  if (comments.length) doc.comment = ['Rows of the source\'s summary table with no field in the card format:', ...comments].map((c) => ` ${c.replace(/\n/g, ' ')}`).join('\n');
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}
