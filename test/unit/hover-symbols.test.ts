import * as assert from 'assert';
import { marked } from 'marked';
import type { DocumentSymbol, MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageService';
import { LIMITS } from '../../server/src/limits';
import { codeSpan } from '../../server/src/services/hover';
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

  it('on requirements: the risk table in numbers, against the team threshold', () => {
    const card = 'level: 4\nrequire|ments:\n  - { id: 1, p_failure: 0.5, value: 8, mitigation: Fallback mode }\n  - { id: "1.2", p_failure: 0.4, value: 9 }\n  - { id: 2, p_failure: 0.1, value: 2 }\n  - { id: 3, text: linked }\n';
    assert.match(String(hoverAt(card)), /\*\*Risk\*\* \(p\(failure\) × value\): total 7\.8 over 3 requirements \+ 0 critical scenarios; highest 4 \(requirement `1`\); 2 at or above the mitigation threshold 3, 1 of them mitigated\./);
    const { text, offset } = withCursor(card);
    const d = doc(text);
    const team = service.hover(d, service.parse(text), d.positionAt(offset), { config: { risk: { mitigation_threshold: 5 } } });
    assert.match((team!.contents as MarkupContent).value, /0 at or above the mitigation threshold 5, 0 of them mitigated/);
    assert.match(String(hoverAt('level: 2\nrequire|ments:\n  - { id: 1, text: x }\n')), /no requirement or critical scenario has `p_failure` and `value` yet/);
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

  /** The HTML VS Code shows for a hover: hovers are rendered by `marked`, GitHub-flavoured. */
  function rendered(md: string): string {
    return marked.parse(md, { gfm: true, async: false });
  }

  function unescapeHtml(html: string): string {
    return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }

  it('shows an unknown key exactly as written: in a code span, never a link or markup', () => {
    const names = ['<script>alert(1)</script>', 'a`b', '``', '`x', 'x`', ' lead', 'http://evil.example/x', 'www.evil.example', 'a\\b', '**bold** _i_', '# heading', '[link](http://x.example)', 'mail@evil.example', 'two\nlines', '&amp;', 'x'.repeat(300)];
    for (const name of names) {
      // A JSON string is a valid YAML double-quoted key.
      const text = `${JSON.stringify(name)}: 1\n`;
      const d = doc(text);
      const h = service.hover(d, service.parse(text), d.positionAt(1));
      assert.ok(h, name);
      const md = (h.contents as MarkupContent).value;
      assert.match(md, /is not a field of the TRL card format/);
      const html = rendered(md);
      assert.doesNotMatch(html, /<a |<script|<strong|<em|<h1/, `${JSON.stringify(name)} → ${html}`);
      const code = /<code>([\s\S]*?)<\/code>/.exec(html);
      assert.ok(code, html);
      assert.strictEqual(unescapeHtml(code[1]), name.replace(/\n/g, ' '), `${JSON.stringify(name)} → ${md}`);
    }
  });

  it('makes a code span of any text, whatever backticks it holds', () => {
    for (const text of ['', ' ', 'a', '`', '``', '```', 'a ``` b', '` `', 'x`y``z']) {
      const code = /<code>([\s\S]*?)<\/code>/.exec(rendered(codeSpan(text)));
      assert.ok(code, JSON.stringify(text));
      assert.strictEqual(unescapeHtml(code[1]), text === '' ? '""' : text, JSON.stringify(text));
    }
  });

  it('knows only the fields of the card format, not the names of object methods', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.match(String(hoverAt(`${name.slice(0, 2)}|${name.slice(2)}: 1\n`)), /is not a field of the TRL card format/, name);
      assert.match(String(hoverAt(`owners:\n  ${name.slice(0, 2)}|${name.slice(2)}: 1\n`)), /is not a field of the TRL card format/, name);
    }
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
  it('never gives a symbol an empty name (VS Code would reject the whole outline)', () => {
    const texts = ['"": 1\n', "'': x\n", 'hypotheses:\n  - statement: ""\n  - statement: "   "\n  - id: ""\n    text: ""\n', 'owners:\n  "":\n    "": x\n', 'requirements: [{id: "", text: " "}]\n'];
    const names = (list: DocumentSymbol[] | undefined): string[] => (list ?? []).flatMap((s) => [s.name, ...names(s.children)]);
    for (const text of texts) {
      const all = names(service.symbols(doc(text), service.parse(text)));
      assert.ok(all.length > 0, text);
      for (const n of all) assert.ok(n.trim().length > 0, `${JSON.stringify(text)}: ${JSON.stringify(all)}`);
    }
    const outline = service.symbols(doc(texts[2]), service.parse(texts[2]));
    assert.deepStrictEqual(outline[0].children?.map((c) => c.name), ['#1', '#2', '#3']);
  });

  it('bounds the outline and the folding ranges of a huge card', () => {
    const n = LIMITS.maxOutlineSymbols + 1000;
    const text = 'technology: x\nlevel: 0\nrequirements:\n' + Array.from({ length: n }, (_, i) => `  - id: "${i}"\n    text: t\n`).join('') + 'tldr: last\n';
    const d = doc(text);
    const card = service.parse(text);
    const symbols = service.symbols(d, card);
    const count = (list: DocumentSymbol[] | undefined): number => (list ?? []).reduce((n, s) => n + 1 + count(s.children), 0);
    assert.ok(count(symbols) <= LIMITS.maxOutlineSymbols, String(count(symbols)));
    // Every top-level field is still listed; the long list says how much it shows.
    assert.deepStrictEqual(symbols.map((s) => s.name), ['technology', 'level', 'requirements', 'tldr']);
    assert.match(String(symbols[2].detail), new RegExp(`^${n} items \\(the outline shows \\d+\\)$`));
    assert.strictEqual(service.folding(d, card).length, LIMITS.maxFoldingRanges);
  });

  it('folds sections and list items', () => {
    const d = doc(text);
    const folds = service.folding(d, service.parse(text)).map((f) => `${f.startLine}-${f.endLine}`);
    assert.deepStrictEqual(folds.sort(), ['2-4', '3-4', '5-9', '6-7', '8-9'].sort());
  });
});
