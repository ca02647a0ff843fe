/**
 * One mapping of many keys (issue 18): the work grows linearly with the keys of a mapping.
 * yaml's composer looked through every earlier key for each key (to report a repeated one), so
 * did the fast path, and so did the schema rule to place each unknown key's problem: 20,000
 * keys took 4.5 s to open, 50,000 keys 61 s. Now: yaml's `mapIncludes` is ours
 * (card/yamlMapIncludes.ts, given to yaml by esbuild) and answers as yaml's own does, checked
 * here against yaml's unbundled module; the lookups are counted; and cards of 100,000 keys,
 * through the fast path and through yaml, are checked whole, where the old code took minutes.
 * Times are measured by scripts/bench/keys.mjs, not here.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { createRequire } from 'module';
import * as path from 'path';
import { parseDocument, Scalar, YAMLMap, Pair, type Document } from 'yaml';
import { PARSE_OPTIONS } from '../../server/src/card/fastParse';
import { KeyIndex } from '../../server/src/card/nodes';
import { parseCard } from '../../server/src/card/parse';
import { mapIncludes } from '../../server/src/card/yamlMapIncludes';
import { getLanguageService } from '../../server/src/languageService';
import { boundForEditor } from '../../server/src/services/diagnostics';
import type { Problem } from '../../server/src/rules/problem';
import { LIMITS } from '../../server/src/limits';
import { ROOT } from '../helpers';

/** yaml's own modules, as Node loads them from node_modules (not bundled, so not given ours). */
const original = createRequire(path.join(ROOT, 'package.json'));
const yamlOriginal = original('yaml') as typeof import('yaml');
const originalMapIncludes = (original(path.join(path.dirname(original.resolve('yaml')), 'compose', 'util-map-includes.js')) as { mapIncludes: typeof mapIncludes }).mapIncludes;

const service = getLanguageService();

/** An array that counts how often its items are read. */
function counted<T>(items: T[]): { items: T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { items: proxy, reads: () => reads };
}

/** What yaml's errors and warnings say, in order. */
function problemsOf(doc: Document.Parsed): string[] {
  return [...doc.errors, ...doc.warnings].map((e) => `${e.code} ${e.pos[0]}-${e.pos[1]} ${e.message}`);
}

/** A card whose `model:` holds n keys, each written by `key(i)`. */
function keysCard(n: number, key: (i: number) => string = (i) => `k${i}`): string {
  return `id: many-keys\nlevel: 0\ntldr: t\nmodel:\n${Array.from({ length: n }, (_, i) => `  ${key(i)}: v\n`).join('')}`;
}

describe('one mapping of many keys (issue 18)', () => {
  describe("yaml's repeated-key test (card/yamlMapIncludes.ts)", () => {
    it('is the one the bundled yaml composes with', () => {
      // A repeated key among many: found where yaml's own finds it, by the bundle's yaml.
      const text = `m:\n${Array.from({ length: 50 }, (_, i) => `  k${i}: v\n`).join('')}  k7: again\n`;
      assert.deepStrictEqual(problemsOf(parseDocument(text, PARSE_OPTIONS)), problemsOf(yamlOriginal.parseDocument(text, PARSE_OPTIONS)));
      assert.strictEqual(parseDocument(text, PARSE_OPTIONS).errors.length, 1);
    });

    it('reads each earlier key once, where yaml read them all for every key', () => {
      const n = 1000;
      const keys = Array.from({ length: n }, (_, i) => new Scalar(i % 2 ? `k${i}` : i));
      const run = (includes: typeof mapIncludes) => {
        const { items, reads } = counted<Pair>([]);
        const ctx = { options: { uniqueKeys: true } };
        let repeated = 0;
        for (const key of [...keys, new Scalar('k1'), new Scalar(4), new Scalar('4')]) {
          if (includes(ctx, items, key)) repeated++;
          items.push(new Pair(key));
        }
        return { repeated, reads: reads() };
      };
      const ours = run(mapIncludes);
      const yamls = run(originalMapIncludes);
      assert.strictEqual(ours.repeated, 2); // `k1` and 4 again; '4' is not the number 4
      assert.strictEqual(yamls.repeated, 2);
      assert.ok(ours.reads <= 2 * n, `${ours.reads} reads of the pairs for ${n} keys`);
      assert.ok(yamls.reads > (n * n) / 4, `yaml's own: ${yamls.reads}`); // what the count tells apart
    });

    it('answers as yaml does, for any keys, in block and flow mappings', () => {
      const key = fc.constantFrom('a', 'b', '"a"', "'b'", '1', '1.0', '0x1', '"1"', '-0', '0', '.nan', '.NaN', 'null', '~', '""', 'true', 'True', '!!str 1', '!!str a', '&x a', '*x', '? a', '? [a]', '[a]', '{a: 1}', 'c d', '');
      const mapping = fc.array(key, { minLength: 0, maxLength: 24 });
      fc.assert(
        fc.property(mapping, fc.boolean(), fc.boolean(), (keys, flow, nested) => {
          const pairs = keys.map((k, i) => (k.startsWith('? ') ? `${k}\n: ${i}` : `${k}: ${i}`));
          const body = flow ? `{ ${keys.map((k, i) => `${k.replace(/^\? /, '? ')}: ${i}`).join(', ')} }` : pairs.join('\n');
          const text = nested ? `top:\n${body.split('\n').map((l) => `  ${l}`).join('\n')}\nother: &x a\n` : `${body}\n`;
          for (const uniqueKeys of [true, false]) {
            const options = { ...PARSE_OPTIONS, uniqueKeys };
            assert.deepStrictEqual(problemsOf(parseDocument(text, options)), problemsOf(yamlOriginal.parseDocument(text, options)), text);
          }
        }),
        { numRuns: 200, seed: 18 },
      );
    });

    it('takes a comparison function as yaml does', () => {
      const text = 'a: 1\nA: 2\nb: 3\n';
      const options = {
        ...PARSE_OPTIONS,
        uniqueKeys: (a: unknown, b: unknown) => String((a as Scalar).value).toLowerCase() === String((b as Scalar).value).toLowerCase(),
      };
      assert.deepStrictEqual(problemsOf(parseDocument(text, options)), problemsOf(yamlOriginal.parseDocument(text, options)));
      assert.strictEqual(parseDocument(text, options).errors[0]?.code, 'DUPLICATE_KEY');
    });
  });

  it('finds the pairs of a long mapping reading each once (KeyIndex)', () => {
    const n = 3000;
    const map = new YAMLMap();
    for (let i = 0; i < n; i++) map.items.push(new Pair(new Scalar(`k${i}`), new Scalar('v')));
    map.items.push(new Pair(new Scalar('k5'), new Scalar('second'))); // a repeated key: the first is found
    const { items, reads } = counted(map.items);
    map.items = items;
    const index = new KeyIndex();
    for (let i = 0; i < n; i++) assert.strictEqual((index.find(map, `k${i}`)?.key as Scalar).value, `k${i}`);
    assert.strictEqual((index.find(map, 'k5')?.value as Scalar).value, 'v');
    assert.strictEqual(index.find(map, 'missing'), undefined);
    assert.strictEqual(index.find(map, 'missing'), undefined);
    assert.ok(reads() <= n + 1, `${reads()} reads of ${n + 1} pairs`);
  });

  for (const [how, key] of [
    ['read by the fast path', (i: number) => `k${i}`],
    ['read by yaml (quoted keys), one key repeated at the end', (i: number) => `"k${i}"`],
  ] as const) {
    it(`checks a mapping of 100,000 keys ${how}: the first unknown ones listed, the rest counted`, () => {
      const n = 100_000;
      const fast = !key(0).startsWith('"');
      const text = keysCard(n, key) + (fast ? '' : '  "k3": again\n');
      const card = parseCard(text);
      const model = card.sections.find((s) => s.entries[0]?.key === 'model')!;
      assert.strictEqual(Object.keys(model.entries[0].value as object).length, n);
      const problems = service.problems(card);
      const unknown = problems.filter((p) => p.code === 'unknown-field');
      assert.strictEqual(unknown.length, LIMITS.maxUnknownFields + 1);
      const listed = unknown.filter((p) => p.message.startsWith('Unknown field'));
      assert.strictEqual(listed.length, LIMITS.maxUnknownFields);
      // Each on its own key, in text order.
      listed.forEach((p, i) => assert.strictEqual(text.slice(p.start, p.end), key(i)));
      const rest = unknown.find((p) => !p.message.startsWith('Unknown field'))!;
      assert.strictEqual(text.slice(rest.start, rest.end), 'model');
      assert.match(rest.message, new RegExp(`^\`model\` has ${n - LIMITS.maxUnknownFields} more unknown fields than the ${LIMITS.maxUnknownFields} listed one by one: remove them`));
      assert.strictEqual(rest.severity, 'error');
      // The repeated key, once, where yaml says.
      const at = text.lastIndexOf('"k3": again');
      assert.deepStrictEqual(
        problems.filter((p) => p.code === 'duplicate-key').map((p) => [p.start, p.end]),
        fast ? [] : [[at, at + 4]],
      );
    });
  }
});

describe('problems sent to the editor, bounded per card (issue 18)', () => {
  const header = 'technology: P\nid: P\nlevel: 9\ntldr: t\nowners: {owner: A, reviewers: [B]}\n';
  it('lists the first 1,000 placeholders of a card of 20,000 one by one, and counts the rest in one more; the checker\'s problems are all there', () => {
    const n = 20_000;
    const text = header + 'caveats:\n' + Array.from({ length: n }, (_, i) => `  - TODO caveat ${i}\n`).join('');
    const all = service.problems(parseCard(text));
    // The level rule reports the first placeholders of a field it asks for (`caveats`, level 5 on);
    // the placeholder rule the ones after them, in order, each on its own item.
    const every = all.filter((p) => p.code === 'placeholder');
    const first = Number(/\d+$/.exec(text.slice(every[0].start, every[0].end))![0]);
    assert.strictEqual(every.length, n - first, 'every problem, for the checker, the verdict and the fixes');
    const problems = boundForEditor(all).filter((p) => p.code === 'placeholder');
    assert.strictEqual(problems.length, LIMITS.maxProblemsPerCode + 1);
    problems.slice(0, -1).forEach((p, i) => assert.strictEqual(text.slice(p.start, p.end), `TODO caveat ${first + i}`));
    const rest = problems[problems.length - 1];
    assert.strictEqual(text.slice(rest.start, rest.end), `TODO caveat ${first + LIMITS.maxProblemsPerCode}`);
    assert.match(rest.message, new RegExp(`^This and ${n - first - LIMITS.maxProblemsPerCode - 1} more \`placeholder\` problems after it are not listed one by one`));
    assert.strictEqual(rest.severity, 'warning');
  });

  it('sends at most 1,000 diagnostics in all, the most severe first, and one too-many-problems counting the rest', () => {
    // 600 errors of one code (501 after its bound), 400 of another, 300 warnings, 100 hints.
    const make = (code: Problem['code'], severity: Problem['severity'], n: number, from: number): Problem[] => Array.from({ length: n }, (_, i) => ({ code, severity, message: code, start: from + i * 10, end: from + i * 10 + 5 }));
    const all = [...make('missing-field', 'error', 600, 0), ...make('wrong-type', 'error', 400, 100_000), ...make('placeholder', 'warning', 300, 200_000), ...make('coupled-one-way', 'hint', 100, 300_000)];
    const bounded = boundForEditor(all);
    assert.strictEqual(bounded.length, LIMITS.maxDiagnostics);
    const count = (severity: string) => bounded.filter((p) => p.severity === severity && p.code !== 'too-many-problems').length;
    assert.deepStrictEqual([count('error'), count('warning'), count('hint')], [501 + 400, 999 - 901, 0], 'the most severe first');
    const summary = bounded.filter((p) => p.code === 'too-many-problems');
    assert.strictEqual(summary.length, 1);
    assert.match(summary[0].message, /^This and 301 more problems are not shown \(the editor shows 999, the most severe first\)/);
    assert.deepStrictEqual([summary[0].severity, summary[0].data?.count], ['information', 302]);
    // On the first problem left out (the 99th warning), and all in text order, as the editor lists them.
    assert.strictEqual(summary[0].start, 200_000 + 98 * 10);
    for (let i = 1; i < bounded.length; i++) assert.ok(bounded[i - 1].start <= bounded[i].start);
  });
});
