/** The checker in CI: SARIF, GitHub annotations, the problem matcher, --fix, --cache, --max-warnings, --quiet. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from '../helpers';
import { COMPLETE, run, tempDir } from './checker';
import { escapeData, escapeProperty, githubLine } from '../../server/src/cli/github';
import { RULES } from '../../server/src/rules/problem';
import { getLanguageService } from '../../server/src/languageService';

const BROKEN = path.join(ROOT, 'examples', 'mistakes', 'broken.trl.yaml');
/** A card with one error (a level-1 card lacking experiments) and one warning (a short version). */
const ERROR_AND_WARNING = 'technology: x\nlevel: 1\nversion: "1.0"\n';

describe('trl-cards check in CI', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir('trl-ci-');
  });
  afterEach(() => t.remove());

  it('--format sarif: a SARIF 2.1.0 log that the published schema accepts, with exact regions and rule help', () => {
    fs.copyFileSync(BROKEN, path.join(t.dir, 'broken.trl.yaml'));
    t.write('sub dir/ok, 100%.trl.yaml', ERROR_AND_WARNING);
    const r = run(['check', '--format', 'sarif', '.'], t.dir);
    assert.strictEqual(r.code, 1, r.err);
    // A SARIF log read back (the schema checks its shape first).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a SARIF log read back; the schema checks its shape
    const log: any = JSON.parse(r.out);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The published schema's `language` pattern (`…[a-zA-Z]{2}]?$`) is not valid with the `u` flag: compile its patterns without it.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(structuredClone(log));
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.strictEqual(validate({ ...log, runs: [{ ...log.runs[0], results: [{ message: {} }] }] }), false, 'the schema does reject a result without text');
    const run0 = log.runs[0];
    assert.strictEqual(log.version, '2.1.0');
    assert.strictEqual(run0.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(t.dir).toString() + '/');
    const rules = run0.tool.driver.rules as {
      id: string;
      helpUri: string;
      help: { text: string };
      fullDescription: { text: string };
      shortDescription: { text: string };
    }[];
    assert.deepStrictEqual(rules.map((x) => x.id), Object.keys(RULES));
    const risk = rules.find((x) => x.id === 'risk-mismatch')!;
    // package.json names no repository: no help link, rather than a file:// path a SARIF viewer cannot open.
    assert.ok(rules.every((x) => x.helpUri === undefined) && run0.tool.driver.informationUri === undefined, JSON.stringify(rules[0]));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `log` above
    const linked: any = JSON.parse(run(['check', '--format', 'sarif', '--rules-url', 'https://example.org/trl/rules.md', '.'], t.dir).out);
    assert.strictEqual(linked.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'risk-mismatch').helpUri, 'https://example.org/trl/rules.md#risk-mismatch');
    assert.match(risk.fullDescription.text, /is not p_failure × value|is not `p_failure × value`/);
    assert.match(risk.help.text, /Fix: write the product the message gives/);
    // The checker's own JSON rows, against the SARIF results: same problems, same 1-based regions.
    const rows = JSON.parse(run(['check', '--format', 'json', '.'], t.dir).out) as { file: string; line: number; column: number; endLine: number; endColumn: number; code: string; message: string }[];
    assert.strictEqual(run0.results.length, rows.length);
    rows.forEach((row, i) => {
      const res = run0.results[i];
      assert.strictEqual(res.ruleId, row.code);
      assert.strictEqual(rules[res.ruleIndex].id, row.code);
      assert.strictEqual(res.message.text, row.message);
      const loc = res.locations[0].physicalLocation;
      assert.strictEqual(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.strictEqual(decodeURIComponent(loc.artifactLocation.uri), row.file.split(path.sep).join('/'));
      assert.deepStrictEqual(loc.region, { startLine: row.line, startColumn: row.column, endLine: row.endLine, endColumn: row.endColumn });
    });
    const semver = run0.results.find((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.ruleId === 'invalid-semver' && x.locations[0].physicalLocation.artifactLocation.uri.startsWith('sub'));
    assert.strictEqual(semver.locations[0].physicalLocation.artifactLocation.uri, 'sub%20dir/ok%2C%20100%25.trl.yaml');
    assert.deepStrictEqual(semver.locations[0].physicalLocation.region, { startLine: 3, startColumn: 10, endLine: 3, endColumn: 15 });
    // MAJOR.MINOR is how the authors write versions: a hint (SARIF's `note`).
    assert.strictEqual(semver.level, 'note');
  });

  it('--format github: workflow commands with GitHub\'s escaping', () => {
    t.write('a,b:c.trl.yaml', ERROR_AND_WARNING);
    const r = run(['check', '--format', 'github', '.'], t.dir);
    assert.strictEqual(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.includes('::notice file=a%2Cb%3Ac.trl.yaml,line=3,col=10,endLine=3,endColumn=15,title=trl-cards invalid-semver::`version` is `1.0`, not a full semantic version: write MAJOR.MINOR.PATCH, e.g. `1.0.0`.'), r.out);
    assert.ok(lines.some((l) => /^::error file=a%2Cb%3Ac\.trl\.yaml,line=2,col=8,endLine=2,endColumn=9,title=trl-cards level-requirement::To leave TRL 1/.test(l)), r.out);
    assert.ok(lines.every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,(col=\d+,endLine=\d+,endColumn=\d+|endLine=\d+),title=[^,:]+::\S/.test(l)), r.out);
    assert.strictEqual(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.strictEqual(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    // A range over several lines names its lines only (GitHub places columns on one line).
    assert.strictEqual(githubLine({ file: 'x', line: 2, column: 3, endLine: 4, endColumn: 1, severity: 'information', code: 'c', message: 'm: 50%' }), '::notice file=x,line=2,endLine=4,title=trl-cards c::m: 50%25');
  });

  it('contributes a $trl-cards problem matcher whose pattern reads the text rows', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'trl-cards');
    assert.ok(matcher, 'a matcher named trl-cards ($trl-cards in tasks.json)');
    const re = new RegExp(matcher.pattern.regexp);
    t.write('cards/x y.trl.yaml', ERROR_AND_WARNING);
    const text = run(['check', '.'], t.dir).out.trim().split('\n');
    const json = JSON.parse(run(['check', '--format', 'json', '.'], t.dir).out) as { file: string; line: number; column: number; severity: string; code: string; message: string }[];
    assert.strictEqual(text.length, json.length);
    text.forEach((line, i) => {
      const m = re.exec(line);
      assert.ok(m, line);
      const p = matcher.pattern;
      assert.deepStrictEqual(
        [m[p.file], Number(m[p.line]), Number(m[p.column]), m[p.severity], m[p.code], m[p.message]],
        [json[i].file, json[i].line, json[i].column, json[i].severity, json[i].code, json[i].message],
      );
    });
    assert.deepStrictEqual(matcher.fileLocation, ['relative', '${workspaceFolder}']);
  });

  it('--fix applies the safe fixes to a copy of examples/mistakes/broken.trl.yaml, and nothing else', () => {
    const file = path.join(t.dir, 'broken.trl.yaml');
    fs.copyFileSync(BROKEN, file);
    fs.chmodSync(file, 0o640);
    const before = fs.readFileSync(file, 'utf8');
    const r = run(['check', '--fix', '--format', 'json', 'broken.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 1, 'errors that have no safe fix are left, and reported');
    assert.match(r.err, /broken\.trl\.yaml: fixed 4 problems \(invalid-semver, risk-mismatch, syntax, wrong-type\)\./);
    const after = fs.readFileSync(file, 'utf8');
    assert.strictEqual((fs.statSync(file).mode & 0o777).toString(8), '640', 'the mode is kept');
    assert.deepStrictEqual(fs.readdirSync(t.dir), ['broken.trl.yaml'], 'no temporary file left');
    // Exactly three lines changed, each into its fixed form; every other byte is the same.
    const a = before.split('\n');
    const b = after.split('\n');
    assert.strictEqual(a.length, b.length);
    const changed = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
    assert.deepStrictEqual(changed, [
      ['version: "0.6"  # MISTAKE 4', 'version: "0.6.0"  # MISTAKE 4'],
      ['    risk: 2.4  # MISTAKE 3', '    risk: 2.1  # MISTAKE 3'],
      ['  learned: Offline replay answers one question quickly: is it sample-efficient?', '  learned: "Offline replay answers one question quickly: is it sample-efficient?"'],
    ]);
    // The after-file passes those rules; what is left is reported (the guess and the placeholders are not applied).
    const left = JSON.parse(r.out) as { code: string }[];
    for (const code of ['invalid-semver', 'risk-mismatch', 'syntax', 'wrong-type']) assert.ok(!left.some((x) => x.code === code), code);
    for (const code of ['unknown-field', 'out-of-range', 'duplicate-requirement-id', 'level-requirement']) assert.ok(left.some((x) => x.code === code), code);
    const again = run(['check', '--fix', 'broken.trl.yaml'], t.dir);
    assert.doesNotMatch(again.err, /fixed/, 'a second --fix has nothing to do');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), after);
  });

  it('--fix keeps CRLF line ends and leaves clean cards untouched (not even rewritten)', () => {
    t.write('crlf.trl.yaml', ERROR_AND_WARNING.replace(/\n/g, '\r\n'));
    t.write('clean.trl.yaml', COMPLETE);
    const clean = path.join(t.dir, 'clean.trl.yaml');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(clean, old, old);
    const r = run(['check', '--fix', '.'], t.dir);
    assert.match(r.err, /crlf\.trl\.yaml: fixed 1 problem \(invalid-semver\)/);
    assert.strictEqual(fs.readFileSync(path.join(t.dir, 'crlf.trl.yaml'), 'utf8'), 'technology: x\r\nlevel: 1\r\nversion: "1.0.0"\r\n');
    assert.strictEqual(fs.statSync(clean).mtime.getTime(), old.getTime());
  });

  it('--fix-dry-run prints a unified diff and writes nothing', () => {
    const file = path.join(t.dir, 'broken.trl.yaml');
    fs.copyFileSync(BROKEN, file);
    const r = run(['check', '--fix-dry-run', 'broken.trl.yaml'], t.dir);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), fs.readFileSync(BROKEN, 'utf8'));
    const lines = r.out.split('\n');
    assert.strictEqual(lines[0], '--- a/broken.trl.yaml');
    assert.strictEqual(lines[1], '+++ b/broken.trl.yaml');
    assert.ok(lines.includes('-    risk: 2.4  # MISTAKE 3') && lines.includes('+    risk: 2.1  # MISTAKE 3'), r.out);
    assert.strictEqual(lines.filter((l) => l.startsWith('@@')).length, 3);
    assert.strictEqual(lines.filter((l) => /^[-+][^-+]/.test(l)).length, 6);
    assert.match(r.err, /would fix 4 problems/);
  });

  it('--fix uses the language service\'s fix-all: the same edit as the editor\'s', () => {
    const text = fs.readFileSync(BROKEN, 'utf8');
    const service = getLanguageService();
    const card = service.parse(text);
    const uri = 'file:///x.trl.yaml';
    const document = TextDocument.create(uri, 'trl-card', 0, text);
    const [action] = service.codeActions(document, card, { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, { diagnostics: [], only: ['source.fixAll.trl-cards'] });
    const editor = TextDocument.applyEdits(document, action.edit!.changes![uri]);
    const file = path.join(t.dir, 'broken.trl.yaml');
    fs.writeFileSync(file, text);
    run(['check', '--fix', 'broken.trl.yaml'], t.dir);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), editor);
  });

  it('--cache: a second run over unchanged cards checks none of them; a changed card, a new config or a corrupt cache is checked again', () => {
    for (let i = 0; i < 3; i++) t.write(`c${i}.trl.yaml`, i === 0 ? ERROR_AND_WARNING : COMPLETE);
    const first = run(['check', '--cache', '--format', 'json', '.'], t.dir);
    assert.match(first.err, /cache: 0 of 3 cards unchanged \(not checked again\), 3 checked; \.trl-cards-cache\./);
    assert.ok(fs.statSync(path.join(t.dir, '.trl-cards-cache')).isFile());
    const second = run(['check', '--cache', '--format', 'json', '.'], t.dir);
    assert.match(second.err, /cache: 3 of 3 cards unchanged \(not checked again(?:; \d not even read)?\), 0 checked/);
    assert.strictEqual(second.out, first.out, 'the same problems from the cache');
    assert.strictEqual(second.code, first.code);
    t.write('c1.trl.yaml', ERROR_AND_WARNING);
    const third = run(['check', '--cache', '.'], t.dir);
    assert.match(third.err, /cache: 2 of 3 cards unchanged \(not checked again(?:; \d not even read)?\), 1 checked/);
    assert.match(third.out, /c1\.trl\.yaml:3:10 hint invalid-semver/);
    t.write('trl-cards.config.yaml', 'rules:\n  invalid-semver: off\n');
    const fourth = run(['check', '--cache', '.'], t.dir);
    assert.match(fourth.err, /cache: 0 of 3 cards unchanged/, 'another configuration is another cache');
    assert.doesNotMatch(fourth.out, /invalid-semver/);
    fs.writeFileSync(path.join(t.dir, '.trl-cards-cache'), '{"trlCardsCache":1,"key":');
    const corrupt = run(['check', '--cache', '.'], t.dir);
    assert.strictEqual(corrupt.code, 1);
    assert.match(corrupt.err, /the cache file is not used \(it is not valid JSON\); it is written anew/);
    assert.match(corrupt.err, /cache: 0 of 3 cards unchanged/);
    assert.match(run(['check', '--cache', '.'], t.dir).err, /cache: 3 of 3 cards unchanged/);
  });

  it('--cache: a card whose file is as it was hashed is not read again; one changed in place (same size and mtime) is', () => {
    // TRL_CARDS_RACY_MS=0: the files were written just now, which the default rule (two seconds) would not trust yet.
    const env = { TRL_CARDS_RACY_MS: '0' };
    for (let i = 0; i < 3; i++) t.write(`c${i}.trl.yaml`, i === 0 ? ERROR_AND_WARNING : COMPLETE);
    const first = run(['check', '--cache', '--format', 'json', '.'], t.dir, [], env);
    assert.match(first.err, /cache: 0 of 3 cards unchanged \(not checked again\), 3 checked/);
    const second = run(['check', '--cache', '--format', 'json', '.'], t.dir, [], env);
    assert.match(second.err, /cache: 3 of 3 cards unchanged \(not checked again; 3 not even read\), 0 checked/);
    assert.strictEqual(second.out, first.out, 'the same problems from the cache');
    // The same size, and the old mtime put back: the ctime still tells.
    const file = path.join(t.dir, 'c0.trl.yaml');
    const before = fs.statSync(file);
    fs.writeFileSync(file, ERROR_AND_WARNING.replace('"1.0"', '"1.1"'));
    assert.strictEqual(fs.statSync(file).size, before.size);
    fs.utimesSync(file, before.atime, before.mtime);
    const third = run(['check', '--cache', '--format', 'json', '.'], t.dir, [], env);
    assert.match(third.err, /cache: 2 of 3 cards unchanged \(not checked again; 2 not even read\), 1 checked/);
    assert.match(third.out, /1\.1/, 'the changed card checked again');
    // With the default rule, files changed this recently are read and hashed every time.
    const fourth = run(['check', '--cache', '.'], t.dir);
    assert.match(fourth.err, /cache: 3 of 3 cards unchanged \(not checked again\), 0 checked/);
  });

  it('--cache: a run that changes nothing leaves the cache file as it is', () => {
    for (let i = 0; i < 2; i++) t.write(`c${i}.trl.yaml`, COMPLETE);
    const env = { TRL_CARDS_RACY_MS: '0' };
    run(['check', '--cache', '.'], t.dir, [], env);
    run(['check', '--cache', '.'], t.dir, [], env); // the stamps are trusted from here on
    const cache = path.join(t.dir, '.trl-cards-cache');
    const text = fs.readFileSync(cache, 'utf8');
    fs.utimesSync(cache, new Date(2000, 0, 1), new Date(2000, 0, 1));
    assert.match(run(['check', '--cache', '.'], t.dir, [], env).err, /2 not even read/);
    assert.strictEqual(fs.statSync(cache).mtime.getFullYear(), 2000, 'not written again');
    assert.strictEqual(fs.readFileSync(cache, 'utf8'), text);
  });

  it('--cache-location: a file, or a folder that holds trl-cards-cache.json', () => {
    t.write('c.trl.yaml', COMPLETE);
    run(['check', '--cache-location', 'node_modules/.cache/trl-cards/', '.'], t.dir);
    assert.ok(fs.existsSync(path.join(t.dir, 'node_modules', '.cache', 'trl-cards', 'trl-cards-cache.json')));
    const r = run(['check', '--cache', '--cache-location=elsewhere.json', 'c.trl.yaml'], t.dir);
    assert.match(r.err, /cache: 0 of 1 card unchanged \(not checked again\), 1 checked; elsewhere\.json\./);
    assert.match(run(['check', '--cache-location', 'node_modules/.cache/trl-cards/', 'c.trl.yaml'], t.dir).err, /cache: 1 of 1 card unchanged/);
  });

  it('--max-warnings N exits 1 past N warnings, with a message', () => {
    t.write('w.trl.yaml', 'technology: x\nlevel: 0\ntldr: x\nowners:\n  rnd:\n    owner: Ada\n    reviewers: [Grace]\nhypotheses:\n  - statement: x\n    references: [x]\nresearch_plan: x\nversion: "1"\n');
    assert.strictEqual(run(['check', 'w.trl.yaml'], t.dir).code, 0);
    assert.strictEqual(run(['check', '--max-warnings', '1', 'w.trl.yaml'], t.dir).code, 0);
    const r = run(['check', '--max-warnings=0', 'w.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /trl-cards: 1 warning, more than --max-warnings 0 allows\./);
    const bad = run(['check', '--max-warnings', 'many', 'w.trl.yaml'], t.dir);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.err, /--max-warnings takes a whole number of 0 or more, not 'many'/);
  });

  it('--quiet prints errors only and says how many warnings it hid', () => {
    t.write('e.trl.yaml', ERROR_AND_WARNING);
    const r = run(['check', '--quiet', 'e.trl.yaml'], t.dir);
    assert.strictEqual(r.code, 1);
    assert.ok(r.out.trim().split('\n').every((l) => / error /.test(l)), r.out);
    assert.doesNotMatch(r.out, /invalid-semver/);
    const warnings = /(\d+) warnings?/.exec(r.err)![1];
    assert.ok(Number(warnings) > 0);
    assert.match(r.err, new RegExp(`trl-cards: --quiet hid ${warnings} warnings? and 1 note \\(information and hints\\)\\.`));
    assert.doesNotMatch(run(['check', 'e.trl.yaml'], t.dir).err, /hid/);
  });

  it('.pre-commit-hooks.yaml names the checker for card files', () => {
    const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; language: string; entry: string; files: string }[];
    const hook = hooks.find((h) => h.id === 'trl-cards')!;
    assert.strictEqual(hook.language, 'node');
    assert.strictEqual(hook.entry, 'trl-cards check');
    const files = new RegExp(hook.files);
    assert.ok(files.test('cards/a.trl.yaml') && files.test('a.trl.yml') && files.test('a.trl.md') && !files.test('a.yaml') && !files.test('README.md') && !files.test('a.trl.yaml.bak'));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.strictEqual(pkg.bin['trl-cards'], './dist/cli.js');
  });
});
