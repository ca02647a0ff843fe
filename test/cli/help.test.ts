/** `--help` and `--version` of both commands: what each does and its options, without doing it. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';
import { run } from './checker';

const SERVER = path.join(ROOT, 'dist', 'server.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('--help and --version', () => {
  it('trl-cards --help lists every command; --version is the package\'s', () => {
    const help = run(['--help'], ROOT);
    assert.strictEqual(help.code, 0, help.err);
    for (const command of ['check', 'render', 'report', 'levels', 'help']) assert.match(help.out, new RegExp(`^  ${command} `, 'm'), command);
    assert.deepStrictEqual([run(['--version'], ROOT).out, run(['-v'], ROOT).out], [`${VERSION}\n`, `${VERSION}\n`]);
    const none = run([], ROOT);
    assert.deepStrictEqual([none.code, none.out, none.err.trimEnd()], [2, '', help.out.trimEnd()]);
  });

  for (const command of ['check', 'render', 'report', 'levels']) {
    it(`trl-cards ${command} --help says what it does, its options and its exit status, and does nothing else`, () => {
      const r = run([command, '--help'], ROOT);
      assert.strictEqual(r.code, 0, r.err);
      assert.strictEqual(r.err, '');
      assert.match(r.out, new RegExp(`^Usage: trl-cards ${command}\\b`));
      assert.match(r.out, /\n\n[A-Z][^\n]+\n/, 'a sentence on what it does');
      assert.match(r.out, /\nOptions:\n(?: {2}-[^\n]+\n|[^\n]*\n)*? {2}-h, --help /);
      assert.match(r.out, /\nExit status: /);
      assert.strictEqual(run(['help', command], ROOT).out, r.out);
    });
  }

  it('each checker option the help names is one `check` takes', () => {
    const help = run(['check', '--help'], ROOT).out;
    const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    assert.ok(options.length > 10, options.join(' '));
    for (const option of options) {
      const r = run(['check', option, ...(['--format'].includes(option) ? ['json'] : ['--max-warnings', '--jobs'].includes(option) ? ['1'] : ['--config', '--cache-location', '--rules-url'].includes(option) ? ['x'] : []), 'no-such-card.trl.yaml'], ROOT);
      assert.ok(!/unknown option/.test(r.err), `${option}: ${r.err}`);
    }
  });

  it('`--` ends the options: a card whose name starts with a dash is checked, not read as an option', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-dashes-'));
    fs.writeFileSync(path.join(dir, '--cache-location=x.trl.yaml'), 'technology: T\nlevel: 0\n');
    const r = run(['check', '--format', 'json', '--', '--cache-location=x.trl.yaml'], dir);
    assert.strictEqual(r.code, 1, r.err);
    assert.match(r.out, /"--cache-location=x\.trl\.yaml"/);
    assert.ok(!fs.existsSync(path.join(dir, 'x.trl.yaml')), 'no cache written');
    // Without `--` too, as a pre-commit hook passes the names of the files (after its args): a
    // card file of that name is a card, never an option.
    fs.writeFileSync(path.join(dir, 'x.trl.yaml'), '');
    const hook = run(['check', '--format', 'json', '--cache-location=x.trl.yaml'], dir);
    assert.match(hook.out, /"--cache-location=x\.trl\.yaml"/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'x.trl.yaml'), 'utf8'), '', 'the card named is not written');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--debug prints the stack of an internal error on a card, which is otherwise only said', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-debug-'));
    fs.writeFileSync(path.join(dir, 'a.trl.yaml'), 'technology: T # crash here\nlevel: 0\n');
    const env = { TRL_CARDS_TEST_CRASH: 'crash here' };
    const plain = run(['check', 'a.trl.yaml'], dir, [], env);
    assert.strictEqual(plain.code, 2, plain.err);
    assert.match(plain.err, /a\.trl\.yaml: not checked: trl-cards failed on this card \(an internal error: please report it, with the card if you can, and the output of the same run with --debug\)/);
    assert.doesNotMatch(plain.err, / {4}at /);
    const debug = run(['check', '--debug', 'a.trl.yaml'], dir, [], env);
    assert.strictEqual(debug.code, 2, debug.err);
    assert.match(debug.err, /Error: the crash TRL_CARDS_TEST_CRASH asks for\n\s+at checkText \(/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trl-cards help <unknown> and levels with an argument are usage errors', () => {
    assert.strictEqual(run(['help', 'chek'], ROOT).code, 2);
    const levels = run(['levels', 'extra'], ROOT);
    assert.deepStrictEqual([levels.code, /levels takes no arguments/.test(levels.err)], [2, true]);
  });

  it('trl-cards-language-server --help and --version answer and exit, without waiting for a client', () => {
    for (const flag of ['--help', '-h']) {
      const r = spawnSync(process.execPath, [SERVER, flag], { encoding: 'utf8', timeout: 10_000, input: '' });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /^Usage: trl-cards-language-server /);
      for (const option of ['--stdio', '--node-ipc', '--socket=PORT', '--pipe=NAME', '--version']) assert.ok(r.stdout.includes(option), option);
      assert.match(r.stdout, /Language Server Protocol/);
    }
    for (const flag of ['--version', '-v']) {
      const r = spawnSync(process.execPath, [SERVER, flag], { encoding: 'utf8', timeout: 10_000, input: '' });
      assert.deepStrictEqual([r.status, r.stdout], [0, `${VERSION}\n`]);
    }
  });
});
