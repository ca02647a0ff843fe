/**
 * `importAuthorsCard`: the authors' Markdown layout read into a `.trl.md` or a `.trl.yaml`. On
 * the authors' two example cards (test/fixtures/authors): every table value and every sentence
 * is kept, what a person must decide is a placeholder the project's own rules recognise and is
 * listed with its line; plus the edge cases (no table, a title with another level, CRLF, a BOM,
 * tables in code fences).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { importAuthorsCard, type ImportTarget } from '../../server/src/import/authorsCard';
import { sectionField } from '../../server/src/import/sections';
import { isPlaceholderValue, placeholderPaths } from '../../server/src/text/placeholder';
import { FIXTURES } from '../helpers';

const dir = path.join(FIXTURES, 'authors');
const CARDS = ['mltrl_card_BO_level4.md', 'mltrl_card_BO_level8.md'];
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

/** The front matter of a `.trl.md` (or the whole `.trl.yaml`) as a value, and the body. */
export function split(text: string, target: ImportTarget): { card: Record<string, unknown>; yaml: string; body: string } {
  if (target === 'yaml') return { card: parseYaml(text), yaml: text, body: '' };
  const m = /^\ufeff?---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)([\s\S]*)$/.exec(text);
  assert.ok(m, 'front matter: --- first, the card, ---');
  return { card: parseYaml(m[1]), yaml: m[1], body: m[2] };
}

/** Every string in a value, and the text of the YAML's comments: all a person can read of the card. */
function readable(text: string, card: unknown): string {
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  const uncommented = text.split(/\r?\n/).map((l) => l.replace(/^\s*#(?: |$)/, '')).join('\n');
  return [uncommented, ...strings].join('\n').replace(/\s+/g, ' ');
}

/** The summary table's value cells, each cut at the marks the importer reads (a footnote, parentheses, a status's colon, commas). */
function tableValues(md: string): string[] {
  const rows = md.split('\n').filter((l) => /^\|/.test(l)).slice(2);
  return rows.flatMap((r) => r.split('|')[2].replace(/\[\^\w+\]/g, '').split(/[(),:]/)).map((s) => s.trim()).filter((s) => s !== '' && s !== '*');
}

/** The source's sentences outside the table: each line without its Markdown marks, cut at sentence ends. */
function sentences(md: string, skip: (line: string) => boolean = () => false): string[] {
  return md
    .split('\n')
    .filter((l) => !/^\|/.test(l) && !skip(l))
    .map((l) => l.replace(/^\s*(?:#+|[-*]|\d+\.)\s+/, '').replace(/^\*\*TL;DR\*\* — /, '').trim())
    .flatMap((l) => l.split(/(?<=[.!?])\s+(?=[A-Z*])/))
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== '---');
}

describe('trl-cards import: the authors\' two example cards', () => {
  for (const file of CARDS) {
    const source = read(file);
    for (const target of ['md', 'yaml'] as const) {
      const result = importAuthorsCard(source, { target });
      const { card, body } = split(result.text, target);

      it(`${file} → .trl.${target}: every table value is kept`, () => {
        const text = readable(result.text, card);
        const values = tableValues(source);
        assert.ok(values.length >= 12, `${values.length} values read from the table`);
        for (const v of values) assert.ok(text.includes(v.replace(/\s+/g, ' ')), `table value "${v}" is lost`);
      });

      it(`${file} → .trl.${target}: every sentence is kept`, () => {
        const text = readable(result.text, card);
        // In a .trl.yaml the template's section headings and the debrief's four questions are the field names.
        const skip = (line: string) => target === 'yaml' && ((/^#{2,6}\s/.test(line) && sectionField(line.replace(/^#+\s*/, '')) !== undefined && sectionField(line.replace(/^#+\s*/, '')) !== 'requirements') || /^\d\. What (was|tech debt)/.test(line));
        const all = sentences(source, skip);
        assert.ok(all.length > 30, `${all.length} sentences`);
        for (const s of all) assert.ok(text.includes(s.replace(/\s+/g, ' ')), `sentence "${s}" is lost`);
      });

      it(`${file} → .trl.${target}: the table's and the body's typed values, and a placeholder for each decision, listed`, () => {
        const level = file.includes('level4') ? 4 : 8;
        assert.strictEqual(card.level, level);
        assert.strictEqual(card.id, level === 4 ? 'R02.1' : 'P13.2');
        assert.strictEqual(card.technology, level === 4 ? 'Mixed-variable BO' : 'Dynamic Solar Array Optmization');
        assert.deepStrictEqual(card.coupled, level === 4 ? ['R04.1', 'P13.2'] : ['R02.1', 'P12.2']);
        assert.deepStrictEqual((card.owners as { reviewers: string[] }).reviewers, level === 4 ? ['Yarin Gal'] : ['Eric Xing', 'Dava Newman']);
        assert.ok(isPlaceholderValue(card.previous), 'previous: the card\'s "(*link to prior level cards*)"');
        const requirements = card.requirements as { id: number; text: string }[];
        assert.deepStrictEqual(requirements.map((r) => r.id), level === 4 ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6]);
        assert.match(requirements[0].text, /shall/);
        assert.match(card.tldr as string, level === 4 ? /^MVBO is a novel/ : /^Applying our MVBO/);
        // Every placeholder the importer wrote is one the project's rules recognise, and each is listed once.
        const placeholders = placeholderPaths(card).map((p) => p.join('.')).filter((p) => !/^(previous|links|ethics\.checklist)/.test(p));
        assert.strictEqual(result.left.length, placeholders.length, `${JSON.stringify(placeholders)} against ${JSON.stringify(result.left)}`);
        assert.deepStrictEqual(placeholders.filter((p) => /^requirements\.\d+\./.test(p)).length, requirements.length * 3);
        for (const key of ['ethics.status', 'data.datasets.0.name', 'data.datasets.0.simulated', 'testing.unit', 'testing.integration']) assert.ok(placeholders.includes(key), key);
        assert.match((card.ethics as { status: string }).status, level === 4 ? /"WIP"/ : /"Yes"/);
        // Each entry points at the source line it is about.
        const lines = source.split('\n');
        for (const l of result.left) assert.ok(l.line >= 1 && l.line <= lines.length, JSON.stringify(l));
        const req1 = result.left.find((l) => /^requirement 1: `kind`/.test(l.what))!;
        assert.match(lines[req1.line - 1], /^1\. The/);
        const ethics = result.left.find((l) => /ethics\.status/.test(l.what))!;
        assert.match(lines[ethics.line - 1], /^\| Ethics checks\?/);
        assert.deepStrictEqual(result.warnings.filter((w) => /title says/.test(w.what)), []);
      });

      if (target === 'md') {
        it(`${file} → .trl.md: every line of the body but the table, the TL;DR and the requirements is kept as it was, in order`, () => {
          const taken = (l: string) => /^\|/.test(l) || /^\*\*TL;DR\*\*/.test(l) || /^\d\. The /.test(l);
          const kept = source.split('\n').filter((l) => !taken(l) && l.trim() !== '');
          assert.deepStrictEqual(body.split('\n').filter((l) => l.trim() !== ''), kept);
          assert.ok(!/\n\n\n\n/.test(body), 'no runs of blank lines where lines were taken');
          assert.ok(result.text.startsWith('---\n'));
        });
      } else {
        it(`${file} → .trl.yaml: the prose sections in their fields, the debrief by question`, () => {
          const debrief = card.debrief as Record<string, string>;
          assert.deepStrictEqual(Object.keys(debrief), ['accomplished', 'punted', 'learned', 'tech_debt']);
          assert.strictEqual(debrief.punted, 'n/a');
          assert.match((card.intended_use as string), /^(- Optimize|Closed-loop)/);
          assert.match(((card.data as { considerations: string }).considerations), /^(Benchmark|Production data)/);
          assert.match(((card.testing as { notes: string }).notes), /^(- Low-level|The following)/);
          assert.ok(Array.isArray(card.caveats) && (card.caveats as string[]).length === (file.includes('level4') ? 2 : 1));
          assert.match(((card.model as { details: string }).details), file.includes('level4') ? /^A Bayesian optimization/ : /example-BO-flowchart/);
        });
      }
    }
  }
});

describe('trl-cards import: edge cases', () => {
  const CARD = [
    '# My card - level 3',
    '',
    '| Summary info | Content, links |',
    '| --- | --- |',
    '| Tech name (project ID) | Widget (W1) |',
    '| Current Level | 3 (See level 2) |',
    '| Owner(s) | Ada |',
    '| Reviewer(s) | Grace; Alan |',
    '| Code repo & docs | [repo](https://example.org/repo) |',
    '| Favourite colour | blue |',
    '',
    '**TL;DR**: a widget.',
    '',
    '## Top-level requirements',
    '',
    '1. It shall spin.',
    '2. It shall stop.',
    '',
    '## Notes',
    '',
    'Free prose.',
    '',
  ].join('\n');

  it('reads the table\'s rows by label: "See level n" into previous, a link\'s target, a row with no field kept as a comment and reported', () => {
    const r = importAuthorsCard(CARD, { target: 'md' });
    const { card, yaml, body } = split(r.text, 'md');
    assert.deepStrictEqual(card.previous, ['See level 2']);
    assert.deepStrictEqual(card.owners, { owner: 'Ada', reviewers: ['Grace', 'Alan'] });
    assert.deepStrictEqual(card.links, { code: 'https://example.org/repo' });
    assert.strictEqual(card.tldr, 'a widget.');
    assert.match(yaml, /# Favourite colour: blue/);
    assert.ok(r.warnings.some((w) => w.line === 10 && /Favourite colour/.test(w.what)), JSON.stringify(r.warnings));
    assert.strictEqual(body, '# My card - level 3\n\n## Top-level requirements\n\n## Notes\n\nFree prose.\n');
    // Level 3: test statuses; level 2 on: datasets — both left for a person, at line 1 (no such section).
    assert.ok(r.left.some((l) => l.line === 1 && /testing\.unit/.test(l.what)));
    assert.ok(r.left.some((l) => l.line === 1 && /data\.datasets/.test(l.what)));
  });

  it('reports a title that says another level than the table, and imports the table\'s', () => {
    const r = importAuthorsCard(CARD.replace('level 3', 'level 5'), { target: 'md' });
    assert.strictEqual(split(r.text, 'md').card.level, 3);
    assert.deepStrictEqual(r.warnings.filter((w) => /title says level 5, the summary table level 3/.test(w.what)).map((w) => w.line), [1]);
  });

  it('with no table: technology and level are placeholders, listed (the title\'s level is read and said)', () => {
    const r = importAuthorsCard('# Some card\n\nJust prose.\n', { target: 'md' });
    const { card, body } = split(r.text, 'md');
    assert.ok(isPlaceholderValue(card.technology) && isPlaceholderValue(card.level));
    assert.deepStrictEqual(r.left.map((l) => [l.line, /`(\w+)`/.exec(l.what)![1]]), [[1, 'technology'], [1, 'level']]);
    assert.ok(r.warnings.some((w) => /no summary table/.test(w.what)));
    assert.strictEqual(body, '# Some card\n\nJust prose.\n');
    const titled = importAuthorsCard('# Some card, level 2\n', { target: 'md' });
    assert.strictEqual(split(titled.text, 'md').card.level, 2);
    assert.ok(titled.warnings.some((w) => /read from the title/.test(w.what)));
  });

  it('keeps CRLF line ends, drops the BOM, and reads the same card', () => {
    const lf = importAuthorsCard(CARD, { target: 'md' });
    const crlf = importAuthorsCard('\ufeff' + CARD.replace(/\n/g, '\r\n'), { target: 'md' });
    assert.strictEqual(crlf.text, lf.text.replace(/\n/g, '\r\n'));
    assert.ok(crlf.text.startsWith('---\r\n'));
    assert.ok(!/(^|[^\r])\n/.test(crlf.text), 'every line end a CRLF');
    assert.deepStrictEqual(crlf.left, lf.left);
    assert.deepStrictEqual(crlf.warnings, lf.warnings);
  });

  it('does not read a table, a TL;DR or requirements inside a code fence', () => {
    const fenced = ['# Card', '', '```', '| Tech name (project ID) | Fake (F1) |', '| --- | --- |', '| Current Level | 9 |', '```', '', '| Summary info | Content, links |', '| --- | --- |', '| Tech name (project ID) | Real (R1) |', '| Current Level | 1 |', '', '## Requirements', '', '~~~', '1. Not a requirement.', '~~~', '', '1. A requirement.', ''].join('\n');
    const r = importAuthorsCard(fenced, { target: 'md' });
    const { card, body } = split(r.text, 'md');
    assert.strictEqual(card.technology, 'Real');
    assert.strictEqual(card.level, 1);
    assert.deepStrictEqual((card.requirements as { text: string }[]).map((q) => q.text), ['A requirement.']);
    assert.match(body, /```\n\| Tech name \(project ID\) \| Fake \(F1\) \|/);
    assert.match(body, /~~~\n1\. Not a requirement\.\n~~~/);
  });

  it('a .trl.yaml keeps the lines no field takes as comments, and a level that names no number is left for a person', () => {
    const r = importAuthorsCard(CARD.replace('| 3 (See level 2) |', '| early |'), { target: 'yaml' });
    const card = parseYaml(r.text);
    assert.ok(isPlaceholderValue(card.level));
    assert.ok(r.left.some((l) => l.line === 6 && /`level`: "early"/.test(l.what)));
    assert.match(r.text, /^# ## Notes$/m);
    assert.match(r.text, /^# Free prose\.$/m);
  });

  it('never throws, on any text', () => {
    for (const text of ['', '|', '| a |\n|---|', '1. x', '---\n---', '\ufeff', '# level 99', '| Current Level | |\n| --- | --- |', '## Caveats\n\n- a\n- b\n', '## MLTRL stage debrief\n\n1. What was learned?\n']) {
      for (const target of ['md', 'yaml'] as const) {
        const r = importAuthorsCard(text, { target });
        split(r.text, target);
      }
    }
  });
});
