/** `trl-cards report` as a process: formats, --out with relative links, exit codes; `check` on the example portfolio. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';
import { run, tempDir } from './checker';

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
    const { dir } = tempDir('trl-report-');
    const out = path.join(dir, 'site', 'portfolio.html');
    fs.mkdirSync(path.dirname(out));
    const r = run(['report', path.join(ROOT, 'examples', 'portfolio'), '--format', 'html', '--out', out], ROOT);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.out, '');
    const html = fs.readFileSync(out, 'utf8');
    const rel = path.relative(path.dirname(out), path.join(ROOT, 'examples', 'portfolio', 'route', 'map-matcher.trl.yaml')).split(path.sep).join('/');
    assert.ok(html.includes(`href="${rel}"`), rel);
    assert.ok(!/<script/i.test(html));
  });

  it('exits 2 on paths that name no card, a bad option, or an output it cannot write', () => {
    const missing = run(['report', 'no/such/folder'], ROOT);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.err, /no\/such\/folder/);
    const { dir, write } = tempDir('trl-report-');
    write('notes.txt', 'not a card');
    assert.strictEqual(run(['report', dir], ROOT).code, 2);
    const format = run(['report', 'examples/portfolio', '--format', 'pdf'], ROOT);
    assert.deepStrictEqual([format.code, /--format takes 'md', 'html' or 'json'/.test(format.err)], [2, true]);
    assert.strictEqual(run(['report', 'examples/portfolio', '--today', '2026-02-30x'], ROOT).code, 2);
    const cannot = run(['report', 'examples/portfolio', '--out', path.join(dir, 'no', 'such', 'dir', 'r.md')], ROOT);
    assert.deepStrictEqual([cannot.code, /cannot write/.test(cannot.err)], [2, true]);
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
});
