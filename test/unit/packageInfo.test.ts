/** What the build takes from package.json (esbuild.js packageInfo): the version, and the rules reference on the web. */
import * as assert from 'assert';
import * as path from 'path';
import { ROOT } from '../helpers';

type Repository = string | { type?: string; url?: string; directory?: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is a CommonJS script outside the bundles, read at run time
const { packageInfo } = require(path.join(ROOT, 'esbuild.js')) as { packageInfo: (pkg: { version: string; repository?: Repository }) => { version: string; rulesUrl: string | undefined } };

describe('package info (esbuild.js)', () => {
  it('links docs/rules.md in the repository package.json names, over https, in every form npm accepts', () => {
    const want = 'https://github.com/acme/trl-cards/tree/HEAD/docs/rules.md';
    for (const repository of ['github:acme/trl-cards', 'acme/trl-cards', 'https://github.com/acme/trl-cards', 'git+https://github.com/acme/trl-cards.git', 'git@github.com:acme/trl-cards.git', { type: 'git', url: 'git+ssh://git@github.com/acme/trl-cards.git' }]) {
      assert.deepStrictEqual(packageInfo({ version: '1.2.3', repository }), { version: '1.2.3', rulesUrl: want }, JSON.stringify(repository));
    }
    assert.strictEqual(packageInfo({ version: '1.0.0', repository: { type: 'git', url: 'https://gitlab.com/acme/tools.git', directory: 'packages/trl-cards/' } }).rulesUrl, 'https://gitlab.com/acme/tools/tree/HEAD/packages/trl-cards/docs/rules.md');
  });

  it('links nothing when package.json names no repository, or one on a host it cannot link into', () => {
    for (const repository of [undefined, '', { type: 'git' }, 'https://git.example.org/trl-cards.git', 'file:../trl-cards']) {
      assert.strictEqual(packageInfo({ version: '1.0.0', ...(repository === undefined ? {} : { repository }) }).rulesUrl, undefined, JSON.stringify(repository));
    }
  });
});
