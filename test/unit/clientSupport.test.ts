/** Answers shaped to what the client takes: plain text, no snippets, no data, no related information. */
import * as assert from 'assert';
import type { CodeAction, Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService, WorkspaceIndex, cardFacts } from '../../server/src/languageService';
import { markdownToPlainText } from '../../server/src/text/markdown';
import { doc, withCursor } from '../helpers';

const PLAIN = { data: false, relatedInformation: false, snippetSupport: false, hoverMarkdown: false, documentationMarkdown: false };

describe('Markdown as plain text', () => {
  it('drops headings, emphasis, code fences and escapes; keeps bullets, quotes and words', () => {
    const md = ['### TRL 4 — Proof of Concept', '', '**Reviewed by:** the _lead_', '- `owners.rnd` (gate, error): needs `` a `tick` ``', '  > The card says \\*this\\* \\[x\\]\\(y\\)', '  > — _Lavin et al\\., p\\. 3_', 'p_failure × value, see [the paper](https://example.org/p)'].join('\n');
    assert.strictEqual(
      markdownToPlainText(md),
      ['TRL 4 — Proof of Concept', '', 'Reviewed by: the lead', '- owners.rnd (gate, error): needs a `tick`', '  > The card says *this* [x](y)', '  > — Lavin et al., p. 3', 'p_failure × value, see the paper (https://example.org/p)'].join('\n'),
    );
  });

  it('leaves text that is not Markdown as it is', () => {
    for (const text of ['a * b', 'snake_case_name', 'x < y > z', '`unclosed', '2 ** 3']) assert.strictEqual(markdownToPlainText(text), text);
  });
});

describe('services for a plain client', () => {
  const full = getLanguageService();
  const plain = getLanguageService({ client: PLAIN });
  const CARD = 'technology: Radar\nlevel: 4\n|\n';

  it('completes with plain text: no tab stops, no choices, the insert format said', () => {
    const { text, offset } = withCursor(CARD);
    const d = doc(text);
    const items = plain.complete(d, plain.parse(text), d.positionAt(offset)).items;
    assert.ok(items.length > 5);
    for (const item of items) {
      const newText = (item.textEdit as { newText: string }).newText;
      assert.strictEqual(item.insertTextFormat, 1, item.label);
      assert.doesNotMatch(newText, /\$\d|\$\{/, item.label);
      assert.ok(newText.startsWith(`${item.label}:`), newText);
      assert.notStrictEqual((item.documentation as MarkupContent | undefined)?.kind, 'markdown', item.label);
    }
    // The same skeleton as the snippet, with its values left empty.
    const owners = (items.find((i) => i.label === 'owners')!.textEdit as { newText: string }).newText;
    const snippet = (full.complete(d, full.parse(text), d.positionAt(offset)).items.find((i) => i.label === 'owners')!.textEdit as { newText: string }).newText;
    assert.match(snippet, /\$\{?\d/);
    assert.strictEqual(owners, snippet.replace(/\$\{\d+\|[^}]*\|\}|\$\{\d+:[^}]*\}|\$\d+/g, '').replace(/ +\n/g, '\n'));
  });

  it('hovers with plain text', () => {
    const text = 'technology: Radar\nlevel: 4\n';
    const d = doc(text);
    const h = plain.hover(d, plain.parse(text), { line: 1, character: 8 })!;
    const contents = h.contents as MarkupContent;
    assert.strictEqual(contents.kind, 'plaintext');
    assert.match(contents.value, /^TRL 4 — /);
    assert.doesNotMatch(contents.value, /\*\*|###|\\[.(]/);
    assert.strictEqual((full.hover(d, full.parse(text), { line: 1, character: 8 })!.contents as MarkupContent).kind, 'markdown');
  });

  it('folds related information into the message and leaves out data', () => {
    const index = new WorkspaceIndex();
    const partText = 'technology: Part\nid: PART\nlevel: 2\n';
    const partDoc = doc(partText, 'file:///ws/parts/part.trl.yaml');
    index.set(cardFacts(partDoc.uri, full.parse(partText), (o) => partDoc.positionAt(o)));
    index.complete = true;
    const sysText = 'technology: System\nid: SYS\nlevel: 4\ncomponents: [PART]\n';
    const sys = doc(sysText, 'file:///ws/system.trl.yaml');
    const withRelated = full.diagnostics(sys, full.parse(sysText), undefined, index).find((x) => x.code === 'component-level')!;
    const folded = plain.diagnostics(sys, plain.parse(sysText), undefined, index).find((x) => x.code === 'component-level')!;
    assert.ok(withRelated.relatedInformation?.length);
    assert.strictEqual(folded.relatedInformation, undefined);
    assert.strictEqual(folded.message, `${withRelated.message} (parts/part.trl.yaml:3: ${withRelated.relatedInformation![0].message})`);
    for (const x of plain.diagnostics(sys, plain.parse(sysText), undefined, index)) assert.strictEqual(x.data, undefined, String(x.code));
  });

  it('offers the same quick fixes for a diagnostic sent back without its data', () => {
    const text = 'technology: Radar\nversion: 1.0\nlevel: 1\nresearch_plan: x\nunknwn: 1\n';
    const d = doc(text);
    const card = full.parse(text);
    const withData = full.diagnostics(d, card).filter((x) => x.data !== undefined);
    assert.ok(withData.length >= 2, JSON.stringify(withData));
    const actions = (ds: Diagnostic[]) => full.codeActions(d, card, ds[0].range, { diagnostics: ds }).map((a: CodeAction) => [a.title, JSON.stringify(a.edit)]);
    for (const x of withData) {
      const stripped: Diagnostic = { ...x };
      delete stripped.data;
      assert.ok(actions([x]).length > 0, String(x.code));
      assert.deepStrictEqual(actions([stripped]), actions([x]), String(x.code));
    }
  });
});
