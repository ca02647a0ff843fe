/**
 * The preview's render model (services/previewModel.ts) and its HTML (render/html.ts): golden
 * data for the example cards, the facts a reviewer reads from them, and escaping.
 */
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { getLanguageService } from '../../server/src/languageService';
import { cardValue } from '../../server/src/card/model';
import { bodyHtml, changesHtml, checklistHtml, esc, riskRowHtml, valueHtml } from '../../server/src/render/html';
import { cardHtmlFile } from '../../server/src/render/export';
import { doc, indexOf } from '../helpers';
import type { CardPreview } from '../../protocol/preview';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'examples', 'solar-array');
const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'preview');

function exampleCards(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else if (d.name.endsWith('.trl.yaml')) out[pathToFileURL(full).toString()] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(EXAMPLES);
  return out;
}

function cardValueOf(text: string): unknown {
  return cardValue(getLanguageService().parse(text));
}

function modelOf(uri: string, text: string, cards?: Record<string, string>): CardPreview {
  const service = getLanguageService();
  const card = service.parse(text);
  return service.preview(doc(text, uri), card, 1, {}, cards ? indexOf(cards) : undefined);
}

/** The model with the machine's paths made relative, as the golden files keep it. */
function portable(model: CardPreview): unknown {
  const base = pathToFileURL(ROOT).toString();
  return JSON.parse(JSON.stringify(model).split(base).join('file://<repo>'));
}

describe('preview render model', () => {
  const cards = exampleCards();

  for (const name of ['solar-array.level-7.trl.yaml', 'solar-array.level-2.trl.yaml', 'components/telemetry-pipeline.trl.yaml']) {
    it(`matches the golden model of examples/solar-array/${name}`, () => {
      const uri = pathToFileURL(path.join(EXAMPLES, name)).toString();
      const model = portable(modelOf(uri, cards[uri], cards));
      const file = path.join(GOLDEN, name.replace(/\//g, '-').replace(/\.trl\.yaml$/, '.json'));
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, JSON.stringify(model, null, 2) + '\n');
      assert.deepStrictEqual(model, JSON.parse(fs.readFileSync(file, 'utf8')));
    });
  }

  it('shows the level-7 card as a reviewer reads it: level, components with their levels, risks by size, the checklist', () => {
    const uri = pathToFileURL(path.join(EXAMPLES, 'solar-array.level-7.trl.yaml')).toString();
    const text = cards[uri];
    const m = modelOf(uri, text, cards);
    assert.strictEqual(m.technology, 'Solar Array Optimization');
    assert.strictEqual(m.level, 7);
    assert.strictEqual(m.levelName, 'Integrations');
    assert.deepStrictEqual(
      m.components.map((c) => [c.written, c.level, !!c.limiting]),
      [
        ['SOLAR-1.1', 8, false],
        ['SOLAR-4.2', 7, false],
        ['SOLAR-4.3', 7, false],
      ],
    );
    assert.strictEqual(m.rolledUpLevel, 7);
    // Sorted by risk, highest first; the totals add up.
    const risks = m.risks.rows.map((r) => r.risk).filter((r): r is number => r !== undefined);
    assert.deepStrictEqual(risks, [...risks].sort((a, b) => b - a));
    assert.ok(Math.abs(m.risks.total - risks.reduce((s, r) => s + r, 0)) < 1e-6);
    assert.ok(m.risks.rows.some((r) => r.list === 'critical_scenarios'));
    // Each row's line is where its item starts in the card.
    const lines = text.split('\n');
    for (const r of m.risks.rows) assert.match(lines[r.line], /^\s*- /, `row ${r.key} at line ${r.line}`);
    assert.strictEqual(m.checklist.ready, true);
    assert.strictEqual(m.checklist.nextLevel, 8);
    assert.ok(m.checklist.next.some((i) => i.field === 'testing.deployment' && i.quote?.text));
    // Blocks in the order of the paper's Figure 2, each on its own line.
    const order = m.blocks.map((b) => b.key);
    assert.deepStrictEqual(order.slice(0, 4), ['owners', 'tldr', 'data', 'sim_to_real']);
    for (const b of m.blocks) assert.match(lines[b.line], new RegExp(`^${b.key}:`));
    assert.deepStrictEqual(m.problems, []);
  });

  it('marks the component that holds a system back, and shows a cycle back in the history', () => {
    const cards = {
      'file:///w/system.trl.yaml': 'technology: S\nid: SYS\nlevel: 5\ncomponents: [PART]\nhistory:\n  - level: 4\n    date: 2020-01-01\n  - level: 3\n    date: 2020-02-01\n    decision: revert\n  - level: 5\n',
      'file:///w/part.trl.yaml': 'technology: Part\nid: PART\nlevel: 3\n',
    };
    const m = modelOf('file:///w/system.trl.yaml', cards['file:///w/system.trl.yaml'], cards);
    assert.deepStrictEqual(
      m.components.map((c) => [c.written, c.uri, c.technology, c.level, c.limiting]),
      [['PART', 'file:///w/part.trl.yaml', 'Part', 3, true]],
    );
    assert.strictEqual(m.rolledUpLevel, 3);
    assert.deepStrictEqual(
      m.history.map((h) => [h.level, h.back, h.date ?? null]),
      [
        [4, false, '2020-01-01'],
        [3, true, '2020-02-01'],
        [5, false, null],
      ],
    );
    assert.match(bodyHtml(m), /the system is at TRL 3/);
  });

  it('never throws on a card that is not a card', () => {
    for (const text of ['', '- a\n- b\n', 'level: [1\n', 'requirements: 3\nhistory: {a: 1}\ncomponents: [1, {x: 2}]\n', 'level: 12\n']) {
      const m = modelOf('file:///w/x.trl.yaml', text, {});
      assert.strictEqual(m.modelVersion, 2);
      assert.ok(m.level === null || (m.level >= 0 && m.level <= 9));
      assert.ok(cardHtmlFile(m).startsWith('<!DOCTYPE html>'));
    }
  });
});

describe('preview HTML', () => {
  it('matches the golden HTML of a small card, and the export allows its own stylesheet only', () => {
    const text = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'render', 'small.trl.yaml'), 'utf8');
    const model = modelOf('file:///cards/small.trl.yaml', text, { 'file:///cards/small.trl.yaml': text });
    const html = bodyHtml(model).replace(/></g, '>\n<') + '\n';
    const file = path.join(ROOT, 'test', 'fixtures', 'render', 'small.html');
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, html);
    assert.strictEqual(html, fs.readFileSync(file, 'utf8'));
    const page = cardHtmlFile(model);
    const [, hash] = /style-src 'sha256-([^']+)'/.exec(page) ?? [];
    const [, css] = /<style>([\s\S]*)<\/style>/.exec(page) ?? [];
    assert.strictEqual(hash, createHash('sha256').update(css, 'utf8').digest('base64'), 'the CSP hash is that of the inline stylesheet');
    assert.match(page, /content="default-src 'none'; style-src 'sha256-[^']+'; img-src data:"/);
    assert.doesNotMatch(page, /<script/i);
  });

  it('escapes every string of a hostile card: only the tags and attributes the renderer writes remain', () => {
    const text = fs.readFileSync(path.join(ROOT, 'test', 'vscode', 'workspace', 'hostile', 'hostile.trl.yaml'), 'utf8');
    const html = bodyHtml(modelOf('file:///w/hostile/hostile.trl.yaml', text, {}));
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
    const allowed = new Set(['header', 'h1', 'h2', 'h3', 'span', 'div', 'main', 'aside', 'section', 'nav', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'p', 'b', 'code', 'blockquote', 'footer', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'wbr']);
    assert.deepStrictEqual([...tags].filter((t) => !allowed.has(t)), []);
    const attrs = new Set([...html.matchAll(/<[a-z][\w-]*((?:\s+[\w-]+="[^"]*")*)\s*>/g)].flatMap((m) => [...m[1].matchAll(/([\w-]+)="/g)].map((a) => a[1])));
    assert.deepStrictEqual([...attrs].filter((a) => !['class', 'title', 'data-line', 'data-end-line', 'data-key', 'data-uri', 'data-href', 'data-label', 'href', 'aria-hidden', 'aria-label', 'id'].includes(a)), []);
    // The page's own ids only (the parts the verdict links to).
    for (const m of html.matchAll(/ id="([^"]*)"/g)) assert.ok(['head', 'verdict', 'checklist', 'problems', 'changes', 'ladder', 'risks', 'face-head', 'face-blocks', 'blocks'].includes(m[1]), m[1]);
    // Every tag's attributes were all parsed: a stray quote would leave a tag unmatched above.
    assert.strictEqual([...html.matchAll(/<[a-z]/g)].length, [...html.matchAll(/<[a-z][\w-]*((?:\s+[\w-]+="[^"]*")*)\s*>/g)].length);
    for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1], /^(#[\w-]*|https?:\/\/.*)$/);
    assert.ok(html.includes('&lt;script&gt;window.parent.__trlPwned'));
  });

  it('links only http(s) URLs', () => {
    assert.strictEqual(valueHtml('see javascript:alert(1) and data:text/html,x'), '<span class="text">see javascript:alert(1) and data:text/html,x</span>');
    // The link's text may break after a `/` or before `?` and `&`, never inside a word.
    assert.match(valueHtml('docs at https://example.org/a?b=1&c=2.'), /<a href="https:\/\/example.org\/a\?b=1&amp;c=2" data-href="https:\/\/example.org\/a\?b=1&amp;c=2" class="external">https:\/\/example.org\/<wbr>a<wbr>\?b=1<wbr>&amp;c=2<\/a>\.<\/span>$/);
    assert.strictEqual(esc(`<a href="x" onclick='y'>&`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
    assert.doesNotMatch(riskRowHtml({ key: 'k', list: 'requirements', index: 0, line: 0, endLine: 0, band: 'high', text: '<b>x</b>', id: '"><i>' }), /<b>|<i>/);
  });

  it('puts the verdict first: the level, ready or what is missing (the first of it), the problems by severity, the risks, links to every part', () => {
    const uri = pathToFileURL(path.join(EXAMPLES, 'solar-array.level-6.trl.yaml')).toString();
    const cards = exampleCards();
    const service = getLanguageService();
    const previous = { uri: pathToFileURL(path.join(EXAMPLES, 'solar-array.level-4.trl.yaml')).toString(), written: './solar-array.level-4.trl.yaml' };
    const card = service.parse(cards[uri]);
    const m = service.preview(doc(cards[uri], uri), card, 1, {}, indexOf(cards), { ...previous, data: cardValueOf(cards[previous.uri]) });
    const html = bodyHtml(m);
    // The verdict's header is the first thing on the page, before the reviewer's parts and the face.
    const at = (s: string) => html.indexOf(s);
    assert.ok(at('class="verdict-head"') < at('id="checklist"') && at('id="checklist"') < at('class="face"'), html.slice(0, 300));
    const verdict = html.slice(at('id="verdict"'), at('</header>'));
    assert.match(verdict, /<p class="status (ready|missing)">/);
    assert.match(verdict, /Problems<\/span> <span class="count-error[^"]*">\d+ errors?<\/span>, <span class="count-warning[^"]*">\d+ warnings?<\/span>/);
    assert.match(verdict, /Risks<\/span> Risk total [\d.]+ \(\d+ requirements? \+ \d+ critical scenarios?\)/);
    const jumps = [...verdict.matchAll(/href="#([\w-]+)"/g)].map((x) => x[1]);
    assert.deepStrictEqual(jumps, ['checklist', 'problems', 'risks', 'changes', 'ladder']);
    for (const id of jumps) assert.ok(html.includes(` id="${id}"`), id);
    // Not ready: how many items are missing, and the first of them.
    const missing = { ...m.checklist, ready: false, reasons: ['2 items missing for TRL 6: `a`, `b`', 'the review decided `hold`'], unmet: [...m.checklist.unmet, { field: 'working_group', level: 5, severity: 'error' as const, reason: 'names the group', why: 'missing', line: 3 }, { field: 'x', level: 6, severity: 'warning' as const, reason: 'r', why: 'missing', line: 4 }] };
    const v = bodyHtml({ ...m, checklist: missing });
    assert.match(v, /Not ready: 2 items missing for TRL 6\.<\/b> <span class="first" data-line="3">First: <code class="field">working_group<\/code>/);
    // The count is said once; the other reasons are listed.
    assert.match(v, /<ul class="reasons"><li>the review decided `hold`<\/li><\/ul>/);
  });

  it('draws the face as Figure 2: its rows in the figure\'s order, the previous cards beside the TRL, the metrics as a table', () => {
    const uri = pathToFileURL(path.join(EXAMPLES, 'solar-array.level-7.trl.yaml')).toString();
    const cards = exampleCards();
    const html = bodyHtml(modelOf(uri, cards[uri], cards));
    const face = html.slice(html.indexOf('class="face-card"'), html.indexOf('id="blocks"'));
    const labels = [...face.matchAll(/class="face-label">([^<]*)</g)].map((x) => x[1]);
    assert.deepStrictEqual(labels, [
      'Technology name', 'TRL', 'R&amp;D owner / reviewer', 'Prod owner / reviewer', 'Component codes', 'TL;DR', 'Data considerations', 'Sim-to-real', 'Ethics', 'Model / alg details', 'Metrics, results', 'Caveats, known edge cases, recommendations', 'Key assumptions', 'Intended use',
    ]);
    assert.match(face, /<b>7<\/b> <span class="level-name">Integrations<\/span> <span class="beside">previous cards:<\/span> <ul class="refs inline"><li data-line="\d+"><span class="card-ref">\.\/solar-array\.level-0\.trl\.yaml<\/span> <span class="trl">\(TRL 0\)<\/span>/);
    assert.match(face, /Amira Haddad &lt;amira\.haddad@example\.org&gt; <span class="sep">\/<\/span> <span[^>]*>Lena Brandt/);
    assert.match(face, /<table class="values"><thead><tr><th>Name<\/th><th>Value<\/th><th>Dataset<\/th><th>Notes<\/th><\/tr><\/thead>/);
    // The owners are the face's rows, not a block again; the rest of the card below the face.
    assert.ok(!/data-key="owners"/.test(html));
    assert.match(html.slice(html.indexOf('id="blocks"')), /data-key="hypotheses"/);
  });

  it('shows hidden characters, never applies them; a word too long for any column scrolls in its own box', () => {
    const text = fs.readFileSync(path.join(ROOT, 'test', 'vscode', 'workspace', 'hostile', 'bidi.trl.yaml'), 'utf8');
    const m = modelOf('file:///w/hostile/bidi.trl.yaml', text, {});
    const html = cardHtmlFile(m);
    assert.ok(!/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/.test(html), 'no hidden character reaches the page, in text or in an attribute');
    assert.match(html, /<h1 class="title" data-line="4">&lt;img src=x&gt;<span class="hidden-char" title="U\+202E right-to-left override: [^"]*">⟨U\+202E⟩<\/span>lmth\.exe/);
    assert.match(html, /Mallory <span class="hidden-char"[^>]*>⟨U\+202E⟩<\/span>moc\.elpmaxe@yrollam/);
    assert.match(html, /zero<span class="hidden-char"[^>]*>⟨U\+200B⟩<\/span>width/);
    assert.match(html, /<title>&lt;img src=x&gt;⟨U\+202E⟩lmth\.exe — TRL 4<\/title>/);
    const long = /<span class="long-word" title="(abcdefghij){20}…">(abcdefghij){1000}<\/span>/;
    assert.match(html, long);
  });

  it('writes the next level\'s checklist as a plan: no severity badge, how firmly the level will ask', () => {
    const c = { level: 4, ready: false, reasons: [], unmet: [], nextLevel: 5, next: [{ field: 'owners.product.owner', level: 5, severity: 'error' as const, reason: 'A product owner takes over.', why: 'missing', line: 2 }] };
    const html = checklistHtml(c);
    assert.match(html, /<h3>Plan for TRL 5<\/h3>/);
    assert.match(html, /<li class="plan" data-line="2"><span class="todo" aria-hidden="true">☐<\/span> <code class="field">owners\.product\.owner<\/code> <span class="why">\(required at TRL 5\)<\/span>/);
    assert.ok(!/sev-|class="sev"/.test(html.slice(html.indexOf('Plan for'))), html);
  });

  it('shows changes a reviewer can read: word diffs, long values folded, lists item by item, the risk only when it moved, a choice of the card to compare with', () => {
    const long = 'word '.repeat(80);
    const c = {
      previous: { uri: 'file:///w/a.trl.yaml', written: './a.trl.yaml', level: 3 },
      added: [],
      removed: [],
      changed: [
        { path: 'tldr', before: `${long}old tail of the text`, after: `${long}new tail of the text`, line: 3 },
        { path: 'caveats', line: 5, items: [{ change: 'added' as const, label: '#2', after: 'A new caveat.', line: 7 }] },
      ],
      requirements: [{ id: '1', change: 'changed' as const, text: 'Converges.', fields: [{ field: 'p_failure', before: 0.2, after: 0.1 }], riskBefore: 1.6, riskAfter: 0.8, line: 9 }, { id: '2', change: 'changed' as const, text: 'Is fast.', fields: [{ field: 'status', before: 'proposed', after: 'verified' }] }],
    };
    const html = changesHtml(c, [
      { written: './a.trl.yaml', uri: 'file:///w/a.trl.yaml', level: 3, line: 1 },
      { written: './b.trl.yaml', uri: 'file:///w/b.trl.yaml', level: 2, line: 2 },
      { written: 'https://wiki.example.org/c', line: 3 },
    ]);
    // The long value folded (its whole text inside), the summary on its first change.
    assert.match(html, /<details class="fold"><summary><span class="diff">… word word[ \w]*<del>old<\/del><ins>new<\/ins> tail of the text<\/span> <span class="more">\(420 characters: show all\)<\/span><\/summary><span class="diff">word word/);
    assert.match(html, /<li class="added" data-line="7"><span class="badge added">added<\/span> <span class="item-label">#2<\/span> <ins class="whole">A new caveat\.<\/ins><\/li>/);
    assert.match(html, /<code>1<\/code> <span class="rtext">Converges\.<\/span> <span class="risk-move">risk 1\.6 → 0\.8<\/span><dl class="field-changes"><dt><code>p_failure<\/code><\/dt><dd><span class="before">0\.2<\/span> <span class="arrow">→<\/span> <span class="after">0\.1<\/span><\/dd><\/dl>/);
    assert.ok(!/Is fast\.<\/span> <span class="risk-move">/.test(html), 'no risk move when the risk did not move');
    // The cards the workspace resolved, the one compared with selected.
    assert.match(html, /<select id="compare-with"><option value="\.\/a\.trl\.yaml" selected>\.\/a\.trl\.yaml \(TRL 3\)<\/option><option value="\.\/b\.trl\.yaml">\.\/b\.trl\.yaml \(TRL 2\)<\/option><\/select>/);
  });
});

