/** The .vsix carries what the extension needs at run time, with its icon; the npm package carries the checker and the server. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

describe('the package', () => {
  it('the .vsix lists the extension\'s run-time files only (vsce ls), and an icon of 128×128', function () {
    this.timeout(60_000);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const files = r.stdout.trim().split('\n').map((l) => l.trim()).sort();
    for (const needed of ['package.json', 'dist/extension.js', 'dist/server.js', 'dist/charts.js', 'schemas/trl-card.schema.json', 'schemas/levels.json', 'snippets/trl-card.json', 'syntaxes/trl-card.tmLanguage.json', 'language-configuration.json', 'docs/rules.md', 'images/icon.png', 'dist/media/preview.js', 'dist/media/preview.css', 'dist/media/portfolio.js', 'dist/media/portfolio.css', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      assert.ok(files.includes(needed), `${needed} in ${files.join(', ')}`);
    }
    for (const f of files) {
      assert.ok(!/^(dist\/cli\.js|dist\/test\/|.*\.map$|test\/|scripts\/|client\/|server\/|protocol\/|examples\/|node_modules\/|docs\/(architecture|performance)\.md)/.test(f), `${f} should not be in the .vsix`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const png = fs.readFileSync(path.join(ROOT, pkg.icon));
    assert.strictEqual(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(!/>= ?22/.test(JSON.stringify(pkg.engines)));
  });

  it('the npm package (pre-commit installs it) carries the checker and the server', function () {
    this.timeout(60_000);
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path);
    for (const needed of ['dist/cli.js', 'dist/server.js', 'dist/charts.js', 'schemas/trl-card.schema.json', 'docs/rules.md', 'package.json']) assert.ok(files.includes(needed), `${needed} in ${files.join(', ')}`);
    assert.ok(!files.some((f) => /^(test|scripts|client|server)\/|dist\/test\/|\.vsix$/.test(f)), files.join(', '));
  });
});
