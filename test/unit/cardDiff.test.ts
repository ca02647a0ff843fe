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
const reqs = (c: CardChanges) => c.requirements.map((r) => [r.change, r.id, (r.fields ?? []).map((f) => f.field), r.riskBefore, r.riskAfter]);
const items = (c: CardChanges, path: string) =>
  c.changed.find((f) => f.path === path)?.items?.map((i) => [i.change, i.label, ...(i.fields ? [i.fields.map((f) => f.field)] : [])]);
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
      // A list on both sides: compared item by item (its values are in the items, not repeated whole).
      assert.strictEqual(get('components').before, undefined);
      assert.deepStrictEqual(get('components').items, [
        { change: 'added', label: '#2', after: 'SOLAR-4.2', line: 35 }, // `  - SOLAR-4.2` is line 36 of the level-6 card
        { change: 'added', label: '#3', after: 'SOLAR-4.3', line: 36 },
      ]);
      // Maps matched by the field that names them, with the fields that changed and their values.
      assert.deepStrictEqual(items(c, 'data.datasets'), [
        ['added', 'name: SolarUS pilot telemetry'],
        ['added', 'name: Simulated irradiance scenarios'],
        ['changed', 'name: mvbo-benchmarks', ['version', 'description']],
        ['removed', 'name: A/B testing platform archive'],
        ['removed', 'name: Heat-sink CFD runs'],
      ]);
      const bench = get('data.datasets').items!.find((i) => i.label === 'name: mvbo-benchmarks')!;
      assert.deepStrictEqual(bench.fields![0], { field: 'version', before: '1.1.0', after: '1.2.0' });
      // An added item is shown whole, but for the name its label says.
      assert.ok(!('name' in (get('data.datasets').items![0].after as object)));
      // Lists of text: a diff of the two sequences; a removed item beside an added one is one item changed.
      assert.deepStrictEqual(items(c, 'caveats'), [['changed', '#1'], ['changed', '#2'], ['changed', '#3'], ['removed', '#4']]);
      assert.deepStrictEqual(c.added[0], { path: 'owners.product.owner', after: 'Sofia Wójcik <sofia.wojcik@example.org>', line: 23 });
      // Requirement 1: p 0.1 × 8 → 0.05 × 9; 1.1 unchanged; 2: value 5 → 6; 3: p 0.35 → 0.15; 4 and 5 gone.
      // The risk before and after only when it moved, and then not again as the `risk` field.
      assert.deepStrictEqual(reqs(c), [
        ['changed', '1', ['verification', 'validation', 'p_failure', 'value'], 0.8, 0.45],
        ['changed', '1.2', ['validation'], undefined, undefined],
        ['added', '1.3', [], undefined, 1.4],
        ['changed', '2', ['text', 'validation', 'value'], 0.5, 0.6],
        ['changed', '3', ['text', 'verification', 'validation', 'p_failure'], 2.1, 0.9],
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
      // A changed field with its values; the text once: among the fields when it changed, else as the row's text.
      const r3 = c.requirements.find((r) => r.id === '3')!;
      assert.deepStrictEqual(r3.fields!.find((f) => f.field === 'p_failure'), { field: 'p_failure', before: 0.35, after: 0.15 });
      assert.strictEqual(r3.text, undefined);
      assert.ok(typeof r3.fields!.find((f) => f.field === 'text')!.before === 'string');
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
      // No risk moved: no "risk 0.45 → 0.45".
      assert.deepStrictEqual(reqs(c).slice(0, 8), [
        ['changed', '1', ['validation'], undefined, undefined],
        ['changed', '1.3', ['status'], undefined, undefined],
        ['changed', '6', ['verification', 'validation', 'mitigation'], undefined, undefined],
        ['changed', '6.1', ['validation', 'status'], undefined, undefined],
        ['changed', '6.2', ['verification', 'validation', 'status'], undefined, undefined],
        ['changed', '7', ['validation', 'status'], undefined, undefined],
        ['changed', '7.1', ['validation', 'status'], undefined, undefined],
        ['changed', '8', ['verification', 'validation'], undefined, undefined],
      ]);
      assert.deepStrictEqual(c.requirements.find((r) => r.id === '1.3')!.fields, [{ field: 'status', before: 'verified', after: 'validated' }]);
      // The level-7 card's critical scenarios have no ids: named by their text, all new.
      const scenarios = c.requirements.slice(8);
      assert.deepStrictEqual(scenarios.map((s) => [s.change, s.list, s.riskAfter, s.line]), [
        ['added', 'critical_scenarios', 0.9, 373],
        ['added', 'critical_scenarios', 0.7, 386],
        ['added', 'critical_scenarios', 0.2, 393],
        ['added', 'critical_scenarios', 1, 400],
        ['added', 'critical_scenarios', 1.8, 407],
      ]);
      // Named by their text, shown once (no id made of it).
      assert.strictEqual(scenarios[1].id, undefined);
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
        ['changed', undefined, ['text'], undefined, undefined],
      ]);
    });

    it('reports a requirements value that is not a list as a field change, and a list that appears as items added', () => {
      const c = cardChanges(prev({ requirements: 'see the wiki' }), { requirements: [{ id: 'r' }] });
      assert.deepStrictEqual(c.changed.map((f) => [f.path, f.before]), [['requirements', 'see the wiki']]);
      assert.deepStrictEqual(c.requirements, []);
      const added = cardChanges(prev({}), { critical_scenarios: [{ scenario: 's', p_failure: 0.5, value: 2 }] });
      assert.deepStrictEqual(added.requirements, [{ change: 'added', list: 'critical_scenarios', text: 's', riskAfter: 1 }]);
      assert.deepStrictEqual([added.added, added.changed], [[], []]);
    });

    it('bounds long strings, long lists, wide maps, deep values and long keys and ids', () => {
      const long = 'x'.repeat(100_000);
      const c = cardChanges(prev({ a: 'old', list: [] }), {
        a: long,
        list: Array.from({ length: 1000 }, (_, i) => i),
        added: Array.from({ length: 1000 }, (_, i) => i),
        wide: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])),
        deep: { x: { y: { z: { w: { v: { u: 1 } } } } } },
        [long]: 1,
        requirements: [{ id: long, text: long }],
      });
      // A value is shown whole up to maxChangeText.
      const a = c.changed.find((f) => f.path === 'a')!;
      assert.strictEqual((a.after as string).length, LIMITS.maxChangeText);
      // A list on both sides, item by item: each item a row.
      assert.strictEqual(c.changed.find((f) => f.path === 'list')!.items!.length, 1000);
      // A new field's value is bounded (a map walked into only when both cards have it).
      const list = c.added.find((f) => f.path === 'added')!.after as unknown[];
      assert.strictEqual(list.length, LIMITS.maxChangeEntries + 1);
      assert.strictEqual(list[LIMITS.maxChangeEntries], `… ${1000 - LIMITS.maxChangeEntries} more`);
      const wide = c.added.find((f) => f.path === 'wide')!.after as Record<string, unknown>;
      assert.strictEqual(Object.keys(wide).length, LIMITS.maxChangeEntries + 1);
      assert.strictEqual(wide['…'], `${500 - LIMITS.maxChangeEntries} more`);
      assert.deepStrictEqual(c.added.find((f) => f.path === 'deep')?.after, { x: { y: { z: { w: { v: '…' } } } } });
      assert.ok(c.added.every((f) => f.path.length < 200), 'long keys are cut');
      assert.ok(JSON.stringify(c).length < 200_000, `${JSON.stringify(c).length} characters`);
      assert.ok(c.requirements[0].id!.length <= 40);
      // Past maxChangeChars, each string is cut to maxChangeCutText.
      const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, `${i} ${long}`]));
      const spent = cardChanges(prev({}), many);
      const lengths = spent.added.map((f) => (f.after as string).length);
      assert.strictEqual(lengths[0], LIMITS.maxChangeText);
      assert.strictEqual(lengths[59], LIMITS.maxChangeCutText);
      assert.ok(lengths.reduce((x, y) => x + y, 0) < LIMITS.maxChangeChars + LIMITS.maxChangeText + 60 * LIMITS.maxChangeCutText);
    });

    it('keeps a 1,000-requirement diff small and lists at most maxChangeRows rows', () => {
      const reqList = (v: number) => Array.from({ length: 1000 }, (_, i) => ({ id: `R${i}`, text: 't'.repeat(2000), p_failure: 0.1, value: v, verification: 'v'.repeat(5000) }));
      const c = cardChanges(prev({ requirements: reqList(2) }), { requirements: reqList(3) });
      assert.strictEqual(c.requirements.length, 1000);
      // Each row: its id, its text cut (it did not change), its `value` before and after, its risk.
      assert.deepStrictEqual(c.requirements[0], { id: 'R0', change: 'changed', text: 't'.repeat(LIMITS.maxChangeItemText - 1) + '…', fields: [{ field: 'value', before: 2, after: 3 }], riskBefore: 0.2, riskAfter: 0.3 });
      assert.ok(JSON.stringify(c).length < 250_000, `${JSON.stringify(c).length} characters`);
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
      const c = cardChanges(prev({ l: [1] }), { a: 1, l: [1, 2], requirements: [{ id: 'r' }] }, () => -1);
      assert.strictEqual(c.changed[0].items![0].line, undefined);
      assert.strictEqual(c.added[0].line, undefined);
      assert.strictEqual(c.requirements[0].line, undefined);
    });
  });

  describe('properties', () => {
    const value = fc.anything({ maxDepth: 4, withDate: true, withNullPrototype: true, withBigInt: true, withSparseArray: true, withBoxedValues: true });
    const cardLike = fc.dictionary(
      fc.oneof(
        fc.constantFrom('level', 'owners', 'data', 'requirements', 'critical_scenarios', 'history', '__proto__', 'constructor'),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(
        value,
        fc.array(
          fc.record(
            {
              id: fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 3 }), fc.constant(undefined)),
              text: fc.string({ maxLength: 3 }),
              p_failure: fc.double(),
              value: fc.double(),
              risk: value,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 6 },
        ),
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
