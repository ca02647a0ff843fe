/** The checker's output itself: file names shown escaped. */
import * as assert from 'assert';
import * as path from 'path';
import { posix, run, tempDir, type JsonRow } from './checker';

describe('trl-cards check output', () => {
  let dir: string;
  let write: (rel: string, text: string) => void;
  let remove: () => void;
  before(() => ({ dir, write, remove } = tempDir('trl-out-')));
  after(() => remove());

  it('escapes a file name with a line break and an escape sequence', function () {
    if (!posix) this.skip();
    write('names/we\nird\x1b[31m.trl.yaml', 'technology: x\nlevel: 1\n');
    const r = run(['check', 'names'], dir);
    const lines = r.out.trimEnd().split('\n');
    assert.ok(lines.length > 0 && lines.every((l) => l.startsWith(path.join('names', 'we\\nird\\x1b[31m.trl.yaml') + ':')), r.out);
    const json = JSON.parse(run(['check', '--format', 'json', 'names'], dir).out) as JsonRow[];
    assert.strictEqual(json[0].file, path.join('names', 'we\nird\x1b[31m.trl.yaml'), 'JSON keeps the real name');
  });
});
