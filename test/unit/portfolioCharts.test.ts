/**
 * The portfolio's charts (services/portfolioCharts.ts): a distinct look for every series, names
 * in the legend as in the tables, a `<title>` with its values on every mark, and the cards a
 * click on a mark opens.
 */
import * as assert from 'assert';
import { computePortfolio } from '../../server/src/workspace/portfolio';
import { MAX_LADDER_SERIES, portfolioCharts, seriesStyle } from '../../server/src/services/portfolioCharts';
import { indexOf } from '../helpers';

const TODAY = '2026-06-01';

/** `n` technologies, each with a dated history (0 → 1 → 2), moved on different days. */
function cards(n: number, name = (i: number) => `Technology ${String.fromCharCode(65 + i)}`): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const day = String(1 + i).padStart(2, '0');
    out[`file:///w/t${i}.trl.yaml`] = `technology: "${name(i)}"\nid: T-${i}\nlevel: ${i % 3 === 0 ? 1 : 2}\nhistory:\n  - { level: 0, date: 2025-01-${day} }\n  - { level: 1, date: 2025-03-${day} }\n${i % 3 === 0 ? '' : `  - { level: 2, date: 2025-05-${day} }\n`}`;
  }
  return out;
}

/** The attributes of each element of an SVG text that carries `data-series`, with its `<title>`. */
function marks(svg: string): { attrs: Record<string, string>; title?: string }[] {
  const out: { attrs: Record<string, string>; title?: string }[] = [];
  for (const m of svg.matchAll(/<(\w+)\b([^>]*\sdata-series="[^"]*"[^>]*)>(?:<title>([^<]*)<\/title>)?/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push({ attrs, ...(m[3] !== undefined ? { title: m[3] } : {}) });
  }
  return out;
}

describe('portfolio charts', () => {
  it(`gives each of ${MAX_LADDER_SERIES} series its own colour, dash and marker, in the SVG as drawn`, () => {
    const looks = Array.from({ length: 42 }, (_, i) => seriesStyle(i));
    assert.strictEqual(new Set(looks.map((s) => `${s.colour}|${s.symbol}`)).size, 42, 'colour and marker repeat together only after 42');
    assert.strictEqual(new Set(looks.slice(0, 18).map((s) => `${s.colour}|${s.dash ?? ''}`)).size, 18, 'colour and dash differ for the first 18');
    const p = computePortfolio(indexOf(cards(MAX_LADDER_SERIES + 2)), { today: TODAY });
    const ladder = portfolioCharts(p).find((c) => c.name === 'ladder')!;
    const all = marks(ladder.svg);
    const series = new Set(all.map((m) => m.attrs['data-series']));
    assert.strictEqual(series.size, MAX_LADDER_SERIES);
    // Per series: its line's stroke and dash, its markers' shape (the path of the symbol, without its place).
    const look = new Map<string, string>();
    for (const s of series) {
      const line = all.find((m) => m.attrs['data-series'] === s && m.attrs['data-kind'] === 'line');
      const point = all.find((m) => m.attrs['data-series'] === s && m.attrs['data-kind'] === 'chart');
      assert.ok(line && point, `series ${s} has a line and points`);
      look.set(s, `${line.attrs.stroke}|${line.attrs['stroke-dasharray'] ?? ''}|${point.attrs.d}|${point.attrs.fill}`);
    }
    assert.strictEqual(new Set(look.values()).size, MAX_LADDER_SERIES, [...look.values()].join('\n'));
    // ECharts' own palette is not used (two of its blues were one theme colour).
    assert.ok(!/#5070dd|#0ca8df/i.test(ladder.svg));
  });

  it('names the series in the legend and the table as the dashboard’s tables do, made unique', () => {
    const p = computePortfolio(indexOf(cards(4, (i) => (i < 2 ? 'Radar' : `Lidar ${i}`))), { today: TODAY });
    const ladder = portfolioCharts(p).find((c) => c.name === 'ladder')!;
    const texts = [...ladder.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const name of ['Radar (T-0)', 'Radar (T-1)', 'Lidar 2', 'Lidar 3']) assert.ok(texts.includes(name), `${name} in ${JSON.stringify(texts)}`);
    assert.ok(!texts.includes('T-2'), 'not the id');
    assert.deepStrictEqual(ladder.table.rows.map((r) => r[0]).sort(), ['Lidar 2', 'Lidar 3', 'Radar (T-0)', 'Radar (T-1)']);
  });

  it('puts the values of every bar, box and point in its title, and names the cards a click opens', () => {
    const p = computePortfolio(indexOf(cards(5)), { today: TODAY });
    const [now, time, ladder] = portfolioCharts(p);
    // Levels now: T-0 and T-3 at 1, the others at 2.
    const bars = marks(now.svg).filter((m) => m.attrs['data-kind'] === 'chart');
    assert.strictEqual(bars.length, 10, 'a bar per level');
    assert.strictEqual(bars[1].title, 'TRL 1 (Goal-Oriented Research): 2 technologies now: Technology A, Technology D');
    assert.strictEqual(bars[3].title, 'TRL 3 (Systems Development): 0 technologies now');
    assert.deepStrictEqual(now.links?.['0:2'].map((l) => l.uri), ['file:///w/t1.trl.yaml', 'file:///w/t2.trl.yaml', 'file:///w/t4.trl.yaml']);
    assert.strictEqual(now.links?.['0:3'], undefined, 'an empty bar opens nothing');
    // Days per level: the boxes of the levels with completed stays.
    const boxes = marks(time.svg).filter((m) => m.title);
    assert.deepStrictEqual(boxes.map((b) => b.title), ['TRL 1 (Goal-Oriented Research): median 59 days, Q1 59, Q3 59, min 59, max 59 (3 technologies timed)']);
    // The ladder: each point its level and date, each line and legend entry its technology's path; a series opens its card.
    const points = marks(ladder.svg).filter((m) => m.attrs['data-kind'] === 'chart');
    assert.ok(points.every((m) => /^Technology [A-E]: TRL \d (from |now \()\d{4}-\d\d-\d\d\)?$/.test(m.title ?? '')), JSON.stringify(points.map((m) => m.title)));
    const legend = marks(ladder.svg).filter((m) => m.attrs['data-kind'] === 'legend');
    assert.strictEqual(legend.length, 5);
    const first = legend.find((m) => m.title?.startsWith('Technology B'))!;
    const b = p.technologies.find((t) => t.key === 'T-1')!;
    assert.strictEqual(first.title, `Technology B: TRL 0 → TRL 1 → TRL 2, at TRL 2 since ${b.since}`);
    assert.deepStrictEqual(ladder.links?.[first.attrs['data-series']], [{ label: 'Technology B', uri: 'file:///w/t1.trl.yaml' }]);
    // No ECharts mark attribute is left: the dashboard's allow-list would drop them anyway.
    assert.ok(!/ecmeta_/.test(now.svg + time.svg + ladder.svg));
  });

  it('escapes card text in titles and legends, and shows hidden characters', () => {
    const p = computePortfolio(indexOf(cards(2, (i) => (i ? '<script>x</script> & \\"q\\"' : 'Mallory \\u202emoc'))), { today: TODAY });
    for (const c of portfolioCharts(p)) {
      assert.ok(!/<script|\u202e/.test(c.svg), c.name);
      for (const m of marks(c.svg)) assert.ok(!/[<>]/.test(m.title ?? ''), m.title);
    }
    const ladder = portfolioCharts(p).find((c) => c.name === 'ladder')!;
    assert.ok(ladder.svg.includes('<title>Mallory \\u202emoc: TRL'), 'the override shown as an escape in the tooltip');
    assert.ok(ladder.svg.includes('&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;: TRL'));
  });
});
