/** Shared by the unit, protocol and checker tests (bundled into each; runs from dist/test/*). */
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The repository root (tests run from dist/test/<suite>/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** A text with one `|` cursor marker: the text without it and the marker's offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error('expected exactly one | cursor marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

export function doc(text: string, uri = 'file:///test/card.trl.yaml'): TextDocument {
  return TextDocument.create(uri, 'trl-card', 1, text);
}

export interface Expected {
  line: number; // 0-based
  start: number;
  end: number;
  code: string;
  message?: string;
}

const CARET = /^(#?)( *)(\^+)\s+([\w-]+)(?:\s+"(.*)")?\s*$/;

/**
 * Inline expectations: a comment line of carets under the offending text, then the code and
 * optionally a quoted piece of the message. A `#` directly followed by `^` marks column 0.
 *
 *     version: 1.0
 *     #        ^^^ invalid-semver "MAJOR.MINOR.PATCH"
 */
export function expectations(text: string): Expected[] {
  const out: Expected[] = [];
  const lines = text.split('\n');
  let target = -1;
  lines.forEach((line, i) => {
    const m = CARET.exec(line);
    if (!m || !line.startsWith('#')) {
      target = i;
      return;
    }
    const startsAtHash = line[1] === '^';
    const start = startsAtHash ? 0 : 1 + m[2].length;
    const end = startsAtHash ? 1 + m[3].length : start + m[3].length;
    out.push({ line: target, start, end, code: m[4], ...(m[5] !== undefined ? { message: m[5] } : {}) });
  });
  return out;
}
