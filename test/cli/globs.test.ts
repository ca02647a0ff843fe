/** Globs on the checker's command line, read as shells (with globstar) and other linters read them: `**`, braces, classes. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';
import { run, tempDir, type JsonRow } from './checker';

/** A card with one warning, so that every card checked shows in the JSON rows. */
const WARNS = 'technology: x\nlevel: 0\nversion: "1.0"\n';

describe('trl-cards check with globs', () => {
  let t: ReturnType<typeof tempDir>;
  before(() => {
    t = tempDir('trl-globs-');
    for (const f of ['a.trl.yaml', 'b.trl.yml', 'sub/c.trl.yaml', 'sub/deep/d.trl.yml', 'other/e.trl.yaml', '.github/f.trl.yaml', 'sub/notes.yaml', '[draft].trl.yaml']) t.write(f, WARNS);
  });
  after(() => t.remove());

  /** The files checked, from their rows. */
  const checked = (pattern: string) => {
    const r = run(['check', '--format', 'json', pattern], t.dir);
    assert.notStrictEqual(r.code, 2, `${pattern}: ${r.err}`);
    return [...new Set((JSON.parse(r.out) as JsonRow[]).map((x) => x.file.split(path.sep).join('/')))].sort();
  };

  const cases: [string, string[]][] = [
    ['**/*.trl.{yaml,yml}', ['.github/f.trl.yaml', '[draft].trl.yaml', 'a.trl.yaml', 'b.trl.yml', 'other/e.trl.yaml', 'sub/c.trl.yaml', 'sub/deep/d.trl.yml']],
    ['*.trl.yaml', ['[draft].trl.yaml', 'a.trl.yaml']],
    ['sub/**/*.trl.yml', ['sub/deep/d.trl.yml']],
    ['sub/**', ['sub/c.trl.yaml', 'sub/deep/d.trl.yml', 'sub/notes.yaml']],
    ['{sub,other}/*.trl.yaml', ['other/e.trl.yaml', 'sub/c.trl.yaml']],
    ['[ab].trl.y*ml', ['a.trl.yaml', 'b.trl.yml']],
    ['?.trl.y?ml', ['a.trl.yaml']],
    ['./sub/deep/*', ['sub/deep/d.trl.yml']],
    ['\\[draft\\]*.yaml', ['[draft].trl.yaml']],
    // A path that exists is that path, even when it reads as a glob.
    ['[draft].trl.yaml', ['[draft].trl.yaml']],
  ];
  for (const [pattern, files] of cases) {
    it(`'${pattern}'`, () => assert.deepStrictEqual(checked(pattern), files));
  }

  it('a glob that matches nothing is a usage error', () => {
    const r = run(['check', '**/*.trl.json'], t.dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /\*\*\/\*\.trl\.json: no file matches this pattern\./);
    assert.strictEqual(run(['check', 'missing/**/*.trl.yaml'], t.dir).code, 2);
  });

  it('checks the examples with a brace pattern as with their folder (issue 22)', () => {
    const glob = run(['check', '--format', 'json', 'examples/**/*.trl.{yaml,yml}'], ROOT);
    const folder = run(['check', '--format', 'json', 'examples'], ROOT);
    assert.notStrictEqual(glob.code, 2, glob.err);
    assert.strictEqual(glob.code, folder.code);
    assert.strictEqual(glob.out, folder.out);
    const cards = fs.readdirSync(path.join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.trl\.ya?ml$/.test(f));
    assert.match(run(['check', 'examples/**/*.trl.{yaml,yml}'], ROOT).err, new RegExp(`^${cards.length} cards checked: `, 'm'));
  });
});
