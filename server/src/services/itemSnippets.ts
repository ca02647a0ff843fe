/**
 * Item snippets: a hypothesis, a requirement, a dataset… offered as completion items only inside
 * the list (or, for a review and a debrief, the empty mapping) they belong to, never at the top
 * level. The bodies are data (snippets/items.json, bundled with the server). With
 * `snippetSupport: false` the items are plain text: every tab stop written as its default.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import data from '../../../snippets/items.json';
import type { KeyContext } from './context';

export interface ItemSnippet {
  label: string;
  /** Dotted path of the list (`shape: item`) or mapping (`shape: fields`) it goes in. */
  in: string;
  shape: 'item' | 'fields';
  description: string;
  /** VS Code snippet syntax, one line each, indented from the item's first key. */
  body: string[];
}

export const ITEM_SNIPPETS: readonly ItemSnippet[] = data.snippets as ItemSnippet[];

export interface ItemSnippetOptions {
  /** The client takes snippets (`$1`, `${1:default}`, `${1|a,b|}`); otherwise plain text. */
  snippetSupport?: boolean;
  /** The user's date, YYYY-MM-DD, for `$CURRENT_YEAR`… in plain text (the server passes it; without it they stay as written). */
  today?: string;
}

/** Variables a body may use, resolved for plain text. */
function variables(today: string | undefined): Record<string, string> {
  if (today === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(today)) return { CURRENT_YEAR: '$CURRENT_YEAR', CURRENT_MONTH: '$CURRENT_MONTH', CURRENT_DATE: '$CURRENT_DATE' };
  const [y, m, d] = today.split('-');
  return { CURRENT_YEAR: y, CURRENT_MONTH: m, CURRENT_DATE: d };
}

/**
 * A snippet as the text it inserts when every tab stop keeps its default: `${1:x}` → x,
 * `${1|a,b|}` → a, `$1` and `$0` → nothing, known variables resolved from `today`, `\$` → `$`.
 * A pure function: the date is passed in (the server's `localDate`), never read here.
 */
export function expandSnippet(body: string, today?: string): string {
  const vars = variables(today);
  let i = 0;
  const parse = (stop: string): string => {
    let out = '';
    while (i < body.length && !stop.includes(body[i])) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length) {
        out += body[i + 1];
        i += 2;
      } else if (c === '$') {
        i++;
        const simple = /^(\d+|[A-Z_]+)/.exec(body.slice(i));
        if (simple) {
          i += simple[0].length;
          out += vars[simple[0]] ?? '';
        } else if (body[i] === '{') {
          i++;
          const name = /^(\d+|[A-Z_]+)/.exec(body.slice(i))?.[0] ?? '';
          i += name.length;
          if (body[i] === ':') {
            i++;
            const inner = parse('}');
            out += /^\d+$/.test(name) ? inner : vars[name] ?? inner;
          } else if (body[i] === '|') {
            i++;
            const choice = parse(',|');
            while (i < body.length && body[i] !== '|') {
              i++;
              parse(',|');
            }
            i++; // the closing |
            out += choice;
          } else out += vars[name] ?? '';
          i++; // the closing }
        } else out += '$';
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };
  return parse('');
}

function dotted(path: readonly string[]): string | undefined {
  return path.includes('*') ? undefined : path.join('.');
}

/**
 * The item snippets for a key being typed: in a list's block (`hypotheses:` then an indented
 * line) an item with its `- `; right after a `- ` that starts an empty item, the item's keys;
 * in an empty `review:` or `debrief:` mapping, its fields. Nothing anywhere else.
 */
export function itemSnippets(document: TextDocument, ctx: KeyContext, range: Range, options: ItemSnippetOptions = {}): CompletionItem[] {
  if (ctx.column === 0) return [];
  const afterDash = ctx.path[ctx.path.length - 1] === '*';
  const where = dotted(afterDash ? ctx.path.slice(0, -1) : ctx.path);
  if (where === undefined) return [];
  const line = document.getText({ start: { line: range.start.line, character: 0 }, end: range.start });
  const indent = line.length - line.trimStart().length;
  const out: CompletionItem[] = [];
  for (const s of ITEM_SNIPPETS) {
    if (s.in !== where) continue;
    let lines: string[];
    if (s.shape === 'item') {
      if (afterDash) {
        // Keys already in this item: the snippet would repeat them.
        if (ctx.present.size) continue;
        const pad = ' '.repeat(ctx.column - indent);
        lines = s.body.map((l, i) => (i === 0 ? l : pad + l));
      } else lines = s.body.map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`));
    } else {
      if (afterDash) continue;
      const keys = s.body.map((l) => /^([\w-]+):/.exec(l)?.[1]).filter((k): k is string => k !== undefined);
      if (keys.some((k) => ctx.present.has(k))) continue;
      lines = s.body;
    }
    const snippet = lines.join('\n');
    const plain = options.snippetSupport === false;
    out.push({
      label: s.label,
      kind: CompletionItemKind.Snippet,
      labelDetails: { description: s.shape === 'item' ? `an item of ${s.in}` : `the fields of ${s.in}` },
      detail: s.description,
      documentation: { kind: MarkupKind.Markdown, value: '```yaml\n' + expandSnippet(snippet, options.today) + '\n```' },
      filterText: s.label.toLowerCase(),
      sortText: `4-${s.label}`,
      insertTextFormat: plain ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range, newText: plain ? expandSnippet(snippet, options.today) : snippet },
    });
  }
  return out;
}
