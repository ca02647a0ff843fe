/**
 * The README's pull-request review workflow: its `run:` step (the cards the pull request adds or
 * changes, each rendered with `render --format md --review` into the job summary) run as the
 * runner runs it (bash -e, pipefail), in a git repository holding a base commit and a pull
 * request's commit on top. `npx trl-cards` is this build's dist/cli.js here; the package as
 * installed is test/package/actions.test.ts's.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ROOT } from '../helpers';
import { CLI, COMPLETE, tempDir } from './checker';

interface Step {
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  uses?: string;
}

/** The README's review workflow (the yaml block after its marker). */
function reviewWorkflow(): { on: unknown; jobs: Record<string, { steps: Step[] }> } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- github-actions-review:[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README marks its review workflow with <!-- github-actions-review: … -->');
  return parse(block[1]) as { on: unknown; jobs: Record<string, { steps: Step[] }> };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@trl-cards', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('the README\'s pull-request review workflow', () => {
  it('writes the review of each card the pull request adds or changes, and of no other, into the job summary', function () {
    this.timeout(60_000);
    const workflow = reviewWorkflow();
    assert.strictEqual(workflow.on, 'pull_request');
    const steps = Object.values(workflow.jobs)[0].steps;
    assert.deepStrictEqual(steps[0].with?.['fetch-depth'], 0, 'the checkout fetches the base commit');
    const review = steps.find((s) => s.run?.includes('render'));
    assert.ok(review?.run && review.env?.BASE === '${{ github.event.pull_request.base.sha }}', 'the step diffs against the pull request\'s base');
    assert.ok(review.run.includes('npx trl-cards render'), review.run);

    const t = tempDir('trl-review-');
    try {
      const work = path.join(t.dir, 'repo');
      fs.cpSync(path.join(ROOT, 'examples', 'solar-array'), path.join(work, 'cards'), { recursive: true });
      t.write('repo/notes.md', 'notes\n');
      git(work, 'init', '-q', '-b', 'main');
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'base');
      const base = git(work, 'rev-parse', 'HEAD');
      // The pull request: one card changed, one added (its name with a space and an accented
      // letter, which git quotes unless -z), one removed, a file that is not a card changed;
      // untouched cards are not reviewed.
      const level7 = path.join(work, 'cards', 'solar-array.level-7.trl.yaml');
      fs.writeFileSync(level7, fs.readFileSync(level7, 'utf8').replace(/^version: .*$/m, 'version: 1.0.1'));
      t.write('repo/cards/nouvelle carte é.trl.yaml', COMPLETE.replace('technology: x', 'technology: Added in the pull request'));
      fs.rmSync(path.join(work, 'cards', 'solar-array.level-0.trl.yaml'));
      t.write('repo/notes.md', 'notes, changed\n');
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'pull request');

      const summary = path.join(t.dir, 'summary.md');
      const command = review.run.replaceAll('npx trl-cards', `"${process.execPath}" "${CLI}"`);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', HOME: t.dir, CI: 'true', BASE: base, GITHUB_STEP_SUMMARY: summary },
        encoding: 'utf8',
        timeout: 45_000,
      });
      assert.strictEqual(r.status, 0, `${command}\n${r.stdout}${r.stderr}`);
      const text = fs.readFileSync(summary, 'utf8');
      // One review per card reviewed, each headed by its technology, its verdict under it.
      const titles = [...text.matchAll(/^# (.*)$/gm)].map((m) => m[1]).sort();
      assert.deepStrictEqual(titles, ['Added in the pull request', 'Solar Array Optimization v1.0.1']);
      assert.match(text, /^# Solar Array Optimization v1\.0\.1\n\n\*\*TRL 7 — Integrations\*\* · ✅ \*\*Ready to graduate to TRL 8\.\*\*/m);
      assert.match(text, /^# Added in the pull request\n\n\*\*TRL 0 — First Principles\*\* · /m);
      // The changes since the previous card, with the pull request's value in them.
      assert.match(text, /## Changes since the previous card\n\nCompared with \[\.\/solar-array\.level-6\.trl\.yaml\]/);
      assert.match(text, /- `version`: 0\.9\.0 → 1\.0\.1/);
      // The review, not the card: no face of it.
      assert.doesNotMatch(text, /\| Current level \|/);
    } finally {
      t.remove();
    }
  });
});
