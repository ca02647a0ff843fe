/** Navigation between cards (definition, references, rename, workspace symbols) on in-memory cards and index. */
import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Range, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { WorkspaceIndex, cardFacts, getLanguageService } from '../../server/src/languageService';
import { factsOf } from '../../server/src/workspace/scan';
import { withCursor } from '../helpers';

const service = getLanguageService();

const CARDS: Record<string, string> = {
  'file:///ws/solar/solar.level-4.trl.yaml': 'technology: Solar Array Optimization\nid: SOLAR\nlevel: 4\nprevious:\n  - ./solar.level-3.trl.yaml\ncomponents: [OPT, ../parts/pipe.trl.yaml]\ncoupled:\n  - "GRID"\n',
  'file:///ws/solar/solar.level-3.trl.yaml': "technology: Solar Array Optimization\nid: 'SOLAR'\nlevel: 3\ncomponents: [OPT]\n",
  'file:///ws/parts/opt.trl.yaml': 'technology: Optimizer\nid: OPT\nlevel: 5\n',
  'file:///ws/parts/pipe.trl.yaml': 'technology: Pipeline\nlevel: 6\n',
  'file:///ws/grid.trl.yaml': 'technology: Grid\nid: GRID\nlevel: 7\ncoupled: [SOLAR]\ncomponents:\n  - OPT\n',
};

function indexOf(cards: Record<string, string>): WorkspaceIndex {
  const idx = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(cards)) idx.set(factsOf(uri, text));
  idx.complete = true;
  return idx;
}

/** A card of CARDS opened with a `|` cursor marker. */
function open(uri: string, marked: string) {
  const { text, offset } = withCursor(marked);
  const document = TextDocument.create(uri, 'trl-card', 1, text);
  return { document, card: service.parse(text), position: document.positionAt(offset) };
}

/** The text of each location, with the file's name. */
function shown(locations: Location[], cards: Record<string, string>): string[] {
  return locations.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}:${slice(cards[l.uri], l.range)}`);
}

function slice(text: string, range: Range): string {
  const d = TextDocument.create('file:///x', 'x', 1, text);
  return text.slice(d.offsetAt(range.start), d.offsetAt(range.end));
}

function apply(edit: WorkspaceEdit, cards: Record<string, string>): Record<string, string> {
  const out = { ...cards };
  const changes: [string, { range: Range; newText: string }[]][] = edit.documentChanges
    ? (edit.documentChanges as TextDocumentEdit[]).map((c) => [c.textDocument.uri, c.edits as { range: Range; newText: string }[]])
    : Object.entries(edit.changes ?? {});
  for (const [uri, edits] of changes) out[uri] = TextDocument.applyEdits(TextDocument.create(uri, 'x', 1, out[uri]), edits);
  return out;
}

const L4 = 'file:///ws/solar/solar.level-4.trl.yaml';

describe('navigation between cards', () => {
  const idx = indexOf(CARDS);

  it('facts from the index scan equal facts from a full parse, ranges included', () => {
    for (const [uri, text] of Object.entries(CARDS)) assert.deepStrictEqual(factsOf(uri, text), cardFacts(uri, service.parse(text)), uri);
    const crlf = CARDS[L4].replace(/\n/g, '\r\n');
    assert.deepStrictEqual(factsOf(L4, crlf), cardFacts(L4, service.parse(crlf)));
    // Positions as TextDocument counts them, with CRLF and lone-CR line ends too.
    for (const text of [CARDS[L4], crlf, CARDS[L4].replace(/\n/g, '\r')]) {
      const d = TextDocument.create(L4, 'trl-card', 1, text);
      const facts = factsOf(L4, text);
      assert.deepStrictEqual(facts.idRange, { start: d.positionAt(text.indexOf('SOLAR')), end: d.positionAt(text.indexOf('SOLAR') + 5) });
      assert.deepStrictEqual(facts.refs?.map((r) => d.offsetAt(r.range.start)), ['OPT', '../parts', 'GRID', './solar'].map((v) => text.indexOf(v)));
    }
  });

  describe('go to definition', () => {
    const target = (marked: string, uri = L4) => {
      const { document, card, position } = open(uri, marked);
      return service.definition(document, card, position, idx).map((l) => `${l.targetUri.slice(l.targetUri.lastIndexOf('/') + 1)}:${slice(CARDS[l.targetUri], l.targetSelectionRange)}:${slice(document.getText(), l.originSelectionRange!)}`);
    };
    it('from a component id to its card', () => {
      assert.deepStrictEqual(target(CARDS[L4].replace('[OPT,', '[OP|T,')), ['opt.trl.yaml:OPT:OPT']);
    });
    it('from a component path to the card, its first line when it has no id', () => {
      assert.deepStrictEqual(target(CARDS[L4].replace('../parts/pipe', '../parts/|pipe')), ['pipe.trl.yaml::../parts/pipe.trl.yaml']);
    });
    it('from a previous path, at either end of the value', () => {
      assert.deepStrictEqual(target(CARDS[L4].replace('./solar.level-3', '|./solar.level-3')), ['solar.level-3.trl.yaml:SOLAR:./solar.level-3.trl.yaml']);
      assert.deepStrictEqual(target(CARDS[L4].replace('level-3.trl.yaml', 'level-3.trl.yaml|')), ['solar.level-3.trl.yaml:SOLAR:./solar.level-3.trl.yaml']);
    });
    it('from a quoted coupled id, inside the quotes', () => {
      assert.deepStrictEqual(target(CARDS[L4].replace('"GRID"', '"GR|ID"')), ['grid.trl.yaml:GRID:GRID']);
    });
    it('from an id to the current card of the technology (not the superseded one)', () => {
      assert.deepStrictEqual(target(CARDS['file:///ws/grid.trl.yaml'].replace('[SOLAR]', '[SO|LAR]'), 'file:///ws/grid.trl.yaml'), ['solar.level-4.trl.yaml:SOLAR:SOLAR']);
      assert.deepStrictEqual(target(CARDS['file:///ws/solar/solar.level-3.trl.yaml'].replace("'SOLAR'", "'SOL|AR'"), 'file:///ws/solar/solar.level-3.trl.yaml'), ['solar.level-4.trl.yaml:SOLAR:SOLAR']);
    });
    it('uses the live text of the card asked about', () => {
      const live = CARDS[L4].replace('technology:', '# a new first line\ntechnology:').replace('id: SOLAR', 'id: SOLAR2');
      const { document, card, position } = open(L4, live.replace('id: SOLAR2', 'id: SOL|AR2'));
      const links = service.definition(document, card, position, idx);
      assert.deepStrictEqual(links.map((l) => [l.targetUri, l.targetSelectionRange.start.line]), [[L4, 2]]);
    });
    it('nothing on other text, URLs, unknown paths and codes with no card', () => {
      assert.deepStrictEqual(target(CARDS[L4].replace('level: 4', 'level: |4')), []);
      const odd = 'technology: X\nprevious: [https://wiki/x, ./gone.trl.yaml]\ncomponents: ["4.2"]\n';
      assert.deepStrictEqual(target(odd.replace('https', 'ht|tps')), []);
      assert.deepStrictEqual(target(odd.replace('./gone', './go|ne')), []);
      assert.deepStrictEqual(target(odd.replace('4.2', '4|.2')), []);
    });
  });

  describe('find references', () => {
    const refs = (marked: string, uri = L4, includeDeclaration = true) => {
      const { document, card, position } = open(uri, marked);
      return shown(service.references(document, card, position, idx, includeDeclaration), CARDS);
    };
    it('of an id: the entries naming it or the path of one of its cards, and its ids', () => {
      assert.deepStrictEqual(refs(CARDS[L4].replace('id: SOLAR', 'id: SO|LAR')), ['grid.trl.yaml:3:SOLAR', 'solar.level-3.trl.yaml:1:SOLAR', 'solar.level-4.trl.yaml:1:SOLAR', 'solar.level-4.trl.yaml:4:./solar.level-3.trl.yaml']);
      assert.deepStrictEqual(refs(CARDS[L4].replace('id: SOLAR', 'id: SO|LAR'), L4, false), ['grid.trl.yaml:3:SOLAR', 'solar.level-4.trl.yaml:4:./solar.level-3.trl.yaml']);
    });
    it('of a component id: every card listing it', () => {
      assert.deepStrictEqual(refs(CARDS[L4].replace('[OPT,', '[|OPT,'), L4, false), ['grid.trl.yaml:5:OPT', 'solar.level-3.trl.yaml:3:OPT', 'solar.level-4.trl.yaml:5:OPT']);
    });
    it('of a path to a card with no id: the entries naming that file', () => {
      assert.deepStrictEqual(refs(CARDS[L4].replace('../parts/pipe', '../parts/pi|pe')), ['solar.level-4.trl.yaml:5:../parts/pipe.trl.yaml']);
    });
    it('of a code with no card: the entries naming it', () => {
      const cards = { ...CARDS, 'file:///ws/a.trl.yaml': 'technology: A\ncomponents: ["4.2"]\n', 'file:///ws/b.trl.yaml': 'technology: B\ncoupled: [4.2x, "4.2"]\n' };
      const { document, card, position } = open('file:///ws/a.trl.yaml', cards['file:///ws/a.trl.yaml'].replace('4.2', '4.|2'));
      assert.deepStrictEqual(shown(service.references(document, card, position, indexOf(cards)), cards), ['a.trl.yaml:1:4.2', 'b.trl.yaml:1:4.2']);
    });
  });

  describe('rename', () => {
    const prepare = (marked: string) => {
      const { document, card, position } = open(L4, marked);
      return service.prepareRename(document, card, position);
    };
    const renamed = (marked: string, newName: string, uri = L4, documentChanges = true, cards = CARDS) => {
      const { document, card, position } = open(uri, marked);
      return service.rename(document, card, position, newName, indexOf(cards), { documentChanges, versionOf: (u) => (u === uri ? 7 : null) });
    };

    it('is offered on an id and on an entry naming an id, not on a path', () => {
      const p = prepare(CARDS[L4].replace('id: SOLAR', 'id: SOLAR|'));
      assert.ok(p && 'range' in p && p.placeholder === 'SOLAR');
      const c = prepare(CARDS[L4].replace('"GRID"', '"G|RID"'));
      assert.ok(c && 'range' in c && c.placeholder === 'GRID');
      const path = prepare(CARDS[L4].replace('./solar.level-3', './so|lar.level-3'));
      assert.ok(path && 'error' in path && /rename the card file/.test(path.error));
      assert.strictEqual(prepare(CARDS[L4].replace('level: 4', 'lev|el: 4')), null);
    });

    it('renames the technology on every card of its id and every entry naming it, keeping quotes', () => {
      const result = renamed(CARDS[L4].replace('id: SOLAR', 'id: SO|LAR'), 'SUN-1');
      assert.ok('edit' in result);
      const versions = (result.edit.documentChanges as TextDocumentEdit[]).map((c) => [c.textDocument.uri.slice(11), c.textDocument.version]);
      assert.deepStrictEqual(versions, [['grid.trl.yaml', null], ['solar/solar.level-3.trl.yaml', null], ['solar/solar.level-4.trl.yaml', 7]]);
      const after = apply(result.edit, CARDS);
      assert.strictEqual(after[L4], CARDS[L4].replace('id: SOLAR', 'id: SUN-1'));
      assert.strictEqual(after['file:///ws/solar/solar.level-3.trl.yaml'], CARDS['file:///ws/solar/solar.level-3.trl.yaml'].replace("'SOLAR'", "'SUN-1'"));
      assert.strictEqual(after['file:///ws/grid.trl.yaml'], CARDS['file:///ws/grid.trl.yaml'].replace('[SOLAR]', '[SUN-1]'));
      assert.strictEqual(after['file:///ws/parts/opt.trl.yaml'], CARDS['file:///ws/parts/opt.trl.yaml']);
      // The renamed workspace reads back the same way.
      const again = indexOf(after);
      assert.deepStrictEqual(again.byId('SUN-1').length, 2);
      assert.deepStrictEqual(again.byUri('file:///ws/grid.trl.yaml')?.coupled, ['SUN-1']);
    });

    it('from a component entry, with `changes` for a client without documentChanges', () => {
      const result = renamed(CARDS[L4].replace('[OPT,', '[O|PT,'), 'OPTIMIZER', L4, false);
      assert.ok('edit' in result && result.edit.changes);
      assert.deepStrictEqual(Object.keys(result.edit.changes).map((u) => u.slice(11)).sort(), ['grid.trl.yaml', 'parts/opt.trl.yaml', 'solar/solar.level-3.trl.yaml', 'solar/solar.level-4.trl.yaml']);
      const after = apply(result.edit, CARDS);
      assert.ok(after['file:///ws/parts/opt.trl.yaml'].includes('id: OPTIMIZER\n'));
      assert.ok(after['file:///ws/grid.trl.yaml'].includes('  - OPTIMIZER\n'));
    });

    it('quotes a new id that would not read back as the same text', () => {
      for (const [name, written] of [['42', '"42"'], ['true', '"true"'], ['A,B', '"A,B"'], ['#x', '"#x"'], ['é-1', '"é-1"']]) {
        const result = renamed(CARDS[L4].replace('[OPT,', '[O|PT,'), name);
        assert.ok('edit' in result, name);
        const after = apply(result.edit, CARDS);
        assert.ok(after['file:///ws/grid.trl.yaml'].includes(`  - ${written}\n`), name);
        assert.deepStrictEqual(indexOf(after).byUri(L4)?.components, [name, '../parts/pipe.trl.yaml'], name);
      }
      const result = renamed(CARDS[L4].replace('"GRID"', '"G|RID"'), 'say "hi"');
      assert.ok('error' in result);
      const quoted = renamed(CARDS[L4].replace('"GRID"', '"G|RID"'), 'G"1\\');
      assert.ok('edit' in quoted);
      assert.deepStrictEqual(indexOf(apply(quoted.edit, CARDS)).byUri(L4)?.coupled, ['G"1\\']);
    });

    it('refuses an empty id, whitespace, `:` and an id another technology has', () => {
      const at = CARDS[L4].replace('id: SOLAR', 'id: SO|LAR');
      const error = (name: string) => {
        const r = renamed(at, name);
        return 'error' in r ? r.error : '';
      };
      assert.match(error(''), /empty/);
      assert.match(error('SUN 1'), /spaces/);
      assert.match(error('SUN\t1'), /spaces/);
      assert.match(error('SUN:1'), /`:`/);
      assert.match(error('GRID'), /already the id of another technology \(grid\.trl\.yaml\)/);
      assert.deepStrictEqual(renamed(at, 'SOLAR'), { edit: { documentChanges: [] } });
      const partial = indexOf(CARDS);
      partial.complete = false;
      const { document, card, position } = open(L4, at);
      const r = service.rename(document, card, position, 'SUN', partial, { documentChanges: true, versionOf: () => null });
      assert.ok('error' in r && /still being indexed/.test(r.error));
    });
  });

  describe('workspace symbols', () => {
    it('never names a symbol with an empty string: a blank id or technology counts as missing', () => {
      const blank = indexOf({ 'file:///ws/a%20b.trl.yaml': 'id: ""\ntechnology: " "\nlevel: 1\n', 'file:///ws/c.trl.yaml': 'id: ""\ntechnology: Cee\n', 'file:///ws/%E0.trl.yaml': 'level: 2\n' });
      assert.deepStrictEqual(service.workspaceSymbols('', blank).map((s) => s.name).sort(), ['%E0.trl.yaml', 'Cee', 'a b.trl.yaml']);
    });

    it('lists every card by id and technology in its level, filters by query and marks superseded cards', () => {
      const all = service.workspaceSymbols('', idx);
      assert.deepStrictEqual(
        all.map((s) => [s.name, s.containerName, s.tags ?? []]),
        [
          ['SOLAR — Solar Array Optimization', 'TRL 4', []],
          ['SOLAR — Solar Array Optimization', 'TRL 3 (earlier card)', [1]],
          ['OPT — Optimizer', 'TRL 5', []],
          ['Pipeline', 'TRL 6', []],
          ['GRID — Grid', 'TRL 7', []],
        ],
      );
      assert.deepStrictEqual(service.workspaceSymbols('sao', idx).length, 2);
      assert.deepStrictEqual(service.workspaceSymbols('optimizer', idx).map((s) => s.name), ['OPT — Optimizer']);
      assert.deepStrictEqual(service.workspaceSymbols('zz', idx), []);
      const grid = all[4];
      assert.deepStrictEqual(grid.location, { uri: 'file:///ws/grid.trl.yaml', range: { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } } });
    });
  });

  describe('on 1,000 cards', () => {
    it('answers from the index without reading files (timings printed, not asserted)', () => {
      const cards: Record<string, string> = {};
      for (let i = 0; i < 1000; i++) {
        cards[`file:///big/c${i}.trl.yaml`] = `technology: Tech ${i}\nid: T-${i}\nlevel: ${i % 10}\ncomponents: [T-${(i + 1) % 1000}, ./c${(i + 2) % 1000}.trl.yaml]\ncoupled: [T-${(i + 3) % 1000}]\nprevious:\n  - ./c${(i + 5) % 1000}.trl.yaml\n`;
      }
      let t = performance.now();
      const big = indexOf(cards);
      const indexing = performance.now() - t;
      const uri = 'file:///big/c10.trl.yaml';
      const { document, card, position } = open(uri, cards[uri].replace('id: T-10', 'id: T-|10'));
      const time = (fn: () => unknown, n = 20) => {
        t = performance.now();
        for (let k = 0; k < n; k++) fn();
        return (performance.now() - t) / n;
      };
      const def = time(() => service.definition(document, card, position, big));
      const refs = time(() => service.references(document, card, position, big, true));
      const ren = time(() => service.rename(document, card, position, 'T-X', big, { documentChanges: true, versionOf: () => null }));
      const sym = time(() => service.workspaceSymbols('tech 9', big));
      assert.deepStrictEqual(shown(service.references(document, card, position, big, false), cards), ['c7.trl.yaml:4:T-10', 'c8.trl.yaml:3:./c10.trl.yaml', 'c9.trl.yaml:3:T-10', 'c5.trl.yaml:6:./c10.trl.yaml'].sort((a, b) => (a < b ? -1 : 1)));
      console.log(`      1,000 cards: indexing ${indexing.toFixed(0)} ms; definition ${def.toFixed(2)} ms, references ${refs.toFixed(2)} ms, rename ${ren.toFixed(2)} ms, workspace symbols ${sym.toFixed(2)} ms per request`);
    });
  });
});
