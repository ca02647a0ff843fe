/**
 * What changed since the previous card (services/cardDiff.ts): the solar-array example chain
 * (level 4 → 6 → 7) against expectations checked by hand in the three files, odd inputs, and
 * properties (never throws, a card against itself or a copy of itself has no change, values
 * stay bounded).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { CardChanges } from '../../protocol/preview';
import { cardValue } from '../../server/src/card/model';
import { parseCard } from '../../server/src/card/parse';
import { rangeAt } from '../../server/src/card/locate';
import { LIMITS } from '../../server/src/limits';
import { boundedValue, cardChanges, sameValue, type CardPath } from '../../server/src/services/cardDiff';
import { ROOT, doc } from '../helpers';

const EXAMPLES = path.join(ROOT, 'examples', 'solar-array');

function card(level: number) {
  const file = path.join(EXAMPLES, `solar-array.level-${level}.trl.yaml`);
  const text = fs.readFileSync(file, 'utf8');
  const model = parseCard(text);
  const document = doc(text, `file://${file}`);
  const lineOf = (p: CardPath) => {
    const r = rangeAt(model, p);
    return r ? document.positionAt(r.key?.[0] ?? r.start).line : undefined;
  };
  return { uri: document.uri, data: cardValue(model), lineOf };
}

function diff(from: number, to: number): CardChanges {
  const a = card(from);
  const b = card(to);
  return cardChanges({ uri: a.uri, written: `./solar-array.level-${from}.trl.yaml`, data: a.data }, b.data, b.lineOf);
}

const paths = (fs: CardChanges['added']) => fs.map((f) => f.path);
const reqs = (c: CardChanges) => c.requirements.map((r) => [r.change, r.id, r.fields ?? [], r.riskBefore, r.riskAfter]);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

describe('changes since the previous card', () => {
  describe('the solar-array chain', () => {
    it('level 4 → 6: the rename, the product owner, the new requirements and the two dropped ones', () => {
      const c = diff(4, 6);
      assert.deepStrictEqual(c.previous.level, 4);
      assert.strictEqual(c.previous.written, './solar-array.level-4.trl.yaml');
      // level-4 product side has reviewers only; level 6 names Sofia Wójcik as owner.
      assert.deepStrictEqual(paths(c.added), ['owners.product.owner', 'working_group', 'data.pipeline', 'versions.model']);
      assert.deepStrictEqual(paths(c.removed), []);
      assert.deepStrictEqual(paths(c.changed), [
        'technology', 'version', 'tldr', 'owners.product.reviewers', 'components', 'hypotheses', 'research_plan', 'experiments',
        'data.considerations', 'data.datasets', 'sim_to_real', 'ethics.notes', 'model.algorithm', 'model.details', 'metrics', 'caveats',
        'assumptions', 'intended_use', 'versions.code', 'versions.data', 'links.code', 'links.docs', 'testing.documentation', 'testing.notes',
      ]);
      const get = (p: string) => c.changed.find((f) => f.path === p)!;
      assert.deepStrictEqual([get('technology').before, get('technology').after], ['Multivariate Bayesian Optimisation (MVBO)', 'Solar Array Optimization']);
      assert.deepStrictEqual([get('version').before, get('version').after, get('version').line], ['0.6.0', '0.9.0', 8]);
      assert.deepStrictEqual(get('components').before, ['SOLAR-1.1']);
      assert.deepStrictEqual(get('components').after, ['SOLAR-1.1', 'SOLAR-4.2', 'SOLAR-4.3']);
      assert.deepStrictEqual(c.added[0], { path: 'owners.product.owner', after: 'Sofia Wójcik <sofia.wojcik@example.org>', line: 23 });
      // Requirement 1: p 0.1 × 8 → 0.05 × 9; 1.1 unchanged; 2: value 5 → 6; 3: p 0.35 → 0.15; 4 and 5 gone.
      assert.deepStrictEqual(reqs(c), [
        ['changed', '1', ['verification', 'validation', 'p_failure', 'value', 'risk'], 0.8, 0.45],
        ['changed', '1.2', ['validation'], 0.7, 0.7],
        ['added', '1.3', [], undefined, 1.4],
        ['changed', '2', ['text', 'validation', 'value', 'risk'], 0.5, 0.6],
        ['changed', '3', ['text', 'verification', 'validation', 'p_failure', 'risk'], 2.1, 0.9],
        ['added', '6', [], undefined, 2.5],
        ['added', '6.1', [], undefined, 1.05],
        ['added', '6.2', [], undefined, 0.8],
        ['added', '7', [], undefined, 0.2],
        ['added', '7.1', [], undefined, 0.45],
        ['added', '8', [], undefined, 0.4],
        ['removed', '4', [], 2.4, undefined],
        ['removed', '5', [], 1.05, undefined],
      ]);
      const r13 = c.requirements.find((r) => r.id === '1.3')!;
      assert.strictEqual(r13.line, 134); // `- id: "1.3"` is line 135 of the level-6 card
      assert.ok(r13.text?.startsWith('The energy/movement Pareto front'), r13.text);
      assert.strictEqual(c.requirements.find((r) => r.id === '4')!.line, undefined, 'a removed requirement has no line in this card');
      assert.strictEqual(c.omitted, undefined);
    });

    it('level 6 → 7: ethics done, the ML Test Score, infrastructure, statuses and the five critical scenarios', () => {
      const c = diff(6, 7);
      assert.strictEqual(c.previous.level, 6);
      assert.deepStrictEqual(paths(c.added), ['testing.ml_test_score', 'infrastructure']);
      assert.deepStrictEqual(c.added.map((f) => f.line), [365, 415]);
      assert.deepStrictEqual(c.added[0].after, 5);
      assert.deepStrictEqual(paths(c.removed), []);
      const status = c.changed.find((f) => f.path === 'ethics.status')!;
      assert.deepStrictEqual([status.before, status.after, status.line], ['in-progress', 'done', 281]);
      for (const skipped of ['level', 'history', 'previous', 'review', 'debrief']) {
        assert.ok(![...c.added, ...c.changed, ...c.removed].some((f) => f.path === skipped || f.path.startsWith(skipped + '.')), skipped);
      }
      assert.deepStrictEqual(reqs(c).slice(0, 8), [
        ['changed', '1', ['validation'], 0.45, 0.45],
        ['changed', '1.3', ['status'], 1.4, 1.4],
        ['changed', '6', ['verification', 'validation', 'mitigation'], 2.5, 2.5],
        ['changed', '6.1', ['validation', 'status'], 1.05, 1.05],
        ['changed', '6.2', ['verification', 'validation', 'status'], 0.8, 0.8],
        ['changed', '7', ['validation', 'status'], 0.2, 0.2],
        ['changed', '7.1', ['validation', 'status'], 0.45, 0.45],
        ['changed', '8', ['verification', 'validation'], 0.4, 0.4],
      ]);
      // The level-7 card's critical scenarios have no ids: named by their text, all new.
      const scenarios = c.requirements.slice(8);
      assert.deepStrictEqual(scenarios.map((s) => [s.change, s.list, s.riskAfter, s.line]), [
        ['added', 'critical_scenarios', 0.9, 373],
        ['added', 'critical_scenarios', 0.7, 386],
        ['added', 'critical_scenarios', 0.2, 393],
        ['added', 'critical_scenarios', 1, 400],
        ['added', 'critical_scenarios', 1.8, 407],
      ]);
      assert.strictEqual(scenarios[1].id, 'Telemetry gap longer than 15 minutes (c…');
      assert.strictEqual(scenarios[1].text, 'Telemetry gap longer than 15 minutes (cellular backhaul outage at a site).');
    });

    it('a card against itself has no change', () => {
      for (const level of [0, 2, 4, 6, 7]) {
        const a = card(level);
        const c = cardChanges({ uri: a.uri, written: 'x', data: a.data }, card(level).data);
        assert.deepStrictEqual([c.added, c.removed, c.changed, c.requirements], [[], [], [], []], `level ${level}`);
      }
    });
  });

  describe('odd inputs', () => {
    const prev = (data: unknown) => ({ uri: 'file:///p.trl.yaml', written: './p.trl.yaml', data });

    it('takes non-objects on either side as empty cards', () => {
      for (const odd of [null, undefined, 42, 'text', [], [1, 2], true, new Date(0)]) {
        const c = cardChanges(prev(odd), { id: 'X', level: 3 });
        assert.deepStrictEqual(paths(c.added), ['id']);
        assert.strictEqual(c.previous.level, null);
        const back = cardChanges(prev({ id: 'X' }), odd);
        assert.deepStrictEqual(paths(back.removed), ['id']);
      }
    });

    it('matches numeric ids with quoted ones, repeated ids by occurrence, and items without ids by text, then by place', () => {
      const before = { requirements: [{ id: 1, text: 'a', p_failure: 0.5, value: 2 }, { id: 'd', text: 'first' }, { id: 'd', text: 'second' }, { text: 'no id' }, 'not a map', { id: '' }] };
      const after = { requirements: [{ id: '1', text: 'a', p_failure: 0.5, value: 4 }, { id: 'd', text: 'first' }, { id: 'd', text: 'second!' }, { text: 'no  id' }, 'not a map', { id: '' }] };
      const c = cardChanges(prev(before), after);
      assert.deepStrictEqual(reqs(c), [
        ['changed', '1', ['id', 'value'], 1, 2],
        ['changed', 'd (2nd)', ['text'], undefined, undefined],
        // matched by its text, spaces folded; the text as written differs
        ['changed', 'no id', ['text'], undefined, undefined],
      ]);
    });

    it('reports a requirements value that is not a list as a field change, and a list that appears as items added', () => {
      const c = cardChanges(prev({ requirements: 'see the wiki' }), { requirements: [{ id: 'r' }] });
      assert.deepStrictEqual(c.changed.map((f) => [f.path, f.before]), [['requirements', 'see the wiki']]);
      assert.deepStrictEqual(c.requirements, []);
      const added = cardChanges(prev({}), { critical_scenarios: [{ scenario: 's', p_failure: 0.5, value: 2 }] });
      assert.deepStrictEqual(added.requirements, [{ id: 's', change: 'added', list: 'critical_scenarios', text: 's', riskAfter: 1 }]);
      assert.deepStrictEqual([added.added, added.changed], [[], []]);
    });

    it('bounds long strings, long lists, wide maps, deep values and long keys and ids', () => {
      const long = 'x'.repeat(100_000);
      const c = cardChanges(prev({ a: 'old', list: [] }), {
        a: long,
        list: Array.from({ length: 1000 }, (_, i) => i),
        wide: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])),
        deep: { x: { y: { z: { w: { v: 1 } } } } },
        [long]: 1,
        requirements: [{ id: long, text: long }],
      });
      const a = c.changed.find((f) => f.path === 'a')!;
      assert.strictEqual((a.after as string).length, LIMITS.maxChangeText);
      const list = c.changed.find((f) => f.path === 'list')!.after as unknown[];
      assert.strictEqual(list.length, LIMITS.maxChangeEntries + 1);
      assert.strictEqual(list[LIMITS.maxChangeEntries], `… ${1000 - LIMITS.maxChangeEntries} more`);
      // A new field is one row, its value bounded (a map walked into only when both cards have it).
      const wide = c.added.find((f) => f.path === 'wide')!.after as Record<string, unknown>;
      assert.strictEqual(Object.keys(wide).length, LIMITS.maxChangeEntries + 1);
      assert.strictEqual(wide['…'], `${50 - LIMITS.maxChangeEntries} more`);
      assert.deepStrictEqual(c.added.find((f) => f.path === 'deep')?.after, { x: { y: { z: '…' } } });
      assert.ok(c.added.every((f) => f.path.length < 200), 'long keys are cut');
      assert.ok(JSON.stringify(c).length < 10_000, `${JSON.stringify(c).length} characters`);
      assert.ok(c.requirements[0].id.length <= 40);
    });

    it('keeps a 1,000-requirement diff small and lists at most maxChangeRows rows', () => {
      const reqList = (v: number) => Array.from({ length: 1000 }, (_, i) => ({ id: `R${i}`, text: 't'.repeat(2000), p_failure: 0.1, value: v, verification: 'v'.repeat(5000) }));
      const c = cardChanges(prev({ requirements: reqList(2) }), { requirements: reqList(3) });
      assert.strictEqual(c.requirements.length, 1000);
      assert.ok(JSON.stringify(c).length < 200_000, `${JSON.stringify(c).length} characters`);
      const many = Object.fromEntries(Array.from({ length: LIMITS.maxChangeRows + 5 }, (_, i) => [`f${i}`, i]));
      const m = cardChanges(prev({}), many);
      assert.strictEqual(m.added.length, LIMITS.maxChangeRows);
      assert.strictEqual(m.omitted, 5);
    });

    it('survives values that refer to themselves and keys named like Object methods', () => {
      const loop: Record<string, unknown> = { name: 'loop' };
      loop.self = loop;
      loop.list = [loop, loop];
      const other: Record<string, unknown> = { name: 'loop' };
      other.self = other;
      other.list = [other, other];
      const c = cardChanges(prev({ x: loop, requirements: [loop] }), { x: other, requirements: [other] });
      assert.deepStrictEqual([c.added, c.removed, c.changed, c.requirements], [[], [], [], []]);
      const proto = JSON.parse('{"__proto__": {"a": 1}, "constructor": 2, "toString": "x"}');
      const d = cardChanges(prev({}), proto);
      assert.deepStrictEqual(paths(d.added), ['__proto__', 'constructor', 'toString']);
      assert.deepStrictEqual(boundedValue(proto), proto);
      assert.strictEqual(Object.getPrototypeOf(boundedValue(proto)), Object.prototype);
    });

    it('writes numbers JSON cannot carry as YAML does, and dates as ISO text; NaN equals NaN', () => {
      const c = cardChanges(prev({ n: 1, d: 'x' }), { n: NaN, d: new Date('2020-02-13T00:00:00Z') });
      assert.deepStrictEqual(c.changed.map((f) => f.after), ['.nan', '2020-02-13']);
      assert.ok(sameValue({ n: NaN }, { n: NaN }));
      assert.ok(!sameValue([1], { 0: 1 }));
      assert.ok(!sameValue(new Date(0), new Date(1)));
    });

    it('ignores a lineOf that throws nothing but gives odd lines', () => {
      const c = cardChanges(prev({}), { a: 1, requirements: [{ id: 'r' }] }, () => -1);
      assert.strictEqual(c.added[0].line, undefined);
      assert.strictEqual(c.requirements[0].line, undefined);
    });
  });

  describe('properties', () => {
    const value = fc.anything({ maxDepth: 4, withDate: true, withNullPrototype: true, withBigInt: true, withSparseArray: true, withBoxedValues: true });
    const cardLike = fc.dictionary(
      fc.oneof(fc.constantFrom('level', 'owners', 'data', 'requirements', 'critical_scenarios', 'history', '__proto__', 'constructor'), fc.string({ maxLength: 6 })),
      fc.oneof(
        value,
        fc.array(fc.record({ id: fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 3 }), fc.constant(undefined)), text: fc.string({ maxLength: 3 }), p_failure: fc.double(), value: fc.double(), risk: value }, { requiredKeys: [] }), { maxLength: 6 }),
      ),
      { maxKeys: 8 },
    );

    it('never throws, and every value it returns is plain JSON', () => {
      fc.assert(
        fc.property(fc.oneof(value, cardLike), fc.oneof(value, cardLike), (a, b) => {
          const c = cardChanges({ uri: 'u', written: 'w', data: a }, b, () => 3);
          const json = JSON.stringify(c);
          assert.deepStrictEqual(JSON.parse(json), c);
        }),
        { numRuns: RUNS },
      );
    });

    it('a card against itself, or against a copy of itself, has no change', () => {
      fc.assert(
        fc.property(fc.oneof(value, cardLike), (a) => {
          const c = cardChanges({ uri: 'u', written: 'w', data: a }, a);
          assert.deepStrictEqual([c.added, c.removed, c.changed, c.requirements], [[], [], [], []]);
        }),
        { numRuns: RUNS },
      );
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), cardLike), (a) => {
          const c = cardChanges({ uri: 'u', written: 'w', data: a }, structuredClone(a));
          assert.deepStrictEqual([c.added, c.removed, c.changed, c.requirements], [[], [], [], []]);
        }),
        { numRuns: RUNS },
      );
    });

    it('what one side adds the other removes', () => {
      fc.assert(
        fc.property(cardLike, cardLike, (a, b) => {
          const ab = cardChanges({ uri: 'u', written: 'w', data: a }, b);
          const ba = cardChanges({ uri: 'u', written: 'w', data: b }, a);
          assert.deepStrictEqual(paths(ab.added).sort(), paths(ba.removed).sort());
          assert.deepStrictEqual(paths(ab.changed).sort(), paths(ba.changed).sort());
        }),
        { numRuns: RUNS },
      );
    });
  });
});
