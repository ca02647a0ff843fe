/** `--fix` and the file system: symbolic links, hard links, read-only files, owners, and writes that fail. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { COMPLETE, posix, run, tempDir, type JsonRow } from './checker';

/** A clean level-0 card but for a short version, which the safe fixes complete. */
const FIXABLE = COMPLETE + 'version: "1.0"\n';
const FIXED = COMPLETE + 'version: "1.0.0"\n';

const codes = (out: string) => (JSON.parse(out) as JsonRow[]).map((r) => r.code);

/** How to run the checker as another user (65534), when this is root and setpriv is there. */
function asNobody(): string[] | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined;
}

describe('trl-cards check --fix and the file system', () => {
  let t: ReturnType<typeof tempDir>;
  const at = (rel: string) => path.join(t.dir, rel);
  beforeEach(function () {
    if (!posix) this.skip();
    t = tempDir('trl-fix-files-');
  });
  afterEach(() => t?.remove());

  it('writes a symbolic link through to its target, and the link stays a link', () => {
    t.write('cards/real/card.trl.yaml', FIXABLE);
    fs.symlinkSync('real/card.trl.yaml', at('cards/link.trl.yaml'));
    // The link and its target are both checked: the second sees the text the first wrote.
    const r = run(['check', '--fix', '--format', 'json', 'cards'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.ok(fs.lstatSync(at('cards/link.trl.yaml')).isSymbolicLink(), 'still a link');
    assert.strictEqual(fs.readlinkSync(at('cards/link.trl.yaml')), 'real/card.trl.yaml');
    assert.strictEqual(fs.readFileSync(at('cards/real/card.trl.yaml'), 'utf8'), FIXED, 'the target has the fixed text');
    assert.match(r.err, /link\.trl\.yaml: fixed 1 problem \(invalid-semver\)\./);
    assert.doesNotMatch(r.err, /not written/);
    assert.deepStrictEqual(codes(r.out), []);
  });

  it('leaves a link to a file outside the folders being checked alone, and reports the file\'s own problems', () => {
    t.write('outside/card.trl.yaml', FIXABLE);
    fs.mkdirSync(at('cards'));
    fs.symlinkSync('../outside/card.trl.yaml', at('cards/link.trl.yaml'));
    const r = run(['check', '--fix', '--format', 'json', 'cards/link.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(fs.readFileSync(at('outside/card.trl.yaml'), 'utf8'), FIXABLE, 'the target is not written');
    assert.ok(fs.lstatSync(at('cards/link.trl.yaml')).isSymbolicLink());
    assert.match(r.err, new RegExp(`^trl-cards: ${path.join('cards', 'link.trl.yaml')}: not fixed: it is a symbolic link to ${fs.realpathSync(at('outside/card.trl.yaml'))}, outside the folders being checked \\(--fix-dry-run shows the fixes\\)\\.$`, 'm'));
    assert.deepStrictEqual(codes(r.out), ['invalid-semver'], 'the problem is still there');
  });

  it('writes a file with two hard links in place: both names keep one file, with the fixed text', () => {
    t.write('card.trl.yaml', FIXABLE);
    fs.linkSync(at('card.trl.yaml'), at('card.backup'));
    const ino = fs.statSync(at('card.trl.yaml')).ino;
    const r = run(['check', '--fix', 'card.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /card\.trl\.yaml: fixed 1 problem/);
    const a = fs.statSync(at('card.trl.yaml'));
    assert.strictEqual(a.ino, ino, 'the same file');
    assert.strictEqual(a.nlink, 2, 'still linked');
    assert.strictEqual(fs.readFileSync(at('card.backup'), 'utf8'), FIXED);
    assert.deepStrictEqual(fs.readdirSync(t.dir).sort(), ['card.backup', 'card.trl.yaml'], 'no temporary file left');
  });

  it('does not write a read-only card, says so, and reports its problems as they are', () => {
    t.write('card.trl.yaml', FIXABLE);
    fs.chmodSync(at('card.trl.yaml'), 0o444);
    const r = run(['check', '--fix', '--format', 'json', 'card.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /^trl-cards: card\.trl\.yaml: not fixed: read-only \(--fix-dry-run shows the fixes\)\.$/m);
    assert.strictEqual(fs.readFileSync(at('card.trl.yaml'), 'utf8'), FIXABLE);
    assert.strictEqual(fs.statSync(at('card.trl.yaml')).mode & 0o777, 0o444);
    assert.deepStrictEqual(codes(r.out), ['invalid-semver']);
  });

  it('keeps the owner, group and mode of a card it replaces (run as root)', function () {
    if (process.getuid?.() !== 0) this.skip();
    t.write('card.trl.yaml', FIXABLE);
    fs.chownSync(at('card.trl.yaml'), 65534, 65534);
    fs.chmodSync(at('card.trl.yaml'), 0o664);
    const r = run(['check', '--fix', 'card.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    const s = fs.statSync(at('card.trl.yaml'));
    assert.strictEqual(fs.readFileSync(at('card.trl.yaml'), 'utf8'), FIXED);
    assert.deepStrictEqual([s.uid, s.gid, (s.mode & 0o7777).toString(8)], [65534, 65534, '664']);
  });

  it('keeps the owner of a card another user may write (run as that user, the card written in place)', function () {
    const nobody = asNobody();
    if (!nobody) this.skip();
    t.write('shared/card.trl.yaml', FIXABLE);
    fs.chmodSync(at('shared'), 0o777);
    fs.chmodSync(at('shared/card.trl.yaml'), 0o666);
    const r = run(['check', '--fix', 'shared/card.trl.yaml'], t.dir, nobody);
    assert.strictEqual(r.code, 0, r.err);
    const s = fs.statSync(at('shared/card.trl.yaml'));
    assert.strictEqual(fs.readFileSync(at('shared/card.trl.yaml'), 'utf8'), FIXED);
    assert.deepStrictEqual([s.uid, s.gid], [0, 0], 'still root\'s');
    assert.deepStrictEqual(fs.readdirSync(at('shared')), ['card.trl.yaml']);
  });

  describe('a write that fails', () => {
    /** The checker with files it writes limited to the card's size: writing the longer fixed card fails (EFBIG). */
    let limit: string[] | undefined;
    before(function () {
      if (!posix || spawnSync('prlimit', ['--fsize=1000:1000', 'true']).status !== 0) this.skip();
      limit = ['prlimit', `--fsize=${Buffer.byteLength(FIXABLE)}:${Buffer.byteLength(FIXABLE)}`];
    });

    it('is reported as a failure, with the card\'s real problems and exit 2; the card is as it was', () => {
      t.write('card.trl.yaml', FIXABLE);
      const r = run(['check', '--fix', '--format', 'json', 'card.trl.yaml'], t.dir, limit);
      assert.strictEqual(r.code, 2, r.err);
      assert.match(r.err, /^trl-cards: card\.trl\.yaml: the fixes were not written: the file would be larger than allowed \(EFBIG\)\.$/m);
      assert.doesNotMatch(r.err, /fixed 1 problem/);
      assert.deepStrictEqual(codes(r.out), ['invalid-semver'], 'the problems of the text on disk, not of the fixed text');
      assert.strictEqual(fs.readFileSync(at('card.trl.yaml'), 'utf8'), FIXABLE);
      assert.deepStrictEqual(fs.readdirSync(t.dir), ['card.trl.yaml'], 'no temporary file left');
    });

    it('in place, writes the old text back', () => {
      t.write('card.trl.yaml', FIXABLE);
      fs.linkSync(at('card.trl.yaml'), at('card.backup'));
      const r = run(['check', '--fix', '--format', 'json', 'card.trl.yaml'], t.dir, limit);
      assert.strictEqual(r.code, 2, r.err);
      assert.match(r.err, /card\.trl\.yaml: the fixes were not written: the file would be larger than allowed \(EFBIG\); the old text was written back\./);
      assert.deepStrictEqual(codes(r.out), ['invalid-semver']);
      assert.strictEqual(fs.readFileSync(at('card.backup'), 'utf8'), FIXABLE);
      assert.strictEqual(fs.statSync(at('card.trl.yaml')).nlink, 2);
    });
  });
});
