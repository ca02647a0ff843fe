/**
 * The portfolio's charts as SVG text, drawn by Apache ECharts' server-side SVG renderer (no
 * DOM, no script, no remote resource in the output; ECharts escapes every text it writes).
 * Each chart comes with the numbers it draws as a table (header and rows of plain text), so a
 * reader, a screen reader or a test can read them without the picture. Pure: (portfolio) →
 * charts. The checker's HTML report embeds them; the dashboard can too.
 */
import * as echarts from 'echarts/core';
import { BarChart, BoxplotChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Portfolio } from '../../../protocol/portfolio';

echarts.use([BarChart, BoxplotChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

export interface Chart {
  /** Stable name (an HTML id). */
  name: string;
  title: string;
  svg: string;
  table: { head: string[]; rows: string[][] };
}

/** Technologies drawn on the ladder chart: the most recently reviewed ones. */
export const MAX_LADDER_SERIES = 12;

const WIDTH = 560;
const HEIGHT = 300;
const TEXT = { color: '#6e7681' };

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

function levelsNow(p: Portfolio): Chart {
  return {
    name: 'levels-now',
    title: 'Technologies at each level now',
    svg: render({ grid: { left: 40, right: 16, top: 16, bottom: 32 }, xAxis: LEVEL_AXIS, yAxis: { type: 'value', minInterval: 1, axisLabel: TEXT }, series: [{ type: 'bar', data: p.levels.map((l) => l.now), itemStyle: { color: '#3b82f6' } }] }),
    table: { head: ['TRL', 'Name', 'Technologies now'], rows: p.levels.map((l) => [String(l.level), l.name, String(l.now)]) },
  };
}

function timePerLevel(p: Portfolio): Chart {
  const days = (n: number) => String(Math.round(n));
  return {
    name: 'time-per-level',
    title: 'Days spent at each level (completed stays, per technology)',
    svg: render({
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: LEVEL_AXIS,
      yAxis: { type: 'value', name: 'days', nameTextStyle: TEXT, axisLabel: TEXT },
      series: [{ type: 'boxplot', data: p.levels.map((l) => (l.time ? [l.time.min, l.time.q1, l.time.median, l.time.q3, l.time.max] : [])), itemStyle: { color: '#dbeafe', borderColor: '#1d4ed8' } }],
    }),
    table: {
      head: ['TRL', 'Technologies timed', 'Median days', 'Q1', 'Q3', 'Min', 'Max', 'Unknown'],
      rows: p.levels.map((l) => [String(l.level), String(l.time?.n ?? 0), l.time ? days(l.time.median) : '–', l.time ? days(l.time.q1) : '–', l.time ? days(l.time.q3) : '–', l.time ? days(l.time.min) : '–', l.time ? days(l.time.max) : '–', String(l.unknown)]),
    },
  };
}

function ladder(p: Portfolio): Chart {
  const dated = p.technologies.filter((t) => t.stays.some((s) => s.from !== undefined));
  dated.sort((a, b) => (b.stays.at(-1)?.from ?? '').localeCompare(a.stays.at(-1)?.from ?? '') || a.key.localeCompare(b.key));
  const shown = dated.slice(0, MAX_LADDER_SERIES);
  const series = shown.map((t) => {
    const points: [string, number][] = [];
    for (const s of t.stays) if (s.from !== undefined) points.push([s.from, s.level]);
    const now = t.stays.at(-1);
    if (now?.current && now.from !== undefined) points.push([p.today, now.level]);
    return { type: 'line', name: t.key, step: 'end', data: points, symbolSize: 5 };
  });
  return {
    name: 'ladder',
    title: `Level over time${dated.length > shown.length ? ` (the ${shown.length} most recently moved of ${dated.length} technologies)` : ''}`,
    svg: render(
      {
        legend: { type: 'plain', bottom: 0, textStyle: TEXT },
        grid: { left: 56, right: 16, top: 16, bottom: 40 + 20 * Math.ceil(shown.length / 4) },
        xAxis: { type: 'time', axisLabel: TEXT },
        yAxis: { type: 'value', min: 0, max: 9, interval: 1, axisLabel: { ...TEXT, formatter: 'TRL {value}' } },
        series,
      },
      HEIGHT + 20 * Math.ceil(shown.length / 4),
    ),
    table: { head: ['Technology', 'Path', 'At the current level since'], rows: shown.map((t) => [t.key, t.path.join(' → '), t.since ?? 'unknown']) },
  };
}

/** The report's charts, in order. */
export function portfolioCharts(p: Portfolio): Chart[] {
  return [levelsNow(p), timePerLevel(p), ladder(p)];
}
