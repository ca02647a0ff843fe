/**
 * The README's pre-commit lines, run by pre-commit itself against the working tree (a fresh
 * clone of it: test/package/snapshot.ts): pre-commit installs the hook its own way — `npm
 * install` in its clone (which builds through `prepare`), `npm pack`, whose stdout it takes
 * whole as the tarball's name, `npm install -g` of that tarball — and runs `trl-cards check` on
 * the files. `try-repo` once, then `run` with the README's configuration (one install, kept in a
 * PRE_COMMIT_HOME of the test's own). Skipped, saying so, without pre-commit; with CI=true a
 * missing pre-commit fails instead (.ci/run installs Debian's).
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, skipBecause } from '../helpers';
import { cleanEnv, git, snapshot } from './snapshot';

const CLI = path.join(ROOT, 'dist', 'cli.js');

/** The README's `.pre-commit-config.yaml` (the block after its marker) and its `--fix` line. */
function readmeConfig(): { config: string; fixHooks: string } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- pre-commit-config:[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README marks its pre-commit configuration with <!-- pre-commit-config: … -->');
  const fix = /`(hooks: \[\{ id: trl-cards, args: \[--fix\] \}\])`/.exec(readme);
  assert.ok(fix, 'the README shows the hook with args: [--fix]');
  return { config: block[1], fixHooks: fix[1] };
}

describe('pre-commit: the README\'s hook, installed by pre-commit from the working tree', function () {
  let tmp: string;
  let repo: string;
  let rev: string;
  let cards: string;
  let env: NodeJS.ProcessEnv;
  const preCommit = (...args: string[]) => {
    const r = spawnSync('pre-commit', [...args, '--color', 'never'], { cwd: cards, env, encoding: 'utf8', timeout: 10 * 60_000 });
    return { code: r.status, out: r.stdout + r.stderr };
  };
  /** The checker of this checkout on the same files: what the hook must show. */
  const checker = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: cards, encoding: 'utf8' });

  before(function () {
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    if (version.status !== 0) {
      if (process.env.CI) assert.fail('pre-commit is not installed: .ci/run installs Debian\'s pre-commit for this test.');
      skipBecause(this, 'pre-commit is not installed: install it (Debian\'s pre-commit, or pip\'s) to run the README\'s pre-commit lines');
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-pre-commit-'));
    repo = path.join(tmp, 'trl-cards');
    rev = snapshot(repo);
    // A team's repository of cards: a broken card, a clean system of cards, a card --fix can mend.
    cards = path.join(tmp, 'cards');
    fs.mkdirSync(cards);
    git(cards, 'init', '-q');
    fs.copyFileSync(path.join(ROOT, 'examples', 'mistakes', 'broken.trl.yaml'), path.join(cards, 'broken.trl.yaml'));
    fs.cpSync(path.join(ROOT, 'examples', 'solar-array'), path.join(cards, 'solar-array'), { recursive: true });
    const research = fs.readFileSync(path.join(ROOT, 'examples', 'research', 'cloud-nowcasting.level-0.trl.yaml'), 'utf8');
    assert.ok(research.includes('version: "0.1.0"'));
    fs.writeFileSync(path.join(cards, 'fixable.trl.yaml'), research.replace('version: "0.1.0"', 'version: "0.1"'));
    git(cards, 'add', '-A');
    git(cards, 'commit', '-q', '-m', 'cards');
    env = cleanEnv({ PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home') });
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('try-repo: installs the hook; a card with errors fails it, with the checker\'s problems shown', function () {
    this.timeout(10 * 60_000);
    const r = preCommit('try-repo', repo, 'trl-cards', '--files', 'broken.trl.yaml');
    const expected = checker('broken.trl.yaml');
    assert.strictEqual(expected.status, 1);
    assert.strictEqual(r.code, 1, r.out);
    assert.match(r.out, /^TRL cards\.+Failed$/m);
    assert.match(r.out, /^- exit code: 1$/m);
    for (const line of (expected.stdout + expected.stderr).trim().split('\n')) assert.ok(r.out.includes(line + '\n'), `the hook shows: ${line}\n\n${r.out}`);
  });

  describe('run, with the README\'s .pre-commit-config.yaml', () => {
    const configure = (hooks?: string) => {
      const { config, fixHooks } = readmeConfig();
      assert.ok(config.includes('https://github.com/<owner>/trl-cards') && config.includes('<tag or commit>') && config.includes('hooks: [{ id: trl-cards }]'), config);
      const text = config.replace('https://github.com/<owner>/trl-cards', repo).replace('<tag or commit>', rev).replace('hooks: [{ id: trl-cards }]', hooks === 'fix' ? fixHooks : 'hooks: [{ id: trl-cards }]');
      fs.writeFileSync(path.join(cards, '.pre-commit-config.yaml'), text);
      git(cards, 'add', '.pre-commit-config.yaml');
    };

    it('installs the hook, and a clean set of cards passes it', function () {
      this.timeout(10 * 60_000);
      configure();
      const files = ['solar-array/solar-array.level-7.trl.yaml', 'solar-array/components/mvbo-optimizer.trl.yaml'];
      assert.strictEqual(checker(...files).status, 0);
      const r = preCommit('run', '--files', ...files);
      assert.strictEqual(r.code, 0, r.out);
      assert.match(r.out, /^TRL cards\.+Passed$/m);
      // and the broken card fails it, as under try-repo
      assert.strictEqual(preCommit('run', '--files', 'broken.trl.yaml').code, 1);
    });

    it('with args: [--fix], writes the safe fixes (pre-commit reports the file changed), then passes', function () {
      this.timeout(10 * 60_000);
      configure('fix');
      const before = checker('fixable.trl.yaml');
      assert.match(before.stdout, /hint invalid-semver/);
      const first = preCommit('run', '--files', 'fixable.trl.yaml');
      assert.strictEqual(first.code, 1, first.out);
      assert.match(first.out, /^- files were modified by this hook$/m);
      assert.match(first.out, /fixable\.trl\.yaml: fixed 1 problem \(invalid-semver\)/);
      assert.match(fs.readFileSync(path.join(cards, 'fixable.trl.yaml'), 'utf8'), /^version: "0\.1\.0"$/m);
      const second = preCommit('run', '--files', 'fixable.trl.yaml');
      assert.strictEqual(second.code, 0, second.out);
      assert.match(second.out, /^TRL cards\.+Passed$/m);
    });
  });
});
