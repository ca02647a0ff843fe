/**
 * `.trl.md` cards (server/src/card/markdownCard.ts): the front matter, the view, the body's
 * sections; the authors' two BO cards hand-converted to `.trl.md`; every YAML fixture wrapped as
 * front matter over a random body gives its problems one line down, and its fixes stay inside.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex, cardFacts, getLanguageService, type Problem } from '../../server/src/languageService';
import { cardValue, type CardModel } from '../../server/src/card/model';
import { frontMatter, yamlView, parseMarkdownCard } from '../../server/src/card/markdownCard';
import { importAuthorsCard } from '../../server/src/import/authorsCard';
import { FIXTURES } from '../helpers';

const service = getLanguageService();
const MD_URI = 'file:///w/card.trl.md';

/** Problems as (line, character, end line, end character, code, message), from a text's line table. */
function placed(text: string, problems: readonly Problem[], lineShift = 0): string[] {
  const doc = TextDocument.create('file:///x', 'x', 0, text);
  return problems.map((p) => {
    const s = doc.positionAt(p.start);
    const e = doc.positionAt(p.end);
    return `${s.line + lineShift}:${s.character}-${e.line + lineShift}:${e.character} ${p.code} ${p.message}`;
  });
}

describe('.trl.md cards: front matter and view', () => {
  it('finds the front matter: `---` first (a BOM allowed), closed by the next `---` line', () => {
    assert.deepStrictEqual(frontMatter('---\na: 1\n---\nbody\n'), { start: 4, end: 9, bodyStart: 13 });
    assert.deepStrictEqual(frontMatter('\ufeff---\r\na: 1\r\n---  \r\n# x'), { start: 6, end: 12, bodyStart: 19 });
    assert.deepStrictEqual(frontMatter('---\n---\n'), { start: 4, end: 4, bodyStart: 8 });
    assert.strictEqual(frontMatter('a: 1\n---\n'), undefined);
    assert.strictEqual(frontMatter('---\na: 1\n'), undefined, 'not closed');
    assert.strictEqual(frontMatter('---x\na: 1\n---\n'), undefined);
    assert.strictEqual(frontMatter(' ---\na: 1\n---\n'), undefined);
  });

  it('the view: the YAML where it is, every other character a space, line ends kept', () => {
    const text = '\ufeff---\r\nlevel: 4\r\n---\r\n# Title é😀\rx\n';
    const view = yamlView(text);
    assert.strictEqual(view.length, text.length);
    assert.strictEqual(view, '    \r\nlevel: 4\r\n#  \r\n' + ' '.repeat(11) + '\r \n');
  });

  it('a block scalar on the last line keeps its value above a body of long lines', () => {
    const text = '---\ntechnology: T\nlevel: 0\ntldr: >-\n  Short.\n---\n' + '\n    Indented body line.\n'.repeat(3);
    assert.strictEqual(cardValue(service.parse(text, MD_URI)).tldr, 'Short.');
  });

  it('a file without front matter, or with an unclosed one: one problem, on line 1', () => {
    for (const text of ['# Just Markdown\n\ntechnology: x\n', '---\ntechnology: x\nlevel: 1\n']) {
      const problems = service.problems(service.parse(text, MD_URI));
      assert.deepStrictEqual(problems.map((p) => p.code), ['front-matter'], text);
      assert.strictEqual(problems[0].start, 0);
      assert.ok(problems[0].end <= text.indexOf('\n'));
    }
  });

  it('the same text named .trl.yaml is a YAML card (the kind comes from the name)', () => {
    const text = '---\ntechnology: x\nlevel: 0\n---\n## Intended use\n\nText.\n';
    assert.ok(service.problems(service.parse(text, 'file:///w/c.trl.yaml')).some((p) => p.code === 'syntax' || p.code === 'not-a-mapping'));
    assert.ok(!service.problems(service.parse(text, MD_URI)).some((p) => p.code === 'syntax'));
  });
});

describe('.trl.md cards: the body\'s sections', () => {
  const card = (body: string, fm = 'technology: T\nlevel: 4\n') => parseMarkdownCard(`---\n${fm}---\n${body}`);
  it('headings of depth 2 to 6, any case and spacing, with the aliases, outside code fences', () => {
    const c = card(
      [
        '# Intended use', // depth 1: the title, not a section
        '',
        '###### Key assumptions',
        '- smooth',
        '- cheap',
        '',
        '#### Caveats',
        '',
        'One caveat, as a paragraph.',
        '',
        '## intended   USE:',
        '',
        'Optimise things.',
        '',
        '```',
        '## Caveats',
        '```',
        '',
        'Model info',
        '----------',
        '',
        'A GP.',
        '',
        '## Testing',
        'Unit tests pass.',
        '### Data considerations',
        'Benchmarks only.',
        '## MLTRL stage debrief',
        '',
        '1. What was accomplished?',
        '   Much.',
        '2. What was punted?',
        '   Little.',
        '3. What was learned?',
        '   Things.',
        '4. Tech debt?',
        '   None.',
        '## Notes',
        'free prose',
      ].join('\n'),
    );
    const v = cardValue(c);
    assert.strictEqual(v.intended_use, 'Optimise things.\n\n```\n## Caveats\n```');
    assert.deepStrictEqual(v.model, { details: 'A GP.' });
    assert.deepStrictEqual(v.assumptions, ['smooth', 'cheap']);
    assert.deepStrictEqual(v.caveats, ['One caveat, as a paragraph.']);
    // A section runs to the next heading of the same or a higher level: the data section is inside the testing one.
    assert.strictEqual(v.testing && (v.testing as Record<string, unknown>).notes, 'Unit tests pass.\n### Data considerations\nBenchmarks only.');
    assert.deepStrictEqual((v.data as Record<string, unknown>).considerations, 'Benchmarks only.');
    assert.deepStrictEqual(v.debrief, { accomplished: 'Much.', punted: 'Little.', learned: 'Things.', tech_debt: 'None.' });
    assert.deepStrictEqual(service.problems(c).filter((p) => p.code !== 'level-requirement'), []);
  });

  it('a field in the front matter and a section is reported at both places; an empty section and a second one on their headings', () => {
    const text = '---\ntechnology: T\nlevel: 4\nintended_use: Here.\nmodel:\n  details: There.\n---\n## Intended use\nAnd here.\n## Caveats\n\n## Model\nAgain.\n## Intended use\nThrice.\n';
    const c = service.parse(text, MD_URI);
    const got = placed(text, service.problems(c).filter((p) => p.code !== 'level-requirement')).map((s) => s.replace(/ (\S+) .*$/, ' $1'));
    assert.deepStrictEqual(got, ['3:0-3:12 section-and-field', '5:2-5:9 section-and-field', '7:3-7:15 section-and-field', '9:3-9:10 empty-section', '11:3-11:8 section-and-field', '13:3-13:15 section-and-field']);
    // The front matter's value is the card's.
    assert.strictEqual(cardValue(c).intended_use, 'Here.');
    assert.deepStrictEqual(cardValue(c).model, { details: 'There.' });
  });

  it('the level rule reads the body: a level-4 card without its prose sections lacks them', () => {
    const fm = 'technology: T\nlevel: 4\n';
    const lacks = (c: CardModel) => service.problems(c).filter((p) => p.code === 'level-requirement' && /`(intended_use|caveats)`/.test(p.message)).length;
    assert.strictEqual(lacks(card('## Notes\nnothing\n', fm)), 2);
    assert.strictEqual(lacks(card('## Intended use\nX.\n## Caveats, known edge cases, recommendations\n- Y\n', fm)), 0);
  });

  it('an edit re-reads the body: update equals a fresh parse', () => {
    const text = '---\ntechnology: T\nlevel: 4\n---\n## Intended use\nX.\n';
    const c = service.parse(text, MD_URI);
    const at = text.indexOf('X.');
    const edited = service.update(c, { start: at, end: at + 2, text: '' });
    const fresh = service.parse(text.slice(0, at) + text.slice(at + 2), MD_URI);
    assert.deepStrictEqual(service.problems(edited).map((p) => p.code), service.problems(fresh).map((p) => p.code));
    assert.ok(service.problems(edited).some((p) => p.code === 'empty-section'));
  });
});

describe(".trl.md cards: the authors' two BO cards hand-converted", () => {
  const names = ['mltrl-bo.level-4', 'mltrl-bo.level-8'];
  const load = (dir: string, ext: string) => {
    const index = new WorkspaceIndex();
    const cards = names.map((n) => {
      const file = path.join(FIXTURES, dir, n + ext);
      const text = fs.readFileSync(file, 'utf8');
      const uri = pathToFileURL(file).toString();
      return { text, uri, card: service.parse(text, uri) };
    });
    for (const c of cards) index.set(cardFacts(c.uri, c.card));
    index.complete = true;
    return cards.map((c) => ({ ...c, problems: service.problems(c.card, {}, { uri: c.uri, index }) }));
  };
  const yaml = load('published', '.trl.yaml');
  const md = load('markdown', '.trl.md');
  for (let i = 0; i < names.length; i++) {
    it(`${names[i]}.trl.md: the YAML transcription's problems, one line down`, () => {
      assert.ok(yaml[i].problems.length > 10);
      assert.deepStrictEqual(placed(md[i].text, md[i].problems, -1), placed(yaml[i].text, yaml[i].problems));
    });
  }

  it("`trl-cards import`'s .trl.md of the authors' cards checks without a syntax or front-matter problem", () => {
    for (const f of ['mltrl_card_BO_level4.md', 'mltrl_card_BO_level8.md']) {
      const { text } = importAuthorsCard(fs.readFileSync(path.join(FIXTURES, 'authors', f), 'utf8'), { target: 'md' });
      const c = service.parse(text, MD_URI);
      const codes = service.problems(c).map((p) => p.code);
      assert.ok(!codes.some((code) => ['syntax', 'front-matter', 'not-a-mapping', 'empty-card', 'section-and-field'].includes(code)), `${f}: ${codes.join(', ')}`);
      assert.ok(typeof cardValue(c).intended_use === 'string', f);
    }
  });
});

/** Every quick fix of every diagnostic, and Fix all. */
function allActions(s: typeof service, document: TextDocument, card: CardModel, settings: object) {
  const diagnostics = s.diagnostics(document, card, settings);
  const whole = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
  return [...s.codeActions(document, card, whole, { diagnostics }, settings), ...s.codeActions(document, card, whole, { diagnostics: [], only: ['source.fixAll.trl-cards'] }, settings)];
}

function actionTitles(s: typeof service, document: TextDocument, card: CardModel, settings: object): string[] {
  return allActions(s, document, card, settings).map((a) => a.title);
}

describe('.trl.md cards: every YAML fixture as front matter over a random body', () => {
  const fixtures = ['diagnostics', 'published']
    .flatMap((d) => fs.readdirSync(path.join(FIXTURES, d)).filter((f) => /\.trl\.ya?ml$/.test(f)).map((f) => ({ name: `${d}/${f}`, text: fs.readFileSync(path.join(FIXTURES, d, f), 'utf8') })))
    // Not front matter: a card holding a `---` line (several documents), lone CRs, or nothing at all.
    .filter((f) => !/^(---|\.\.\.)\s*$/m.test(f.text) && !f.text.includes('\r') && f.text.trim() !== '');
  const today = (text: string) => /^# today: (\d{4}-\d{2}-\d{2})$/m.exec(text)?.[1];

  /** Body lines: `---` lines, code fences holding template headings, setext headings, prose; no prose field's heading outside a fence. */
  const bodyLine = fc.constantFrom('---', '***', '```', '```yaml\n## Intended use\nintended_use: x\n```', 'Notes\n-----', 'Other\n=====', '## Background', '#### Results', 'Some *prose* with a [link](https://example.org).', '- a list item', '', '    indented code', '<!-- a comment -->', '| a | b |\n|---|---|\n| 1 | 2 |');
  const body = fc.array(bodyLine, { maxLength: 12 }).map((ls) => ls.join('\n'));

  it('gives the same problems one line down, and every quick fix stays inside the front matter', () => {
    assert.ok(fixtures.length >= 10, String(fixtures.length));
    const expected = fixtures.map((f) => {
      const t = today(f.text);
      const settings = t ? { today: t } : {};
      const card = service.parse(f.text);
      const document = TextDocument.create('file:///w/card.trl.yaml', 'trl-card', 0, f.text);
      return { ...f, settings, problems: placed(f.text, service.problems(card, settings)), fixes: actionTitles(service, document, card, settings) };
    });
    let fixesSeen = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: expected.length - 1 }), body, fc.boolean(), fc.boolean(), (k, b, crlf, bom) => {
        const f = expected[k];
        let text = `${bom ? '\ufeff' : ''}---\n${f.text}${f.text.endsWith('\n') ? '' : '\n'}---\n${b}\n`;
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const card = service.parse(text, MD_URI);
        const problems = service.problems(card, f.settings);
        assert.deepStrictEqual(placed(text, problems, -1), f.problems, f.name);
        // Every quick fix, and Fix all, edits the front matter only.
        const fm = frontMatter(text)!;
        const document = TextDocument.create(MD_URI, 'markdown', 0, text);
        const actions = allActions(service, document, card, f.settings);
        // The same fixes as the YAML card's: none refused for being in a .trl.md.
        assert.deepStrictEqual(actions.map((a) => a.title), f.fixes, f.name);
        for (const a of actions) {
          for (const e of a.edit?.changes?.[MD_URI] ?? []) {
            fixesSeen++;
            const s = document.offsetAt(e.range.start);
            const en = document.offsetAt(e.range.end);
            assert.ok(s >= fm.start && en <= fm.end, `${f.name}: "${a.title}" edits ${s}-${en}, outside the front matter ${fm.start}-${fm.end}`);
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60), seed: Number(process.env.FUZZ_SEED ?? 23) },
    );
    assert.ok(fixesSeen > 0, 'some fix was offered');
  });
});
