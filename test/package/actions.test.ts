/**
 * The README's GitHub Actions workflow, its `run:` steps run as the runner runs them (bash -e,
 * in a repository of cards), with the package installed from a git URL: a fresh clone of the
 * working tree (test/package/snapshot.ts) as `git+file://…#<commit>` where the README has
 * `github:<owner>/trl-cards#<tag>`. npm clones it, installs its development dependencies and
 * builds it (`prepare`), as it would from GitHub.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parse } from 'yaml';
import { ROOT } from '../helpers';
import { cleanEnv, snapshot } from './snapshot';

interface Step {
  run?: string;
  uses?: string;
  if?: string;
}

/** The README's workflow (the yaml block after its marker). */
function readmeWorkflow(): { jobs: Record<string, { steps: Step[] }> } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- github-actions:[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README marks its workflow with <!-- github-actions: … -->');
  return parse(block[1]) as { jobs: Record<string, { steps: Step[] }> };
}

describe('the README\'s GitHub Actions workflow, with the package from a git URL', function () {
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-actions-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('installs trl-cards, annotates nothing on clean cards, and writes a SARIF log whose help links open in a browser', () => {
    const steps = Object.values(readmeWorkflow().jobs)[0].steps;
    const runs = steps.filter((s) => s.run !== undefined).map((s) => s.run!);
    assert.ok(runs[0].includes('github:<owner>/trl-cards#<tag>'), runs[0]);
    assert.ok(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif')), 'the SARIF log is uploaded');
    const repo = path.join(tmp, 'trl-cards');
    const rev = snapshot(repo);
    // The repository of cards the workflow checks out.
    const work = path.join(tmp, 'work');
    fs.cpSync(path.join(ROOT, 'examples', 'solar-array'), path.join(work, 'cards'), { recursive: true });
    for (const run of runs) {
      const command = run.replace('github:<owner>/trl-cards#<tag>', `git+${pathToFileURL(repo).toString()}#${rev}`);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], { cwd: work, env: cleanEnv({ CI: 'true' }), encoding: 'utf8', timeout: 10 * 60_000 });
      assert.strictEqual(r.status, 0, `${command}\n${r.stdout}${r.stderr}`);
      if (run.includes('--format github')) assert.strictEqual(r.stdout, '', 'no annotation on clean cards');
    }
    assert.deepStrictEqual(fs.readdirSync(path.join(work, 'node_modules', '.bin')).sort(), ['trl-cards', 'trl-cards-language-server']);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'trl-cards.sarif'), 'utf8')) as { runs: { results: unknown[]; tool: { driver: { rules: { helpUri?: string }[] } } }[] };
    assert.deepStrictEqual(sarif.runs[0].results, []);
    const rules = sarif.runs[0].tool.driver.rules;
    assert.ok(rules.length > 20);
    // package.json names no repository: no help link, rather than a file on the runner. With one, https.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository?: unknown };
    for (const rule of rules) {
      if (pkg.repository === undefined) assert.strictEqual(rule.helpUri, undefined);
      else assert.match(rule.helpUri ?? '', /^https:\/\/[^#]+\/docs\/rules\.md#[a-z0-9-]+$/);
    }
  });
});
