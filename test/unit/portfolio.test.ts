/**
 * The portfolio of examples/portfolio, on a fixed day: numbers checked by hand (see the
 * comments), golden Markdown and JSON reports (UPDATE_GOLDEN=1 rewrites them), the HTML report's
 * structure, escaping of hostile card text, and the targets rules across a technology's cards.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { htmlReport, markdownReport, portfolioOf } from '../../server/src/cli/report';
import { getLanguageService } from '../../server/src/languageService';
import { computePortfolio, cyclesOf, quantile, spread, staysOf } from '../../server/src/workspace/portfolio';
import { portfolioCharts } from '../../server/src/services/portfolioCharts';
import type { Portfolio } from '../../protocol/portfolio';
import { FIXTURES, ROOT, indexOf } from '../helpers';
import fc from 'fast-check';
import { MAX_RISKS_PER_CARD, progressFacts } from '../../server/src/workspace/progress';

const EXAMPLES = path.join(ROOT, 'examples', 'portfolio');
const GOLDEN = path.join(FIXTURES, 'portfolio');
const TODAY = '2026-11-15';

let example: Portfolio | undefined;
before(async () => {
  const errors: string[] = [];
  example = await portfolioOf([EXAMPLES], ROOT, TODAY, (e) => errors.push(e));
  assert.deepStrictEqual(errors, []);
});

function examplePortfolio(): Portfolio {
  assert.ok(example);
  return example;
}

/** The report with the machine's path to the examples replaced, so the golden file is the same everywhere. */
const portable = (text: string) => text.split(pathToFileURL(EXAMPLES).toString()).join('file:///EXAMPLES');

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !fs.existsSync(file)) {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, actual);
  }
  assert.strictEqual(actual, fs.readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Open and close tags balance (void elements and `/>` aside), so the page and its SVGs are well nested. */
function unbalanced(html: string): string[] {
  const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'area', 'base', 'col', 'source', 'wbr']);
  const stack: string[] = [];
  const problems: string[] = [];
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<!DOCTYPE[^>]*>/i, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    const tag = name.toLowerCase();
    if (self || (!close && VOID.has(tag))) continue;
    if (!close) stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`</${tag}> at ${m.index}`);
  }
  return [...problems, ...stack.map((t) => `<${t}> not closed`)];
}

describe('portfolio', () => {
  it('computes the example portfolio (numbers checked by hand)', () => {
    const p = examplePortfolio();
    const t = (key: string) => p.technologies.find((x) => x.key === key)!;
    assert.deepStrictEqual(p.technologies.map((x) => x.key), ['OCR', 'ROUTE', 'ROUTE-ETA', 'ROUTE-MAP', 'VISION']);
    assert.deepStrictEqual(
      {
        technologies: p.summary.technologies,
        cards: p.summary.cards,
        dated: p.summary.dated,
        undated: p.summary.undated,
        heldBack: p.summary.heldBack,
      },
      { technologies: 5, cards: 7, dated: 3, undated: 2, heldBack: 1 },
    );
    // VISION: 0 → 1 (2024-01-15 → 03-01: 16 + 29 + 1 = 46 d) → 2 (03-01 → 05-10: 30 + 30 + 10 = 70 d) → back to 1 (05-10 → 06-14: 21 + 14 = 35 d) → 2 since 2024-06-14 (884 d to 2026-11-15).
    const vision = t('VISION');
    assert.strictEqual(vision.current.uri, pathToFileURL(path.join(EXAMPLES, 'vision', 'weld-defects.level-2.trl.yaml')).toString());
    assert.strictEqual(vision.cards, 2);
    assert.deepStrictEqual(vision.path, [0, 1, 2, 1, 2]);
    assert.strictEqual(vision.cycles, 1);
    assert.deepStrictEqual(vision.time, [
      { level: 0, visits: 1, days: null },
      { level: 1, visits: 2, days: 81 },
      { level: 2, visits: 1, days: 70 },
    ]);
    assert.deepStrictEqual([vision.since, vision.daysAtLevel], ['2024-06-14', 884]);
    assert.deepStrictEqual(vision.transitions.filter((m) => m.to < m.from), [{ from: 2, to: 1, date: '2024-05-10' }]);
    // OCR entered at 4: its time at 4 is unknown; 5 from 2025-02-03 to 06-16 (25 + 31 + 30 + 31 + 16 = 133 d); at 6 since 2025-06-16.
    const ocr = t('OCR');
    assert.deepStrictEqual([ocr.enteredAt, ocr.path, ocr.time], [4, [4, 5, 6], [{ level: 4, visits: 1, days: null }, { level: 5, visits: 1, days: 133 }]]);
    assert.deepStrictEqual([ocr.since, ocr.daysAtLevel], ['2025-06-16', 517]);
    // ROUTE-MAP fell back from 6 to 5: 2024-09-02 → 2025-01-21 at 6 (28 + 31 + 30 + 31 + 21 = 141 d).
    assert.deepStrictEqual([t('ROUTE-MAP').path, t('ROUTE-MAP').time, t('ROUTE-MAP').cycles], [[5, 6, 5], [{ level: 5, visits: 1, days: null }, { level: 6, visits: 1, days: 141 }], 0]);
    // ROUTE is held back by its lowest component, the map matcher at 5; one dated review only: time unknown.
    const route = t('ROUTE');
    assert.deepStrictEqual([route.level, route.rolledUpLevel, route.limitedBy?.id, route.dated, route.daysAtLevel], [5, 5, 'ROUTE-MAP', false, null]);
    assert.strictEqual(t('ROUTE-ETA').daysAtLevel, null);
    // Levels: now and the median of completed stays.
    assert.deepStrictEqual(p.levels.map((l) => l.now), [0, 0, 1, 0, 0, 2, 2, 0, 0, 0]);
    assert.deepStrictEqual(p.levels.map((l) => l.time?.median ?? null), [null, 81, 70, null, null, 133, 141, null, null, null]);
    assert.deepStrictEqual(p.levels.map((l) => l.unknown), [1, 0, 0, 0, 1, 1, 0, 0, 0, 0]);
    assert.deepStrictEqual(p.bottlenecks.map((b) => b.level), [6, 5, 1]);
    // Targets: VISION's 3 by 2025-03-31 has passed; ROUTE needs the median 133 d at 5 → 2027-03-28, after 2027-02-28;
    // OCR has spent 517 d at 6, more than the median 141 d, so 7 is expected now, before 2027-06-30.
    assert.deepStrictEqual(
      p.targets.map((x) => [x.technology, x.level, x.by, x.status, x.expected]),
      [
        ['OCR', 7, '2027-06-30', 'on-track', '2026-11-15'],
        ['ROUTE', 6, '2027-02-28', 'at-risk', '2027-03-28'],
        ['VISION', 3, '2025-03-31', 'overdue', undefined],
      ],
    );
    assert.deepStrictEqual(p.summary.targets, { 'reached': 0, 'overdue': 1, 'at-risk': 1, 'on-track': 1, 'unknown': 0 });
    // Risks: p_failure × value, highest first, from the current cards only.
    assert.deepStrictEqual(p.risks.map((r) => [r.card.id, r.risk]), [['ROUTE-ETA', 2.45], ['VISION', 2.4], ['OCR', 2.25], ['VISION', 1], ['OCR', 0.4]]);
  });

  it('reads stays, cycles and spreads as documented', () => {
    // A hold stays at its level; the last review graduated: the current stay at the card's level started then.
    const s = staysOf([{ level: 3, date: '2024-01-01' }, { level: 3, date: '2024-01-11', decision: 'hold' }, { level: 3, date: '2024-01-21', decision: 'graduate' }], 4, '2024-01-31');
    assert.deepStrictEqual(s.stays, [{ level: 3, to: '2024-01-21', days: null, current: false }, { level: 4, from: '2024-01-21', days: 10, current: true }]);
    // An undated review makes the stays next to it unknown, never guessed; a stay ending before it starts too (3: 03-01 → 02-01); the current stay at 4 runs from 2024-02-01, 29 + 31 = 60 d.
    const u = staysOf([{ level: 0, date: '2024-01-01' }, { level: 1 }, { level: 2, date: '2024-03-01' }, { level: 3, date: '2024-02-01' }, { level: 4, date: '2024-02-15' }], 4, '2024-04-01');
    assert.deepStrictEqual(u.stays.map((x) => x.days), [null, null, null, null, 60]);
    assert.deepStrictEqual(staysOf([], 2, '2024-01-01').stays, [{ level: 2, days: null, current: true }]);
    assert.deepStrictEqual([cyclesOf([1, 2, 1, 2]), cyclesOf([1, 2, 1, 2, 1, 2]), cyclesOf([0, 1, 2, 1]), cyclesOf([3, 4, 2, 3, 4])], [1, 2, 0, 1]);
    assert.deepStrictEqual(spread([40, 10, 20, 30]), { n: 4, min: 10, q1: 17.5, median: 25, q3: 32.5, max: 40 });
    assert.strictEqual(quantile([5], 0.75), 5);
  });

  it('gives the golden Markdown and JSON reports of the examples', () => {
    const p = examplePortfolio();
    golden('examples.report.md', markdownReport(p, ROOT));
    golden('examples.report.json', portable(JSON.stringify(p, null, 2) + '\n'));
  });

  it('gives an HTML page that nests, has its charts as SVG with their numbers, a strict CSP and no script', () => {
    const p = examplePortfolio();
    const html = htmlReport(p, ROOT, portfolioCharts(p));
    assert.deepStrictEqual(unbalanced(html), []);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.strictEqual((html.match(/<svg[\s>]/g) ?? []).length, 3);
    assert.ok(!/<script/i.test(html) && !/\son[a-z]+=/i.test(html) && !/javascript:/i.test(html));
    assert.ok(!/(?:src|href)="(?:https?:)?\/\//i.test(html), 'no remote resource');
    for (const id of ['levels-now', 'time-per-level', 'ladder']) assert.match(html, new RegExp(`<h2 id="${id}">[^<]+</h2><div class="chart"><figure[^>]*><svg[\\s\\S]*?</svg></figure><table>`));
    // The numbers beside the time chart: TRL 5, one technology timed, median 133 days.
    assert.match(html, /<tr><td>5<\/td><td>1<\/td><td>133<\/td>/);
  });

  it('escapes card text in every format', () => {
    const evil = '<script>alert(1)</script> | *x* [l](javascript:x) \u202e';
    const index = indexOf({
      'file:///w/a.trl.yaml': `technology: "${evil.replace('\u202e', '\\u202e')}"\nid: "<img src=x onerror=alert(1)>"\nlevel: 2\nowners:\n  owner: "a|b <c>"\nrequirements:\n  - id: "1"\n    text: "</svg><script>x</script>"\n    p_failure: 0.5\n    value: 4\nhistory:\n  - { level: 1, date: 2024-01-01 }\n  - { level: 2, date: 2024-02-01 }\ntargets:\n  - { level: 3, by: 2030-01-01 }\n`,
    });
    const p = computePortfolio(index, { today: '2025-01-01' });
    const html = htmlReport(p, '/w', portfolioCharts(p));
    assert.ok(!/<script|<img/i.test(html));
    assert.deepStrictEqual(unbalanced(html), []);
    const md = markdownReport(p, '/w');
    assert.ok(!/<script|<img|\u202e/.test(md));
    // Each table row keeps its cells: the `|` in the text is escaped.
    const row = md.split('\n').find((l) => l.includes('alert(1)') && l.startsWith('| ['))!;
    assert.strictEqual(row.split(/(?<!\\)\|/).length - 2, 8);
    const json = JSON.parse(JSON.stringify(p)) as Portfolio;
    assert.strictEqual(json.technologies[0].current.technology, evil);
  });

  it("counts a system's target reached only when its components have reached it too (its rolled-up level)", () => {
    const index = indexOf({
      'file:///w/sys.trl.yaml': 'technology: System\nid: SYS\nlevel: 6\ncomponents: [PART]\ntargets:\n  - { level: 6, by: 2030-01-01 }\n  - { level: 4, by: 2030-01-01 }\n',
      'file:///w/part.trl.yaml': 'technology: Part\nid: PART\nlevel: 5\n',
    });
    const p = computePortfolio(index, { today: '2025-01-01' });
    const targets = p.technologies.find((t) => t.key === 'SYS')!;
    assert.strictEqual(targets.rolledUpLevel, 5);
    const views = p.targets.filter((t) => t.technology === 'SYS').map((t) => [t.level, t.status]);
    assert.deepStrictEqual(views.find(([l]) => l === 6)?.[1] === 'reached', false, 'its component is at TRL 5');
    assert.deepStrictEqual(views.find(([l]) => l === 4)?.[1], 'reached');
  });

  it('reports an overdue target once, and not on a snapshot whose technology went on to reach it', () => {
    const service = getLanguageService();
    const old = 'technology: t\nid: T\nlevel: 1\ntargets:\n  - { level: 2, by: 2024-06-30 }\n';
    const cards = { 'file:///w/t.level-1.trl.yaml': old, 'file:///w/t.level-2.trl.yaml': 'technology: t\nid: T\nlevel: 2\nprevious: [t.level-1.trl.yaml]\n' };
    const codes = (text: string, uri: string, withIndex: boolean) =>
      service.problems(service.parse(text), { today: '2025-01-01' }, withIndex ? { uri, index: indexOf(cards) } : undefined).filter((x) => x.code.startsWith('target-')).map((x) => x.code);
    assert.deepStrictEqual(codes(old, 'file:///w/t.level-1.trl.yaml', false), ['target-overdue']);
    assert.deepStrictEqual(codes(old, 'file:///w/t.level-1.trl.yaml', true), []);
    assert.deepStrictEqual(service.problems(service.parse(old)).filter((x) => x.code.startsWith('target-')), [], 'no date, no target problem');
  });
});

describe('the risk facts of a card', () => {
  it('are its highest risks, ties in card order: what sorting them all would give (property)', () => {
    const item = fc.record({ id: fc.constantFrom('R1', 'R2', 'R3', undefined), text: fc.constantFrom('a', 'b', ''), p_failure: fc.constantFrom(0, 0.1, 0.5, 0.5, 1, 2, undefined), value: fc.constantFrom(1, 2, 5, 10, 11), mitigation: fc.constantFrom('m', '', undefined) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), fc.array(fc.record({ scenario: fc.constantFrom('s', 't'), p_failure: fc.constantFrom(0.1, 0.5), value: fc.constantFrom(2, 5) }), { maxLength: 4 }), (requirements, critical_scenarios) => {
        const facts = progressFacts({ requirements, critical_scenarios });
        // Every rated item described alone, sorted stably, the first few kept.
        const every = [
          ...requirements.map((r) => progressFacts({ requirements: [r] }).risks[0]),
          ...critical_scenarios.map((s) => progressFacts({ critical_scenarios: [s] }).risks[0]),
        ].filter((x) => x !== undefined);
        const expected = every.sort((a, b) => b.risk - a.risk).slice(0, MAX_RISKS_PER_CARD);
        assert.deepStrictEqual(facts.risks, expected);
      }),
      { numRuns: 300 },
    );
  });
});
