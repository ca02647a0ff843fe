/** Item snippets: offered only inside their list or mapping, and each expands to a card section the checker accepts. */
import * as assert from 'assert';
import type { CompletionItem } from 'vscode-languageserver-types';
import { InsertTextFormat } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageService';
import { ITEM_SNIPPETS, expandSnippet } from '../../server/src/services/itemSnippets';
import { doc, withCursor } from '../helpers';

const service = getLanguageService();
/** The date the server would pass (its `localDate`); the services never read the clock. */
const TODAY = '2026-03-04';
const BASE = 'technology: Radar\nlevel: 0\ntldr: x\nowners:\n  rnd:\n    owner: Ada\n    reviewers: [Grace]\nresearch_plan: x\n';
/** A level-0 card with no problem, to which each snippet's section is added. */
const baseFor = (where: string) => BASE + (where === 'hypotheses' ? '' : 'hypotheses:\n  - statement: x\n    references: [x]\n');

function complete(marked: string, snippetSupport = true): { items: CompletionItem[]; text: string; offset: number } {
  const { text, offset } = withCursor(marked);
  const d = doc(text);
  return { items: service.complete(d, service.parse(text), d.positionAt(offset), undefined, { snippetSupport, today: TODAY }).items, text, offset };
}

/** A problem that reports a placeholder (text/placeholder.ts): what a snippet's defaults are meant to be. */
const placeholderProblem = (p: { code: string; data?: Record<string, unknown> }) => p.code === 'placeholder' || (p.code === 'level-requirement' && p.data?.unmet === 'placeholder');

const snippetsOf = (items: CompletionItem[]) => items.filter((i) => i.kind === 15 /* Snippet */).map((i) => i.label);

/** Applies an item as VS Code does: its text edit, each later line indented like the line it starts on. */
function apply(text: string, item: CompletionItem): string {
  const edit = item.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
  const d = doc(text);
  const start = d.offsetAt(edit.range.start);
  const lineStart = d.offsetAt({ line: edit.range.start.line, character: 0 });
  const indent = /^ */.exec(text.slice(lineStart, start))![0];
  const body = edit.newText.split('\n').join('\n' + indent);
  return text.slice(0, start) + body + text.slice(d.offsetAt(edit.range.end));
}

/** Where each snippet is typed: a line inside its list or mapping. */
function host(where: string): string {
  const parts = where.split('.');
  return parts.map((p, i) => `${'  '.repeat(i)}${p}:`).join('\n') + `\n${'  '.repeat(parts.length)}|\n`;
}

describe('item snippets', () => {
  it('are not offered at the top level, nor in mappings they do not belong to', () => {
    assert.deepStrictEqual(snippetsOf(complete(BASE + '|\n').items), []);
    assert.deepStrictEqual(snippetsOf(complete('|\n' + BASE).items), []);
    assert.deepStrictEqual(snippetsOf(complete(BASE + 'owners2:\n  rnd:\n    |\n').items), []);
    assert.deepStrictEqual(snippetsOf(complete(BASE + 'testing:\n  |\n').items), []);
  });

  for (const s of ITEM_SNIPPETS) {
    it(`offers ${s.label} only in ${s.in}, and it expands to what the checker accepts there`, () => {
      const { items, text } = complete(baseFor(s.in) + host(s.in), false);
      assert.deepStrictEqual(snippetsOf(items), [s.label]);
      const item = items.find((i) => i.label === s.label)!;
      assert.strictEqual(item.insertTextFormat, InsertTextFormat.PlainText);
      assert.doesNotMatch((item.textEdit as { newText: string }).newText, /\$/);
      const card = apply(text, item);
      // Its defaults are placeholders to write over (never values taken for written ones): the
      // only problems are those placeholders, each inside the text the snippet wrote.
      const problems = service.problems(service.parse(card));
      assert.deepStrictEqual(problems.filter((p) => !placeholderProblem(p)).map((p) => `${p.code}: ${p.message}`), [], card);
      assert.ok(problems.length > 0, 'its defaults are reported as placeholders');
      // Where the card differs from the text it was inserted in: the snippet's text.
      let from = 0;
      while (from < text.length && text[from] === card[from]) from++;
      const to = card.length - (text.length - from);
      for (const p of problems) assert.ok(p.start >= from && p.end <= to, `${p.code} at ${p.start} outside the snippet (${from}–${to})`);
      // The snippet form is the same text once its tab stops keep their defaults.
      const snippet = complete(baseFor(s.in) + host(s.in)).items.find((i) => i.label === s.label)!;
      assert.strictEqual(snippet.insertTextFormat, InsertTextFormat.Snippet);
      assert.strictEqual(expandSnippet((snippet.textEdit as { newText: string }).newText, TODAY), (item.textEdit as { newText: string }).newText);
    });
  }

  it('has its tab stops numbered in order, from 1, and a choice for every enum field', () => {
    for (const s of ITEM_SNIPPETS) {
      const stops = [...s.body.join('\n').matchAll(/\$\{?(\d+)/g)].map((m) => Number(m[1]));
      assert.deepStrictEqual(stops, stops.map((_, i) => i + 1), s.label);
    }
    const enumKeys = ['kind', 'status', 'simulated', 'decision'];
    for (const s of ITEM_SNIPPETS) for (const l of s.body) if (enumKeys.includes(/^ *([\w]+):/.exec(l)?.[1] ?? '')) assert.match(l, /\$\{\d+\|[^|]+\|\}/, `${s.label}: ${l}`);
  });

  it('fills an item right after its dash, and not an item that has keys', () => {
    const { items, text } = complete(BASE + 'hypotheses:\n  - |\n', false);
    assert.deepStrictEqual(snippetsOf(items), ['Hypothesis']);
    const card = apply(text, items.find((i) => i.label === 'Hypothesis')!);
    assert.match(card, /\n {2}- statement: .*\n {4}principles: .*\n {4}references:\n {6}- /);
    assert.deepStrictEqual(service.problems(service.parse(card)).filter((p) => !placeholderProblem(p)), []);
    assert.deepStrictEqual(snippetsOf(complete(BASE + 'hypotheses:\n  - statement: x\n    |\n').items), []);
  });

  it('adds an item after the ones a list has', () => {
    const { items } = complete(BASE + 'data:\n  datasets:\n    - name: a\n      simulated: false\n    |\n');
    assert.deepStrictEqual(snippetsOf(items), ['Dataset']);
  });

  it('adds an item after the last item of a top-level list, and between two (each item parsed alone)', () => {
    const reqs = 'requirements:\n  - id: R1\n    text: a\n';
    const after = complete(BASE + reqs + '  |');
    assert.deepStrictEqual(snippetsOf(after.items), ['Requirement']);
    const card = apply(after.text, after.items.find((i) => i.label === 'Requirement')!);
    assert.match(card, /\n {2}- id: R1\n {4}text: a\n {2}- id: /, 'the new item at the items\' column');
    assert.deepStrictEqual(snippetsOf(complete(BASE + reqs + '  |\ntldr: y\n').items), ['Requirement'], 'with a field after the list');
    assert.deepStrictEqual(snippetsOf(complete(BASE + reqs + '  |\n  - id: R2\n').items), ['Requirement'], 'between two items');
    assert.deepStrictEqual(snippetsOf(complete(BASE + reqs + '    |').items), [], 'inside the item: its keys, not a new item');
    assert.deepStrictEqual(snippetsOf(complete(BASE + reqs + '|').items), [], 'at the top level');
  });

  it('fills an empty review, not one that has some of its fields', () => {
    assert.deepStrictEqual(snippetsOf(complete(BASE + 'review:\n  |\n').items), ['Review']);
    assert.deepStrictEqual(snippetsOf(complete(BASE + 'review:\n  notes: x\n  |\n').items), []);
  });

  it('leaves the date variables as written when no date is given (a service never reads the clock)', () => {
    assert.strictEqual(expandSnippet('date: ${1:${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE}}'), 'date: $CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE');
  });

  it('expands tab stops, choices, variables and escapes', () => {
    assert.strictEqual(expandSnippet('a: ${1:x} b: ${2|p,q|} c: $3$0 d: ${CURRENT_YEAR}-$CURRENT_MONTH e: \\$x ${4:${5:in}}', '2026-03-04'), 'a: x b: p c:  d: 2026-03 e: $x in');
  });
});
