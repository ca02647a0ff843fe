/**
 * Our Markdown (hovers, completion documentation) as readable plain text, for clients that do not
 * render Markdown (Eglot without markdown-mode, for one). Handles what our services write:
 * headings, `**bold**` and `_emphasis_`, code spans of any fence, backslash escapes (from
 * `escapeMarkdown`), links; list bullets and `>` quotes stay, as a plain-text reader expects.
 * A pure string function: no Markdown library, nothing interpreted.
 */

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** One line's inline Markdown as plain text. */
function inline(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length && PUNCTUATION.test(line[i + 1])) {
      out += line[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (line[i + n] === '`') n++;
      const fence = '`'.repeat(n);
      const close = line.indexOf(fence, i + n);
      // A closing run of exactly the same length ends the span; else the backticks are text.
      if (close >= 0 && line[close + n] !== '`') {
        let code = line.slice(i + n, close);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        out += code;
        i = close + n;
        continue;
      }
      out += fence;
      i += n;
      continue;
    }
    if (c === '*' || c === '_') {
      let n = 1;
      while (line[i + n] === c) n++;
      const before = i === 0 ? ' ' : line[i - 1];
      const after = i + n < line.length ? line[i + n] : ' ';
      const word = (ch: string) => /[\p{L}\p{N}]/u.test(ch);
      // Emphasis markers flank a word; `p_failure` (inside a word) keeps its underscore.
      const intraword = word(before) && word(after);
      if (!intraword && (!/\s/.test(after) || !/\s/.test(before))) {
        i += n;
        continue;
      }
      out += c.repeat(n);
      i += n;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(line.slice(i));
      if (m) {
        out += m[2] && m[2] !== m[1] ? `${inline(m[1])} (${m[2]})` : inline(m[1]);
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

export function markdownToPlainText(markdown: string): string {
  const lines: string[] = [];
  let fenced = false;
  for (const raw of markdown.split(/\r\n|\r|\n/)) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      lines.push(raw);
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      lines.push(inline(heading[1]));
      continue;
    }
    // A bullet (`- ` or `* `) and a quote marker are kept as they are; the rest is inline text.
    const lead = /^(\s*(?:[-*+]\s+|>\s?)*)/.exec(raw)![1];
    lines.push(lead.replace(/^(\s*)\*(\s)/, '$1-$2') + inline(raw.slice(lead.length)));
  }
  return lines.join('\n');
}
