/**
 * New Card: the text of a new card for a technology entering the process at a level, with what
 * that level requires written as placeholders (the same ones the level fixes write), and its file
 * name. Pure: the client writes the file, as one undoable edit.
 */
import { parseCard } from '../card/parse';
import { cardValue } from '../card/model';
import { LEVELS, isEmpty, levelInfo, levelStatus, valueAt, type Level } from '../levels';
import { fieldInsertions } from './codeActions';
import { parse as parseYaml } from 'yaml';

export type NewCardResult = { text: string; fileName: string } | { error: string };

/** Longest technology name taken, and longest file-name stem made from it. */
const MAX_NAME = 200;
const MAX_SLUG = 80;

/** `Radar Détection 2` → `radar-detection-2`: letters and digits, runs of anything else a dash. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
}

/** The name as a YAML value: plain when it reads back as itself, else double-quoted. */
function yamlText(name: string): string {
  if (/^[\p{L}\p{N}][\p{L}\p{N} _.()+/-]*$/u.test(name)) {
    try {
      if (parseYaml(name) === name) return name;
    } catch {
      // quoted below
    }
  }
  return JSON.stringify(name);
}

/** Why a technology name is refused, or undefined (what the client's input box shows). */
export function invalidName(name: string): string | undefined {
  if (name.trim() === '') return 'Type the name of the technology.';
  if (name.length > MAX_NAME) return `A name has at most ${MAX_NAME} characters.`;
  // eslint-disable-next-line no-control-regex -- a name holds no control character
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'A name is one line, without control characters.';
  if (slugOf(name) === '') return 'A name needs at least one letter or digit (the file is named after it).';
  return undefined;
}

/**
 * The new card: `technology`, `level`, `entered_at` above 0, every field the level asks for at
 * error or warning as a `TODO` placeholder (valid YAML the schema accepts), and a `history`
 * entry for the day it entered. File name: `<slug of the name>.trl.yaml`.
 */
export function newCard(name: string, level: number, today: string, levels: readonly Level[] = LEVELS): NewCardResult {
  const why = invalidName(name);
  if (why) return { error: why };
  if (!levelInfo(level, levels)) return { error: 'The level is a whole number from 0 to 9.' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return { error: 'The date is YYYY-MM-DD.' };
  const technology = name.trim();
  let text = `technology: ${yamlText(technology)}\nlevel: ${level}\n${level > 0 ? `entered_at: ${level}\n` : ''}`;
  const card = parseCard(text);
  // What the level asks at error or warning: the fields it lacks, and the field of a condition
  // that holds for want of it (a TRL 6 card needs a product requirement: the placeholder is one).
  const data = cardValue(card);
  const wanted = levelStatus(data, level, levels).unmet.filter(
    (u) => (u.req.severity === 'error' || u.req.severity === 'warning') && (u.why.kind === 'missing' || (u.why.kind === 'condition' && isEmpty(valueAt(data, u.req.field)))),
  );
  const { insertions } = fieldInsertions(card, [...new Set(wanted.map((u) => u.req.field))]);
  for (const i of [...insertions].sort((a, b) => b.offset - a.offset)) text = text.slice(0, i.offset) + i.text + text.slice(i.offset);
  text += `history:\n  - level: ${level}\n    date: ${today}\n`;
  return { text, fileName: `${slugOf(technology)}.trl.yaml` };
}
