/** Rules across cards, against an in-memory index. */
import * as assert from 'assert';
import { WorkspaceIndex, cardFacts, cardReferences, getLanguageService, referenceProblems } from '../../server/src/languageService';
import { dependsOn, uriKey, type CardFacts } from '../../server/src/workspace/index';
import { technologyLevel } from '../../server/src/rules/targets';
import fc from 'fast-check';
import { factsOf } from '../../server/src/workspace/scan';
import { repositoryCards, indexOf } from '../helpers';

const service = getLanguageService();
const SYS = 'file:///ws/system.trl.yaml';


function crossProblems(text: string, idx: WorkspaceIndex): { code: string; at: string; message: string }[] {
  return service
    .problems(service.parse(text), {}, { uri: SYS, index: idx })
    .filter((p) => ['component-level', 'unknown-previous', 'unknown-component'].includes(p.code))
    .map((p) => ({ code: p.code, at: text.slice(p.start, p.end), message: p.message }));
}

describe('cross-card rules', () => {
  const cards = {
    'file:///ws/parts/optimizer.trl.yaml': 'technology: Optimizer\nid: OPT-1\nlevel: 6\n',
    'file:///ws/parts/pipeline.trl.yaml': 'technology: Pipeline\nid: PIPE-1\nlevel: 8\n',
    'file:///ws/system.level-6.trl.yaml': 'technology: System\nlevel: 6\n',
  };

  it('flags a component whose card is at a lower level, by id or by path', () => {
    const text = 'technology: System\nlevel: 7\ncomponents:\n  - OPT-1\n  - ./parts/pipeline.trl.yaml\n  - ./parts/optimizer.trl.yaml\n';
    const found = crossProblems(text, indexOf(cards));
    assert.deepStrictEqual(found.map((f) => [f.code, f.at]), [['component-level', 'OPT-1'], ['component-level', './parts/optimizer.trl.yaml']]);
    assert.match(found[0].message, /claims TRL 7, but its component `OPT-1` \(parts\/optimizer\.trl\.yaml\) is at TRL 6.*Lower `level` to 6/);
  });

  it('accepts components at or above the card level, and component codes with no card', () => {
    const text = 'technology: System\nlevel: 6\ncomponents: [OPT-1, PIPE-1, "4.2"]\n';
    assert.deepStrictEqual(crossProblems(text, indexOf(cards)), []);
  });

  it('flags previous cards and component paths that do not exist', () => {
    const text = 'technology: System\nlevel: 7\nprevious:\n  - ./system.level-6.trl.yaml\n  - ./system.level-5.trl.yaml\ncomponents:\n  - ./parts/gone.trl.yaml\n';
    assert.deepStrictEqual(crossProblems(text, indexOf(cards)).map((f) => [f.code, f.at]), [
      ['unknown-previous', './system.level-5.trl.yaml'],
      ['unknown-component', './parts/gone.trl.yaml'],
    ]);
  });

  it('stays silent while the index is incomplete', () => {
    const text = 'technology: System\nlevel: 7\nprevious: [./nope.trl.yaml]\ncomponents: [OPT-1]\n';
    assert.deepStrictEqual(crossProblems(text, indexOf(cards, false)), []);
  });

  it("counts a technology's current card, not the ones it superseded", () => {
    const idx = indexOf({
      'file:///ws/a.level-0.trl.yaml': 'technology: A\nid: A\nlevel: 0\n',
      'file:///ws/a.level-2.trl.yaml': 'technology: A\nid: A\nlevel: 2\nprevious: [./a.level-0.trl.yaml]\n',
    });
    assert.deepStrictEqual(crossProblems('technology: S\nlevel: 2\ncomponents: [A]\n', idx), []);
    const found = crossProblems('technology: S\nlevel: 3\ncomponents: [A]\n', idx);
    assert.deepStrictEqual(found.map((f) => f.code), ['component-level']);
    assert.match(found[0].message, /a\.level-2\.trl\.yaml\) is at TRL 2/);
  });

  it('reads the same facts from the fields alone as from a full parse', () => {
    for (const { name, text } of repositoryCards()) {
      assert.deepStrictEqual(factsOf('file:///x.trl.yaml', text), cardFacts('file:///x.trl.yaml', service.parse(text)), name);
    }
  });

  it('knows which cards depend on a changed card', () => {
    const sys = cardFacts(SYS, service.parse('technology: S\nlevel: 1\ncomponents: [OPT-1, ./parts/pipe.trl.yaml]\nprevious: [./system.level-0.trl.yaml]\n'));
    assert.ok(dependsOn(sys, 'file:///ws/parts/opt.trl.yaml', new Set(['OPT-1'])), 'by id');
    assert.ok(dependsOn(sys, 'file:///ws/parts/pipe.trl.yaml', new Set()), 'by component path');
    assert.ok(dependsOn(sys, 'file:///ws/system.level-0.trl.yaml', new Set()), 'by previous');
    assert.ok(!dependsOn(sys, 'file:///ws/other.trl.yaml', new Set(['OTHER'])), 'unrelated');
  });

  it('keys cards by file whatever the URI encoding', () => {
    const idx = indexOf({ 'file:///ws/my%20parts/opt.trl.yaml': 'technology: O\nlevel: 1\n' });
    const text = 'technology: System\nlevel: 2\ncomponents: ["./my parts/opt.trl.yaml"]\n';
    assert.deepStrictEqual(crossProblems(text, idx).map((f) => f.code), ['component-level']);
  });

  it("checks the cards of one technology in linear time: each id's current cards are found once", () => {
    // Issue 18: 1,000 cards sharing an id took 5 s, against 1 s with their own ids: each card
    // looked through all the cards of its id (its technology's level, for the targets rules).
    class Counting extends WorkspaceIndex {
      read = 0;
      override byId(id: string): CardFacts[] {
        const found = super.byId(id);
        this.read += found.length;
        return found;
      }
    }
    const n = 400;
    const texts = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const uri = `file:///ws/t/card-${i}.trl.yaml`;
      texts.set(uri, `technology: T\nid: SAME\nlevel: ${i % 10}\ncomponents: [SAME-PART]\ncoupled: [SAME]\ntargets:\n  - level: 9\n    by: 2020-01-01\n${i ? `previous: [./card-${i - 1}.trl.yaml]\n` : ''}`);
    }
    texts.set('file:///ws/part.trl.yaml', 'technology: P\nid: SAME-PART\nlevel: 2\n');
    const idx = new Counting();
    for (const [uri, text] of texts) idx.set(cardFacts(uri, service.parse(text)));
    idx.complete = true;
    const codes = new Map<string, number>();
    for (const [uri, text] of texts) for (const p of referenceProblems(cardReferences(service.parse(text)), uri, idx, '2026-01-01')) codes.set(p.code, (codes.get(p.code) ?? 0) + 1);
    // Each id's cards read once (SAME and SAME-PART), not once per card that asks.
    assert.ok(idx.read <= n + 2, `${idx.read} cards read for ${n + 1}`);
    // The last card is the current one, at level (n - 1) % 10 = 9: the target is reached by the
    // technology, so no card is overdue; the levels above 2 are held back by the part.
    assert.strictEqual(codes.get('target-overdue'), undefined);
    assert.strictEqual(codes.get('component-level'), [...texts.keys()].filter((_, i) => i < n && i % 10 > 2).length);
  });

  it("keeps each id's technology up to date as cards are set and deleted", () => {
    const idx = indexOf({ 'file:///ws/a0.trl.yaml': 'technology: A\nid: A\nlevel: 3\n' });
    assert.strictEqual(technologyLevel('A', idx), 3);
    idx.set(cardFacts('file:///ws/a1.trl.yaml', service.parse('technology: A\nid: A\nlevel: 5\n')));
    assert.strictEqual(technologyLevel('A', idx), 5);
    // The same facts at new positions: the technology holds the new facts.
    const moved = cardFacts('file:///ws/a1.trl.yaml', service.parse('\ntechnology: A\nid: A\nlevel: 5\n'));
    idx.set(moved);
    assert.strictEqual(idx.technology('A').top, moved);
    // Superseded by a later card of the id.
    idx.set(cardFacts('file:///ws/a2.trl.yaml', service.parse('technology: A\nid: A\nlevel: 4\nprevious: [./a1.trl.yaml]\n')));
    assert.strictEqual(technologyLevel('A', idx), 4);
    idx.delete('file:///ws/a2.trl.yaml');
    assert.strictEqual(technologyLevel('A', idx), 5);
    // A card that changes its id leaves the old one.
    idx.set(cardFacts('file:///ws/a1.trl.yaml', service.parse('technology: A\nid: B\nlevel: 5\n')));
    assert.strictEqual(technologyLevel('A', idx), 3);
    assert.strictEqual(technologyLevel('B', idx), 5);
  });

  it('keys a URI as the URL parser would, with or without parsing it', () => {
    const slow = (uri: string) => {
      try {
        const u = new URL(uri);
        return `${u.protocol}//${u.host}${decodeURIComponent(u.pathname)}`;
      } catch {
        return uri;
      }
    };
    const parts = ['a', 'B', '0', '/', '.', '..', '-', '_', '~', '+', '@', '%20', '%2F', '%', ':', '\\', ' ', 'é', '.trl.yaml', '#x', '?q'];
    fc.assert(
      fc.property(fc.constantFrom('file:///', 'file://host/', 'file:/', 'untitled:', 'file:///C:/'), fc.array(fc.constantFrom(...parts), { maxLength: 12 }), (start, rest) => {
        const uri = start + rest.join('');
        assert.strictEqual(uriKey(uri), slow(uri), uri);
      }),
      { numRuns: 5000, seed: 5 },
    );
  });
});
