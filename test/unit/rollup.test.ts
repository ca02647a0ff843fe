/** The system roll-up: transitive, with the limiting card as related information, and cycles found. */
import * as assert from 'assert';
import { indexOf } from '../helpers';
import { WorkspaceIndex, cardFacts, getLanguageService } from '../../server/src/languageService';
import { containersOf, rollup } from '../../server/src/workspace/rollup';

const service = getLanguageService();
const SYS = 'file:///w/system.trl.yaml';
const SUB = 'file:///w/sub/subsystem.trl.yaml';
const PART = 'file:///w/sub/parts/part.trl.yaml';


function problemsOf(uri: string, text: string, idx: WorkspaceIndex) {
  return service.problems(service.parse(text), {}, { uri, index: idx }).filter((p) => p.code === 'component-level' || p.code === 'component-cycle');
}

const sys = 'technology: System\nid: SYS\nlevel: 6\ncomponents: [SUB]\n';
const sub = (level: number) => `technology: Subsystem\nid: SUB\nlevel: ${level}\ncomponents: [./parts/part.trl.yaml]\n`;
const part = (level: number) => `technology: Part\nid: PART\n\nlevel: ${level}\n`;

describe('system roll-up', () => {
  it('rolls up through a system of systems, naming the chain and pointing at the limiting card', () => {
    const idx = indexOf({ [SYS]: sys, [SUB]: sub(6), [PART]: part(4) });
    const found = problemsOf(SYS, sys, idx);
    assert.strictEqual(found.length, 1);
    const p = found[0];
    assert.strictEqual(sys.slice(p.start, p.end), 'SUB');
    assert.match(p.message, /its component `SUB` \(sub\/subsystem\.trl\.yaml\) is limited to TRL 4, through `PART` \(sub\/parts\/part\.trl\.yaml\) at TRL 4/);
    assert.deepStrictEqual(p.related, [{ uri: PART, range: { start: { line: 3, character: 7 }, end: { line: 3, character: 8 } }, message: 'PART is at TRL 4, which limits SYS.' }]);
    // The subsystem itself is limited directly.
    assert.match(problemsOf(SUB, sub(6), idx)[0].message, /is at TRL 4: a system's TRL/);
    assert.deepStrictEqual(rollup(idx.byUri(SYS)!, idx).chain.map((f) => f.id), ['SYS', 'SUB', 'PART']);
  });

  it('changes with the lowest card: raising it clears the system, lowering it moves the related place', () => {
    assert.deepStrictEqual(problemsOf(SYS, sys, indexOf({ [SYS]: sys, [SUB]: sub(6), [PART]: part(6) })), []);
    const lower = problemsOf(SYS, sys, indexOf({ [SYS]: sys, [SUB]: sub(3), [PART]: part(6) }));
    assert.strictEqual(lower[0].related?.[0].uri, SUB);
  });

  it('reports a component cycle on each card of the circle, without hanging', () => {
    const a = 'technology: A\nid: A\nlevel: 3\ncomponents: [B]\n';
    const b = 'technology: B\nid: B\nlevel: 3\ncomponents: [C]\n';
    const c = 'technology: C\nid: C\nlevel: 1\ncomponents: [A]\n';
    const idx = indexOf({ 'file:///w/a.trl.yaml': a, 'file:///w/b.trl.yaml': b, 'file:///w/c.trl.yaml': c });
    for (const [uri, text] of [['file:///w/a.trl.yaml', a], ['file:///w/b.trl.yaml', b], ['file:///w/c.trl.yaml', c]]) {
      const found = problemsOf(uri, text, idx);
      assert.deepStrictEqual(found.map((p) => p.code), ['component-cycle'], uri);
      assert.match(found[0].message, /goes round in a circle: .* → .* → .* → /);
    }
    // A card that contains the circle, without being in it, still rolls up (the circle is skipped).
    const top = 'technology: Top\nid: TOP\nlevel: 5\ncomponents: [A]\n';
    idx.set(cardFacts('file:///w/top.trl.yaml', service.parse(top)));
    assert.deepStrictEqual(problemsOf('file:///w/top.trl.yaml', top, idx).map((p) => p.code), ['component-level']);
  });

  it('finds every card above a changed one, directly or not', () => {
    const idx = indexOf({ [SYS]: sys, [SUB]: sub(6), [PART]: part(4), 'file:///w/other.trl.yaml': 'technology: O\nid: O\nlevel: 1\n' });
    assert.deepStrictEqual([...containersOf(PART, new Set(['PART']), idx.cards(), idx)].sort(), [SUB, SYS].sort());
    assert.deepStrictEqual([...containersOf('file:///w/other.trl.yaml', new Set(['O']), idx.cards(), idx)], []);
  });
});
