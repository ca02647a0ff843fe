/** `trl-cards import`, as a process: writes once and never again, lists what is left, and its `.trl.yaml` checks without a syntax problem. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES } from '../helpers';
import { run, tempDir, type JsonRow } from './checker';

const authors = path.join(FIXTURES, 'authors');
const CARDS = ['mltrl_card_BO_level4.md', 'mltrl_card_BO_level8.md'];

describe('trl-cards import', () => {
  for (const file of CARDS) {
    it(`${file}: writes a .trl.yaml that the checker reads without a syntax or schema problem, and lists what is left on stderr`, () => {
      const { dir, remove } = tempDir('trl-import-');
      after(remove);
      fs.copyFileSync(path.join(authors, file), path.join(dir, file));
      const target = file.replace(/\.md$/, '.trl.yaml');
      const r = run(['import', file, '--out', target], dir);
      assert.strictEqual(r.code, 0, r.err);
      assert.strictEqual(r.out, '');
      const lines = r.err.trimEnd().split('\n');
      const listed = lines.filter((l) => l.startsWith(`${file}:`));
      assert.ok(listed.length >= 20, r.err);
      for (const l of listed) assert.match(l, new RegExp(`^${file.replace(/\./g, '\\.')}:\\d+: \\S`));
      assert.ok(listed.some((l) => /:\d+: requirement 1: `kind`/.test(l)));
      assert.match(lines[lines.length - 1], new RegExp(`wrote ${target.replace(/\./g, '\\.')}; \\d+ placeholders left for a person\\.$`));
      const checked = run(['check', '--format', 'json', target], dir);
      assert.ok(checked.code === 0 || checked.code === 1, checked.err);
      const rows = JSON.parse(checked.out) as JsonRow[];
      assert.ok(rows.length > 0, 'the checker reports the gaps of an imported card');
      const broken = ['syntax', 'duplicate-key', 'tab-indent', 'not-a-mapping', 'empty-card', 'unknown-field', 'wrong-type', 'invalid-value', 'out-of-range', 'invalid-format', 'missing-level', 'invalid-level'];
      assert.deepStrictEqual(rows.filter((p) => broken.includes(p.code)), []);
      // The placeholders it wrote are reported as such: each left entry is a gap the checker shows.
      assert.ok(rows.filter((p) => p.code === 'placeholder').length >= 10);
    });
  }

  it('prints a .trl.md on stdout without --out, front matter first', () => {
    const r = run(['import', path.join(authors, CARDS[0])], authors);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^---\ntechnology: Mixed-variable BO\nid: R02\.1\nlevel: 4\n/);
    assert.match(r.out, /\n---\n# MLTRL Card example - Bayesian optimization algorithm - level 4\n/);
    assert.match(r.err, /mltrl_card_BO_level4\.md:12: `ethics\.status`: the card says "WIP"/);
  });

  it('never overwrites: importing twice exits 2 with a message and leaves the first card as it was', () => {
    const { dir, remove } = tempDir('trl-import-');
    after(remove);
    fs.copyFileSync(path.join(authors, CARDS[1]), path.join(dir, 'card.md'));
    for (const out of ['card.trl.md', 'card.trl.yaml']) {
      const first = run(['import', 'card.md', '--out', out], dir);
      assert.strictEqual(first.code, 0, first.err);
      const written = fs.readFileSync(path.join(dir, out), 'utf8');
      fs.appendFileSync(path.join(dir, out), '# edited by hand\n');
      const again = run(['import', 'card.md', '--out', out], dir);
      assert.strictEqual(again.code, 2);
      assert.match(again.err, new RegExp(`${out.replace(/\./g, '\\.')}: the file exists, and import never overwrites a file`));
      assert.strictEqual(fs.readFileSync(path.join(dir, out), 'utf8'), written + '# edited by hand\n');
    }
    assert.match(fs.readFileSync(path.join(dir, 'card.trl.md'), 'utf8'), /^---\n/);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'card.trl.yaml'), 'utf8'), /^---/);
  });

  it('refuses what it cannot do, with exit status 2 and a reason', () => {
    const { dir, write, remove } = tempDir('trl-import-');
    after(remove);
    write('a.md', '# A\n');
    const cases: [string[], RegExp][] = [
      [['import'], /give exactly one Markdown card \(got 0\)/],
      [['import', 'a.md', 'b.md'], /give exactly one Markdown card \(got 2\)/],
      [['import', 'a.md', '--out', 'a.yaml'], /a \*\.trl\.md or \*\.trl\.yaml file, not 'a\.yaml'/],
      [['import', 'a.md', '--bogus'], /Unknown option '--bogus'/],
      [['import', 'missing.md'], /missing\.md: no such file or directory/],
      [['import', '.'], /^trl-cards import: \.: /],
    ];
    for (const [args, message] of cases) {
      const r = run(args, dir);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
    }
    assert.deepStrictEqual(fs.readdirSync(dir), ['a.md']);
  });

  it('has its help, and is in the overview', () => {
    const help = run(['import', '--help'], authors);
    assert.strictEqual(help.code, 0);
    assert.match(help.out, /^Usage: trl-cards import SOURCE\.md \[--out TARGET\]/);
    assert.strictEqual(run(['help', 'import'], authors).out, help.out);
    assert.match(run(['--help'], authors).out, /\n {2}import <card\.md> /);
  });
});
