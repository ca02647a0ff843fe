/** The checker output the docs show is the checker's own (scripts/doc-output.mjs writes it; `npm run docs`). */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

describe('checker output in the docs', () => {
  it('is what the checker prints now, under each command of examples/README.md and README.md', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'doc-output.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stderr, '');
  });

  it('examples/README.md shows the broken card\'s problems, one row each, and the clean cards\' summary', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples', 'README.md'), 'utf8');
    const blocks = [...text.matchAll(/<!-- checker-output[^>]*-->\n```console\n([\s\S]*?)```/g)].map((m) => m[1]);
    const broken = blocks.find((b) => b.startsWith('$ node dist/cli.js check examples/mistakes examples/solar-array\n'));
    assert.ok(broken, blocks.join('\n'));
    const rows = broken.split('\n').filter((l) => l.startsWith('examples/mistakes/broken.trl.yaml:'));
    // The seven mistakes: 1 and 7 are reported twice each.
    assert.strictEqual(rows.length, 9, broken);
    for (const code of ['unknown-field', 'out-of-range', 'risk-mismatch', 'invalid-semver', 'level-requirement', 'duplicate-requirement-id', 'syntax', 'wrong-type']) assert.ok(rows.some((l) => l.includes(` ${code} `)), code);
    assert.ok(blocks.some((b) => /^\$ node dist\/cli\.js check examples\/solar-array examples\/research\n9 cards checked: 0 errors, 0 warnings\.\n$/.test(b)), 'the clean cards');
  });
});
