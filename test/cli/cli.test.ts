/** The checker as a process: output formats and exit codes. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd: string, env?: Record<string, string>) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', ...(env ? { env: { ...process.env, ...env } } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('trl-cards check', () => {
  let dir: string;
  const good = 'technology: x\nlevel: 0\ntldr: x\nowners:\n  rnd:\n    owner: Ada\n    reviewers: [Grace]\nhypotheses:\n  - statement: x\n    references: [x]\nresearch_plan: x\n';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-cli-'));
    fs.mkdirSync(path.join(dir, 'cards', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cards', 'good.trl.yaml'), good);
    fs.writeFileSync(path.join(dir, 'cards', 'nested', 'bad.trl.yml'), 'technology: x\nlevel: 1\nversion: "1.0"\n');
    fs.writeFileSync(path.join(dir, 'cards', 'ignored.yaml'), 'not: a card\n');
    fs.mkdirSync(path.join(dir, 'empty'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on clean cards', () => {
    const r = run(['check', 'cards/good.trl.yaml'], dir);
    assert.strictEqual(r.code, 0, r.out + r.err);
    assert.strictEqual(r.out, '');
    assert.match(r.err, /1 card checked: 0 errors, 0 warnings/);
  });

  it('searches directories, prints file:line:col severity code message, exits 1 on errors', () => {
    const r = run(['check', 'cards'], dir);
    assert.strictEqual(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.every((l) => l.startsWith(path.join('cards', 'nested', 'bad.trl.yml') + ':')), r.out);
    assert.ok(lines.includes(`${path.join('cards', 'nested', 'bad.trl.yml')}:3:10 hint invalid-semver \`version\` is \`1.0\`, not a full semantic version: write MAJOR.MINOR.PATCH, e.g. \`1.0.0\`.`), r.out);
    assert.ok(lines.some((l) => /:2:8 error level-requirement To leave TRL 1 \(Goal-Oriented Research\), the card needs `experiments`/.test(l)), r.out);
    assert.ok(!r.out.includes('ignored.yaml'));
    assert.match(r.err, /2 cards checked: \d+ errors/);
  });

  it('prints JSON with 1-based positions', () => {
    const r = run(['check', '--format', 'json', 'cards/nested/bad.trl.yml'], dir);
    assert.strictEqual(r.code, 1);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    const semver = rows.find((x) => x.code === 'invalid-semver');
    assert.deepStrictEqual(semver, { file: path.join('cards', 'nested', 'bad.trl.yml'), line: 3, column: 10, endLine: 3, endColumn: 15, severity: 'hint', code: 'invalid-semver', message: '`version` is `1.0`, not a full semantic version: write MAJOR.MINOR.PATCH, e.g. `1.0.0`.' });
    for (const row of rows) assert.deepStrictEqual(Object.keys(row), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
  });

  it('accepts globs', () => {
    const r = run(['check', 'cards/**/*.trl.yml', '--format=json'], dir);
    assert.strictEqual(r.code, 1);
    const files = new Set((JSON.parse(r.out) as { file: string }[]).map((x) => x.file));
    assert.deepStrictEqual([...files], [path.join('cards', 'nested', 'bad.trl.yml')]);
  });

  it('exits 2 with a clear message on a missing path, an empty directory or a bad option', () => {
    let r = run(['check', 'nope'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /nope: no such file or directory/);
    r = run(['check', 'empty'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /no card files/);
    r = run(['check', '--format', 'xml', 'cards'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--format takes 'text', 'json', 'sarif' or 'github'/);
    r = run(['frobnicate'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /unknown command 'frobnicate'/);
  });

  it('checks links across cards: component levels and previous cards', () => {
    fs.mkdirSync(path.join(dir, 'system', 'parts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'system', 'parts', 'comp.trl.yaml'), 'technology: Comp\nid: C-1\nlevel: 0\n');
    fs.writeFileSync(path.join(dir, 'system', 'sys.trl.yaml'), good.replace('level: 0', 'level: 1') + 'components: [C-1]\nprevious: [./sys.level-0.trl.yaml]\n');
    const r = run(['check', '--format', 'json', 'system'], dir);
    const rows = (JSON.parse(r.out) as { file: string; code: string; line: number }[]).filter((x) => x.file.endsWith('sys.trl.yaml'));
    assert.deepStrictEqual(rows.filter((x) => x.code === 'component-level' || x.code === 'unknown-previous').map((x) => [x.code, x.line]), [['component-level', 12], ['unknown-previous', 13]]);
    // A card named by path is read from disk even when it is not among the cards checked.
    fs.writeFileSync(path.join(dir, 'system', 'sys.level-0.trl.yaml'), good);
    const alone = run(['check', '--format', 'json', 'system/sys.trl.yaml'], dir);
    assert.ok(!(JSON.parse(alone.out) as { code: string }[]).some((x) => x.code === 'unknown-previous'), alone.out);
  });

  it('gives the same result in worker threads as in one thread', () => {
    const many = path.join(dir, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 70; i++) fs.writeFileSync(path.join(many, `c${String(i).padStart(2, '0')}.trl.yaml`), i % 7 === 0 ? 'technology: x\nlevel: 1\nversion: "1"\n' : good.replace('technology: x', `technology: x\nid: C-${i}`) + (i % 5 === 0 ? `components: [C-${i + 1}]\n` : ''));
    const one = run(['check', '--jobs', '1', '--format', 'json', 'many'], dir);
    // The main thread would otherwise check both chunks before the worker has started.
    const two = run(['check', '--jobs', '2', '--format', 'json', 'many'], dir, { TRL_CARDS_WORKERS_ONLY: '1' });
    assert.strictEqual(one.code, 1);
    assert.strictEqual(two.code, one.code);
    assert.strictEqual(two.out, one.out);
    assert.ok((JSON.parse(one.out) as unknown[]).length > 10);
    assert.strictEqual(run(['check', '--jobs', '0', 'many'], dir).code, 2);
  });

  it('reports errors only with --quiet', () => {
    fs.writeFileSync(path.join(dir, 'warn.trl.yaml'), good.replace('level: 0', 'level: 1') + 'experiments:\n  - property: x\n');
    const r = run(['check', '--quiet', 'warn.trl.yaml'], dir);
    assert.strictEqual(r.code, 0, r.out);
    assert.strictEqual(r.out, '');
    const loud = run(['check', 'warn.trl.yaml'], dir);
    assert.match(loud.out, / warning level-requirement /);
  });

  it('applies the team configuration: a rule off, a warning raised, a field added; and reports a broken one', () => {
    const cfg = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-cli-config-'));
    try {
      const card = 'technology: T\nlevel: 4\ntldr: x\nowners:\n  owner: Ada\n  reviewers: [Grace]\nintended_use: x\ncaveats: [x]\nassumptions: [x]\nlinks: { docs: <link to the docs> }\nrequirements:\n  - { id: 1, kind: research, text: x, verification: x, validation: x, p_failure: 0.1, value: 2 }\n';
      fs.mkdirSync(path.join(cfg, 'cards'));
      fs.writeFileSync(path.join(cfg, 'cards', 'c.trl.yaml'), card);
      const rows = (args: string[], cwd = cfg) => {
        const r = run(['check', '--format', 'json', ...args], cwd);
        return { code: r.code, err: r.err, rows: r.out ? (JSON.parse(r.out) as { code: string; severity: string; message: string }[]) : [] };
      };
      const field = (list: { code: string; message: string; severity: string }[], f: string) => list.find((x) => x.code === 'level-requirement' && x.message.includes(`\`${f}\``));
      const before = rows(['cards']);
      assert.strictEqual(before.code, 0);
      assert.ok(before.rows.some((x) => x.code === 'placeholder'));
      assert.strictEqual(field(before.rows, 'ethics')?.severity, 'warning');
      fs.writeFileSync(path.join(cfg, 'trl-cards.config.yaml'), 'rules:\n  placeholder: off\nlevels:\n  "4":\n    entries: { ethics: error }\n    require:\n      - { field: links.project, severity: warning }\n');
      // Found from the current folder or a folder above it.
      for (const cwd of [cfg, path.join(cfg, 'cards')]) {
        const after = rows([cwd === cfg ? 'cards' : '.'], cwd);
        assert.strictEqual(after.code, 1, 'ethics is an error now');
        assert.ok(!after.rows.some((x) => x.code === 'placeholder'));
        assert.strictEqual(field(after.rows, 'ethics')?.severity, 'error');
        assert.strictEqual(field(after.rows, 'links.project')?.severity, 'warning');
      }
      assert.strictEqual(rows(['--no-config', 'cards']).code, 0);
      fs.renameSync(path.join(cfg, 'trl-cards.config.yaml'), path.join(cfg, 'team.yaml'));
      assert.strictEqual(rows(['--config', 'team.yaml', 'cards']).code, 1);
      fs.writeFileSync(path.join(cfg, 'trl-cards.config.yaml'), 'rules:\n  placehoder: off\n');
      const broken = run(['check', 'cards'], cfg);
      assert.strictEqual(broken.code, 2);
      assert.match(broken.err, /^trl-cards\.config\.yaml:2:3 error invalid-config There is no rule `placehoder`\. Did you mean `placeholder`\?$/m);
      assert.strictEqual(broken.out, '', 'no card is checked with a broken configuration');
    } finally {
      fs.rmSync(cfg, { recursive: true, force: true });
    }
  });
});
