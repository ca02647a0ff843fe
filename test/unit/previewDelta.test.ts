/**
 * The preview's answers as changes (protocol/previewDelta.ts): applying the delta between two
 * render models to the first gives the second, exactly, after both went through JSON (as they
 * do over LSP); and an edit of one requirement of a large card moves a small answer.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { CardPreview } from '../../protocol/preview';
import { applyPreviewDelta, previewDelta, samePlain, type CardPreviewDelta } from '../../protocol/previewDelta';
import { getLanguageService } from '../../server/src/languageService';
import { CardDocument } from '../../server/src/card/document';
import { ROOT, doc } from '../helpers';

const LEVEL7 = fs.readFileSync(path.join(ROOT, 'examples', 'solar-array', 'solar-array.level-7.trl.yaml'), 'utf8');
const URI = 'file:///cards/solar.trl.yaml';
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

let answers = 0;
function modelOf(text: string, uri = URI): CardPreview {
  const service = getLanguageService();
  return wire({ ...service.preview(doc(text, uri), service.parse(text), 1, {}), answer: `a:${++answers}` });
}

/** The delta from `a` to `b`, through JSON, applied to `a`, must give `b`. */
function roundTrip(a: CardPreview, b: CardPreview): CardPreviewDelta {
  const delta = wire(previewDelta(a, b, a.answer!, b.answer!));
  assert.ok(delta, 'a delta');
  assert.deepStrictEqual(applyPreviewDelta(a, delta), b);
  return delta;
}

/** A card with n requirements, each on its own lines. */
function bigCard(n: number): string {
  const reqs = Array.from({ length: n }, (_, i) => `  - id: R${i}\n    text: Requirement ${i} holds\n    p_failure: 0.${(i % 9) + 1}\n    value: ${(i % 5) + 1}\n    mitigation: Test ${i}\n`);
  return `technology: Big\nid: BIG\nlevel: 4\ntldr: A large card.\nrequirements:\n${reqs.join('')}`;
}

describe('preview deltas', () => {
  const edits: [string, (t: string) => string][] = [
    ['no change', (t) => t],
    ['a risk raised (the rows re-sort)', (t) => t.replace(/p_failure: 0\.\d+/, 'p_failure: 0.99')],
    ['a line inserted above the requirements (rows move)', (t) => t.replace(/^tldr:/m, '# a note\ntldr:')],
    ['a requirement removed', (t) => t.replace(/\n {2}- id: [^\n]*\n(?: {4}[^\n]*\n)*/, '\n')],
    ['a requirement added', (t) => t.replace(/^requirements:\n/m, 'requirements:\n  - id: NEW-1\n    text: New\n    p_failure: 0.5\n    value: 4\n')],
    ['the technology renamed', (t) => t.replace(/^technology: .*$/m, 'technology: Renamed')],
    ['the TL;DR removed', (t) => t.replace(/^tldr:[^\n]*\n(?:[ -][^\n]*\n)*/m, '')],
    ['a field added at the end', (t) => `${t}\nextra_notes: something new\n`],
    ['the level changed', (t) => t.replace(/^level: \d+/m, 'level: 3')],
    ['the card emptied', () => ''],
  ];

  for (const [name, edit] of edits) {
    it(`applies back to the same model: ${name}`, () => {
      roundTrip(modelOf(LEVEL7), modelOf(edit(LEVEL7)));
    });
    it(`applies back to the same model from the edited card to the first: ${name}`, () => {
      roundTrip(modelOf(edit(LEVEL7)), modelOf(LEVEL7));
    });
  }

  it('applies back for random line edits of the example card (property)', () => {
    const lines = LEVEL7.split('\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('delete', 'duplicate', 'blank', 'risk'), fc.nat(9)), { maxLength: 6 }), (ops) => {
        const edited = [...lines];
        for (const [at, op, digit] of ops) {
          const i = at % Math.max(1, edited.length);
          if (op === 'delete') edited.splice(i, 1);
          else if (op === 'duplicate') edited.splice(i, 0, edited[i] ?? '');
          else if (op === 'blank') edited.splice(i, 0, '');
          else edited[i] = (edited[i] ?? '').replace(/\d/, String(digit));
        }
        roundTrip(modelOf(LEVEL7), modelOf(edited.join('\n')));
      }),
      { numRuns: 60 },
    );
  });

  it('answers one edited requirement of a 300-requirement card with that row alone', () => {
    const text = bigCard(300);
    const a = modelOf(text);
    const b = modelOf(text.replace('text: Requirement 150 holds', 'text: Requirement 150 holds, edited'));
    const delta = roundTrip(a, b);
    assert.deepStrictEqual(delta.rows?.put.map((r) => r.id), ['R150']);
    assert.strictEqual(delta.rows?.order, undefined, 'the order is unchanged');
    assert.deepStrictEqual(delta.rows?.moved, []);
    assert.strictEqual(delta.blocks, undefined);
    assert.deepStrictEqual(Object.keys(delta.set), [], 'nothing else changed (the version is the same in this test)');
    assert.ok(JSON.stringify(delta).length < JSON.stringify(b).length / 50, `${JSON.stringify(delta).length} vs ${JSON.stringify(b).length}`);
  });

  it('sends a re-sorted risk table as runs of the old order, and moved rows as their new lines', () => {
    const text = bigCard(300);
    const a = modelOf(text);
    // R7 rises to the top; a line added above every requirement moves every row down by one.
    const b = modelOf(text.replace('id: R7\n    text: Requirement 7 holds\n    p_failure: 0.8\n    value: 3', 'id: R7\n    text: Requirement 7 holds\n    p_failure: 0.99\n    value: 5').replace('tldr: A large card.\n', 'tldr: A large card.\n# note\n'));
    const delta = roundTrip(a, b);
    assert.ok(delta.rows?.order && delta.rows.order.length <= 4, `order as a few runs: ${JSON.stringify(delta.rows?.order)}`);
    assert.deepStrictEqual(delta.rows?.put.map((r) => r.id), ['R7']);
    assert.strictEqual(delta.rows?.moved.length, 299);
  });

  it('refuses to apply changes that name rows the model does not have', () => {
    const a = modelOf(bigCard(3));
    const b = modelOf(bigCard(5));
    const delta = previewDelta(a, b, a.answer!, b.answer!)!;
    assert.throws(() => applyPreviewDelta(modelOf('technology: Other\nlevel: 1\n'), delta), /does not have|rows/);
  });

  it('gives an edited card (memoised rows and order kept) the model of its text parsed afresh (property)', () => {
    const service = getLanguageService();
    const base = bigCard(40);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(39), fc.constantFrom('risk', 'value', 'text', 'line-above', 'delete', 'mitigation'), fc.nat(9)), { minLength: 1, maxLength: 12 }),
        (ops) => {
          let text = base;
          let card = service.parse(text);
          const live = new CardDocument(URI, 'trl-card', 1, card);
          const model = () => wire(service.preview(live, card, 1, {}));
          model();
          for (const [i, op, digit] of ops) {
            const edit = (from: string, to: string) => {
              const at = text.indexOf(from);
              if (at < 0) return;
              text = text.slice(0, at) + to + text.slice(at + from.length);
              card = service.update(card, { start: at, end: at + from.length, text: to });
              live.edited(card, at, at + from.length, to, 2);
            };
            if (op === 'risk') edit(`id: R${i}\n    text: Requirement ${i} holds\n    p_failure: 0.`, `id: R${i}\n    text: Requirement ${i} holds\n    p_failure: 0.${digit}`);
            else if (op === 'value') edit(`id: R${i}\n`, `id: R${i}\n    value: ${digit + 1}\n`);
            else if (op === 'text') edit(`Requirement ${i} holds`, `Requirement ${i} holds ${digit}`);
            else if (op === 'line-above') edit(`Requirement ${i} holds\n`, `Requirement ${i} holds\n    # a note\n`);
            else if (op === 'delete') {
              const m = new RegExp(`  - id: R${i}\\n(?:    [^\\n]*\\n)*`).exec(text);
              if (m) edit(m[0], '');
            }
            else edit(`mitigation: Test ${i}\n`, digit % 2 ? '' : `mitigation: ''\n`);
            const fresh = service.parse(text);
            assert.deepStrictEqual(model(), wire(service.preview(doc(text, URI), fresh, 1, {})), `after ${op} ${i} ${digit}`);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('compares plain data deeply', () => {
    assert.ok(samePlain({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }));
    assert.ok(!samePlain({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }));
    assert.ok(!samePlain({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!samePlain([1], { 0: 1 }));
    assert.ok(!samePlain(null, {}));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const other: Record<string, unknown> = {};
    other.self = other;
    assert.strictEqual(samePlain(cyclic, other), false, 'a cycle ends at the depth bound, as different');
  });
});
