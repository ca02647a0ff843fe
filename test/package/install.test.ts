/**
 * The npm package as a user gets it: `npm pack` of a fresh clone (built by `prepare`), installed
 * into an empty project, both commands run from there. The package declares no dependency:
 * the bundles use Node's built-ins only, so the install needs no registry (it is pointed at
 * an address that refuses connections) and puts only its own two commands in node_modules/.bin.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ROOT } from '../helpers';
import { startServer } from '../protocol/lspClient';
import { cleanEnv, snapshot } from './snapshot';

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const TARBALL = `${PKG.name}-${PKG.version}.tgz`;

/** What the tarball holds: the bundles, the data and user docs they read and link to, and nothing else. */
const FILES = ['LICENSE', 'README.md', 'package.json', 'dist/charts.js', 'dist/cli.js', 'dist/server.js', 'docs/card-format.md', 'docs/configuration.md', 'docs/levels.md', 'docs/limits.md', 'docs/rules.md', 'schemas/levels.json', 'schemas/levels.schema.json', 'schemas/trl-card.schema.json', 'schemas/trl-cards.config.schema.json'];

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 5 * 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, error: r.error };
}

/** Every size of the files below `dir`, added up. */
function bytesBelow(dir: string): number {
  let n = 0;
  for (const d of fs.readdirSync(dir, { withFileTypes: true }))
    n += d.isDirectory() ? bytesBelow(path.join(dir, d.name)) : fs.lstatSync(path.join(dir, d.name)).size;
  return n;
}

describe('the npm package, packed from a fresh clone and installed into an empty project', function () {
  let tmp: string;
  let project: string;
  let pack: ReturnType<typeof sh>;
  let install: ReturnType<typeof sh>;
  const bin = (name: string) => path.join(project, 'node_modules', '.bin', name);

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-package-'));
    const clone = path.join(tmp, 'clone');
    snapshot(clone);
    // The clone's `prepare` (the production build) runs with this checkout's development tools.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    pack = sh('npm', ['pack', '--pack-destination', tmp], clone);
    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-team-repository', version: '1.0.0', private: true }, null, 2));
    // A registry that refuses every connection: an install that needed one would fail.
    install = sh('npm', ['install', '--no-audit', '--no-fund', '--fetch-retries', '0', '--registry', 'http://127.0.0.1:9/', path.join(tmp, TARBALL)], project);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('npm pack prints the tarball\'s name and nothing else on stdout (what pre-commit reads)', () => {
    assert.strictEqual(pack.code, 0, pack.err);
    assert.strictEqual(pack.out, `${TARBALL}\n`);
  });

  it('the tarball holds the bundles, the data and the user docs, and nothing else', () => {
    const listed = sh('tar', ['-tzf', path.join(tmp, TARBALL)], tmp);
    assert.strictEqual(listed.code, 0, listed.err);
    assert.deepStrictEqual(listed.out.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort(), [...FILES].sort());
  });

  it('installs with no registry, no dependency and only its two commands, in a few MB', () => {
    assert.strictEqual(install.code, 0, install.err + install.out);
    const modules = path.join(project, 'node_modules');
    assert.deepStrictEqual(fs.readdirSync(modules).filter((n) => n !== '.package-lock.json').sort(), ['.bin', PKG.name]);
    assert.deepStrictEqual(fs.readdirSync(path.join(modules, '.bin')).sort(), ['trl-cards', 'trl-cards-language-server']);
    assert.deepStrictEqual(Object.keys(PKG.bin).sort(), ['trl-cards', 'trl-cards-language-server']);
    const installed = JSON.parse(fs.readFileSync(path.join(modules, PKG.name, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) assert.strictEqual(installed[field], undefined, field);
    const mb = bytesBelow(modules) / 1e6;
    assert.ok(mb < 3, `${mb.toFixed(1)} MB installed (the README says about 2 MB)`);
  });

  it('its bundles load nothing but Node\'s built-ins and each other', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    for (const file of ['cli.js', 'server.js', 'charts.js']) {
      const code = fs.readFileSync(path.join(project, 'node_modules', PKG.name, 'dist', file), 'utf8');
      const loads = [...code.matchAll(/\b(?:require|import)\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((m) => m[2]);
      if (file !== 'charts.js') assert.ok(loads.includes('fs') || loads.includes('node:fs'), `${file}: its requires are found`);
      const foreign = loads.filter((m) => !builtins.has(m) && m !== './charts.js');
      assert.deepStrictEqual([...new Set(foreign)], [], `${file} loads only built-ins and ./charts.js`);
    }
  });

  it('trl-cards checks cards as the checkout\'s checker does, and reports with its charts', () => {
    fs.cpSync(path.join(ROOT, 'examples'), path.join(project, 'cards'), { recursive: true });
    for (const args of [['check', 'cards/solar-array'], ['check', 'cards/mistakes'], ['check', '--format', 'sarif', 'cards/mistakes']]) {
      const installed = sh(bin('trl-cards'), args, project);
      const checkout = sh(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], project);
      assert.deepStrictEqual(installed, checkout, args.join(' '));
    }
    assert.strictEqual(sh(bin('trl-cards'), ['check', 'cards/mistakes'], project).code, 1);
    const report = sh(bin('trl-cards'), ['report', 'cards/portfolio', '--format', 'html', '--out', 'portfolio.html', '--today', '2026-11-15'], project);
    assert.strictEqual(report.code, 0, report.err);
    assert.ok((fs.readFileSync(path.join(project, 'portfolio.html'), 'utf8').match(/<svg/g) ?? []).length >= 3, 'the charts are drawn');
  });

  it('trl-cards-language-server answers --version and --help, and speaks LSP over stdio', async () => {
    const version = sh(bin('trl-cards-language-server'), ['--version'], project);
    assert.deepStrictEqual([version.code, version.out], [0, `${PKG.version}\n`]);
    const help = sh(bin('trl-cards-language-server'), ['--help'], project);
    assert.match(help.out, /^Usage: trl-cards-language-server /);
    // The installed server, over stdio: it answers initialize and checks a card it is sent.
    const client = await startServer({}, null, [path.join(project, 'node_modules', PKG.name, 'dist', 'server.js'), '--stdio']);
    try {
      assert.deepStrictEqual(client.initializeResult.serverInfo, { name: 'trl-cards-server', version: PKG.version });
      const uri = pathToFileURL(path.join(project, 'cards', 'mistakes', 'broken.trl.yaml')).toString();
      const diagnostics = client.nextDiagnostics(uri);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'trl-card', version: 1, text: fs.readFileSync(path.join(ROOT, 'examples', 'mistakes', 'broken.trl.yaml'), 'utf8') } });
      assert.ok((await diagnostics).diagnostics.some((d) => d.code === 'duplicate-requirement-id'));
    } finally {
      assert.strictEqual(await client.close(), 0);
    }
  });
});
