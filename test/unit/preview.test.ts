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
import { bodyHtml, esc, riskRowHtml, valueHtml } from '../../server/src/render/html';
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
      assert.strictEqual(m.modelVersion, 1);
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
    const allowed = new Set(['header', 'h1', 'h2', 'h3', 'span', 'div', 'main', 'aside', 'section', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'p', 'b', 'code', 'blockquote', 'footer', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a']);
    assert.deepStrictEqual([...tags].filter((t) => !allowed.has(t)), []);
    const attrs = new Set([...html.matchAll(/<[a-z][\w-]*((?:\s+[\w-]+="[^"]*")*)\s*>/g)].flatMap((m) => [...m[1].matchAll(/([\w-]+)="/g)].map((a) => a[1])));
    assert.deepStrictEqual([...attrs].filter((a) => !['class', 'title', 'data-line', 'data-end-line', 'data-key', 'data-uri', 'data-href', 'href'].includes(a)), []);
    // Every tag's attributes were all parsed: a stray quote would leave a tag unmatched above.
    assert.strictEqual([...html.matchAll(/<[a-z]/g)].length, [...html.matchAll(/<[a-z][\w-]*((?:\s+[\w-]+="[^"]*")*)\s*>/g)].length);
    for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1], /^(#|https?:\/\/)/);
    assert.ok(html.includes('&lt;script&gt;window.parent.__trlPwned'));
  });

  it('links only http(s) URLs', () => {
    assert.strictEqual(valueHtml('see javascript:alert(1) and data:text/html,x'), '<span class="text">see javascript:alert(1) and data:text/html,x</span>');
    assert.match(valueHtml('docs at https://example.org/a?b=1&c=2.'), /<a href="https:\/\/example.org\/a\?b=1&amp;c=2" data-href="https:\/\/example.org\/a\?b=1&amp;c=2" class="external">https:\/\/example.org\/a\?b=1&amp;c=2<\/a>\.<\/span>$/);
    assert.strictEqual(esc(`<a href="x" onclick='y'>&`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
    assert.doesNotMatch(riskRowHtml({ key: 'k', list: 'requirements', index: 0, line: 0, endLine: 0, band: 'high', text: '<b>x</b>', id: '"><i>' }), /<b>|<i>/);
  });
});
