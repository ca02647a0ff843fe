/**
 * The practitioner cards (test/fixtures/practitioner; their one-change copies are in
 * test/unit/practitioner.test.ts) through the real checker: the folder is quiet. Their `targets`
 * rules need a fixed day, so the cards carry no targets (the copies add them).
 */
import * as assert from 'assert';
import * as path from 'path';
import { FIXTURES, ROOT } from '../helpers';
import { run, type JsonRow } from './checker';

describe('checker: the practitioner cards', () => {
  it('checks the folder with no problem at all, and exits 0', () => {
    const r = run(['check', '--no-config', '--format', 'json', path.join(FIXTURES, 'practitioner')], ROOT);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(JSON.parse(r.out) as JsonRow[], []);
    const text = run(['check', '--no-config', path.join(FIXTURES, 'practitioner')], ROOT);
    assert.match(text.out + text.err, /8 cards checked: 0 errors, 0 warnings\./);
  });
});
