/**
 * Where the cursor is in a card, read from the text around it (so it works on a card that is
 * half typed and does not parse): the path of keys and list items above the cursor, and
 * whether a key or a value is being typed.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';

/** A path segment: a key, or '*' for "an item of the list above". */
export type Seg = string;

export interface KeyContext {
  kind: 'key';
  /** Path of the mapping whose key is being typed. */
  path: Seg[];
  /** Column where the key starts. */
  column: number;
  /** Offsets of the word typed so far. */
  wordStart: number;
  wordEnd: number;
  /** Keys already present in that mapping (for nested mappings; the top level uses the model). */
  present: Set<string>;
}

export interface ValueContext {
  kind: 'value';
  path: Seg[]; // path of the key whose value is being typed, including the key
  wordStart: number;
  wordEnd: number;
}

export type CursorContext = KeyContext | ValueContext;

interface LineInfo {
  indent: number;
  /** Column of the dash when the line starts an item (`- `), else -1. */
  dash: number;
  /** Column where the line's key starts (after any dash), or -1. */
  keyColumn: number;
  key?: string;
  /** True when the key has no value on its line (`key:`), i.e. it opens a block. */
  opens: boolean;
  blank: boolean;
}

const KEY_RE = /^([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:(?:\s|$)/;

function analyse(line: string): LineInfo {
  let i = 0;
  while (line[i] === ' ') i++;
  const indent = i;
  if (i >= line.length || line[i] === '#') return { indent, dash: -1, keyColumn: -1, opens: false, blank: true };
  let dash = -1;
  if (line[i] === '-' && (line[i + 1] === ' ' || i + 1 === line.length)) {
    dash = i;
    i++;
    while (line[i] === ' ') i++;
  }
  const m = KEY_RE.exec(line.slice(i));
  if (!m) return { indent, dash, keyColumn: dash >= 0 ? i : -1, opens: false, blank: false };
  const key = m[1].replace(/^["']|["']$/g, '');
  const rest = line.slice(i + m[0].length).replace(/\s+#.*$/, '').trim();
  return { indent, dash, keyColumn: i, key, opens: rest === '' || rest === '|' || rest === '>', blank: false };
}

function lineText(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '');
}

/**
 * Ancestors of column `col` above `line`: walks up over siblings and deeper lines to each
 * parent, collecting the sibling keys of the innermost mapping on the way.
 */
interface Scan {
  path: Seg[];
  /** Where the scan stopped: the column it was looking at, and whether inside a list item. */
  col: number;
  inItem: boolean;
}

function ancestors(doc: TextDocument, line: number, col: number, inItem: boolean, present: Set<string> | undefined, floor: number): Scan {
  const path: Seg[] = [];
  let collect = present;
  for (let l = line - 1; l >= floor; l--) {
    if (col === 0 && !inItem) break;
    const info = analyse(lineText(doc, l));
    if (info.blank) continue;
    if (inItem) {
      // Looking for the key that owns the list whose item starts at column `col`.
      if (info.dash === col) continue; // a sibling item
      if (info.dash < 0 && info.indent <= col && info.key && info.opens) {
        path.unshift(info.key);
        col = info.indent;
        inItem = false;
        continue;
      }
      if (info.dash >= 0 && info.dash < col && info.key && info.opens && info.keyColumn <= col) {
        path.unshift('*', info.key);
        col = info.dash;
        continue;
      }
      if (info.indent < col) break; // not a card shape we understand
      continue;
    }
    // Looking for the mapping that owns a key at column `col`.
    if (info.dash >= 0 && info.keyColumn === col) {
      // The first key of the item we are in.
      if (info.key) collect?.add(info.key);
      collect = undefined;
      path.unshift('*');
      col = info.dash;
      inItem = true;
      continue;
    }
    if (info.indent > col || (info.dash >= 0 && info.dash >= col)) continue; // deeper, or a compact list of a sibling
    if (info.indent === col && info.dash < 0) {
      if (info.key) collect?.add(info.key);
      continue;
    }
    // A line less indented than us: our parent key.
    collect = undefined;
    if (info.dash >= 0 && info.key && info.opens && info.keyColumn < col) {
      path.unshift('*', info.key);
      col = info.dash;
      inItem = true;
      continue;
    }
    if (info.dash < 0 && info.key && info.opens) {
      path.unshift(info.key);
      col = info.indent;
      continue;
    }
    break;
  }
  return { path, col, inItem };
}

/** Sibling keys below the cursor line, in the same mapping. */
function siblingsBelow(doc: TextDocument, line: number, col: number, present: Set<string>): void {
  for (let l = line + 1; l < doc.lineCount; l++) {
    const info = analyse(lineText(doc, l));
    if (info.blank) continue;
    if (info.dash >= 0 && info.dash < col) break;
    if (info.dash < 0 && info.indent < col) break;
    if (info.dash < 0 && info.indent === col && info.key) present.add(info.key);
  }
}

/**
 * Where the scan for ancestors may stop: the first line of the block holding the cursor. In an
 * item of a split top-level list, the rest of the path (the list's key) comes from the model,
 * so the scan never walks back over the items before it.
 */
export interface ScanBounds {
  floorLine: number;
  /** For an item of a split list: the list's key and the items' indentation. */
  list?: { key: string; indent: number };
}

function finish(scan: Scan, bounds: ScanBounds | undefined): Seg[] {
  if (bounds?.list && scan.inItem && scan.col === bounds.list.indent) return [bounds.list.key, ...scan.path];
  // At the items' own column below an item (after the last one, or between two): a key of the
  // list itself, as in an empty list — where the next item starts.
  if (bounds?.list && !scan.inItem && scan.path.length === 0 && scan.col === bounds.list.indent && scan.col > 0) return [bounds.list.key];
  return scan.path;
}

export function cursorContext(doc: TextDocument, position: Position, bounds?: ScanBounds): CursorContext | undefined {
  const floor = bounds?.floorLine ?? 0;
  const full = lineText(doc, position.line);
  const before = full.slice(0, position.character);
  const lineStart = doc.offsetAt({ line: position.line, character: 0 });
  const keyMatch = /^( *)((?:- +)*)([\w.-]*)$/.exec(before);
  if (keyMatch) {
    const indent = keyMatch[1].length;
    const dashes = keyMatch[2];
    const column = indent + dashes.length;
    const wordStart = lineStart + column;
    let wordEnd = lineStart + position.character;
    while (wordEnd < lineStart + full.length && /[\w.-]/.test(full[wordEnd - lineStart])) wordEnd++;
    const present = new Set<string>();
    let path: Seg[];
    if (dashes) {
      // A new item: its parent list is above; nested dashes are items of items.
      const dashCols: number[] = [];
      let c = indent;
      for (const d of dashes.match(/- +/g) ?? []) {
        dashCols.push(c);
        c += d.length;
      }
      path = [...finish(ancestors(doc, position.line, dashCols[0], true, undefined, floor), bounds), ...dashCols.map(() => '*')];
      siblingsBelow(doc, position.line, column, present);
    } else {
      path = finish(ancestors(doc, position.line, column, false, present, floor), bounds);
      // The top level's keys come from the model: no need to read the rest of the card.
      if (column > 0) siblingsBelow(doc, position.line, column, present);
    }
    return { kind: 'key', path, column, wordStart, wordEnd, present };
  }
  const valueMatch = /^( *)((?:- +)*)([A-Za-z_][\w.-]*) *: *([^\s#]*)$/.exec(before);
  if (valueMatch) {
    const indent = valueMatch[1].length;
    const dashes = valueMatch[2];
    const column = indent + dashes.length;
    const parent = dashes ? [...finish(ancestors(doc, position.line, indent, true, undefined, floor), bounds), '*'] : finish(ancestors(doc, position.line, column, false, undefined, floor), bounds);
    const wordStart = lineStart + position.character - valueMatch[4].length;
    let wordEnd = lineStart + position.character;
    while (wordEnd < lineStart + full.length && !/[\s#]/.test(full[wordEnd - lineStart])) wordEnd++;
    return { kind: 'value', path: [...parent, valueMatch[3]], wordStart, wordEnd };
  }
  return undefined;
}
