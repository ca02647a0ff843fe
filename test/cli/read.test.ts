/** Reading card files safely (workspace/read.ts), with a file system that fails as each case needs. */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isBelow, readCardFile, readCardFileSync, type ReadFs } from '../../server/src/workspace/read';
import { skipBecause } from '../helpers';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed`), { code });
}

/** A regular file's stats, of `size` bytes, or of another kind. */
function stats(size: number, kind: 'file' | 'fifo' | 'char' = 'file'): fs.Stats {
  return { size, isFile: () => kind === 'file', isDirectory: () => false, isFIFO: () => kind === 'fifo', isSocket: () => false, isCharacterDevice: () => kind === 'char', isBlockDevice: () => false } as fs.Stats;
}

/** A fake fs serving `content` in chunks, recording what was called. */
function fakeFs(content: Buffer, options: { stat?: fs.Stats; fstat?: fs.Stats; fail?: Partial<Record<keyof ReadFs, string>>; chunk?: number } = {}) {
  const calls: string[] = [];
  let pos = 0;
  const fail = (name: keyof ReadFs) => {
    calls.push(name);
    if (options.fail?.[name]) throw errno(options.fail[name]!);
  };
  const fsys: ReadFs = {
    statSync: () => (fail('statSync'), options.stat ?? stats(content.length)),
    openSync: () => (fail('openSync'), 42),
    fstatSync: () => (fail('fstatSync'), options.fstat ?? stats(content.length)),
    readSync: (_fd, buffer, offset, length) => {
      fail('readSync');
      const n = Math.min(length, options.chunk ?? length, content.length - pos);
      content.copy(buffer, offset, pos, pos + n);
      pos += n;
      return n;
    },
    closeSync: () => void fail('closeSync'),
  };
  return { fsys, calls };
}

describe('reading card files safely', () => {
  it('reads a regular file, in pieces, and closes it', () => {
    const { fsys, calls } = fakeFs(Buffer.from('technology: x\nlevel: 0\n'), { chunk: 5 });
    assert.deepStrictEqual(readCardFileSync('/c.trl.yaml', {}, fsys), { text: 'technology: x\nlevel: 0\n' });
    assert.deepStrictEqual([calls[0], calls[1], calls[2], calls[calls.length - 1]], ['statSync', 'openSync', 'fstatSync', 'closeSync']);
  });

  it('never opens a pipe or a device it has not been told is a file', () => {
    for (const kind of ['fifo', 'char'] as const) {
      const { fsys, calls } = fakeFs(Buffer.alloc(0), { stat: stats(0, kind) });
      const r = readCardFileSync('/p.trl.yaml', {}, fsys);
      assert.match(r.error ?? '', kind === 'fifo' ? /named pipe, not a file/ : /device, not a file/);
      assert.deepStrictEqual(calls, ['statSync']);
    }
  });

  it('refuses a file swapped for a pipe after it was listed, before reading from it', () => {
    const { fsys, calls } = fakeFs(Buffer.from('x'), { fstat: stats(0, 'fifo') });
    assert.match(readCardFileSync('/p.trl.yaml', { knownFile: true }, fsys).error ?? '', /named pipe/);
    assert.deepStrictEqual(calls, ['openSync', 'fstatSync', 'closeSync']);
  });

  it('gives the reason in words when the system refuses', () => {
    for (const [where, code, words] of [
      ['openSync', 'EACCES', /^permission denied \(EACCES\)$/],
      ['statSync', 'ENOENT', /^no such file or directory$/],
      ['readSync', 'EISDIR', /^it is a directory, not a file$/],
      ['statSync', 'ELOOP', /symbolic links \(ELOOP\)/],
      ['openSync', 'EIO', /^it cannot be read \(EIO\)$/],
    ] as const) {
      const { fsys, calls } = fakeFs(Buffer.from('a: 1\n'), { fail: { [where]: code } });
      const r = readCardFileSync('/c.trl.yaml', {}, fsys);
      assert.match(r.error ?? '', words, `${where} ${code}`);
      assert.strictEqual(r.missing, code === 'ENOENT');
      assert.strictEqual(calls.includes('closeSync'), calls.includes('openSync') && where !== 'openSync', `${where}: closes what it opened`);
    }
  });

  it('stops at the size limit, whatever the size the file claims', () => {
    assert.match(readCardFileSync('/big.trl.yaml', { maxBytes: 100 }, fakeFs(Buffer.alloc(101, 97)).fsys).error ?? '', /larger than 100 bytes/);
    // A file that says it is empty (like /proc files) or that grows while it is read.
    const growing = fakeFs(Buffer.alloc(10_000, 97), { stat: stats(0), fstat: stats(0), chunk: 1000 });
    assert.match(readCardFileSync('/g.trl.yaml', { maxBytes: 5000 }, growing.fsys).error ?? '', /larger than 5000 bytes/);
    assert.ok(growing.calls.filter((c) => c === 'readSync').length <= 7, 'reads no more than the limit');
    const exact = fakeFs(Buffer.alloc(5000, 97), { stat: stats(0), fstat: stats(0), chunk: 999 });
    assert.strictEqual(readCardFileSync('/e.trl.yaml', { maxBytes: 5000 }, exact.fsys).text?.length, 5000);
  });

  it('on disk: reads a card, refuses a pipe and /dev/zero without blocking, in both the sync and async forms', async function () {
    if (process.platform === 'win32') skipBecause(this, 'named pipes (mkfifo) and /dev/zero are POSIX only');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-read-'));
    try {
      fs.writeFileSync(path.join(dir, 'ok.trl.yaml'), 'level: 1\n');
      execFileSync('mkfifo', [path.join(dir, 'pipe.trl.yaml')]);
      for (const read of [readCardFileSync, (f: string, o?: { knownFile?: boolean }) => readCardFile(f, o)]) {
        assert.deepStrictEqual(await read(path.join(dir, 'ok.trl.yaml')), { text: 'level: 1\n' });
        assert.match((await read(path.join(dir, 'pipe.trl.yaml'))).error ?? '', /named pipe/);
        // Even when told it is a file: opened without waiting for a writer, then refused.
        assert.match((await read(path.join(dir, 'pipe.trl.yaml'), { knownFile: true })).error ?? '', /named pipe/);
        assert.match((await read('/dev/zero')).error ?? '', /device/);
        assert.match((await read(dir)).error ?? '', /directory/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells what is below a folder', () => {
    assert.ok(isBelow('/a/b/c.trl.yaml', '/a'));
    assert.ok(isBelow('/a/..c.trl.yaml', '/a'));
    assert.ok(isBelow('/a', '/a'));
    assert.ok(!isBelow('/ab/c.trl.yaml', '/a'));
    assert.ok(!isBelow('/c.trl.yaml', '/a'));
  });
});
