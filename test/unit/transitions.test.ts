/** Level transitions: the `history` rules on one card, and `previous-level` across cards. */
import * as assert from 'assert';
import { WorkspaceIndex, cardFacts, getLanguageService } from '../../server/src/languageService';
import { transitionProblems } from '../../server/src/rules/transitions';
import { repositoryCards, indexOf } from '../helpers';

const service = getLanguageService();
const CODES = ['level-skipped', 'history-order', 'history-mismatch', 'history-start', 'previous-level'];

interface Found {
  code: string;
  severity: string;
  at: string;
  line: number;
  message: string;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

/** The rule function alone, on a parsed card. */
function direct(text: string): Found[] {
  return transitionProblems(service.parse(text)).map((p) => ({
    code: p.code,
    severity: p.severity,
    at: text.slice(p.start, p.end),
    line: lineOf(text, p.start),
    message: p.message,
  }));
}

/** Through the façade (every rule), keeping only the transition codes. */
function viaService(text: string, context?: { uri: string; index: WorkspaceIndex }): Found[] {
  return service
    .problems(service.parse(text), {}, context)
    .filter((p) => CODES.includes(p.code))
    .map((p) => ({ code: p.code, severity: p.severity, at: text.slice(p.start, p.end), line: lineOf(text, p.start), message: p.message }));
}

/** A card of `level` with history entries given as [level, date, decision?]. */
function card(level: number | string, entries: [unknown, unknown, string?][], extra = ''): string {
  let text = `technology: T\nlevel: ${level}\n${extra}history:\n`;
  for (const [l, d, decision] of entries) {
    text += `  - level: ${l}\n    date: ${d}\n`;
    if (decision) text += `    decision: ${decision}\n`;
  }
  return text;
}

const codes = (found: Found[]) => found.map((f) => f.code);

describe('level transitions in history', () => {
  it('flags a rise of more than one level, on the later level, as an error', () => {
    const text = card(2, [[0, '2020-01-01', 'graduate'], [2, '2020-03-01', 'graduate']]);
    const found = direct(text);
    assert.deepStrictEqual(found.map((f) => [f.code, f.severity, f.at, f.line]), [['level-skipped', 'error', '2', 6]]);
    assert.match(found[0].message, /goes from TRL 0 to TRL 2, skipping TRL 1/);
    assert.match(found[0].message, /Record the review of TRL 1 in between, or correct this level/);
    const two = direct(card(3, [[0, '2020-01-01', 'graduate'], [3, '2020-03-01']]));
    assert.match(two[0].message, /skipping TRL 1 and 2.*the reviews of TRL 1 and 2/);
    const three = direct(card(4, [[0, '2020-01-01', 'graduate'], [4, '2020-03-01']]));
    assert.match(three[0].message, /skipping TRL 1 to 3/);
  });

  it('flags a date before the previous entry, on the later date, as an error', () => {
    const text = card(2, [[0, '2020-01-01', 'graduate'], [1, '2020-04-01', 'graduate'], [2, '2020-03-15']]);
    const found = direct(text);
    assert.deepStrictEqual(found.map((f) => [f.code, f.severity, f.at]), [['history-order', 'error', '2020-03-15']]);
    assert.match(found[0].message, /dated 2020-03-15, before the previous entry's 2020-04-01/);
    // The same day twice is fine.
    assert.deepStrictEqual(direct(card(1, [[0, '2020-01-01', 'graduate'], [1, '2020-01-01']])), []);
  });

  it('accepts a cycle back (4 → 3 → 4) and a fall of several levels', () => {
    const path: [number, string, string][] = [
      [0, '2019-01-01', 'graduate'],
      [1, '2019-02-01', 'graduate'],
      [2, '2019-03-01', 'graduate'],
      [3, '2019-04-01', 'graduate'],
      [4, '2019-05-01', 'revert'],
      [3, '2019-06-01', 'graduate'],
      [4, '2019-07-01', 'graduate'],
    ];
    assert.deepStrictEqual(viaService(card(4, path)), []);
    assert.deepStrictEqual(direct(card(2, [[0, '2019-01-01'], [1, '2019-02-01'], [2, '2019-03-01'], [3, '2019-04-01'], [4, '2019-05-01', 'revert'], [1, '2019-06-01'], [2, '2019-07-01']])), []);
  });

  it('accepts a last entry at the level, a graduate one level below, or a revert above', () => {
    assert.deepStrictEqual(direct(card(1, [[0, '2020-01-01', 'graduate'], [1, '2020-02-01', 'hold']])), []);
    assert.deepStrictEqual(direct(card(1, [[0, '2020-01-01', 'graduate']])), [], 'graduated to this level');
    assert.deepStrictEqual(direct(card(1, [[0, '2020-01-01'], [1, '2020-02-01'], [2, '2020-03-01', 'revert']])), [], 'reverted to this level');
    assert.deepStrictEqual(direct(card(0, [[0, '2020-01-01'], [1, '2020-02-01'], [2, '2020-03-01', 'revert']])), [], 'reverted two levels');
  });

  it('warns when the last entry does not lead to the level', () => {
    let found = direct(card(3, [[0, '2020-01-01', 'graduate'], [1, '2020-02-01', 'hold']]));
    assert.deepStrictEqual(found.map((f) => [f.code, f.severity, f.at, f.line]), [['history-mismatch', 'warning', '1', 6]]);
    assert.match(found[0].message, /ends with the review of TRL 1 \(decision `hold`\), but the card claims TRL 3: record the reviews that brought the technology to TRL 3, or correct `level`/);
    found = direct(card(3, [[0, '2020-01-01', 'graduate'], [1, '2020-02-01', 'graduate']]));
    assert.deepStrictEqual(codes(found), ['history-mismatch'], 'a graduate two levels below');
    found = direct(card(1, [[0, '2020-01-01'], [1, '2020-02-01'], [2, '2020-03-01', 'graduate']]));
    assert.deepStrictEqual(codes(found), ['history-mismatch']);
    assert.match(found[0].message, /TRL 2 \(decision `graduate`\), above the card's TRL 1: .*`decision: revert`.*raise `level` to 2/);
    found = direct(card(1, [[0, '2020-01-01'], [1, '2020-02-01'], [2, '2020-03-01']]));
    assert.match(found[0].message, /ends with the review of TRL 2, above/);
  });

  it('warns when the first entry is not at entered_at (or 0)', () => {
    let found = direct(card(5, [[4, '2020-01-01', 'graduate'], [5, '2020-02-01']]));
    assert.deepStrictEqual(found.map((f) => [f.code, f.severity, f.at, f.line]), [['history-start', 'warning', '4', 3]]);
    assert.match(found[0].message, /starts at TRL 4, but the card does not say it entered the TRL process above level 0.*add `entered_at: 4`.*reviews of TRL 0 to 3 first/);
    assert.deepStrictEqual(direct(card(5, [[4, '2020-01-01', 'graduate'], [5, '2020-02-01']], 'entered_at: 4\n')), []);
    found = direct(card(5, [[5, '2020-02-01']], 'entered_at: 4\n'));
    assert.deepStrictEqual(codes(found), ['history-start']);
    assert.match(found[0].message, /but `entered_at` is 4.*Record the review of TRL 4 first, or set `entered_at: 5`/);
    found = direct(card(5, [[2, '2020-01-01'], [3, '2020-01-02'], [4, '2020-01-03'], [5, '2020-02-01']], 'entered_at: 4\n'));
    assert.deepStrictEqual(codes(found), ['history-start']);
    assert.match(found[0].message, /starts at TRL 2, below `entered_at` \(4\).*Set `entered_at: 2`/);
    // A card that keeps only its recent reviews, the earlier ones on the previous cards it lists.
    assert.deepStrictEqual(direct(card(5, [[4, '2020-01-01', 'graduate'], [5, '2020-02-01']], 'previous: [./t.level-4.trl.yaml]\n')), []);
    assert.deepStrictEqual(codes(direct(card(5, [[2, '2020-01-01'], [3, '2020-01-02'], [4, '2020-01-03'], [5, '2020-02-01']], 'entered_at: 4\nprevious: [./t.trl.yaml]\n'))), ['history-start'], 'below entered_at still warns');
    // entered_at above level or malformed: reported elsewhere, not here.
    assert.deepStrictEqual(direct(card(3, [[3, '2020-01-01']], 'entered_at: 5\n')), []);
    assert.deepStrictEqual(direct(card(3, [[3, '2020-01-01']], 'entered_at: four\n')), []);
  });

  it('never crashes on, nor guesses at, half-typed entries', () => {
    const cases = [
      // A missing level between 0 and 2 breaks the comparison: no skip is reported across it.
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - date: 2020-02-01\n  - level: 2\n    date: 2020-03-01\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level:\n    date: 2020-02-01\n  - level: 2\n    date: 2020-03-01\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: one\n    date: 2020-02-01\n  - level: 2\n    date: 2020-03-01\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: 1.5\n    date: 2020-02-01\n  - level: 2\n    date: 2020-03-01\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: 12\n    date: 2020-02-01\n  - level: 2\n    date: 2020-03-01\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: "1"\n    date: 2020-02-01\n  - level: 2\n    date: 2020-03-01\n',
      // A level without a date, or a malformed date, takes no part either (here: a skip and an order).
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: 2\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-05-01\n  - level: 1\n    date: 2020-1-1\n  - level: 2\n    date: 2020-06-01\n',
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-05-01\n  - level: 1\n    date: 20200101\n  - level: 2\n    date: 2020-06-01\n',
      // Not mappings, empty items, a new entry being typed as the last one.
      'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - just text\n  -\n  - level: 2\n    date: 2020-03-01\n',
      'technology: T\nlevel: 3\nhistory:\n  - level: 0\n    date: 2020-01-01\n    decision: graduate\n  - level: 1\n    date: 2020-02-01\n    decision: graduate\n  - level: 2\n    date: 2020-03-01\n    decision: graduate\n  - level: 3\n    date: 2020-04-01\n    decision: graduate\n  - level: 9\n',
      'technology: T\nlevel: 3\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - lev',
      'technology: T\nlevel: 3\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: [1, 2]\n    date: {a: 1}\n',
      // history that is not a list, or empty; a card with no level or a bad one.
      'technology: T\nlevel: 3\nhistory: soon\n',
      'technology: T\nlevel: 3\nhistory:\n',
      'technology: T\nlevel: 3\nhistory: []\n',
      'technology: T\nlevel: 3\nhistory: [1, 2, 3]\n',
      'technology: T\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level: 1\n    date: 2020-02-01\n    decision: hold\n',
      'technology: T\nlevel: high\nhistory:\n  - level: 0\n    date: 2020-01-01\n',
      'technology: T\nlevel: 0\nhistory:\n  - level: 0\n    date: "2020-01-01\n',
      'technology: T\nlevel: 0\nhistory:\n\t- level: 0\n',
      'history:\n  - level: 0\n    date: 2020-01-01\n  - {level: , date: }\n  - [level, 2]\n',
    ];
    for (const text of cases) {
      assert.deepStrictEqual(codes(viaService(text)), [], text);
      // Every prefix too: a card being typed from the top.
      for (let n = 0; n <= text.length; n++) {
        const prefix = text.slice(0, n);
        assert.doesNotThrow(() => viaService(prefix), prefix);
      }
    }
  });

  it('checks a history written as a flow list, or in a card parsed whole', () => {
    const flow = 'technology: T\nlevel: 2\nhistory: [{level: 0, date: 2020-01-01}, {level: 2, date: 2019-12-01}]\n';
    assert.deepStrictEqual(direct(flow).map((f) => [f.code, f.at]), [['level-skipped', '2'], ['history-order', '2019-12-01']]);
    const whole = '---\n' + card(2, [[0, '2020-01-01', 'graduate'], [2, '2020-03-01']]);
    assert.ok(service.parse(whole).whole);
    assert.deepStrictEqual(direct(whole).map((f) => [f.code, f.at, f.line]), [['level-skipped', '2', 7]]);
  });

  it('reports nothing on the example cards', () => {
    for (const { name, text } of repositoryCards().filter((c) => c.name.startsWith('examples'))) {
      assert.deepStrictEqual(codes(direct(text)), [], name);
    }
  });

  it('follows edits: the same problems after an edit as from a full parse', () => {
    const before = card(3, [[0, '2020-01-01', 'graduate'], [1, '2020-02-01', 'graduate'], [2, '2020-03-01', 'graduate'], [3, '2020-04-01']]);
    let model = service.parse(before);
    assert.deepStrictEqual(transitionProblems(model), []);
    // 1 → 3 on the second entry's level.
    const at = before.indexOf('level: 1') + 'level: '.length;
    const after = before.slice(0, at) + '3' + before.slice(at + 1);
    model = service.update(model, { start: at, end: at + 1, text: '3' });
    const fromEdit = transitionProblems(model);
    assert.deepStrictEqual(fromEdit, transitionProblems(service.parse(after)));
    assert.deepStrictEqual(fromEdit.map((p) => [p.code, after.slice(p.start, p.end)]), [['level-skipped', '3']]);
  });
});

describe('previous-level across cards', () => {
  const URI = 'file:///ws/t.level-5.trl.yaml';
  const cards = indexOf({
    'file:///ws/t.level-1.trl.yaml': 'technology: T\nid: T\nlevel: 1\n',
    'file:///ws/t.level-2.trl.yaml': 'technology: T\nid: T\nlevel: 2\n',
    'file:///ws/t.level-4.trl.yaml': 'technology: T\nid: T\nlevel: 4\n',
    'file:///ws/t.level-6.trl.yaml': 'technology: T\nid: T\nlevel: 6\n',
    'file:///ws/sys/system.level-4.trl.yaml': 'technology: S\nid: S\nlevel: 4\n',
  });
  const cross = (text: string, idx = cards, uri = URI) => viaService(text, { uri, index: idx });
  const steps = (...levels: (number | [number, string])[]) =>
    'history:\n' + levels.map((l, i) => (Array.isArray(l) ? `  - level: ${l[0]}\n    date: 2020-01-0${i + 1}\n    decision: ${l[1]}\n` : `  - level: ${l}\n    date: 2020-01-0${i + 1}\n`)).join('');

  it('warns on a previous card more than one level below, with nothing in between', () => {
    const text = 'technology: T\nlevel: 5\nprevious:\n  - ./t.level-2.trl.yaml\n';
    const found = cross(text);
    assert.deepStrictEqual(found.map((f) => [f.code, f.severity, f.at]), [['previous-level', 'warning', './t.level-2.trl.yaml']]);
    assert.match(found[0].message, /previous card `T` \(t\.level-2\.trl\.yaml\) is at TRL 2 and this card claims TRL 5: levels cannot be skipped\. Link the TRL 3 and 4 cards in `previous`, or record the path in `history`/);
    // History covering only part of the gap: the message names what is left.
    const partial = cross(text + steps(0, 1, 2, 3));
    assert.deepStrictEqual(codes(partial), ['previous-level', 'history-mismatch']);
    assert.match(partial[0].message, /Link the TRL 4 card in `previous`/);
  });

  it('warns on exactly one skipped level (the commonest skip), and not on the next level', () => {
    const found = cross('technology: T\nlevel: 6\nprevious: [./t.level-4.trl.yaml]\n');
    assert.deepStrictEqual(found.map((f) => [f.code, f.at]), [['previous-level', './t.level-4.trl.yaml']]);
    assert.match(found[0].message, /is at TRL 4 and this card claims TRL 6: levels cannot be skipped\. Link the TRL 5 card in `previous`/);
    assert.deepStrictEqual(cross('technology: T\nlevel: 5\nprevious: [./t.level-4.trl.yaml]\n'), []);
    assert.deepStrictEqual(cross('technology: T\nlevel: 6\nprevious: [./t.level-4.trl.yaml]\n' + steps(0, 1, 2, 3, 4, 5, 6)), []);
  });

  it('accepts the gap when history records it, or a previous card lies in between', () => {
    assert.deepStrictEqual(cross('technology: T\nlevel: 5\nprevious: [./t.level-2.trl.yaml]\n' + steps(0, 1, 2, 3, 4, 5)), []);
    assert.deepStrictEqual(cross('technology: T\nlevel: 5\nprevious: [./t.level-1.trl.yaml, ./t.level-2.trl.yaml, ./t.level-4.trl.yaml]\n'), []);
    // One level below, or the same level, is no gap.
    assert.deepStrictEqual(cross('technology: T\nlevel: 5\nprevious: [./t.level-4.trl.yaml]\n'), []);
    assert.deepStrictEqual(cross('technology: T\nlevel: 4\nprevious: [./t.level-4.trl.yaml]\n'), []);
  });

  it('accepts a gap below entered_at: a component split off a system', () => {
    const text = 'technology: Part\nlevel: 7\nentered_at: 6\nprevious: [../sys/system.level-4.trl.yaml]\n' + steps(6, 7);
    assert.deepStrictEqual(cross(text, cards, 'file:///ws/parts/part.trl.yaml'), []);
    // entered_at at or below the previous card's level does not excuse it.
    const low = 'technology: Part\nlevel: 7\nentered_at: 4\nprevious: [../sys/system.level-4.trl.yaml]\n';
    assert.deepStrictEqual(codes(cross(low, cards, 'file:///ws/parts/part.trl.yaml')), ['previous-level']);
  });

  it('warns on a previous card above this card, unless history records a fall from it', () => {
    const text = 'technology: T\nlevel: 5\nprevious:\n  - ./t.level-6.trl.yaml\n';
    const found = cross(text);
    assert.deepStrictEqual(found.map((f) => [f.code, f.severity, f.at]), [['previous-level', 'warning', './t.level-6.trl.yaml']]);
    assert.match(found[0].message, /is at TRL 6, above this card's TRL 5, and `history` records no fall from TRL 6/);
    assert.deepStrictEqual(cross(text + steps(0, 1, 2, 3, 4, 5, 6, 5)), [], 'a fall from 6 to 5');
    assert.deepStrictEqual(cross(text + steps(0, 1, 2, 3, 4, 5, [6, 'revert'])), [], 'a revert at 6');
    assert.deepStrictEqual(codes(cross(text + steps(0, 1, 2, 3, 4, 5))), ['previous-level'], 'history never reached 6');
    assert.deepStrictEqual(codes(cross(text + steps(0, 1, 2, 3, 4, 5, 4, 5))), ['previous-level'], 'a fall, but not from 6');
  });

  it('ignores entries that do not lead to a card, links to itself, and an incomplete index', () => {
    const text = 'technology: T\nlevel: 5\nprevious:\n  - ./nope.trl.yaml\n  - https://wiki.example.org/t/level-2\n  - <link to previous cards>\n  - ./t.level-5.trl.yaml\n';
    const idx = indexOf({ 'file:///ws/t.level-5.trl.yaml': 'technology: T\nlevel: 5\n' });
    assert.deepStrictEqual(cross(text, idx), []);
    assert.deepStrictEqual(cross('technology: T\nlevel: 5\nprevious: [./t.level-2.trl.yaml]\n', indexOf({ 'file:///ws/t.level-2.trl.yaml': 'technology: T\nlevel: 2\n' }, false)), []);
    // A card with no valid level, or a previous card with none: nothing to compare.
    assert.deepStrictEqual(cross('technology: T\nlevel: five\nprevious: [./t.level-2.trl.yaml]\n'), []);
    assert.deepStrictEqual(cross('technology: T\nlevel: 5\nprevious: [./x.trl.yaml]\n', indexOf({ 'file:///ws/x.trl.yaml': 'technology: X\nlevel: 2.5\n' })), []);
  });

  it('reports nothing across the example cards', () => {
    const examples = repositoryCards().filter((c) => c.name.startsWith('examples') && !c.name.includes('mistakes'));
    const idx = new WorkspaceIndex();
    const uriOf = (name: string) => 'file:///repo/' + name.split('\\').join('/');
    for (const { name, text } of examples) idx.set(cardFacts(uriOf(name), service.parse(text)));
    idx.complete = true;
    for (const { name, text } of examples) assert.deepStrictEqual(codes(cross(text, idx, uriOf(name))), [], name);
  });
});
