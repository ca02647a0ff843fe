/** The checker and paths that are not plain card files: pipes, sockets, devices, unreadable files and folders, references out of bounds. It must finish, say what it skipped and why, and check the rest. */
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { COMPLETE, posix, run, tempDir, type JsonRow } from './checker';
import { skipBecause } from '../helpers';

describe('trl-cards check and special paths', () => {
  let dir: string;
  let write: (rel: string, text: string) => void;
  let remove: () => void;
  before(() => ({ dir, write, remove } = tempDir('trl-paths-')));
  after(() => remove());

  describe('references', () => {
    before(function () {
      if (!posix) skipBecause(this, 'symbolic links, permission bits and named pipes are tested on POSIX only');
      write('refs/outside-root/far.trl.yaml', COMPLETE);
      write('refs/root/sub/near.trl.yaml', COMPLETE.replace('technology: x', 'technology: x\nid: NEAR-1'));
      write('refs/root/card.trl.yaml', COMPLETE + 'previous:\n  - /dev/zero\n  - ./fifo.trl.yaml\n  - ./folder.trl.yaml\n  - ../outside-root/far.trl.yaml\n  - ./escape.trl.yaml\n  - ./huge.trl.yaml\n  - ./sub/near.trl.yaml\n  - ./gone.trl.yaml\ncomponents: [./fifo.trl.yaml, /dev/urandom.trl.yaml]\n');
      execFileSync('mkfifo', [path.join(dir, 'refs/root/fifo.trl.yaml')]);
      fs.mkdirSync(path.join(dir, 'refs/root/folder.trl.yaml'));
      fs.symlinkSync(path.join(dir, 'refs/outside-root/far.trl.yaml'), path.join(dir, 'refs/root/escape.trl.yaml'));
      fs.writeFileSync(path.join(dir, 'refs/root/huge.trl.yaml'), '');
      fs.truncateSync(path.join(dir, 'refs/root/huge.trl.yaml'), 9 * 1024 * 1024);
    });

    it('reads only regular card files below the folders being checked, and says why not on each entry', () => {
      const r = run(['check', '--format', 'json', 'refs/root/card.trl.yaml'], dir);
      assert.strictEqual(r.signal, null, 'the checker finished');
      assert.strictEqual(r.code, 0, r.err);
      const rows = JSON.parse(r.out) as JsonRow[];
      const byLine = new Map(rows.map((x) => [x.line, x]));
      const at = (line: number, code: string, why: RegExp) => {
        const row = byLine.get(line);
        assert.ok(row && row.code === code, `line ${line}: ${JSON.stringify(rows)}`);
        assert.match(row.message, why);
      };
      at(13, 'unknown-previous', /^No card at `\/dev\/zero` \(only a path relative to this card, or an http\(s\) URL, names a card\): `previous` lists/);
      at(14, 'unknown-previous', /^No card at `\.\/fifo\.trl\.yaml` \(it is a named pipe, not a file\)/);
      at(15, 'unknown-previous', /\(it is a directory, not a file\)/);
      at(16, 'unknown-previous', /\(it is outside the folders being checked, so the checker does not read it: check a folder that holds both cards\)/);
      at(17, 'unknown-previous', /outside the folders being checked.*\(a symbolic link leads there\)/);
      at(18, 'unknown-previous', /\(it is larger than 8 MB, the limit for a card file\)/);
      assert.ok(!byLine.has(19), 'a card below the checked folder is read');
      at(20, 'unknown-previous', /^No card at `\.\/gone\.trl\.yaml`: `previous` lists/);
      const components = rows.filter((x) => x.code === 'unknown-component').map((x) => x.message);
      assert.strictEqual(components.length, 2, r.out);
      assert.match(components[0], /named pipe/);
      assert.match(components[1], /^No card at `\/dev\/urandom\.trl\.yaml` \(only a path relative to this card, or an http\(s\) URL, names a card\)/);
    });

    it('reads a card outside the file given once its folder is checked too', () => {
      const r = run(['check', '--format', 'json', 'refs'], dir);
      const rows = (JSON.parse(r.out) as JsonRow[]).filter((x) => x.line === 16);
      assert.deepStrictEqual(rows, [], r.out);
    });
  });

  describe('special files among the paths', () => {
    let socket: net.Server | undefined;
    before(async function () {
      if (!posix) skipBecause(this, 'symbolic links, permission bits and named pipes are tested on POSIX only');
      write('special/good.trl.yaml', COMPLETE);
      write('special/bad.trl.yaml', 'technology: x\nlevel: 1\n');
      execFileSync('mkfifo', [path.join(dir, 'special/fifo.trl.yaml')]);
      fs.symlinkSync('nothing-here.trl.yaml', path.join(dir, 'special/dangling.trl.yaml'));
      fs.symlinkSync('/dev/zero', path.join(dir, 'special/zero.trl.yaml'));
      fs.symlinkSync('good.trl.yaml', path.join(dir, 'special/linked.trl.yaml'));
      socket = net.createServer();
      await new Promise<void>((resolve) => socket!.listen(path.join(dir, 'special/sock.trl.yaml'), resolve));
    });
    after(() => socket?.close());

    it('skips pipes, sockets, devices and broken links with a message, and checks the rest', () => {
      const r = run(['check', 'special'], dir);
      assert.strictEqual(r.signal, null, 'the checker finished');
      assert.strictEqual(r.code, 1, r.err);
      const skipped = r.err.split('\n').filter((l) => l.startsWith('trl-cards: '));
      assert.deepStrictEqual(skipped, [
        `trl-cards: ${path.join('special', 'dangling.trl.yaml')}: not checked: it is a symbolic link to nothing (a broken link).`,
        `trl-cards: ${path.join('special', 'fifo.trl.yaml')}: not checked: it is a named pipe, not a file.`,
        `trl-cards: ${path.join('special', 'sock.trl.yaml')}: not checked: it is a socket, not a file.`,
        `trl-cards: ${path.join('special', 'zero.trl.yaml')}: not checked: it is a device, not a file.`,
      ]);
      assert.match(r.err, /^3 cards checked: \d+ errors, \d+ warnings; 4 paths not checked \(listed above\)\.$/m);
      assert.ok(r.out.split('\n').some((l) => l.startsWith(path.join('special', 'bad.trl.yaml') + ':')), r.out);
    });

    it('skips a pipe or a device named on the command line, and exits 2 only when nothing could be checked', () => {
      let r = run(['check', 'special/fifo.trl.yaml', '/dev/null'], dir);
      assert.strictEqual(r.signal, null, 'the checker finished');
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /fifo\.trl\.yaml: not checked: it is a named pipe, not a file\./);
      assert.match(r.err, /\/dev\/null: not checked: it is a device, not a file\./);
      assert.match(r.err, /no card could be checked/);
      r = run(['check', 'special/fifo.trl.yaml', 'special/good.trl.yaml'], dir);
      assert.strictEqual(r.code, 0, r.err);
      assert.match(r.err, /1 card checked: 0 errors, 0 warnings; 1 path not checked/);
    });
  });

  describe('symbolic links found by searching a folder', () => {
    /** A value only the checker's environment holds: it must never reach the output. */
    const SECRET = 'trl-secret-' + process.pid;
    before(function () {
      if (!posix || !fs.existsSync('/proc/self/environ')) this.skip();
      write('linked/inside/real.trl.yaml', 'technology: x\nlevel: 1\n');
      write('linked/good.trl.yaml', COMPLETE);
      fs.symlinkSync('/etc/passwd', path.join(dir, 'linked/passwd.trl.yaml'));
      fs.symlinkSync('/proc/self/environ', path.join(dir, 'linked/environ.trl.yaml'));
      fs.symlinkSync('inside/real.trl.yaml', path.join(dir, 'linked/near.trl.yaml'));
    });

    for (const [how, args] of [
      ['a folder', ['linked']],
      ['a glob', ['linked/**/*.trl.yaml']],
    ] as const) {
      for (const format of ['text', 'github', 'sarif', 'json']) {
        it(`reads none that leads out of the folders being checked (${how}, --format ${format}), and says so`, () => {
          const r = run(['check', '--format', format, ...args], dir, [], { TRL_TEST_SECRET: SECRET });
          assert.strictEqual(r.signal, null);
          assert.strictEqual(r.code, 1, r.err);
          assert.ok(!r.out.includes('root:x:0') && !r.out.includes(SECRET) && !r.err.includes('root:x:0') && !r.err.includes(SECRET), r.out);
          assert.ok(!/passwd\.trl|environ\.trl/.test(r.out), r.out);
          const passwd = fs.realpathSync('/etc/passwd');
          assert.match(r.err, new RegExp(`^trl-cards: ${path.join('linked', 'passwd.trl.yaml')}: not checked: it is a symbolic link to ${passwd}, outside the folders being checked, so the checker does not read it \\(name the file itself to check it\\)\\.$`, 'm'));
          assert.match(r.err, new RegExp(`^trl-cards: ${path.join('linked', 'environ.trl.yaml')}: not checked: it is a symbolic link to /proc/\\d+/environ, outside the folders being checked`, 'm'));
          // A link that stays inside is read like any card: its error is reported under the link's name.
          assert.ok(r.out.includes('near.trl.yaml'), r.out);
          if (format === 'text') assert.match(r.err, /^3 cards checked: \d+ errors?, \d+ warnings?; 2 paths not checked \(listed above\)\.$/m);
        });
      }
    }

    it('reads a link named on the command line: the user chose that file', () => {
      const r = run(['check', '--format', 'json', 'linked/passwd.trl.yaml'], dir);
      assert.strictEqual(r.code, 1, r.err);
      assert.ok((JSON.parse(r.out) as JsonRow[]).some((x) => x.code === 'not-a-mapping'), r.out);
    });
  });

  describe('unreadable files and folders', () => {
    /** How to run the checker as a user that root's permission bits apply to. */
    let asUser: string[] | undefined;
    before(function () {
      if (!posix) skipBecause(this, 'symbolic links, permission bits and named pipes are tested on POSIX only');
      if (process.getuid?.() !== 0) asUser = [];
      else if (spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0) asUser = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
      if (!asUser) skipBecause(this, 'running as root without setpriv: there is no user that permission bits apply to');
      write('locked/a-good.trl.yaml', COMPLETE);
      write('locked/b-secret.trl.yaml', COMPLETE);
      write('locked/c-bad.trl.yaml', 'technology: x\nlevel: 1\n');
      write('locked/closed/d.trl.yaml', COMPLETE);
      fs.chmodSync(path.join(dir, 'locked/b-secret.trl.yaml'), 0o000);
      fs.chmodSync(path.join(dir, 'locked/closed'), 0o000);
      write('alllocked/x.trl.yaml', COMPLETE);
      fs.chmodSync(path.join(dir, 'alllocked/x.trl.yaml'), 0o000);
    });
    after(() => {
      if (!asUser) return;
      fs.chmodSync(path.join(dir, 'locked/closed'), 0o755);
    });

    it('reports every unreadable path with the reason, and gives the results of the rest', () => {
      const r = run(['check', 'locked'], dir, asUser);
      assert.strictEqual(r.signal, null, 'the checker finished');
      assert.strictEqual(r.code, 1, r.err);
      assert.match(r.err, new RegExp(`^trl-cards: ${path.join('locked', 'closed')}: not checked: permission denied \\(EACCES\\)\\.$`, 'm'));
      assert.match(r.err, new RegExp(`^trl-cards: ${path.join('locked', 'b-secret.trl.yaml')}: not checked: permission denied \\(EACCES\\)\\.$`, 'm'));
      assert.match(r.err, /^2 cards checked: \d+ errors, \d+ warnings; 2 paths not checked \(listed above\)\.$/m);
      assert.ok(r.out.includes(path.join('locked', 'c-bad.trl.yaml') + ':2:8 error level-requirement'), r.out);
      const json = run(['check', '--format', 'json', 'locked'], dir, asUser);
      assert.strictEqual(json.code, 1);
      assert.ok((JSON.parse(json.out) as JsonRow[]).length > 0);
      assert.match(json.err, /b-secret\.trl\.yaml: not checked: permission denied/);
    });

    it('exits 2 when no card could be read', () => {
      const r = run(['check', 'alllocked'], dir, asUser);
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /x\.trl\.yaml: not checked: permission denied \(EACCES\)\.\ntrl-cards: no card could be checked\./);
    });
  });
});
