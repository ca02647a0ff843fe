/** Graduation: golden files (before → after, with a fixed date) and the after-card's facts; the level code lens. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex, cardFacts, getLanguageService, nextFileName } from '../../server/src/languageService';
import { pathToFileURL } from 'url';
import { FIXTURES, ROOT, doc } from '../helpers';

const dir = path.join(FIXTURES, 'graduate');
const service = getLanguageService();
const TODAY = '2026-12-01';

function graduate(text: string, uri: string, options?: { previous?: boolean }) {
  return service.graduate(text, service.parse(text), uri, TODAY, undefined, options);
}

describe('graduate', () => {
  const befores = fs.readdirSync(dir).filter((f) => f.endsWith('.before.trl.yaml')).sort();
  it('has golden files', () => assert.ok(befores.length >= 3));
  for (const file of befores) {
    const name = file.replace('.before.trl.yaml', '');
    const uri = `file:///cards/${name}.trl.yaml`;
    it(`${name}: matches ${name}.after.trl.yaml, parses, and points back`, () => {
      const before = fs.readFileSync(path.join(dir, file), 'utf8');
      const result = graduate(before, uri);
      assert.ok(!('error' in result), 'error' in result ? result.error : '');
      const afterFile = path.join(dir, `${name}.after.trl.yaml`);
      if (process.env.UPDATE_GOLDEN || !fs.existsSync(afterFile)) fs.writeFileSync(afterFile, result.newText);
      assert.strictEqual(result.newText, fs.readFileSync(afterFile, 'utf8'));
      const level = (parse(before) as { level: number }).level;
      assert.strictEqual(result.level, level + 1);
      // Valid YAML, with no syntax problem the card did not have (the checker cuts a card at its
      // column-0 lines, so a flow list closed at column 0 is one already) and a sound history.
      assert.deepStrictEqual(parseDocument(result.newText).errors.map((e) => e.message), []);
      const problems = service.problems(service.parse(result.newText));
      const syntax = (ps: { code: string; message: string }[]) => ps.filter((p) => p.code === 'syntax').map((p) => p.message);
      assert.deepStrictEqual(syntax(problems), syntax(service.problems(service.parse(before))));
      assert.deepStrictEqual(problems.filter((p) => p.code.startsWith('history')).map((p) => p.message), []);
      // No error but what the next level still asks for (its new fields, placeholders to write),
      // and so not ready to graduate again at once.
      assert.deepStrictEqual(problems.filter((p) => p.severity === 'error' && p.code !== 'level-requirement').map((p) => `${p.code}: ${p.message}`), []);
      const verdict = service.readiness(service.parse(result.newText), uri);
      assert.ok(verdict && !verdict.ready, 'the new card is not ready at once');
      const after = parse(result.newText) as {
        level: number;
        previous: string[];
        history: { level: number; date: string; decision: string }[];
        debrief?: unknown;
      };
      assert.strictEqual(after.level, level + 1);
      assert.strictEqual(after.previous[after.previous.length - 1], `./${name}.trl.yaml`);
      // The graduation as the last entry (an entry New Card made at this level keeps its other keys).
      const { level: l, date, decision } = after.history[after.history.length - 1];
      assert.deepStrictEqual({ level: l, date, decision }, { level, date: TODAY, decision: 'graduate' });
      // One entry per level review: no two at the same level and date.
      const keys = after.history.map((h) => `${h.level}@${h.date}`);
      assert.deepStrictEqual(keys, [...new Set(keys)], 'one history entry per level and day');
      assert.ok(after.debrief, 'a debrief');
      // Every line of the card is kept (comments and layout): the new text only adds to it.
      // (Graduate rewrites the level, the review's decision and date, the last history entry when it
      // was at this level with no decision, and the debrief's answers, which are the last stage's.)
      const debriefRange = (parseDocument(before).get('debrief', true) as { range?: number[] } | undefined)?.range;
      // The lines the debrief's value is on, its key's line too.
      const lineStart = debriefRange ? before.lastIndexOf('\n', debriefRange[0]) + 1 : 0;
      const debriefLines = debriefRange ? new Set(before.slice(lineStart, debriefRange[1]).split('\n')) : new Set<string>();
      const kept = before.split('\n').filter((l) => !debriefLines.has(l) && !/^\s*level:|^\s*(decision|date):|^(previous|history): \[|^\s*(accomplished|punted|learned|tech_debt):|^\s*- \{ level: /.test(l));
      const lines = new Set(result.newText.split('\n'));
      // An entry appended to a flow list goes on the line of its last item, which keeps its text around it.
      const appended = / ?, \.\/[\w.-]+\.trl\.yaml| ?, \{ level: \d, date: [\d-]+, decision: graduate \}/;
      for (const l of kept) assert.ok(lines.has(l) || [...lines].some((m) => m !== l && m.replace(appended, '') === l), `kept: ${l}`);
      // The lines written end like the card's own.
      const ends = (t: string) => new Set(t.match(/\r\n|\n/g));
      assert.deepStrictEqual(ends(result.newText), ends(before), 'the line ends of the card');
    });
  }

  it('adds the next level fields the card lacks, placed in their parent mapping', () => {
    const before = fs.readFileSync(path.join(dir, 'radar.level-4.before.trl.yaml'), 'utf8');
    const result = graduate(before, 'file:///cards/radar.level-4.trl.yaml');
    assert.ok(!('error' in result));
    const after = parse(result.newText) as { versions: Record<string, string>; working_group: unknown; review: { decision: string; date: string } };
    assert.match(after.versions.model, /^TODO/);
    assert.ok('working_group' in after);
    assert.deepStrictEqual([after.review.decision, after.review.date], ['graduate', TODAY]);
  });

  it('raises the level in place without a previous entry', () => {
    const text = fs.readFileSync(path.join(dir, 'idea.before.trl.yaml'), 'utf8');
    const result = graduate(text, 'file:///cards/idea.trl.yaml', { previous: false });
    assert.ok(!('error' in result));
    const after = parse(result.newText) as { level: number; previous?: string[] };
    assert.strictEqual(after.level, 1);
    // TRL 1 asks for `previous`: a placeholder, never this card itself.
    assert.deepStrictEqual(after.previous?.map((p) => p.startsWith('TODO')), [true]);
  });

  it('refuses a card that is not ready, one at TRL 9, and one with syntax problems', () => {
    const notReady = graduate('technology: T\nlevel: 4\n', 'file:///c.trl.yaml');
    assert.match('error' in notReady ? notReady.error : '', /not ready to graduate: \d+ items missing for TRL 4/);
    const last = graduate('technology: T\nlevel: 9\n', 'file:///c.trl.yaml');
    assert.ok('error' in last);
    const noLevel = graduate('technology: T\n', 'file:///c.trl.yaml');
    assert.match('error' in noLevel ? noLevel.error : '', /no valid `level`/);
  });

  it('every ready card of the repository graduates to a card that parses to the same fields, with no new error', () => {
    // Block scalars (`accomplished: >-`), flow mappings with questions that hold commas, empty
    // values: whatever the layout, Graduate's edits replace a value's text and nothing after it.
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory() && e.name !== 'node_modules') walk(f);
        else if (e.isFile() && /\.trl\.ya?ml$/.test(e.name)) files.push(f);
      }
    };
    for (const d of ['examples', 'test/fixtures', 'test/vscode/workspace']) walk(path.join(ROOT, d));
    let graduated = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const card = service.parse(text);
      const uri = `file:///cards/${path.basename(file)}`;
      if (!service.readiness(card, uri)?.ready) continue;
      const result = graduate(text, uri);
      if ('error' in result) continue;
      graduated++;
      const where = path.relative(ROOT, file);
      assert.deepStrictEqual(parseDocument(result.newText).errors.map((e) => e.message), [], where);
      const before = parse(text) as Record<string, unknown>;
      const after = parse(result.newText) as Record<string, unknown>;
      for (const key of Object.keys(before)) assert.ok(key in after, `${where}: keeps \`${key}\``);
      const changed = new Set(['level', 'previous', 'history', 'review', 'debrief']);
      // Every value is kept; a mapping may gain the next level's fields (as placeholders).
      const keeps = (a: unknown, b: unknown): boolean =>
        b !== null && typeof b === 'object' && !Array.isArray(b) && a !== null && typeof a === 'object' && !Array.isArray(a)
          ? Object.entries(b).every(([k, v]) => keeps((a as Record<string, unknown>)[k], v))
          : JSON.stringify(a) === JSON.stringify(b);
      for (const key of Object.keys(before)) if (!changed.has(key)) assert.ok(keeps(after[key], before[key]), `${where}: \`${key}\` kept: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
      const debrief = after.debrief as Record<string, unknown> | undefined;
      if (debrief && typeof debrief === 'object') for (const k of ['accomplished', 'punted', 'learned', 'tech_debt']) assert.match(String(debrief[k]), /^TODO /, `${where}: debrief.${k}`);
      const errors = (t: string) => service.problems(service.parse(t)).filter((p) => p.severity === 'error' && p.code !== 'level-requirement').map((p) => `${p.code}: ${p.message}`);
      const old = new Set(errors(text));
      assert.deepStrictEqual(errors(result.newText).filter((e) => !old.has(e)), [], where);
    }
    assert.ok(graduated >= 10, `graduated ${graduated} cards`);
  });

  it('refuses a card whose YAML document ends with `...` (the fields it adds would start a second document)', () => {
    const text = fs.readFileSync(path.join(dir, 'idea.before.trl.yaml'), 'utf8') + '...\n';
    const result = graduate(text, 'file:///cards/idea.trl.yaml');
    assert.match('error' in result ? result.error : '', /ends its YAML document with a `\.\.\.` line/);
  });

  it('adds no second history entry when the last one already graduated the card from its level', () => {
    const text = 'technology: Idea\ntldr: A first idea.\nlevel: 0\nowners: { owner: Ada, reviewers: [Grace] }\nhypotheses:\n  - statement: It works.\n    references: [https://example.org/paper]\nresearch_plan: Try it.\ndebrief: { accomplished: a, punted: b, learned: c, tech_debt: d }\nhistory:\n  - { level: 0, date: 2026-01-05, decision: graduate }\n';
    const result = graduate(text, 'file:///cards/idea.trl.yaml');
    assert.ok(!('error' in result), 'error' in result ? result.error : '');
    assert.deepStrictEqual((parse(result.newText) as { history: unknown[] }).history, [{ level: 0, date: '2026-01-05', decision: 'graduate' }]);
  });

  it('names the next card from the pattern, without the old level suffix', () => {
    assert.strictEqual(nextFileName('file:///a/radar.level-4.trl.yaml', 5), 'radar.level-5.trl.yaml');
    assert.strictEqual(nextFileName('file:///a/idea.trl.yml', 1), 'idea.level-1.trl.yaml');
    assert.strictEqual(nextFileName('file:///a/my%20card.trl.yaml', 1, '${name}-trl${level}.trl.yaml'), 'my card-trl1.trl.yaml');
  });
});

describe('level code lens', () => {
  it('says how many items are missing, with the command listing them', () => {
    const text = 'technology: T\nlevel: 4\n';
    const lenses = service.codeLenses(doc(text), service.parse(text));
    assert.strictEqual(lenses.length, 1);
    const c = lenses[0].command!;
    assert.match(c.title, /^TRL 4 — Proof of Concept \(PoC\) Development: \d+ items missing for TRL 4$/);
    assert.strictEqual(c.command, 'trlCards.showLevelStatus');
    const items = c.arguments![1] as { field: string; reason: string; severity: string }[];
    assert.strictEqual(Number(/(\d+) items/.exec(c.title)![1]), items.length);
    assert.ok(items.some((i) => i.field === 'intended_use' && i.reason.length > 0));
    assert.ok(items.every((i) => i.severity === 'error' || i.severity === 'warning'));
    assert.deepStrictEqual(lenses[0].range.start, { line: 1, character: 0 });
  });

  it('offers Graduate on a ready card', () => {
    const text = fs.readFileSync(path.join(dir, 'idea.before.trl.yaml'), 'utf8');
    const lenses = service.codeLenses(doc(text), service.parse(text));
    assert.deepStrictEqual(lenses.map((l) => l.command!.title), ['TRL 0 — First Principles: ready to graduate to TRL 1', 'Graduate']);
    assert.strictEqual(lenses[1].command!.command, 'trlCards.graduate');
  });

  it('adds the risk table in numbers, and the component that limits a system', () => {
    const text = 'technology: S\nid: S\nlevel: 4\ncomponents: [P]\nrequirements:\n  - { id: 1, p_failure: 0.5, value: 8 }\n  - { id: 2, p_failure: 0.1, value: 2, mitigation: m }\n';
    const index = new WorkspaceIndex();
    index.set(cardFacts('file:///w/s.trl.yaml', service.parse(text)));
    index.set(cardFacts('file:///w/p.trl.yaml', service.parse('technology: P\nid: P\nlevel: 2\n')));
    index.complete = true;
    const d = TextDocument.create('file:///w/s.trl.yaml', 'trl-card', 1, text);
    const titles = service.codeLenses(d, service.parse(text), {}, index).map((l) => l.command!.title);
    assert.deepStrictEqual(titles.slice(1), ['Risk total 4.2 (2 requirements + 0 critical scenarios), highest 4 (requirement 1); 1 ≥ 3, 1 unmitigated', 'Limited to TRL 2 by P']);
  });

  it('shows the one risk total, the preview’s: requirements and critical scenarios, rounded once', () => {
    // The level-7 example: its critical scenarios carry risks too (the lens once counted the requirements only).
    const file = path.join(ROOT, 'examples', 'solar-array', 'solar-array.level-7.trl.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const d = TextDocument.create(pathToFileURL(file).href, 'trl-card', 1, text);
    const card = service.parse(text);
    const lens = service.codeLenses(d, card).map((l) => l.command!.title).find((t) => t.startsWith('Risk total'));
    const model = service.preview(d, card, 1);
    const scenarios = model.risks.rows.filter((r) => r.list === 'critical_scenarios' && r.risk !== undefined).length;
    assert.ok(scenarios > 0, 'the example has rated critical scenarios');
    assert.match(lens ?? '', new RegExp(`^Risk total ${model.risks.total.toString().replace('.', '\\.')} \\(\\d+ requirements \\+ ${scenarios} critical scenarios\\), highest ${model.risks.highest}`));
    assert.strictEqual(model.risks.total, 14.65);
    // Each risk summed in millionths and rounded once: 0.1 × 3 three times is 0.9, not 0.8999….
    const many = 'technology: x\nlevel: 7\nrequirements:\n' + '  - { id: a, p_failure: 0.1, value: 3 }\n'.repeat(3) + 'critical_scenarios:\n  - { scenario: s, p_failure: 0.005, value: 1 }\n';
    const manyLens = service.codeLenses(TextDocument.create('file:///w/m.trl.yaml', 'trl-card', 1, many), service.parse(many)).map((l) => l.command!.title).find((t) => t.startsWith('Risk total'));
    assert.match(manyLens ?? '', /^Risk total 0\.91 \(3 requirements \+ 1 critical scenario\)/);
    assert.strictEqual(service.preview(doc(many), service.parse(many), 1).risks.total, 0.91);
  });

  it('offers Graduate as a code action on the level line of a ready card only', () => {
    const ready = fs.readFileSync(path.join(dir, 'idea.before.trl.yaml'), 'utf8');
    const at = (text: string, line: number) =>
      service.codeActions(doc(text), service.parse(text), { start: { line, character: 0 }, end: { line, character: 0 } }, { diagnostics: [] });
    const levelLine = ready.split('\n').findIndex((l) => l.startsWith('level:'));
    const offered = at(ready, levelLine).filter((a) => a.kind === 'refactor.graduate');
    assert.deepStrictEqual(offered.map((a) => [a.title, a.command?.command, a.command?.arguments]), [['Graduate to TRL 1 (Goal-Oriented Research)', 'trlCards.graduate', ['file:///test/card.trl.yaml']]]);
    assert.deepStrictEqual(at(ready, levelLine + 1).filter((a) => a.kind === 'refactor.graduate'), [], 'not on other lines');
    assert.deepStrictEqual(at('technology: T\nlevel: 4\n', 1).filter((a) => a.kind === 'refactor.graduate'), [], 'not on a card its level holds back');
  });

  it('shows nothing without a valid level', () => {
    const text = 'technology: T\nlevel: high\n';
    assert.deepStrictEqual(service.codeLenses(doc(text), service.parse(text)), []);
  });
});
