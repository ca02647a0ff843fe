/**
 * How deeply a piece of YAML nests, measured by one linear scan with no recursion — before
 * the YAML parser, the value builder or the schema validators (which all recurse once per
 * level) ever see the text. A card nested a thousand levels deep would overflow their stack.
 *
 * The scan follows the YAML structure closely enough to never under-count by much: block
 * levels by the columns of keys and `- ` / `? ` / `: ` indicators, flow levels by brackets
 * outside quoted scalars and comments; block scalars (`|`, `>`) and quoted scalars are skipped.
 * It may over-count on broken text (an unclosed `[` counts until the end), which is harmless:
 * the limit is far above any real card and far below what overflows the stack.
 */

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** A space, a tab, a line break, or the end of the text (yaml treats a lone CR like a space here). */
function isBlank(c: number): boolean {
  return Number.isNaN(c) || c === SPACE || c === TAB || c === NL || c === CR;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

function lineEndOf(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** The end of a quoted scalar that opens at `at` (may span lines); the text's end when unclosed. */
function quotedEnd(text: string, at: number): number {
  const quote = text.charCodeAt(at);
  const n = text.length;
  for (let i = at + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92) i++; // a backslash escape in "…"
    else if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) i++; // '' in '…'
      else return i + 1;
    }
  }
  return n;
}

/**
 * The offset where `text` first nests deeper than `max` levels, or -1 when it never does.
 * Also -1 for any text shorter than `max` characters (it cannot hold that many levels).
 */
export function depthExceeded(text: string, max: number): number {
  if (text.length <= max) return -1;
  const raw = bracketsExceeded(text, max);
  return raw >= 0 ? raw : structureExceeded(text, max);
}

/**
 * The backstop of `depthExceeded`, which no quoting can fool by much: the offset where the raw
 * bracket depth (`[` and `{` anywhere, never below zero) passes `max * 8`, or -1.
 */
export function bracketsExceeded(text: string, max: number): number {
  const n = text.length;
  if (n <= max * 8 || (text.indexOf('[') < 0 && text.indexOf('{') < 0)) return -1;
  let raw = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++raw > max * 8) return i;
    } else if ((c === 93 || c === 125) && raw > 0) raw--;
  }
  return -1;
}

/** The structural scan of `depthExceeded`: block levels, flow levels outside quotes and comments. */
export function structureExceeded(text: string, max: number): number {
  const n = text.length;
  const stack: number[] = []; // columns of the open block collections
  let scalarOwner = -2; // while >= -1: lines indented deeper than this belong to a block scalar
  let exceeded = -1;

  const push = (column: number, at: number): boolean => {
    stack.push(column);
    if (stack.length > max) exceeded = at;
    return exceeded >= 0;
  };

  /** Scans a flow collection opening at `at`; returns the offset after it (or the text's end). */
  const flow = (at: number): number => {
    let depth = 0;
    let tokenStart = true;
    let quoteEnd = -1; // where the last quoted scalar ended: `"a":"b"` is a key and a value
    for (let i = at; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 91 || c === 123) {
        depth++;
        if (stack.length + depth > max) {
          exceeded = i;
          return n;
        }
        tokenStart = true;
      } else if (c === 93 || c === 125) {
        depth--;
        tokenStart = false;
        if (depth <= 0) return i + 1;
      } else if (c === 44) tokenStart = true; // ,
      else if (c === 58 || c === 63) {
        // ':' or '?' is an indicator before a blank, or right after a quoted key
        tokenStart = tokenStart || quoteEnd === i || isBlank(text.charCodeAt(i + 1));
      } else if (c === 35 && (i === at || isBlank(text.charCodeAt(i - 1)))) {
        i = lineEndOf(text, i) - 1; // a comment
      } else if ((c === 34 || c === 39) && tokenStart) {
        quoteEnd = quotedEnd(text, i);
        i = quoteEnd - 1;
        tokenStart = false;
      } else if (!isBlank(c)) tokenStart = false;
    }
    return n;
  };

  /**
   * A node that may start at `at` on the line starting at `lineStart`: a key (and its value),
   * a flow collection, a quoted scalar, a block scalar, or plain text. Returns where the scan
   * goes on (a later line's start, or the end of this line).
   */
  const node = (at: number, lineStart: number): number => {
    let p = at;
    for (let guard = 0; guard < n; guard++) {
      while (isSpace(text.charCodeAt(p))) p++;
      // Anchors and tags before a node.
      while (text.charCodeAt(p) === 38 || text.charCodeAt(p) === 33) {
        while (p < n && !isBlank(text.charCodeAt(p))) p++;
        while (isSpace(text.charCodeAt(p))) p++;
      }
      const c = text.charCodeAt(p);
      const lineEnd = lineEndOf(text, p);
      if (p >= lineEnd || c === 35) return lineEnd;
      let end: number;
      if (c === 91 || c === 123) end = flow(p);
      else if (c === 34 || c === 39) end = quotedEnd(text, p);
      else if (c === 124 || c === 62) {
        scalarOwner = stack.length ? stack[stack.length - 1] : -1;
        return lineEnd;
      } else {
        // Plain text: a key when a ': ' comes before the line's end or a ' #' comment.
        let k = p;
        for (; k < lineEnd; k++) {
          const ch = text.charCodeAt(k);
          if (ch === 58 && isBlank(text.charCodeAt(k + 1))) break;
          if (ch === 35 && isSpace(text.charCodeAt(k - 1))) return lineEnd;
        }
        if (k >= lineEnd) return lineEnd;
        if (push(p - lineStart, p)) return n;
        p = k + 1;
        continue;
      }
      if (exceeded >= 0) return n;
      // After a flow collection or a quoted scalar: `: value` makes it a key.
      let q = end;
      while (isSpace(text.charCodeAt(q))) q++;
      if (text.charCodeAt(q) === 58 && isBlank(text.charCodeAt(q + 1))) {
        const keyLineStart = text.lastIndexOf('\n', p) + 1;
        if (push(p - keyLineStart, p)) return n;
        lineStart = text.lastIndexOf('\n', q) + 1;
        p = q + 1;
        continue;
      }
      return lineEndOf(text, end);
    }
    return n;
  };

  let i = 0;
  while (i < n && exceeded < 0) {
    const lineEnd = lineEndOf(text, i);
    let p = i;
    while (p < lineEnd && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
    const c = text.charCodeAt(p);
    if (p >= lineEnd || c === 35 || (c === CR && p + 1 >= lineEnd)) {
      i = lineEnd + 1;
      continue;
    }
    const indent = p - i;
    if (scalarOwner >= -1) {
      if (indent > scalarOwner) {
        i = lineEnd + 1;
        continue;
      }
      scalarOwner = -2;
    }
    if (indent === 0 && (text.startsWith('---', p) || text.startsWith('...', p)) && isBlank(text.charCodeAt(p + 3))) {
      stack.length = 0; // a new document
      p += 3;
    } else {
      while (stack.length && stack[stack.length - 1] >= indent) stack.pop();
      // Block indicators: `- `, `? `, `: `, possibly several on one line (`- - x`).
      for (;;) {
        const ch = text.charCodeAt(p);
        if ((ch === 45 || ch === 63 || ch === 58) && isBlank(text.charCodeAt(p + 1))) {
          if (push(p - i, p)) break;
          p++;
          while (p < lineEnd && isSpace(text.charCodeAt(p))) p++;
        } else break;
      }
      if (exceeded >= 0) break;
    }
    const next = node(p, i);
    i = next >= n ? n : text.charCodeAt(next) === NL ? next + 1 : lineEndOf(text, next) + 1;
  }
  return exceeded;
}
