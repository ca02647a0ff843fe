/**
 * `trl-cards report` as a process: formats, --out with relative links, exit codes; `check` on
 * the example portfolio. Cards read in worker threads (the checker's bundle) give the same
 * portfolio and report as cards read in one thread.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { markdownReport, portfolioOf } from '../../server/src/cli/report';
import { ROOT } from '../helpers';
import { CLI, run, tempDir } from './checker';

const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86400000).toISOString().slice(0, 10);

/**
 * `count` cards of a varied portfolio: technologies with a card per level up to theirs, dated
 * histories (some with a revert and a cycle back), targets, risks, components by id, text
 * that needs escaping, and odd cards: a syntax error, an empty file, a level that is a word.
 */
function writePortfolio(write: (rel: string, text: string) => void, count: number): void {
  let n = 0;
  for (let t = 0; n < count; t++) {
    const top = t % 6;
    for (let l = 0; l <= top && n < count; l++, n++) {
      const file = `team-${t % 7}/t${t}/t${t}-${l}.trl.yaml`;
      if (n % 101 === 50) {
        write(file, '');
        continue;
      }
      const L = [`technology: Tech ${t}${t % 13 === 0 ? ' ✨ <b>|</b>' : ''}`, `id: T-${t}`, n % 89 === 7 ? 'level: high' : `level: ${l}`];
      if (t % 7 === 3) L.push('entered_at: 0');
      L.push('owners:', '  rnd:', `    owner: Owner ${t % 11}`);
      if (l > 0) L.push('previous:', `  - ./t${t}-${l - 1}.trl.yaml`);
      if (t % 3 === 0 && t > 0) L.push('components:', `  - T-${t - 1}`);
      L.push('history:');
      const revert = t % 4 === 0 && l >= 2;
      const steps = revert ? [...Array.from({ length: l + 1 }, (_, k) => k), l - 1, l] : Array.from({ length: l + 1 }, (_, k) => k);
      steps.forEach((level, k) => L.push(`  - { level: ${level}, date: ${day(t * 3 + k * 45)}, decision: ${k === steps.length - 1 ? 'hold' : level > steps[k + 1] ? 'revert' : 'graduate'} }`));
      if (l === top && top < 9) L.push('targets:', `  - { level: ${top + 1}, by: ${day(t * 5 + 900)} }`);
      L.push('requirements:');
      for (let k = 0; k <= t % 4; k++) L.push(`  - id: R${k}`, `    text: "Requirement ${k} of ${t}: keep \\ and | in text"`, `    p_failure: 0.${k + 1}`, `    value: ${(t % 10) + 1}`, ...(k % 2 ? ['    mitigation: Fallback.'] : []));
      if (t % 5 === 0) L.push('critical_scenarios:', `  - scenario: Scenario of ${t}`, '    risk: 5');
      if (n % 97 === 13) L.push('targets: [ { level: 3');
      write(file, L.join('\n') + '\n');
    }
  }
}

describe('trl-cards report', () => {
  it('prints the Markdown report of the example portfolio, and exits 0', () => {
    const r = run(['report', 'examples/portfolio', '--today', '2026-11-15'], ROOT);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.err, '');
    assert.strictEqual(r.out, fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'portfolio', 'examples.report.md'), 'utf8'));
  });

  it('prints JSON, the portfolio itself', () => {
    const r = run(['report', 'examples/portfolio', '--format=json', '--today=2026-11-15'], ROOT);
    assert.strictEqual(r.code, 0, r.err);
    const p = JSON.parse(r.out) as { version: number; today: string; technologies: { key: string }[] };
    assert.deepStrictEqual([p.version, p.today, p.technologies.length], [1, '2026-11-15', 5]);
  });

  it('writes HTML to --out, with links relative to that file', () => {
    const { dir, remove } = tempDir('trl-report-');
    try {
      const out = path.join(dir, 'site', 'portfolio.html');
      fs.mkdirSync(path.dirname(out));
      const r = run(['report', path.join(ROOT, 'examples', 'portfolio'), '--format', 'html', '--out', out], ROOT);
      assert.strictEqual(r.code, 0, r.err);
      assert.strictEqual(r.out, '');
      const html = fs.readFileSync(out, 'utf8');
      const rel = path.relative(path.dirname(out), path.join(ROOT, 'examples', 'portfolio', 'route', 'map-matcher.trl.yaml')).split(path.sep).join('/');
      assert.ok(html.includes(`href="${rel}"`), rel);
      assert.ok(!/<script/i.test(html));
    } finally {
      remove();
    }
  });

  it('exits 2 on paths that name no card, a bad option, or an output it cannot write', () => {
    const missing = run(['report', 'no/such/folder'], ROOT);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.err, /no\/such\/folder/);
    const { dir, write, remove } = tempDir('trl-report-');
    try {
      write('notes.txt', 'not a card');
      assert.strictEqual(run(['report', dir], ROOT).code, 2);
      const format = run(['report', 'examples/portfolio', '--format', 'pdf'], ROOT);
      assert.deepStrictEqual([format.code, /--format takes 'md', 'html' or 'json'/.test(format.err)], [2, true]);
      assert.strictEqual(run(['report', 'examples/portfolio', '--today', '2026-02-30x'], ROOT).code, 2);
      // Days that do not exist, not read as the 2nd of March or the 1st of May.
      for (const [day, why] of [['2026-02-30', 'February 2026 has 28 days'], ['2026-04-31', 'April 2026 has 30 days'], ['2026-13-01', 'there is no month 13']]) {
        const r = run(['report', 'examples/portfolio', `--today=${day}`], ROOT);
        assert.deepStrictEqual([r.code, r.out, r.err], [2, '', `trl-cards report: --today takes a date, YYYY-MM-DD: '${day}' is not a day of the calendar (${why}).\n`]);
      }
      const cannot = run(['report', 'examples/portfolio', '--out', path.join(dir, 'no', 'such', 'dir', 'r.md')], ROOT);
      assert.deepStrictEqual([cannot.code, /cannot write/.test(cannot.err)], [2, true]);
    } finally {
      remove();
    }
  });

  it('check: the example portfolio has no error, and only the overdue target it is meant to have', () => {
    const r = run(['check', 'examples/portfolio', '--format', 'json'], ROOT);
    assert.strictEqual(r.code, 0, r.out + r.err);
    const rows = JSON.parse(r.out) as { file: string; code: string; severity: string }[];
    const notHints = rows.filter((x) => x.severity !== 'hint');
    // The ROUTE target (2027-02-28) becomes overdue too once that date has passed on this machine.
    const expected = new Date() > new Date('2027-02-28T23:59:59') ? 2 : 1;
    assert.strictEqual(notHints.length, expected, JSON.stringify(rows));
    assert.ok(notHints.every((x) => x.code === 'target-overdue' && x.severity === 'warning'));
    assert.ok(notHints.some((x) => x.file.endsWith('weld-defects.level-2.trl.yaml')));
  });

  it('gives the same report when worker threads read the cards as when one thread does', async () => {
    const { dir, write, remove } = tempDir('trl-report-threads-');
    try {
      writePortfolio(write, 1500);
      const stats = { byWorkers: 0 };
      const errors: string[][] = [[], []];
      const one = await portfolioOf([dir], dir, '2026-11-15', (e) => errors[0].push(e));
      const threads = await portfolioOf([dir], dir, '2026-11-15', (e) => errors[1].push(e), { jobs: 3, script: CLI, stats, mainThread: false });
      assert.ok(one && threads);
      assert.strictEqual(stats.byWorkers, 1500, 'the workers read every card');
      assert.strictEqual(one.summary.cards, 1500);
      assert.ok(one.technologies.some((t) => t.cycles > 0) && one.targets.some((t) => t.status === 'overdue') && one.summary.heldBack > 0, 'a varied portfolio');
      assert.deepStrictEqual(errors, [[], []]);
      assert.deepStrictEqual(threads, one);
      assert.strictEqual(markdownReport(threads, dir), markdownReport(one, dir));
    } finally {
      remove();
    }
  });
});
