/**
 * Quick fixes, golden files: each `fixes/<name>.before.trl.yaml` names, on its first line, the
 * code it fixes and a piece of the fix's title (`# fix: risk-mismatch "Set risk"`, or
 * `# fix: fix-all`). The test applies the offered edit and compares with `<name>.after.trl.yaml`,
 * then checks that the fixed card no longer has that problem and still parses.
 * `UPDATE_GOLDEN=1` writes the after files.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, FIX_ALL_KIND } from '../../server/src/languageService';
import { insertFields, cardStyle } from '../../server/src/card/edit';
import { placeholderFor } from '../../server/src/services/codeActions';
import { FIXTURES, doc, repositoryCards } from '../helpers';

const dir = path.join(FIXTURES, 'fixes');
const service = getLanguageService();
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } };

/** A tiny TextEdit applier: edits of one document, all against its original text. */
function apply(document: TextDocument, edits: readonly TextEdit[]): string {
  const text = document.getText();
  const offsets = edits
    .map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < offsets.length; i++) assert.ok(offsets[i - 1].end <= offsets[i].start, 'edits do not overlap');
  let out = '';
  let at = 0;
  for (const e of offsets) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const changes = action.edit?.changes;
  assert.ok(changes, 'the action carries a WorkspaceEdit with changes');
  assert.deepStrictEqual(Object.keys(changes), [uri], 'for the one card');
  return changes[uri];
}

function diagnosticsOf(text: string): { document: TextDocument; diagnostics: Diagnostic[] } {
  const document = doc(text);
  return { document, diagnostics: service.diagnostics(document, service.parse(text)) };
}

/**
 * Whether a fix is part of fix-all: computed values and layout (a value written as escapes
 * keeps its value), not guesses (which column an indentation slip meant), placeholders or
 * removals.
 */
function safeFix(code: string, title: string): boolean {
  if (code === 'hidden-character') return /as (an )?escapes?/.test(title);
  if (code === 'syntax') return !/^Indent /.test(title);
  return ['risk-mismatch', 'invalid-semver', 'tab-indent'].includes(code);
}

describe('quick fixes (golden files)', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.before.trl.yaml')).sort();
  it('has fixtures', () => assert.ok(files.length >= 10));
  for (const file of files) {
    it(file.replace('.before.trl.yaml', ''), () => {
      const before = fs.readFileSync(path.join(dir, file), 'utf8');
      const header = /^# fix: ([\w-]+)(?: "(.*)")?/.exec(before);
      assert.ok(header, 'the first line names the fix');
      const [, code, title] = header;
      const { document, diagnostics } = diagnosticsOf(before);
      const card = service.parse(before);
      let action: CodeAction | undefined;
      let fixed: Diagnostic[] = [];
      if (code === 'fix-all') {
        const actions = service.codeActions(document, card, WHOLE, { diagnostics: [], only: [FIX_ALL_KIND] });
        assert.strictEqual(actions.length, 1, 'one fix-all action');
        action = actions[0];
        assert.strictEqual(action.kind, FIX_ALL_KIND);
        // Did-you-mean is a guess, not part of fix-all: the before card has one, and it stays.
        fixed = diagnostics.filter((d) => ['invalid-semver', 'risk-mismatch', 'syntax'].includes(String(d.code)));
        assert.ok(fixed.length >= 3, 'the before card has problems to fix');
        const guesses = diagnostics.filter((d) => d.code === 'invalid-value' && (d.data as { suggestion?: string } | undefined)?.suggestion);
        assert.ok(guesses.length, 'the before card has a did-you-mean');
        const left = diagnosticsOf(apply(document, editsOf(actions[0], document.uri))).diagnostics;
        assert.deepStrictEqual(left.filter((d) => guesses.some((g) => g.message === d.message)).map((d) => d.message), guesses.map((g) => g.message), 'fix-all leaves the guesses');
        assert.deepStrictEqual(actions[0].data, { safe: true });
      } else {
        fixed = diagnostics.filter((d) => d.code === code);
        assert.ok(fixed.length, `the before card has a ${code} problem`);
        const actions = service.codeActions(document, card, fixed[0].range, { diagnostics: fixed });
        action = actions.find((a) => a.title.includes(title ?? ''));
        assert.ok(action, `a fix titled "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
        assert.strictEqual(action.kind, 'quickfix');
        assert.ok(action.diagnostics?.length, 'the action names the diagnostics it fixes');
        // Marked safe exactly when it is part of fix-all: computed values and layout, no guesses, placeholders or removals.
        assert.deepStrictEqual(action.data, { safe: safeFix(code, action.title) });
      }
      const after = apply(document, editsOf(action, document.uri));
      const goldenPath = path.join(dir, file.replace('.before.', '.after.'));
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(goldenPath, after);
      assert.strictEqual(after, fs.readFileSync(goldenPath, 'utf8'));
      const left = diagnosticsOf(after).diagnostics;
      assert.deepStrictEqual(left.filter((d) => d.code === 'syntax' || d.code === 'tab-indent').map((d) => d.message), [], 'the fixed card parses');
      const still = code === 'fix-all' ? left.filter((d) => fixed.some((f) => f.code === d.code && f.message === d.message)) : code === 'level-requirement' ? left.filter((d) => d.code === code && (d.data as { unmet?: string }).unmet === 'missing') : left.filter((d) => d.code === code);
      assert.deepStrictEqual(still.map((d) => d.message), [], 'the problem is gone');
    });
  }
});

describe('quick fixes', () => {
  it('offers nothing for a problem without a fix, and nothing for another source', () => {
    const text = 'technology: Radar\nfoo: 1\n';
    const { document, diagnostics } = diagnosticsOf(text);
    const unknown = diagnostics.filter((d) => d.code === 'unknown-field');
    assert.strictEqual(unknown.length, 1);
    assert.deepStrictEqual(service.codeActions(document, service.parse(text), unknown[0].range, { diagnostics: unknown }), []);
    assert.deepStrictEqual(service.codeActions(document, service.parse(text), unknown[0].range, { diagnostics: [{ ...unknown[0], source: 'yaml' }] }), []);
  });

  it('offers fix-all only when asked for by kind', () => {
    const text = 'technology: Radar\nversion: 1.0\n';
    const { document, diagnostics } = diagnosticsOf(text);
    const card = service.parse(text);
    const plain = service.codeActions(document, card, diagnostics[0].range, { diagnostics });
    assert.deepStrictEqual(plain.map((a) => a.kind), ['quickfix']);
    assert.strictEqual(plain[0].isPreferred, true);
    assert.deepStrictEqual(service.codeActions(document, card, diagnostics[0].range, { diagnostics, only: ['source'] }).map((a) => a.kind), [FIX_ALL_KIND]);
    assert.deepStrictEqual(service.codeActions(document, card, diagnostics[0].range, { diagnostics, only: ['source.fixAll'] }).map((a) => a.kind), [FIX_ALL_KIND]);
    assert.deepStrictEqual(service.codeActions(document, card, diagnostics[0].range, { diagnostics, only: ['quickfix'] }).map((a) => a.kind), ['quickfix']);
  });

  it('offers one "Add" per missing field and one for them all, in level-table order', () => {
    const text = 'technology: Radar\nlevel: 0\n';
    const { document, diagnostics } = diagnosticsOf(text);
    const level = diagnostics.filter((d) => d.code === 'level-requirement');
    const actions = service.codeActions(document, service.parse(text), level[0].range, { diagnostics: level });
    assert.deepStrictEqual(actions.map((a) => a.isPreferred === true), [true, false, false, false, false, false], 'adding them all is the preferred fix');
    const titles = actions.map((a) => a.title);
    assert.deepStrictEqual(titles, [
      'Add the 5 fields TRL 0 requires',
      'Add `owners.rnd.owner`',
      'Add `owners.rnd.reviewers`',
      'Add `tldr`',
      'Add `hypotheses`',
      'Add `research_plan`',
    ]);
    const one = 'technology: Radar\nlevel: 0\ntldr: x\nowners:\n  rnd:\n    owner: A\n    reviewers: [B]\nhypotheses:\n  - statement: s\n    references: [r]\n';
    const found = diagnosticsOf(one);
    const missing = found.diagnostics.filter((d) => d.code === 'level-requirement');
    const single = service.codeActions(found.document, service.parse(one), missing[0].range, { diagnostics: missing });
    assert.deepStrictEqual(single.map((a) => [a.title, a.isPreferred]), [['Add `research_plan`', true]], 'with one field missing, adding it is preferred');
  });

  it('offers "Add the N fields" with every diagnostic of the level line in context, hints and information included', () => {
    // VS Code sends every diagnostic at the range: the fields "Add the N fields" leaves (a hint's) do not keep it from being offered.
    const text = 'technology: Radar\nlevel: 4\n';
    const { document, diagnostics } = diagnosticsOf(text);
    const atLevel = diagnostics.filter((d) => d.range.start.line === 1);
    assert.ok(atLevel.some((d) => d.code === 'level-requirement' && d.severity! > 2), 'a level field below warning is missing too');
    const [first] = service.codeActions(document, service.parse(text), atLevel[0].range, { diagnostics: atLevel });
    assert.match(first.title, /^Add the \d+ fields TRL 4 requires$/);
    assert.ok(first.diagnostics!.length >= 2 && first.diagnostics!.every((d) => d.code === 'level-requirement' && d.severity! <= 2), 'it names the problems of the fields it adds');
  });

  it('gives every level-table field a placeholder the card format accepts', () => {
    const fields = new Set<string>();
    for (const l of (JSON.parse(fs.readFileSync(path.join(FIXTURES, '..', '..', 'schemas', 'levels.json'), 'utf8')) as { levels: { adds: { field: string; when?: string }[] }[] }).levels) {
      for (const e of l.adds) if (!e.when) fields.add(e.field);
    }
    for (const field of fields) {
      const card = service.parse('technology: Radar\n');
      const { insertions } = insertFields(card, [{ path: field.split('.'), value: placeholderFor(field) }]);
      const text = 'technology: Radar\n' + insertions.map((i) => i.text).join('');
      // A `previous` placeholder is reported as one, on purpose: it is a reminder to fill it in.
      const bad = service.problems(service.parse(text)).filter((p) => p.code !== 'missing-level' && p.code !== 'placeholder');
      assert.deepStrictEqual(bad.map((p) => `${p.code}: ${p.message}`), [], `${field}:\n${text}`);
    }
  });
});

describe('fix-all on every card of the repository', () => {
  it('never adds a syntax problem, and leaves fewer problems of the codes it fixes', () => {
    let fixed = 0;
    for (const { name, text } of repositoryCards()) {
      const { document, diagnostics } = diagnosticsOf(text);
      const [action] = service.codeActions(document, service.parse(text), WHOLE, { diagnostics: [], only: [FIX_ALL_KIND] });
      if (!action) continue;
      fixed++;
      const after = diagnosticsOf(apply(document, editsOf(action, document.uri))).diagnostics;
      const count = (list: Diagnostic[], codes: string[]) => list.filter((d) => codes.includes(String(d.code))).length;
      assert.ok(count(after, ['syntax', 'tab-indent']) <= count(diagnostics, ['syntax', 'tab-indent']), `${name}: fix-all adds a syntax problem`);
      const fixable = ['invalid-semver', 'risk-mismatch', 'unknown-field', 'invalid-value', 'tab-indent', 'hidden-character'];
      assert.ok(count(after, fixable) < count(diagnostics, fixable) || count(after, ['syntax']) < count(diagnostics, ['syntax']), `${name}: fix-all fixes nothing`);
    }
    assert.ok(fixed >= 3, `fix-all had something to fix on ${fixed} cards`);
  });
});

describe('insertion points (card/edit.ts)', () => {
  const write = (text: string, fields: string[]) => {
    const card = service.parse(text);
    const { insertions, skipped } = insertFields(card, fields.map((f) => ({ path: f.split('.'), value: { inline: 'X' } })));
    let out = text;
    for (const i of [...insertions].reverse()) out = out.slice(0, i.offset) + i.text + out.slice(i.offset);
    return { out, skipped: skipped.map((s) => s.path.join('.')) };
  };

  it('reads the indentation unit of the card (2 spaces by default)', () => {
    assert.strictEqual(cardStyle(service.parse('a: 1\n')).unit, '  ');
    assert.strictEqual(cardStyle(service.parse('a:\n    b: 1\n')).unit, '    ');
    assert.strictEqual(cardStyle(service.parse('a:\r\n   b: 1\r\n')).eol, '\r\n');
  });

  it('adds a nested key at the end of its existing parent mapping', () => {
    assert.strictEqual(write('owners:\n  rnd:\n    owner: A\n  product:\n    owner: B\nlevel: 0\n', ['owners.product.reviewers']).out, 'owners:\n  rnd:\n    owner: A\n  product:\n    owner: B\n    reviewers: X\nlevel: 0\n');
    assert.strictEqual(write('owners:\n  rnd:\n    owner: A\nlevel: 0\n', ['owners.product.reviewers']).out, 'owners:\n  rnd:\n    owner: A\n  product:\n    reviewers: X\nlevel: 0\n');
  });

  it('writes under a key with no value yet', () => {
    assert.strictEqual(write('owners:\nlevel: 0\n', ['owners.rnd.owner']).out, 'owners:\n  rnd:\n    owner: X\nlevel: 0\n');
  });

  it('fills a key written with nothing after its colon', () => {
    assert.strictEqual(write('tldr:\nlevel: 0\n', ['tldr']).out, 'tldr: X\nlevel: 0\n');
    assert.strictEqual(write('owners:\n  rnd:\n    owner:  # who?\nlevel: 0', ['owners.rnd.owner']).out, 'owners:\n  rnd:\n    owner: X  # who?\nlevel: 0');
    const card = service.parse('owners:\n  rnd:\n    reviewers:\nlevel: 0\n');
    const { insertions } = insertFields(card, [{ path: ['owners', 'rnd', 'reviewers'], value: { lines: [[1, '- R']] } }]);
    assert.deepStrictEqual(insertions, [{ offset: 30, text: '      - R\n' }]);
  });

  it('adds a new top-level key at the end, with a line break if the card lacks one', () => {
    assert.strictEqual(write('level: 0', ['tldr']).out, 'level: 0\ntldr: X\n');
    assert.strictEqual(write('level: 0\r\n', ['owners.owner', 'tldr']).out, 'level: 0\r\nowners:\r\n  owner: X\r\ntldr: X\r\n');
  });

  it('works across the blocks of a split list', () => {
    const text = 'requirements:\n  - id: "1"\n  - id: "2"\nowners:\n  rnd:\n    owner: A\n';
    assert.strictEqual(write(text, ['owners.rnd.reviewers']).out, text + '    reviewers: X\n');
  });

  it('leaves out fields it cannot place: in a flow mapping, under a text, or already there', () => {
    assert.deepStrictEqual(write('owners: { rnd: { owner: A } }\n', ['owners.rnd.reviewers']).skipped, ['owners.rnd.reviewers']);
    assert.deepStrictEqual(write('owners: someone\n', ['owners.rnd.owner']).skipped, ['owners.rnd.owner']);
    assert.deepStrictEqual(write('tldr: x\n', ['tldr']).skipped, ['tldr']);
    assert.deepStrictEqual(write('tldr: ~\n', ['tldr']).skipped, ['tldr']);
  });
});

describe('a fix is offered only when its result keeps the card', () => {
  const fixesOf = (text: string, code: string) => {
    const { document, diagnostics } = diagnosticsOf(text);
    const found = diagnostics.filter((d) => d.code === code);
    assert.ok(found.length, `a ${code} problem in ${JSON.stringify(text)}`);
    return service
      .codeActions(document, service.parse(text), found[0].range, { diagnostics: found })
      .map((a) => ({ title: a.title, after: apply(document, editsOf(a, document.uri)) }));
  };
  const fixAllOf = (text: string) => {
    const document = doc(text);
    const [action] = service.codeActions(document, service.parse(text), WHOLE, { diagnostics: [], only: [FIX_ALL_KIND] });
    return action ? apply(document, editsOf(action, document.uri)) : undefined;
  };

  it('replaces a block scalar up to its last line of text, and keeps a comment on its header line', () => {
    assert.deepStrictEqual(fixesOf('technology: T\nversion: >-  # agreed\n  1.0\n\nintended_use: keep me\n', 'invalid-semver').map((f) => f.after), ['technology: T\nversion: "1.0.0" # agreed\n\nintended_use: keep me\n']);
    assert.deepStrictEqual(fixesOf('technology: T\nversions:\r\n  code: |-\r\n    v1.0\r\n  data: "1.0.0"\r\n', 'invalid-semver').map((f) => f.after), ['technology: T\nversions:\r\n  code: v1.0.0\r\n  data: "1.0.0"\r\n']);
  });

  it('quotes a plain value over several lines whole, or not at all where its end is not plain', () => {
    assert.deepStrictEqual(fixesOf('tldr: a: b\n  c \\ "d"\n  e\nlevel: 0\n', 'syntax').map((f) => f.after), ['tldr: "a: b\n  c \\\\ \\"d\\"\n  e"\nlevel: 0\n']);
    // A comment line, then a line indented under the key: not a plain value's end.
    assert.deepStrictEqual(fixesOf('tldr: a: b\n  # note\n  c\nlevel: 0\n', 'syntax'), []);
    // A second line that reads as a key of its own.
    assert.deepStrictEqual(fixesOf('tldr: a: b\n  c: d\nlevel: 0\n', 'syntax'), []);
    // A comment after the first line's value ends it: the next line would be left out.
    assert.deepStrictEqual(fixesOf('tldr: a: b  # x\n  c\nlevel: 0\n', 'syntax'), []);
  });

  it('takes a tab for one level of the card\'s own indentation', () => {
    assert.deepStrictEqual(fixesOf('owners:\n    rnd:\n\t\towner: A\n', 'tab-indent').map((f) => f.after), ['owners:\n    rnd:\n        owner: A\n']);
    assert.deepStrictEqual(fixesOf('owners:\n  rnd:\n\t\towner: A\n  product:\n    owner: B\n', 'tab-indent').map((f) => f.after), ['owners:\n  rnd:\n    owner: A\n  product:\n    owner: B\n']);
  });

  it('offers no fix whose result adds a problem: a rename onto a field the mapping has', () => {
    // `tldrr` → `tldr` would repeat `tldr`: a duplicate key, and the second value lost to readers.
    const text = 'technology: T\ntldr: a\ntldrr: b\n';
    const { diagnostics } = diagnosticsOf(text);
    assert.ok(diagnostics.some((d) => d.code === 'unknown-field' && (d.data as { suggestion?: string }).suggestion === 'tldr'));
    assert.deepStrictEqual(fixesOf(text, 'unknown-field'), []);
    assert.deepStrictEqual(fixesOf('technology: T\ntldrr: b\n', 'unknown-field').map((f) => f.after), ['technology: T\ntldr: b\n'], 'offered where it keeps the card');
  });

  it('offers no fix for a diagnostic the card no longer has', () => {
    const text = 'technology: T\nversion: "1.0"\n';
    const { document, diagnostics } = diagnosticsOf(text);
    const stale = diagnostics.filter((d) => d.code === 'invalid-semver');
    assert.strictEqual(stale.length, 1);
    const now = 'technology: T\nversion: "1.0.0"\n';
    assert.deepStrictEqual(service.codeActions(doc(now), service.parse(now), stale[0].range, { diagnostics: stale }), []);
    assert.strictEqual(service.codeActions(document, service.parse(text), stale[0].range, { diagnostics: stale }).length, 1);
  });

  it('fix-all drops a fix whose result would add a problem and keeps the others', () => {
    // Tab as one level (2 columns) takes `simulated` out of its list item: that tab fix is not offered.
    const text = 'technology: T\nversion: "1.0"\ndata:\n  datasets:\n    - name: d\n\t  simulated: false\n';
    assert.deepStrictEqual(fixesOf(text, 'tab-indent'), []);
    assert.strictEqual(fixAllOf(text), text.replace('"1.0"', '"1.0.0"'));
  });

  it('fix-all on a block-scalar version keeps every other field (a card that checked clean stays clean)', () => {
    const text = 'technology: T\nlevel: 0\nversion: >-\n  1.0\nintended_use: keep me\nversions:\n  code: |-\n    2.1\n  data: "1.0.0"\n';
    const before = service.problems(service.parse(text));
    const after = fixAllOf(text)!;
    assert.strictEqual(after, 'technology: T\nlevel: 0\nversion: "1.0.0"\nintended_use: keep me\nversions:\n  code: "2.1.0"\n  data: "1.0.0"\n');
    const left = service.problems(service.parse(after));
    assert.deepStrictEqual(left.map((p) => p.code), before.filter((p) => p.code !== 'invalid-semver').map((p) => p.code));
  });
});
