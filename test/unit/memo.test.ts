/** A block's memo (server/src/card/memo.ts) answers as a Map would, past its four slots too. */
import * as assert from 'assert';
import fc from 'fast-check';
import { Memo } from '../../server/src/card/memo';

describe('Memo', () => {
  it('gets, has, sets and clears as a Map, over any sequence of operations', () => {
    const key = fc.constantFrom('problems', 'risk-fact', 'requirement-id', 'preview-row', 'list-check', 'sort', 'symbols');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key }),
      fc.record({ kind: fc.constant('has' as const), key }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const memo = new Memo();
        const map = new Map<string, unknown>();
        for (const o of ops) {
          if (o.kind === 'set') assert.strictEqual(memo.set(o.key, o.value), memo);
          if (o.kind === 'set') map.set(o.key, o.value);
          else if (o.kind === 'get') assert.strictEqual(memo.get(o.key), map.get(o.key), `get ${o.key}`);
          else if (o.kind === 'has') assert.strictEqual(memo.has(o.key), map.has(o.key), `has ${o.key}`);
          else {
            memo.clear();
            map.clear();
          }
        }
        for (const k of ['problems', 'risk-fact', 'requirement-id', 'preview-row', 'list-check', 'sort', 'symbols']) assert.strictEqual(memo.get(k), map.get(k), k);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('keeps undefined as a value, as a Map does', () => {
    const memo = new Memo();
    memo.set('a', undefined);
    assert.strictEqual(memo.has('a'), true);
    assert.strictEqual(memo.has('b'), false);
  });
});
