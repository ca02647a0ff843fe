/** The validators' string length (server/src/text/ucs2length.ts) against ajv's own runtime. */
import * as assert from 'assert';
import fc from 'fast-check';
import ajvLength from 'ajv/dist/runtime/ucs2length';
import ucs2length from '../../server/src/text/ucs2length';
import { createRequire } from 'module';
import * as path from 'path';
import { ROOT } from '../helpers';

/** ajv's own function, loaded from node_modules at run time (the bundle maps its name to ours). */
const ajvUcs2length = (createRequire(__filename)(path.join(ROOT, 'node_modules', 'ajv', 'dist', 'runtime', 'ucs2length.js')) as { default: (s: string) => number }).default;

describe('ucs2length: the length minLength compares', () => {
  it('is the bundled one, and counts as ajv does on any string of code units', () => {
    assert.strictEqual(ajvLength, ucs2length, 'the bundle maps ajv/dist/runtime/ucs2length to ours');
    // Around the surrogates, and a few other characters, so that pairs, lone halves and
    // reversed pairs all come up.
    const unit = fc.oneof(fc.integer({ min: 0xd7fe, max: 0xe001 }), fc.constantFrom(0x41, 0xe9, 0x0a, 0xfffd));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
        const str = String.fromCharCode(...units);
        assert.strictEqual(ucs2length(str), ajvUcs2length(str), JSON.stringify(str));
      }),
      { numRuns: 5000, seed: 7 },
    );
    for (const [str, n] of [['', 0], ['abc', 3], ['😀', 1], ['a😀b', 3], ['\ud83d', 1], ['\ude00\ud83d', 2], ['\ud83d\ud83d\ude00', 2]] as const) assert.strictEqual(ucs2length(str), n, JSON.stringify(str));
  });
});
