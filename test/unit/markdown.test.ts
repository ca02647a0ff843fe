/**
 * The card as Markdown (render/markdown.ts) and the Markdown escapes (text/escape.ts): a golden
 * file for a small hand-written render model (`UPDATE_GOLDEN=1` rewrites it), and a model with
 * hostile strings in every field, rendered to HTML by `marked` (raw HTML allowed, as GitHub
 * and most wikis allow it) and parsed by parse5: no element or attribute from the card may
 * appear, only the renderer's own tags, and the card's text must be there as text.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { Marked, marked } from 'marked';
import { parseFragment } from 'parse5';
import type { CardPreview } from '../../protocol/preview';
import { cardMarkdown, checklistMd } from '../../server/src/render/markdown';
import { markdownCell, markdownLink, markdownText, visibleText } from '../../server/src/text/escape';
import { FIXTURES } from '../helpers';

const DIR = path.join(FIXTURES, 'render');
const small = () => JSON.parse(fs.readFileSync(path.join(DIR, 'small.preview.json'), 'utf8')) as CardPreview;

interface El {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: El[];
}

function html(md: string): El {
  return parseFragment(marked.parse(md, { async: false, gfm: true }) as string) as unknown as El;
}

function elements(root: El): El[] {
  const out: El[] = [];
  const walk = (n: El) => {
    if (n.tagName) out.push(n);
    for (const c of n.childNodes ?? []) walk(c);
    // parse5 keeps a <template>'s children in `content`
    const content = (n as { content?: El }).content;
    if (content) walk(content);
  };
  walk(root);
  return out;
}

function textOf(root: El): string {
  if (root.nodeName === '#text') return root.value ?? '';
  return (root.childNodes ?? []).map(textOf).join(root.tagName === 'br' ? '\n' : '');
}

/** The tags marked writes for the Markdown we write; anything else came from the card. */
const OUR_TAGS = new Set(['h1', 'h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'strong', 'em', 'del', 'code', 'a', 'br', 'blockquote', 'hr', 'input']);

/** The document's own headings the verdict links to. */
const OUR_ANCHORS = new Set(['#graduation-checklist', '#problems', '#requirements-and-risks', '#changes-since-the-previous-card', '#levels']);

function assertNothingFromTheCard(root: El): void {
  for (const el of elements(root)) {
    assert.ok(OUR_TAGS.has(el.tagName!), `element <${el.tagName}> in the output`);
    for (const a of el.attrs ?? []) {
      if (el.tagName === 'a' && a.name === 'href') {
        assert.ok(/^https?:\/\//i.test(a.value) || /^(\.\.?\/)*[\w.-]+(\/[\w.-]+)*\.trl\.ya?ml$/.test(a.value) || OUR_ANCHORS.has(a.value), `href ${a.value}`);
      } else if (el.tagName === 'input') {
        // A task list's box (the next level's plan): `- [ ]`, disabled.
        assert.ok((a.name === 'type' && a.value === 'checkbox') || a.name === 'disabled', `${a.name}="${a.value}" on <input>`);
      } else if ((el.tagName === 'th' || el.tagName === 'td') && a.name === 'align') {
        assert.ok(['left', 'right', 'center'].includes(a.value), a.value);
      } else assert.fail(`attribute ${a.name}="${a.value}" on <${el.tagName}>`);
    }
  }
}

const HOSTILE = '<script>alert(1)</script> | `tick` ``` [x](javascript:alert(1)) <img src=x onerror=alert(1)> &amp; **b** _i_ ![i](https://x/i.png) <a href="https://evil">e</a>\n# h\n    code\n- li\n| c |\n===';

/** Every string of the model replaced by the hostile text (keys of values too), numbers and booleans left. */
function hostile(v: unknown): unknown {
  if (typeof v === 'string') return HOSTILE;
  if (Array.isArray(v)) return v.map(hostile);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hostile(x)]));
  return v;
}

describe('the card as Markdown', () => {
  it('renders the small card as its golden file', () => {
    const md = cardMarkdown(small());
    const golden = path.join(DIR, 'small.md');
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, md);
    assert.strictEqual(md, fs.readFileSync(golden, 'utf8'));
  });

  it('follows the authors\' template: title, summary table, TL;DR, sections; review parts after the card face', () => {
    const root = html(cardMarkdown(small()));
    const els = elements(root);
    const h = (tag: string) => els.filter((e) => e.tagName === tag).map(textOf);
    assert.deepStrictEqual(h('h1'), ['Multivariate Bayesian Optimisation (MVBO) v0.6.0']);
    assert.deepStrictEqual(h('h2'), ['Data considerations', 'Ethics considerations', 'Caveats', 'Hypotheses', 'Graduation checklist', 'Problems', 'Requirements and risks', 'Changes since the previous card', 'Levels']);
    // The verdict first, under the title: the level, what is missing and the first of it, the problems, the risks, links to the parts.
    const first = els.filter((e) => e.tagName === 'p').slice(0, 3).map(textOf);
    assert.deepStrictEqual(first[0], 'TRL 4 — Proof of Concept · ❌ Not ready: 1 item missing for TRL 4. First: ethics.status (missing): Level 4 needs the ethics checklist started.');
    assert.match(first[1], /^Problems: 0 errors, 1 warning, 0 information · Risks: Risk total 3\.9 \(2 requirements \+ 1 critical scenario\)/);
    assert.strictEqual(first[2], 'Checklist · Problems · Risks · Changes · Ladder');
    const summary = els.find((e) => e.tagName === 'table')!;
    const cells = elements(summary).filter((e) => e.tagName === 'td').map(textOf);
    assert.deepStrictEqual(cells.slice(0, 8), ['Tech name (project ID)', 'Multivariate Bayesian Optimisation (MVBO) (SOLAR)', 'Version', '0.6.0', 'Current level', 'TRL 4 — Proof of ConceptPrevious cards: ./solar-array.level-2.trl.yaml (MVBO, TRL 2)', 'System level', 'TRL 3: held back by a component (see Components)']);
    assert.ok(cells.includes('R&D: Amira Haddad <amira.haddad@example.org>'), cells.join(' / '));
    assert.ok(cells.includes('SOLAR-1.1 (MVBO optimiser, TRL 3, limiting)'));
    // Owners and links are in the summary, not repeated as sections; no mailto link for the e-mail address.
    assert.ok(!els.some((e) => e.tagName === 'a' && e.attrs!.some((a) => a.value.startsWith('mailto:'))));
    const hrefs = els.filter((e) => e.tagName === 'a').map((e) => e.attrs!.find((a) => a.name === 'href')!.value);
    assert.ok(hrefs.includes('https://wiki.example.org/solar-array') && hrefs.includes('./solar-array.level-2.trl.yaml'), hrefs.join(' '));
    // The risk table in the model's order, risk column right-aligned; the cycle back marked.
    const text = textOf(root);
    assert.ok(text.indexOf('Sim-to-real keeps') < text.indexOf('Converges within'));
    assert.ok(text.includes('TRL 1 ↩ back'));
    assert.ok(text.includes('about *half* the rounds'), 'card text is shown as written, not as emphasis');
  });

  it('writes no changes section without changes, and says when nothing changed', () => {
    const m = small();
    m.changes = null;
    assert.ok(!cardMarkdown(m).includes('Changes since'));
    m.changes = { previous: { uri: 'file:///p', written: 'p', level: null }, added: [], removed: [], changed: [], requirements: [] };
    assert.ok(cardMarkdown(m).includes('_Nothing changed._'));
  });

  it('shows each change once: a word diff of texts, lists item by item, requirement fields with their values, the risk only when it moved', () => {
    const md = cardMarkdown(small());
    const root = html(md);
    const changes = md.slice(md.indexOf('## Changes since'), md.indexOf('## Levels'));
    assert.ok(changes.includes('- `version`: 0.3.0 → 0.6.0'), changes);
    // The word diff: removed words struck, added words strong, the rest as written.
    assert.ok(changes.includes('- `tldr`: MVBO finds the best variant in ~~fewer~~**about \\*half\\* the** rounds ~~than~~**of** uniform allocation, on the A/B testing archive **and the heat-sink runs**.'), changes);
    const del = elements(root).filter((e) => e.tagName === 'del').map(textOf);
    assert.deepStrictEqual(del.slice(0, 2), ['fewer', 'than']);
    assert.ok(elements(root).some((e) => e.tagName === 'strong' && textOf(e) === 'about *half* the'));
    assert.ok(changes.includes('- `caveats`:\n  - changed #1: Single objective. → Single-objective only.\n  - added #2: Not for drug-molecule selection.'), changes);
    assert.ok(changes.includes('  - changed name: A/B archive\n    - `version`: 0.9.0 → 1.0.0'), changes);
    assert.ok(changes.includes('- **changed** `1` Converges within 100 evaluations. — risk 1.6 → 0.8\n  - `p_failure`: 0.2 → 0.1'), changes);
    // An added scenario without an id: its text once.
    assert.strictEqual(changes.split('Telemetry gap longer than 15 minutes.').length, 2, changes);
    assert.ok(changes.includes('- **removed** `5` ~~Runs on a laptop, p &lt; 0.05.~~ (risk was 0.3)'), changes);
  });

  it('the pull-request view: the verdict, the checklist, the problems and the changes, without the card', () => {
    const md = cardMarkdown(small(), { review: true });
    const root = html(md);
    assertNothingFromTheCard(root);
    const h2 = elements(root).filter((e) => e.tagName === 'h2').map(textOf);
    assert.deepStrictEqual(h2, ['Graduation checklist', 'Problems', 'Changes since the previous card', 'Levels']);
    assert.ok(!md.includes('Summary info') && !md.includes('## Data considerations'));
    assert.match(md, /^# Multivariate Bayesian Optimisation \(MVBO\) v0\.6\.0\n\n\*\*TRL 4 — Proof of Concept\*\* · ❌/);
  });

  it('writes the next level\'s checklist as a plan (a task list), not as problems', () => {
    const md = checklistMd(small().checklist);
    assert.ok(md.includes('### Plan for TRL 5'), md);
    assert.ok(md.includes('- [ ] `owners.product.owner` (suggested at TRL 5): A product owner takes over.'), md);
    assert.ok(!/\*\*information\*\*/.test(md.slice(md.indexOf('### Plan'))), md);
  });

  it('a card of hostile strings in every field renders only as text: no element, attribute or link of its own', () => {
    const m = hostile(small()) as CardPreview;
    m.blocks.push({ key: 'links', title: 'Links', line: 0, endLine: 0, value: { project: 'javascript:alert(1)', code: 'JAVASCRIPT:alert(1)', docs: 'data:text/html,<script>alert(1)</script>' } });
    m.previous.push({ written: 'javascript:alert(1)', line: 0 }, { written: '//evil.example/x.trl.yaml', line: 0 });
    m.blocks.push({
      key: HOSTILE,
      title: HOSTILE,
      line: 0,
      endLine: 0,
      value: { [HOSTILE]: [{ [HOSTILE]: HOSTILE }], nested: { deeper: [HOSTILE, { [HOSTILE]: [HOSTILE] }] } },
    });
    const md = cardMarkdown(m);
    const root = html(md);
    assertNothingFromTheCard(root);
    const text = textOf(root);
    assert.ok(text.includes('<script>alert(1)</script> | `tick` ``` [x](javascript:alert(1)) <img src=x onerror=alert(1)> &amp; **b** _i_'), 'the hostile text is shown as text');
    assert.ok(text.split('<script>').length > 30, 'every field shows it');
    // Every pipe inside a cell escaped: each table row has as many cells as its head.
    for (const table of elements(root).filter((e) => e.tagName === 'table')) {
      const rows = elements(table).filter((e) => e.tagName === 'tr');
      const width = (r: El) => (r.childNodes ?? []).filter((c) => c.tagName === 'td' || c.tagName === 'th').length;
      for (const r of rows) assert.strictEqual(width(r), width(rows[0]), textOf(r));
    }
  });

  it('marked sees no raw HTML but <br>: with every other tag shown as text, the output is the same', () => {
    const md = cardMarkdown(hostile(small()) as CardPreview);
    // The only raw HTML marked may see is our <br>: shown as text, anything else would change the text.
    const safe = new Marked({ renderer: { html: ({ text }) => (text === '<br>' ? text : text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)) } });
    assert.strictEqual(textOf(html(md)), textOf(parseFragment(safe.parse(md, { async: false }) as string) as unknown as El));
  });
});

describe('Markdown escapes', () => {
  it('shows any one-line text exactly as written, in a paragraph and in a table cell', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...'<>&|`*_[]()#!\\:@.-+=~$^{} \t"\'/1a;\u202e\u200b'), fc.constantFrom('&amp;', '&#x41;', '1. ', '- ', '# ', 'www.x.org', 'a@b.co', 'https://x.org/'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)), (s) => {
        const inParagraph = html(`x${markdownText(s)}x`);
        assertNothingFromTheCard(inParagraph);
        assert.strictEqual(textOf(inParagraph).replace(/\n$/, ''), `x${visibleText(s)}x`);
        // At the start of a paragraph or a list item too.
        const atStart = html(markdownText(s));
        assertNothingFromTheCard(atStart);
        if (s.trim() !== '') assert.strictEqual(textOf(atStart).replace(/\n$/, '').replace(/[ \t]+$/, ''), visibleText(s).replace(/[ \t]+$/, ''), JSON.stringify(markdownText(s)));
        const item = html(`- ${markdownText(s)}`);
        assertNothingFromTheCard(item);
        for (const cellText of [markdownText(s), markdownCell(s)]) {
          const inCell = html(`| a |\n| --- |\n| x${cellText}x |`);
          assertNothingFromTheCard(inCell);
          const cell = elements(inCell).find((e) => e.tagName === 'td')!;
          assert.strictEqual(textOf(cell), `x${visibleText(s)}x`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('writes line breaks as <br>, leading spaces as entities (never a code block)', () => {
    assert.strictEqual(markdownText('a\nb\r\nc\rd'), 'a<br>b<br>c<br>d');
    const root = html(markdownText('    indented\n# not a heading'));
    assert.deepStrictEqual(elements(root).map((e) => e.tagName), ['p', 'br']);
  });

  it('links only http(s) URLs and relative card paths', () => {
    assert.strictEqual(markdownLink('a', 'https://example.org/x?y=1&z=(2)'), '[a](<https://example.org/x?y=1&z=(2)>)');
    assert.strictEqual(markdownLink('c', '../cards/x.level-4.trl.yaml'), '[c](<../cards/x.level-4.trl.yaml>)');
    for (const bad of ['javascript:alert(1)', ' https://x', 'https://x y', 'https://x>', 'data:text/html,x', 'file:///etc/passwd', '/abs/x.trl.yaml', '//evil/x.trl.yaml', 'vbscript:x', 'https://x\\y', 'x.trl.yaml?q=1']) {
      assert.ok(!markdownLink('l', bad).includes(']('), bad);
    }
  });
});
