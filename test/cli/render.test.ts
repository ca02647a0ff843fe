/** `trl-cards render`: the card as the preview shows it, as a process. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';
import { COMPLETE, run, tempDir } from './checker';

describe('trl-cards render', () => {
  const examples = path.join(ROOT, 'examples', 'solar-array');

  it('writes one self-contained HTML page with the card, its components and what changed since the previous card', () => {
    const { dir, remove } = tempDir('trl-render-');
    after(remove);
    const out = path.join(dir, 'card.html');
    const r = run(['render', 'solar-array.level-7.trl.yaml', '--out', out], examples);
    assert.strictEqual(r.code, 0, r.err);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<h1 class="title" data-line="\d+">Solar Array Optimization <span class="version">v1\.0\.0<\/span>/);
    assert.match(html, /SOLAR-4\.2<\/span> <span class="ref-name">Tracker telemetry pipeline<\/span> <span class="trl">TRL 7<\/span>/);
    assert.match(html, /Changes since <span class="prev">\.\/solar-array\.level-6\.trl\.yaml<\/span> \(TRL 6\)/);
    // The verdict before the reviewer's parts and the card face; print styles for A4.
    assert.ok(html.indexOf('Ready to graduate to TRL 8.') < html.indexOf('id="checklist"'));
    assert.match(html, /@page \{\s*size: A4;/);
    assert.doesNotMatch(html, /<script/i);
  });

  it('writes Markdown to stdout', () => {
    const r = run(['render', 'solar-array.level-2.trl.yaml', '--format', 'md'], examples);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^# Multivariate Bayesian Optimisation/);
    // The verdict first, under the title.
    assert.match(r.out, /^# .*\n\n\*\*TRL 2 — Proof of Principle[^*]*\*\* · (✅|❌)/);
    assert.match(r.out, /\| Current level \| TRL 2 — Proof of Principle/);
    assert.match(r.out, /## Changes since/);
  });

  it('writes the pull-request view: the verdict, the checklist, the problems and the changes since the previous card (or the one chosen)', () => {
    const r = run(['render', 'solar-array.level-7.trl.yaml', '--format', 'md', '--review'], examples);
    assert.strictEqual(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.strictEqual(lines[0], '# Solar Array Optimization v1.0.0');
    assert.strictEqual(lines[2], '**TRL 7 — Integrations** · ✅ **Ready to graduate to TRL 8.**');
    assert.match(r.out, /\*\*Problems:\*\* 0 errors, 0 warnings, 0 information · \*\*Risks:\*\* Risk total [\d.]+ \(\d+ requirements \+ \d+ critical scenarios?\)/);
    assert.match(r.out, /## Changes since the previous card\n\nCompared with \[\.\/solar-array\.level-6\.trl\.yaml\]\(<\.\/solar-array\.level-6\.trl\.yaml>\) \(TRL 6\)\./);
    assert.match(r.out, /- `ethics\.status`: in-progress → done/);
    assert.ok(!r.out.includes('Summary info') && !r.out.includes('## Requirements and risks'), 'the card itself is left out');
    const older = run(['render', 'solar-array.level-7.trl.yaml', '--format', 'md', '--review', '--compare', './solar-array.level-4.trl.yaml'], examples);
    assert.strictEqual(older.code, 0, older.err);
    assert.match(older.out, /Compared with \[\.\/solar-array\.level-4\.trl\.yaml\]\(<\.\/solar-array\.level-4\.trl\.yaml>\) \(TRL 4\)\./);
    assert.match(older.out, /- `ethics\.status`: in-progress → done/);
    assert.match(older.out, /- `components`:\n {2}- added #2: SOLAR-4\.2\n {2}- added #3: SOLAR-4\.3/);
  });

  it('refuses what it cannot do, with exit status 2 and a reason', () => {
    const { dir, write, remove } = tempDir('trl-render-');
    after(remove);
    write('a.trl.yaml', COMPLETE);
    const cases: [string[], RegExp][] = [
      [['render'], /give exactly one card/],
      [['render', 'a.trl.yaml', 'b.trl.yaml'], /give exactly one card \(got 2\)/],
      [['render', 'a.trl.yaml', '--format', 'pdf'], /--format takes 'html' or 'md', not 'pdf'/],
      [['render', 'a.trl.yaml', '--out'], /--out needs a value/],
      [['render', 'a.trl.yaml', '--out', 'b.trl.yaml'], /never writes over a card/],
      [['render', 'missing.trl.yaml'], /missing\.trl\.yaml: /],
      [['render', 'a.trl.yaml', '--bogus'], /unknown option '--bogus'/],
      [['render', 'a.trl.yaml', '--compare', './b.trl.yaml'], /--compare: '\.\/b\.trl\.yaml' is not an entry of the card's previous list/],
    ];
    for (const [args, message] of cases) {
      const r = run(args, dir);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message, args.join(' '));
    }
    assert.ok(!fs.existsSync(path.join(dir, 'b.trl.yaml')));
    assert.strictEqual(run(['render', '--help'], dir).code, 0);
  });
});
