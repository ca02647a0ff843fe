/**
 * The portfolio's charts as SVG text, drawn by Apache ECharts' server-side SVG renderer (no
 * DOM, no script, no remote resource in the output; ECharts escapes every text it writes).
 * Each chart comes with the numbers it draws as a table (header and rows of plain text), so a
 * reader, a screen reader or a test can read them without the picture. Pure: (portfolio) →
 * charts. The checker's HTML report embeds them; the dashboard does too.
 *
 * Every series looks different however many there are: a colour, a dash pattern and a marker
 * of its own (`seriesStyle`). Every bar, box, point and line carries its values as an SVG
 * `<title>` (a tooltip with no script, under any CSP) and `data-series` / `data-index` (the
 * dashboard's tooltips and clicks); `links` names the cards a bar, a point or a series stands
 * for, which a click opens.
 */
import * as echarts from 'echarts/core';
import { BarChart, BoxplotChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Portfolio, PortfolioTechnology } from '../../../protocol/portfolio';
import type { ChartLink } from '../../../protocol/portfolioMessages';
import { htmlEntities, showControls } from '../text/escape';

echarts.use([BarChart, BoxplotChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

export interface Chart {
  /** Stable name (an HTML id). */
  name: string;
  title: string;
  svg: string;
  table: { head: string[]; rows: string[][] };
  /** The cards a mark stands for, by `"<series>:<index>"` (a bar, a point) or `"<series>"` (a line, its legend entry). */
  links?: Record<string, ChartLink[]>;
}

/** Technologies drawn on the ladder chart: the most recently reviewed ones. */
export const MAX_LADDER_SERIES = 12;

const WIDTH = 560;
const HEIGHT = 300;
const TEXT = { color: '#6e7681' };

/**
 * The series colours (Okabe and Ito's palette for colour-blind readers, less its yellow), each
 * mapped to its own theme colour by the dashboard's stylesheet (webview/portfolio.css).
 */
export const SERIES_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9'] as const;
/** Dash patterns, in SVG's `stroke-dasharray` (none: a solid line). */
export const SERIES_DASHES = [undefined, [8, 4], [2, 3]] as const;
/** Marker shapes: 7, prime to the 6 colours, so colour and marker repeat together only after 42 series. */
export const SERIES_SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin', 'arrow'] as const;

/** The look of the `i`-th series: no two of the first 18 share colour and dash, none of the first 42 colour and marker. */
export function seriesStyle(i: number): { colour: string; dash?: readonly number[]; symbol: string } {
  const dash = SERIES_DASHES[Math.floor(i / SERIES_COLOURS.length) % SERIES_DASHES.length];
  return { colour: SERIES_COLOURS[i % SERIES_COLOURS.length], ...(dash ? { dash } : {}), symbol: SERIES_SYMBOLS[i % SERIES_SYMBOLS.length] };
}

/** Text for an SVG `<title>`: hidden characters shown as escapes, then XML-escaped. */
function svgText(text: string): string {
  return htmlEntities(showControls(text));
}

/**
 * The rendered SVG with ECharts' SSR marks (`ecmeta_series_index`, `ecmeta_data_index`,
 * `ecmeta_ssr_type`) turned into `data-series`, `data-index` and `data-kind` (`chart`, or
 * `legend`), and a `<title>` in each marked element: `tip(series, index)` for a data mark,
 * `tip(series)` for a legend entry. `lines` gives the series of a line path by its stroke and
 * dash (a line has no mark of its own): each gets `data-kind="line"` and `tip(series)`.
 */
function annotate(
  svg: string,
  tip: (series: number, index?: number) => string | undefined,
  lines?: (stroke: string, dash: string) => number | undefined,
): string {
  return svg.replace(/<(path|rect|circle|polyline|polygon)\b([^>]*?)(\/?)>(<\/\1>)?/g, (whole, tag: string, attrs: string, selfClosing: string, close: string | undefined) => {
    const meta = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];
    const series = meta('ecmeta_series_index');
    const index = meta('ecmeta_data_index');
    const kind = meta('ecmeta_ssr_type');
    let rest = attrs.replace(/\secmeta_\w+="[^"]*"/g, '');
    let s: number | undefined;
    let title: string | undefined;
    if (series !== undefined && /^\d+$/.test(series)) {
      s = Number(series);
      const i = kind === 'chart' && index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
      rest += ` data-series="${s}" data-kind="${kind === 'legend' ? 'legend' : 'chart'}"${i !== undefined ? ` data-index="${i}"` : ''}`;
      title = tip(s, i);
    } else if (lines && /\sfill="none"/.test(attrs)) {
      const stroke = /\sstroke="([^"]*)"/.exec(attrs)?.[1];
      const dash = /\sstroke-dasharray="([^"]*)"/.exec(attrs)?.[1] ?? '';
      s = stroke ? lines(stroke.toLowerCase(), dash) : undefined;
      if (s !== undefined) {
        rest += ` data-series="${s}" data-kind="line"`;
        title = tip(s);
      }
    }
    if (s === undefined) return whole;
    const body = title ? `<title>${svgText(title)}</title>` : '';
    return selfClosing || !close ? `<${tag}${rest}>${body}</${tag}>` : `<${tag}${rest}>${body}${close}`;
  });
}

function render(option: Record<string, unknown>, height = HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif', ...TEXT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const LEVEL_AXIS = { type: 'category', data: Array.from({ length: 10 }, (_, l) => `TRL ${l}`), axisLabel: TEXT };

/** A technology's name, as the dashboard's and the report's tables write it. */
export function technologyName(t: PortfolioTechnology): string {
  return t.current.technology ?? t.current.id ?? t.key;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function levelsNow(p: Portfolio): Chart {
  const at = p.levels.map((l) => p.technologies.filter((t) => t.level === l.level).sort((a, b) => technologyName(a).localeCompare(technologyName(b))));
  const links: Record<string, ChartLink[]> = {};
  at.forEach((ts, l) => {
    if (ts.length) links[`0:${l}`] = ts.map((t) => ({ label: technologyName(t), uri: t.current.uri }));
  });
  const tip = (_s: number, i?: number) => {
    if (i === undefined || !p.levels[i]) return undefined;
    const names = at[i].map(technologyName);
    return `TRL ${i} (${p.levels[i].name}): ${plural(p.levels[i].now, 'technology', 'technologies')} now${names.length ? `: ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, and ${names.length - 10} more` : ''}` : ''}`;
  };
  return {
    name: 'levels-now',
    title: 'Technologies at each level now',
    svg: annotate(render({ grid: { left: 40, right: 16, top: 16, bottom: 32 }, xAxis: LEVEL_AXIS, yAxis: { type: 'value', minInterval: 1, axisLabel: TEXT }, series: [{ type: 'bar', data: p.levels.map((l) => l.now), itemStyle: { color: '#3b82f6' } }] }), tip),
    table: { head: ['TRL', 'Name', 'Technologies now'], rows: p.levels.map((l) => [String(l.level), l.name, String(l.now)]) },
    links,
  };
}

function timePerLevel(p: Portfolio): Chart {
  const days = (n: number) => String(Math.round(n));
  const tip = (_s: number, i?: number) => {
    const l = i === undefined ? undefined : p.levels[i];
    if (!l?.time) return undefined;
    const t = l.time;
    return `TRL ${l.level} (${l.name}): median ${days(t.median)} days, Q1 ${days(t.q1)}, Q3 ${days(t.q3)}, min ${days(t.min)}, max ${days(t.max)} (${plural(t.n, 'technology', 'technologies')} timed)`;
  };
  return {
    name: 'time-per-level',
    title: 'Days spent at each level (completed stays, per technology)',
    svg: annotate(
      render({
        grid: { left: 48, right: 16, top: 16, bottom: 32 },
        xAxis: LEVEL_AXIS,
        yAxis: { type: 'value', name: 'days', nameTextStyle: TEXT, axisLabel: TEXT },
        series: [{ type: 'boxplot', data: p.levels.map((l) => (l.time ? [l.time.min, l.time.q1, l.time.median, l.time.q3, l.time.max] : [])), itemStyle: { color: '#dbeafe', borderColor: '#1d4ed8' } }],
      }),
      tip,
    ),
    table: {
      head: ['TRL', 'Technologies timed', 'Median days', 'Q1', 'Q3', 'Min', 'Max', 'Unknown'],
      rows: p.levels.map((l) => [String(l.level), String(l.time?.n ?? 0), l.time ? days(l.time.median) : '–', l.time ? days(l.time.q1) : '–', l.time ? days(l.time.q3) : '–', l.time ? days(l.time.min) : '–', l.time ? days(l.time.max) : '–', String(l.unknown)]),
    },
  };
}

/** The widest a legend entry's name is drawn (px): longer ones are cut with `…`. */
const LEGEND_TEXT = 160;

/** How many rows the legend takes for these names (a 32 px icon, about 7 px a character, 10 px apart). */
function legendRows(names: readonly string[]): number {
  let rows = names.length ? 1 : 0;
  let x = 0;
  for (const n of names) {
    const w = 32 + 5 + Math.min(LEGEND_TEXT, 7 * n.length) + 10;
    if (x > 0 && x + w > WIDTH - 20) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return rows;
}

/**
 * The technologies' names for a legend: hidden characters shown as escapes (the legend is drawn
 * text), made unique (a legend toggles series by name): a repeated name gets its key.
 */
function uniqueNames(ts: readonly PortfolioTechnology[]): string[] {
  const count = new Map<string, number>();
  for (const t of ts) count.set(technologyName(t), (count.get(technologyName(t)) ?? 0) + 1);
  return ts.map((t) => showControls(count.get(technologyName(t))! > 1 ? `${technologyName(t)} (${t.key})` : technologyName(t)));
}

function ladder(p: Portfolio): Chart {
  const dated = p.technologies.filter((t) => t.stays.some((s) => s.from !== undefined));
  dated.sort((a, b) => (b.stays.at(-1)?.from ?? '').localeCompare(a.stays.at(-1)?.from ?? '') || a.key.localeCompare(b.key));
  const shown = dated.slice(0, MAX_LADDER_SERIES);
  const names = uniqueNames(shown);
  const points: { date: string; level: number; now: boolean }[][] = shown.map((t) => {
    const out: { date: string; level: number; now: boolean }[] = [];
    for (const s of t.stays) if (s.from !== undefined) out.push({ date: s.from, level: s.level, now: false });
    const now = t.stays.at(-1);
    if (now?.current && now.from !== undefined) out.push({ date: p.today, level: now.level, now: true });
    return out;
  });
  const styles = shown.map((_, i) => seriesStyle(i));
  const series = shown.map((_, i) => {
    const st = styles[i];
    return {
      type: 'line',
      name: names[i],
      step: 'end',
      data: points[i].map((x) => [x.date, x.level]),
      symbol: st.symbol,
      symbolSize: 7,
      color: st.colour,
      itemStyle: { color: st.colour, borderColor: st.colour },
      lineStyle: { color: st.colour, width: 2, type: st.dash ? [...st.dash] : 'solid' },
    };
  });
  const links: Record<string, ChartLink[]> = {};
  shown.forEach((t, i) => (links[String(i)] = [{ label: names[i], uri: t.current.uri }]));
  const tip = (s: number, i?: number) => {
    const t = shown[s];
    if (!t) return undefined;
    if (i === undefined) return `${names[s]}: ${t.path.map((l) => `TRL ${l}`).join(' → ')}${t.since ? `, at TRL ${t.level ?? '?'} since ${t.since}` : ''}`;
    const x = points[s][i];
    return x ? `${names[s]}: TRL ${x.level} ${x.now ? `now (${x.date})` : `from ${x.date}`}` : undefined;
  };
  const dashOf = (d: readonly number[] | undefined) => (d ? d.join(' ') : '');
  const rows = legendRows(names);
  const byLook = new Map(styles.map((st, i) => [`${st.colour}|${dashOf(st.dash)}`, i]));
  return {
    name: 'ladder',
    title: `Level over time${dated.length > shown.length ? ` (the ${shown.length} most recently moved of ${dated.length} technologies)` : ''}`,
    svg: annotate(
      render(
        {
          legend: { type: 'plain', bottom: 0, textStyle: { ...TEXT, width: LEGEND_TEXT, overflow: 'truncate' }, itemWidth: 32 },
          grid: { left: 56, right: 16, top: 16, bottom: 40 + 20 * rows },
          xAxis: { type: 'time', axisLabel: TEXT },
          yAxis: { type: 'value', min: 0, max: 9, interval: 1, axisLabel: { ...TEXT, formatter: 'TRL {value}' } },
          series,
        },
        HEIGHT + 20 * rows,
      ),
      tip,
      (stroke, dash) => byLook.get(`${stroke}|${dash.replace(/,/g, ' ').replace(/\s+/g, ' ').trim()}`),
    ),
    table: { head: ['Technology', 'Path', 'At the current level since'], rows: shown.map((t, i) => [names[i], t.path.join(' → '), t.since ?? 'unknown']) },
    links,
  };
}

/** The report's charts, in order. */
export function portfolioCharts(p: Portfolio): Chart[] {
  return [levelsNow(p), timePerLevel(p), ladder(p)];
}
