/**
 * `trl-cards report [paths…] --format md|html|json [--out FILE] [--today YYYY-MM-DD]`: the
 * portfolio of the cards found (workspace/portfolio.ts) for CI. Markdown sized for a
 * pull-request comment or a job summary, JSON (the portfolio itself), or a self-contained HTML
 * page: inline CSS, its own CSP (`default-src 'none'; style-src 'unsafe-inline'`), no script,
 * the charts as SVG (services/portfolioCharts.ts) each beside its numbers. Every card text is
 * escaped (text/escape.ts). Exit 0, or 2 when the paths name no card or the output cannot be written.
 */
import { commandArgs, type OptionSpec } from './args';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { Portfolio, PortfolioTechnology, TargetStatus } from '../../../protocol/portfolio';
import { findCards } from '../files';
import type { Chart } from '../services/portfolioCharts';
import { calendarDateProblem, localDate } from '../text/date';
import { escapeHtml, hiddenHtml, markdownCell, jsonForTerminal, showControls } from '../text/escape';
import { WorkspaceIndex } from '../workspace/index';
import { computePortfolio } from '../workspace/portfolio';
import { argumentLine, notCheckedLine } from './format';
import { readFacts, readFactsParallel } from './reportFacts';
import { defaultThreads } from './threads';
import { REPORT_USAGE } from './usage';

export interface ReportIO {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Where a card is, for a reader of the report: a path relative to `base`, with `/`. */
function relative(uri: string, base: string): string {
  try {
    return path.relative(base, fileURLToPath(uri)).split(path.sep).join('/');
  } catch {
    return uri;
  }
}

/** A relative path as a link target (each segment percent-encoded). */
function href(rel: string): string {
  return rel.split('/').map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s))).join('/');
}

const STATUS: Record<TargetStatus, string> = { 'reached': 'reached', 'overdue': 'overdue', 'at-risk': 'at risk', 'on-track': 'on track', 'unknown': 'no estimate' };

const days = (n: number | null | undefined) => (n === null || n === undefined ? 'unknown' : `${Math.round(n)} d`);
const level = (n: number | undefined) => (n === undefined ? '–' : String(n));
const name = (t: PortfolioTechnology) => t.current.technology ?? t.key;

/** Technologies in report order: highest level first, then by key. */
function ordered(p: Portfolio): PortfolioTechnology[] {
  return [...p.technologies].sort((a, b) => (b.level ?? -1) - (a.level ?? -1) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Rows of plain text per section, shared by Markdown and HTML (each formats and escapes them). */
interface Cell {
  text: string;
  link?: string;
}
type Row = (string | Cell)[];
interface Table {
  head: string[];
  rows: Row[];
}

function tables(p: Portfolio, base: string): Record<'technologies' | 'levels' | 'transitions' | 'paths' | 'targets' | 'risks', Table> {
  const card = (uri: string, text: string): Cell => ({ text, link: href(relative(uri, base)) });
  const byKey = new Map(p.technologies.map((t) => [t.key, t]));
  return {
    technologies: {
      head: ['Technology', 'Id', 'TRL', 'System TRL', 'Limited by', 'At this level', 'Path', 'Owner'],
      rows: ordered(p).map((t) => [
        card(t.current.uri, name(t)),
        t.current.id ?? '',
        level(t.level),
        t.rolledUpLevel === undefined ? '' : String(t.rolledUpLevel),
        t.limitedBy ? card(t.limitedBy.uri, `${t.limitedBy.id ?? t.limitedBy.technology ?? 'component'} (TRL ${level(t.limitedBy.level)})`) : '',
        t.since ? `${days(t.daysAtLevel)} (since ${t.since})` : 'unknown',
        t.path.join(' → ') + (t.cycles ? ` (${t.cycles} cycle${t.cycles === 1 ? '' : 's'})` : ''),
        t.owner ?? '',
      ]),
    },
    levels: {
      head: ['TRL', 'Name', 'Now', 'Timed', 'Median', 'Q1–Q3', 'Unknown'],
      rows: p.levels.map((l) => [String(l.level), l.name, String(l.now), String(l.time?.n ?? 0), l.time ? days(l.time.median) : '–', l.time ? `${days(l.time.q1)} – ${days(l.time.q3)}` : '–', String(l.unknown)]),
    },
    transitions: {
      head: ['Move', 'Direction', 'Count'],
      rows: p.transitions.map((m) => [`${m.from} → ${m.to}`, m.to > m.from ? 'forward' : 'back', String(m.count)]),
    },
    paths: { head: ['Path', 'Technologies'], rows: p.paths.map((x) => [x.path.join(' → '), String(x.count)]) },
    targets: {
      head: ['Technology', 'Target', 'By', 'Status', 'Expected (medians)'],
      rows: [...p.targets]
        .sort((a, b) => order(a.status) - order(b.status) || a.by.localeCompare(b.by))
        .map((t) => [card(t.card.uri, byKey.get(t.technology) ? name(byKey.get(t.technology)!) : t.technology), `TRL ${t.level}`, t.by, STATUS[t.status], t.expected ?? '–']),
    },
    risks: {
      head: ['Risk', 'Technology', 'What', 'Mitigated'],
      rows: p.risks.map((r) => [String(r.risk), card(r.card.uri, r.card.technology ?? r.card.id ?? 'card'), `${r.kind === 'scenario' ? 'Scenario: ' : ''}${r.what}`, r.mitigated ? 'yes' : 'no']),
    },
  };
}

const order = (s: TargetStatus) => ['overdue', 'at-risk', 'unknown', 'on-track', 'reached'].indexOf(s);

function summaryLine(p: Portfolio): string {
  const s = p.summary;
  const t = s.targets;
  return `${s.technologies} technolog${s.technologies === 1 ? 'y' : 'ies'} on ${s.cards} card${s.cards === 1 ? '' : 's'}; ${s.undated} without dated history (time unknown); ${s.heldBack} system${s.heldBack === 1 ? '' : 's'} held back by a component; targets: ${t.overdue} overdue, ${t['at-risk']} at risk, ${t['on-track']} on track, ${t.unknown} with no estimate, ${t.reached} reached.`;
}

function bottleneckLine(p: Portfolio): string {
  if (p.bottlenecks.length === 0) return 'No level has a completed stay with known dates yet.';
  return 'Longest median time at a level: ' + p.bottlenecks.map((b) => `TRL ${b.level}, ${days(b.median)} (${b.n} technolog${b.n === 1 ? 'y' : 'ies'})`).join('; ') + '.';
}

// --- Markdown ---

function mdTable(t: Table): string[] {
  if (t.rows.length === 0) return ['None.'];
  const cell = (c: string | Cell) => (typeof c === 'string' ? markdownCell(c) : c.link ? `[${markdownCell(c.text)}](${c.link.replace(/[()\s]/g, encodeURIComponent)})` : markdownCell(c.text));
  return [`| ${t.head.join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function markdownReport(p: Portfolio, base: string): string {
  const t = tables(p, base);
  const lines = [`## TRL portfolio, ${p.today}`, '', markdownCell(summaryLine(p)), '', '### Technologies', '', ...mdTable(t.technologies), '', '### Levels', '', markdownCell(bottleneckLine(p)), '', ...mdTable(t.levels), ''];
  lines.push('### Targets', '', ...mdTable(t.targets), '', '### Paths and cycles', '', ...mdTable(t.paths), '', ...mdTable(t.transitions), '', '### Highest risks', '', ...mdTable(t.risks), '');
  lines.push('Times are whole days between dated `history` reviews; a technology without dated history counts as unknown. "At risk": at the portfolio\'s median time per level, the target date would pass first.');
  return lines.join('\n') + '\n';
}

// --- HTML ---

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.chart{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.chart figure{margin:0;flex:0 1 560px}
.chart svg{max-width:100%;height:auto}a{color:#0969da}
.hidden-char{font:.8em monospace;padding:0 2px;border:1px solid #cf222e;border-radius:3px;color:#cf222e;white-space:nowrap}
@media (prefers-color-scheme: dark){body{color:#e6edf3;background:#0d1117}th{background:#161b22}th,td{border-color:#30363d}a{color:#4493f8}}`;

function htmlTable(t: Table): string {
  if (t.rows.length === 0) return '<p>None.</p>';
  const cell = (c: string | Cell) => (typeof c === 'string' ? hiddenHtml(c) : c.link ? `<a href="${escapeHtml(c.link)}">${hiddenHtml(c.text)}</a>` : hiddenHtml(c.text));
  return `<table><thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The page, with the portfolio's `charts` (`portfolioCharts(p)`: ECharts is loaded only for this format). */
export function htmlReport(p: Portfolio, base: string, charts: readonly Chart[]): string {
  const t = tables(p, base);
  const figures = charts
    .map((c) => `<h2 id="${escapeHtml(c.name)}">${escapeHtml(c.title)}</h2><div class="chart"><figure role="img" aria-label="${escapeHtml(c.title)}">${c.svg}</figure>${htmlTable({ head: c.table.head, rows: c.table.rows })}</div>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TRL portfolio, ${escapeHtml(p.today)}</title>
<style>${CSS}</style></head><body>
<h1>TRL portfolio, ${escapeHtml(p.today)}</h1>
<p>${escapeHtml(summaryLine(p))}</p>
<h2>Technologies</h2>${htmlTable(t.technologies)}
${figures}
<h2>Levels</h2><p>${escapeHtml(bottleneckLine(p))}</p>${htmlTable(t.levels)}
<h2>Targets</h2>${htmlTable(t.targets)}
<h2>Paths and cycles</h2>${htmlTable(t.paths)}${htmlTable(t.transitions)}
<h2>Highest risks</h2>${htmlTable(t.risks)}
</body></html>
`;
}

/** Reading many cards in threads: how many, and the script the workers run (the checker's bundle, `dist/cli.js`). */
export interface Threads {
  jobs: number;
  script: string;
  /** Counts the files the workers read. */
  stats?: { byWorkers: number };
  /** False: the workers read every card, this thread none (a test of the workers' side). */
  mainThread?: boolean;
}

/** The portfolio of the cards named by `paths` (paths, directories, globs), read from disk (in `threads` when given and there are many). */
export async function portfolioOf(
  paths: readonly string[],
  cwd: string,
  today: string,
  err: (line: string) => void,
  threads?: Threads,
): Promise<Portfolio | undefined> {
  const found = findCards(paths.length ? paths : ['.'], cwd);
  const shown = (file: string) => path.relative(cwd, file) || file;
  for (const s of found.skipped) err(notCheckedLine(shown(s.path), s.reason));
  if (found.errors.length) {
    for (const e of found.errors) err(argumentLine(e.arg, e.message + '.'));
    return undefined;
  }
  const index = new WorkspaceIndex();
  index.complete = true;
  for (const r of threads && threads.jobs > 1
    ? await readFactsParallel(found.files, threads.jobs, threads.script, threads.stats, threads.mainThread)
    : readFacts(found.files)) {
    if (r.facts) index.set(r.facts);
    else err(notCheckedLine(shown(r.file), r.error ?? 'it could not be read'));
  }
  if (index.size === 0) {
    err('trl-cards: no card could be read.');
    return undefined;
  }
  return computePortfolio(index, { today });
}

const REPORT_OPTIONS: OptionSpec = {
  format: { type: 'string' },
  out: { type: 'string' },
  today: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export async function runReport(args: readonly string[], io: ReportIO): Promise<number> {
  const parsed = commandArgs(args, REPORT_OPTIONS, io, 'trl-cards report', REPORT_USAGE);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.values;
  const format = (o.format ?? 'md') as string;
  if (format !== 'md' && format !== 'html' && format !== 'json') {
    io.err(`trl-cards report: --format takes 'md', 'html' or 'json', not '${showControls(format)}'.`);
    return 2;
  }
  if (o.out === '') {
    io.err('trl-cards report: --out takes the path of the file to write.');
    return 2;
  }
  const out = o.out !== undefined ? path.resolve(io.cwd, o.out as string) : undefined;
  let today = localDate(new Date());
  if (o.today !== undefined) {
    const v = o.today as string;
    const wrong = v ? calendarDateProblem(v) : undefined;
    if (!v || wrong !== undefined) {
      io.err(`trl-cards report: --today takes a date, YYYY-MM-DD${v ? `: '${showControls(v)}' is ${wrong}` : ', e.g. --today 2026-06-30'}.`);
      return 2;
    }
    today = v;
  }
  const paths = parsed.positionals;
  let portfolio: Portfolio | undefined;
  try {
    portfolio = await portfolioOf(paths, io.cwd, today, io.err, { jobs: defaultThreads(), script: __filename });
  } catch {
    io.err('trl-cards report: the report stopped: an internal error (please report it).');
    return 2;
  }
  if (!portfolio) return 2;
  const base = out ? path.dirname(out) : io.cwd;
  const text = format === 'json' ? JSON.stringify(portfolio, null, 2) + '\n' : format === 'html' ? htmlReport(portfolio, base, (await import('../services/portfolioCharts')).portfolioCharts(portfolio)) : markdownReport(portfolio, base);
  if (out === undefined) {
    io.out((format === 'json' ? jsonForTerminal(text) : text).replace(/\n$/, ''));
    return 0;
  }
  try {
    fs.writeFileSync(out, text);
  } catch (e) {
    io.err(`trl-cards report: cannot write ${showControls(path.relative(io.cwd, out) || out)}: ${showControls((e as Error).message)}.`);
    return 2;
  }
  return 0;
}
