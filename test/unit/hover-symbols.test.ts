import * as assert from 'assert';
import type { MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageService';
import { doc, withCursor } from '../helpers';

const service = getLanguageService();

function hoverAt(marked: string): string | undefined {
  const { text, offset } = withCursor(marked);
  const d = doc(text);
  const h = service.hover(d, service.parse(text), d.positionAt(offset));
  return h ? (h.contents as MarkupContent).value : undefined;
}

describe('hover', () => {
  it('on the level value: name, tagline, reviewers, what is missing to graduate', () => {
    const md = hoverAt('technology: x\nlevel: |4\n');
    assert.ok(md);
    assert.match(md, /TRL 4 — Proof of Concept \(PoC\) Development/);
    assert.match(md, /### TRL 4 — Proof of Concept/);
    assert.match(md, /\*\*Reviewed by:\*\* For many organizations, the first review with product managers/);
    assert.match(md, /Missing for TRL 4:[\s\S]*`intended_use` \(from TRL 4 on, error\)/);
    // Each entry quotes the sentence it rests on, and where it is.
    assert.match(md, /> This can have mission\\-critical information[\s\S]*> — _the authors' card template \\\(mltrl\\_card\\\.md\\\), Intended use_/);
    assert.match(md, /To graduate to TRL 5[\s\S]*`working_group`/);
  });

  it('on the level key too', () => {
    assert.match(String(hoverAt('lev|el: 9\n')), /TRL 9 — Deployment[\s\S]*last level/);
  });

  it('on a key: its description and the levels that require it', () => {
    const md = String(hoverAt('technology: x\nlevel: 0\nintended_|use: x\n'));
    assert.match(md, /\*\*intended_use\*\*/);
    assert.match(md, /\*\*TRL 4 — Proof of Concept \\\(PoC\\\) Development\*\* — from TRL 4 on, error/);
  });

  it('on a nested key inside a list item', () => {
    assert.match(String(hoverAt('requirements:\n  - id: "1"\n    p_fai|lure: 0.2\n')), /Probability that the requirement fails/);
  });

  it('escapes an unknown key shown back to the user', () => {
    const md = String(hoverAt('<script>al|ert(1)</script>: 1\n'));
    assert.ok(!md.includes('<script>'), md);
    assert.match(md, /not a field of the TRL card format/);
  });

  it('gives nothing on text values and blank space', () => {
    assert.strictEqual(hoverAt('tldr: some |text\n'), undefined);
    assert.strictEqual(hoverAt('tldr: x\n|\n'), undefined);
  });
});

describe('outline and folding', () => {
  const text = 'technology: Radar\nlevel: 2\nowners:\n  rnd:\n    owner: Ada\nrequirements:\n  - id: "1.1"\n    text: Fast enough\n  - id: "1.2"\n    text: Accurate\n';
  it('lists sections, with requirements named by id and text', () => {
    const d = doc(text);
    const symbols = service.symbols(d, service.parse(text));
    assert.deepStrictEqual(symbols.map((s) => s.name), ['technology', 'level', 'owners', 'requirements']);
    const reqs = symbols[3];
    assert.strictEqual(reqs.detail, '2 items');
    assert.deepStrictEqual(reqs.children?.map((c) => c.name), ['1.1 Fast enough', '1.2 Accurate']);
    assert.deepStrictEqual(reqs.children?.[1].range.start, { line: 8, character: 4 });
  });
  it('folds sections and list items', () => {
    const d = doc(text);
    const folds = service.folding(d, service.parse(text)).map((f) => `${f.startLine}-${f.endLine}`);
    assert.deepStrictEqual(folds.sort(), ['2-4', '3-4', '5-9', '6-7', '8-9'].sort());
  });
});
