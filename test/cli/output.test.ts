/** The checker's output itself: file names shown escaped, and a quiet stop when its reader goes away. */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as path from 'path';
import { CLI, posix, run, tempDir, type JsonRow } from './checker';
import { skipBecause } from '../helpers';

describe('trl-cards check output', () => {
  let dir: string;
  let write: (rel: string, text: string) => void;
  let remove: () => void;
  before(() => ({ dir, write, remove } = tempDir('trl-out-')));
  after(() => remove());

  it('escapes a file name with a line break and an escape sequence', function () {
    if (!posix) skipBecause(this, 'file names with a line break and an escape character are POSIX only');
    write('names/we\nird\x1b[31m.trl.yaml', 'technology: x\nlevel: 1\n');
    const r = run(['check', 'names'], dir);
    const lines = r.out.trimEnd().split('\n');
    assert.ok(lines.length > 0 && lines.every((l) => l.startsWith(path.join('names', 'we\\nird\\x1b[31m.trl.yaml') + ':')), r.out);
    const json = JSON.parse(run(['check', '--format', 'json', 'names'], dir).out) as JsonRow[];
    assert.strictEqual(json[0].file, path.join('names', 'we\nird\x1b[31m.trl.yaml'), 'JSON keeps the real name');
  });

  it('stops quietly when the reader of its output goes away (`| head`)', async function () {
    for (let i = 0; i < 40; i++) write(`pipe/c${i}.trl.yaml`, 'technology: x\nlevel: 2\n');
    for (const args of [['check', 'pipe'], ['check', '--format', 'json', 'pipe']]) {
      for (const closeStderr of [false, true]) {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += String(d)));
        // The reader goes away before the checker writes anything.
        child.stdout.destroy();
        if (closeStderr) child.stderr.destroy();
        const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
        assert.strictEqual(signal, null);
        assert.strictEqual(code, 1, err);
        assert.ok(!/EPIPE|Error|\n\s+at /.test(err), err);
        if (!closeStderr && args.length === 2) assert.match(err, /^40 cards checked: /m);
      }
    }
  });
});
