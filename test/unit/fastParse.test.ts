/**
 * The fast path (server/src/card/fastParse.ts) against yaml's `parseDocument`: whenever it
 * answers, its document must be yaml's — every node's kind, class, range, value, source, type,
 * format and flow flag, the document's range and plain value — and yaml must report no error or
 * warning for that text. Checked on every block the cutter makes of the repository's cards and
 * of generated ones, and on many mutations of them; the rules must also give the same problems
 * with and without the fast path.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import { isCollection, isDocument, isMap, isNode, isPair, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { depthExceeded, structureExceeded } from '../../server/src/card/depth';
import { fastParse, isFastDocument, PARSE_OPTIONS, PLAIN_TAGS, plainValue, stringOnly } from '../../server/src/card/fastParse';
import { LIMITS } from '../../server/src/limits';
import { parseCard, sectionItems, sectionStarts } from '../../server/src/card/parse';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ROOT, repositoryCards, rng } from '../helpers';

/** What yaml may set on a node that the fast path leaves out: comments, which nothing reads. */
const COMMENTS = new Set(['comment', 'commentBefore', 'spaceBefore']);

function sameValue(a: unknown, b: unknown, at: string): void {
  if (isNode(a) || isPair(a) || isNode(b) || isPair(b)) sameNode(a, b, at);
  else if (Array.isArray(a) && Array.isArray(b)) {
    assert.strictEqual(a.length, b.length, `${at}: length`);
    a.forEach((x, i) => sameValue(x, b[i], `${at}[${i}]`));
  } else assert.ok(Object.is(a, b), `${at}: ${String(a)} !== ${String(b)}`);
}

/**
 * The class yaml's node has, for a fast node: its prototype's prototype (the fast path's node
 * classes sit on yaml's and only carry the node's kind), but for a float, which its tag makes.
 */
function yamlClassOf(fast: object): object | null {
  const proto = Object.getPrototypeOf(fast) as object;
  return Object.prototype.hasOwnProperty.call(proto, 'constructor') && [Scalar, Pair, YAMLMap, YAMLSeq].some((c) => c.prototype === proto) ? proto : Object.getPrototypeOf(proto);
}

/** Every own property of yaml's node on the fast node too, equal, and no other. */
function sameNode(fast: unknown, slow: unknown, at: string): void {
  assert.ok(fast !== null && typeof fast === 'object' && slow !== null && typeof slow === 'object', `${at}: not both nodes`);
  assert.strictEqual(yamlClassOf(fast), Object.getPrototypeOf(slow), `${at}: class`);
  assert.strictEqual(fast instanceof (slow.constructor as new () => object), true, `${at}: instanceof`);
  assert.strictEqual(isNode(fast), isNode(slow), `${at}: node`);
  assert.strictEqual(isPair(fast), isPair(slow), `${at}: pair`);
  assert.strictEqual(isMap(fast), isMap(slow), `${at}: map`);
  assert.strictEqual(isSeq(fast), isSeq(slow), `${at}: seq`);
  if (isCollection(slow)) assert.strictEqual((fast as { schema?: unknown }).schema !== undefined, true, `${at}: schema`);
  assert.strictEqual(isScalar(fast), isScalar(slow), `${at}: scalar`);
  assert.strictEqual(isCollection(fast), isCollection(slow), `${at}: collection`);
  const keys = (o: object) => Object.keys(o).filter((k) => !COMMENTS.has(k) && (o as Record<string, unknown>)[k] !== undefined).sort();
  assert.deepStrictEqual(keys(fast), keys(slow), `${at}: properties`);
  for (const k of keys(slow)) sameValue((fast as Record<string, unknown>)[k], (slow as Record<string, unknown>)[k], `${at}.${k}`);
}

/**
 * The fast path's document for `text`, checked against yaml's; undefined when it does not answer.
 */
function checked(text: string): Document.Parsed | undefined {
  const fast = fastParse(text);
  if (!fast) return undefined;
  const slow = parseDocument(text, PARSE_OPTIONS);
  const where = JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text);
  assert.deepStrictEqual([...slow.errors, ...slow.warnings].map((e) => e.code), [], `yaml reports problems the fast path missed: ${where}`);
  assert.ok(isDocument(fast));
  assert.deepStrictEqual(fast.errors, []);
  assert.deepStrictEqual(fast.warnings, []);
  assert.deepStrictEqual(fast.range, slow.range, `document range: ${where}`);
  sameValue(fast.contents, slow.contents, `contents of ${where}`);
  assert.deepStrictEqual(fast.toJS({ maxAliasCount: 100 }), slow.toJS({ maxAliasCount: 100 }), where);
  // What parse.ts takes as the plain value of the fast path's nodes, against yaml's own.
  assert.ok(isFastDocument(fast) && !isFastDocument(slow));
  assert.deepStrictEqual(plainValue(fast.contents), slow.toJS({ maxAliasCount: 100 }), `plain value of ${where}`);
  // (A fast document makes these when they are first read, below.)
  const LAZY = ['directives', 'options', 'errors', 'warnings'];
  const docKeys = (d: object) => [...Object.keys(d).filter((k) => !LAZY.includes(k)), ...LAZY.map((k) => `${k} ${k in d}`)].sort();
  assert.deepStrictEqual(docKeys(fast), docKeys(slow), `document properties of ${where}`);
  for (const k of Object.keys(PARSE_OPTIONS) as (keyof typeof PARSE_OPTIONS)[]) assert.strictEqual(fast.options[k], slow.options[k], k);
  assert.strictEqual(fast.schema.name, slow.schema.name);
  assert.deepStrictEqual(fast.directives, slow.directives);
  assert.deepStrictEqual([fast.comment, fast.commentBefore], [null, null]);
  // parse.ts skips the structural depth scan for what the fast path answers: it must count no deeper than the nodes nest.
  assert.strictEqual(structureExceeded(text, depthOf(fast.contents)), -1, `depth of ${where}`);
  assert.deepStrictEqual(fast.schema.tags, slow.schema.tags);
  return fast;
}

/** How many collections nest at the deepest point under `node`. */
function depthOf(node: unknown): number {
  if (isPair(node)) return Math.max(depthOf(node.key), depthOf(node.value));
  if (!isCollection(node)) return 0;
  return 1 + Math.max(0, ...node.items.map(depthOf));
}

/** Every piece the cutter makes of a card (sections, section heads, items), and the card whole. */
function blocksOf(text: string): string[] {
  const out = [text];
  const starts = sectionStarts(text);
  if (!starts) return out;
  starts.forEach((s, k) => {
    const section = text.slice(s, k + 1 < starts.length ? starts[k + 1] : text.length);
    out.push(section);
    const split = sectionItems(section);
    if (split) {
      out.push(section.slice(0, split.starts[0]));
      split.starts.forEach((i, j) => out.push(section.slice(i, j + 1 < split.starts.length ? split.starts[j + 1] : section.length)));
    }
  });
  return out;
}

interface Generator {
  bigCard(n: number, options?: { seed?: number }): { text: string };
  workspaceCards(count: number, seed: number): Map<string, string>;
}
const repository = repositoryCards();
let generated: string[] = [];
let corpus: string[] = [];

const SPECIAL = [':', ': ', ' #', '#', '-', '- ', ' ', '  ', '"', "'", "''", '\\', '\\"', '\\x41', '\\u00e9', '\\U0001F600', '[', ']', '{', '}', ',', '|', '>', '|-', '>+', '&a ', '*a', '!', '!!str ', '?', '? ', '%', '@', '`', '~', 'null', 'true', 'False', '0x1F', '0o17', '1e3', '.5', '1.0', '-.inf', '.NaN', '0', '\n', '\n\n', '\r\n', '\r', '\t', '\u00a0', '\ufeff', '---', '...', 'é', '😀'];

/** One random edit of `text`, driven by fast-check's numbers. */
function mutate(text: string, [kind, a, b, c]: [number, number, number, number]): string {
  const lines = text.split('\n'); // a CRLF text keeps its CRs at the lines' ends
  const l = a % lines.length;
  const line = lines[l];
  switch (kind) {
    case 0: // insert a special string
      lines[l] = line.slice(0, b % (line.length + 1)) + SPECIAL[c % SPECIAL.length] + line.slice(b % (line.length + 1));
      break;
    case 1: // indent or dedent a line
      lines[l] = b % 2 ? ' '.repeat(1 + (c % 3)) + line : line.replace(new RegExp(`^ {0,${1 + (c % 3)}}`), '');
      break;
    case 2: // delete a line
      lines.splice(l, 1);
      break;
    case 3: // duplicate a line elsewhere
      lines.splice(b % (lines.length + 1), 0, line);
      break;
    case 4: {
      // quote a value
      const m = /^(\s*(?:- )?[\w.-]+: )(.+)$/.exec(line);
      if (m) lines[l] = m[1] + (c % 2 ? JSON.stringify(m[2]) : `'${m[2].replace(/'/g, "''")}'`);
      break;
    }
    case 5: // delete a character
      lines[l] = line.slice(0, b % (line.length + 1)) + line.slice((b % (line.length + 1)) + 1);
      break;
    case 6: // replace the line by a comment or an empty line at some indentation
      lines[l] = ' '.repeat(c % 7) + (b % 2 ? '# note' : '');
      break;
    default:
      return text.replace(/\n/g, '\r\n');
  }
  return lines.join('\n');
}


const SCALARS = ['-', '-x', 'toString', '__proto__', 'x', 'two words', 'ends.', '1', '-2', '+3', '007', '0x1F', '0o17', '1.50', '1e3', '-.5', '.inf', '-.Inf', '.NaN', 'null', 'Null', '~', 'true', 'False', 'TRUE', 'yes', '2024-01-31', '"q"', '"a\\"b"', '"\\u00e9\\x41\\n"', "'s''t'", "''", '""', 'http://x.org/a#b', 'a#b', 'C# 9', 'x # trailing', '[a, "b", 1]', '[ ]', '[]', "{ k: v, n: 1, q: 'w' }", '{}', 'é 😀', '<a@b.org>', 'a: b', '- x', '@x', '%x', '!x', '&x', '*x', '? x', '50 %'];

/** A random text in and around the fast path's subset: nested collections, scalars, comments and empty lines at any indentation. */
function randomYaml(seed: number): string {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(a: readonly T[]) => a[int(a.length)];
  const gap = (out: string[]) => {
    while (r() < 0.3) out.push(r() < 0.4 ? '' : ' '.repeat(int(9)) + pick(['# c', '#', '#x', '# - a: b']));
  };
  const blockScalar = (indent: number, out: string[]) => {
    const body = 1 + int(3);
    for (let i = 0; i < body; i++) {
      if (i > 0 && r() < 0.2) out.push('');
      out.push(' '.repeat(indent + (r() < 0.1 ? 1 : 0)) + pick(['line', 'two words', '# not a comment', 'a: b', '- x']));
    }
  };
  const map = (indent: number, depth: number): string[] => {
    const out: string[] = [];
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) {
      const key = ' '.repeat(indent) + pick(['a', 'b_c', 'k' + i, 'k' + i, '1', 'true', 'x.y', 'null', '~', 'constructor', '__proto__', '.inf', '0x1F']);
      const choice = r();
      if (depth < 3 && choice < 0.3) {
        out.push(key + ':' + (r() < 0.1 ? '  ' : ''));
        gap(out);
        out.push(...(r() < 0.5 ? map(indent + pick([1, 2, 4]), depth + 1) : seq(indent + pick([0, 2, 3]), depth + 1)));
      } else if (choice < 0.45) {
        out.push(key + ': ' + pick(['|', '>', '|-', '>-', '|+', '>2', '| # c']));
        blockScalar(indent + pick([1, 2, 2, 4]), out);
      } else if (choice < 0.55) out.push(key + ':');
      else out.push(key + ': ' + pick(SCALARS) + (r() < 0.15 ? ' # note' : ''));
      gap(out);
    }
    return out;
  };
  const seq = (indent: number, depth: number): string[] => {
    const out: string[] = [];
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) {
      const dash = ' '.repeat(indent) + '-';
      const choice = r();
      if (depth < 3 && choice < 0.35) {
        const inner = map(indent + pick([2, 2, 3]), depth + 1);
        inner[0] = dash + ' '.repeat(inner[0].length - inner[0].trimStart().length - indent - 1) + inner[0].trimStart();
        out.push(...inner);
      } else if (depth < 3 && choice < 0.45) {
        out.push(dash);
        out.push(...(r() < 0.5 ? map(indent + 2, depth + 1) : seq(indent + 2, depth + 1)));
      } else if (choice < 0.55) {
        out.push(dash + ' ' + pick(['|', '>-']));
        blockScalar(indent + 2, out);
      } else out.push(dash + (r() < 0.1 ? '' : ' ' + pick(SCALARS)));
      gap(out);
    }
    return out;
  };
  const lines: string[] = [];
  if (r() < 0.3) lines.push('# leading', '');
  lines.push(...(r() < 0.6 ? map(0, 0) : seq(pick([0, 2]), 0)));
  const eol = r() < 0.2 ? '\r\n' : '\n';
  return lines.join(eol) + (r() < 0.85 ? eol : '');
}

describe('fastParse: the same document as yaml, or none', () => {
  before(async () => {
    // The benchmark's generator (plain ESM, loaded at run time: esbuild cannot bundle it into CommonJS).
    const module = pathToFileURL(path.join(ROOT, 'scripts', 'bench', 'cards.mjs')).href;
    const { bigCard, workspaceCards } = (await import(module)) as Generator;
    generated = [bigCard(50).text, bigCard(3, { seed: 7 }).text, ...workspaceCards(40, 3).values()];
    generated.push(...generated.map((t) => t.replace(/\n/g, '\r\n'))); // as saved on Windows
    corpus = [...new Set([...repository.map((c) => c.text), ...generated].flatMap(blocksOf))];
  });

  it('answers for the blocks of real and generated cards, with yaml\'s document', () => {
    let answered = 0;
    const missed: string[] = [];
    for (const block of corpus) {
      if (checked(block)) answered++;
      else missed.push(block);
    }
    // Every block of the generated cards is in the subset; of the repository's, nearly all.
    for (const text of generated) for (const block of blocksOf(text).slice(1)) assert.ok(fastParse(block), `not answered: ${JSON.stringify(block.slice(0, 200))}`);
    if (process.env.FASTPARSE_STATS) console.log(answered, corpus.length, missed.map((m) => JSON.stringify(m.slice(0, 160))).join('\n'));
    assert.ok(answered / corpus.length > 0.85, `answered ${answered} of ${corpus.length}; first missed: ${JSON.stringify(missed.slice(0, 5))}`);
  });

  it('answers nothing outside the subset', () => {
    for (const text of ['a: &x 1\n', 'a: *x\n', 'a: !!str 1\n', '? a\n: b\n', 'a: {b: {c: 1}}\n', 'a: {b: 1, b: 2}\n', 'a: [b, [c]]\n', 'a: {b: 1,}\n', '---\na: 1\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\na: 2\n', '"a": 1\n', 'a:\tb\n', 'a: 1\rb: 2\n', 'a: 1\r', 'a: b\n  c\n', 'a: |+\n  x\n', '', 'a: "x\n  y"\n', 'a: b: c\n', 'a: -\n', 'a: -\r\n', 'a: - b\n', '- -\n']) {
      assert.strictEqual(fastParse(text), undefined, JSON.stringify(text));
    }
  });

  it('answers only for blocks nested no deeper than it is asked, and the card model keeps the depth limit', () => {
    const nested = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n') + ' x\n';
    const max = LIMITS.maxNestingDepth / 2;
    assert.ok(checked(nested(max)));
    assert.strictEqual(fastParse(nested(max + 1), max), undefined);
    assert.ok(fastParse(nested(max), max));
    assert.strictEqual(fastParse('a: [b]\n', 1), undefined);
    // Past the depth limit the block is not parsed, where the depth scan says, as without the fast path.
    const deep = nested(LIMITS.maxNestingDepth + 5);
    const limit = parseCard(deep).sections[0].head.limit;
    assert.strictEqual(limit?.rule, 'too-deep');
    assert.strictEqual(limit?.start, depthExceeded(deep, LIMITS.maxNestingDepth));
    // The bracket backstop still applies to text the fast path would read (brackets in a comment).
    const brackets = `a: 1 # ${'['.repeat(8 * LIMITS.maxNestingDepth + 1)}\n`;
    assert.ok(fastParse(brackets));
    assert.strictEqual(parseCard(brackets).sections[0].head.limit?.start, depthExceeded(brackets, LIMITS.maxNestingDepth));
  });

  it('is yaml\'s document, or nothing, on edited blocks', () => {
    let answered = 0;
    const edit = fc.tuple(fc.nat(7), fc.nat(1 << 20), fc.nat(1 << 20), fc.nat(1 << 20));
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(edit, { minLength: 1, maxLength: 4 }), (i, edits) => {
        let text = corpus[i];
        for (const e of edits) text = mutate(text, e);
        if (checked(text)) answered++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 4000), seed: Number(process.env.FUZZ_SEED ?? 12) },
    );
    if (process.env.FASTPARSE_STATS) console.log(`answered ${answered} edited blocks`);
  });

  it('is yaml\'s document, or nothing, on random nested YAML with comments and empty lines', () => {
    let answered = 0;
    const runs = Number(process.env.FUZZ_RUNS ?? 4000);
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        if (checked(randomYaml(seed))) answered++;
      }),
      { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 34) },
    );
    if (process.env.FASTPARSE_STATS) console.log(`answered ${answered} random texts`);
    // The generator is meant to stay mostly inside the subset; the test means little otherwise.
    assert.ok(answered > runs / 10, `answered ${answered} of ${runs}`);
  });

  it('reads a plain scalar as a string without trying the tags only where no tag could match', () => {
    // The core schema's non-string plain tags, as stringOnly was written for: a new yaml
    // that changes them fails here, rather than reading a number as a string.
    assert.deepStrictEqual(
      PLAIN_TAGS.map((t) => `${t.tag} ${t.test!.source}`),
      [
        'tag:yaml.org,2002:null ^(?:~|[Nn]ull|NULL)?$',
        'tag:yaml.org,2002:bool ^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$',
        'tag:yaml.org,2002:int ^0o[0-7]+$',
        'tag:yaml.org,2002:int ^[-+]?[0-9]+$',
        'tag:yaml.org,2002:int ^0x[0-9a-fA-F]+$',
        'tag:yaml.org,2002:float ^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
        'tag:yaml.org,2002:float ^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$',
        'tag:yaml.org,2002:float ^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$',
      ],
    );
    // Every string that stringOnly calls one matches none of those tags: each first character
    // (of the Basic Multilingual Plane) with tails of every length up to 7, among them the
    // tags' own forms less their first character.
    const tails = ['', '0', 'a', '1.5', 'rue', 'ull', 'x1F', 'o17', 'e3', 'inf', 'nan', 'alse', 'RUE', 'ULL', 'ALSE', 'ullx', 'ruex', 'alsex', 'n', 'nf', '1e10', '0o1234'];
    let strings = 0;
    for (let c = 0; c < 0x10000; c++) {
      for (const tail of tails) {
        const text = String.fromCharCode(c) + tail;
        if (!stringOnly(text)) continue;
        strings++;
        assert.ok(!PLAIN_TAGS.some((t) => t.test!.test(text)), `${JSON.stringify(text)} matches a tag`);
      }
    }
    assert.ok(strings > 0x10000 * 10, `only ${strings} strings tried`);
    for (const text of ['', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '0o17', '12', '-3', '+4', '0x1F', '.inf', '-.Inf', '.nan', '1e3', '.5', '1.5', '-2.0']) {
      assert.strictEqual(stringOnly(text), false, text);
      if (text === '') continue;
      const doc = fastParse(`k: ${text}\n`)!;
      assert.deepStrictEqual(plainValue(doc.contents), parseDocument(`k: ${text}\n`).toJS(), text);
    }
    // And the words that only look like them are strings, read without the tags.
    for (const text of ['nil', 'none', 'tru', 'trueish', 'fals', 'falsely', 'text', 'name', 'type', 'flags', 'Nulls', '~x']) assert.strictEqual(stringOnly(text), true, text);
  });

  it('gives a plain value as yaml does for keys that are not names: numbers, null, __proto__, toString', () => {
    for (const text of ['1: a\n02: b\n', 'null: a\nNULL_x: b\n', '__proto__: a\ntoString: b\n', 'true: a\n1.50: b\n1e3: c\n', 'x: [a, 1, true, "q"]\ny: { a: 1, __proto__: 2 }\n']) {
      assert.ok(checked(text), text);
    }
    const value = plainValue(fastParse('__proto__: a\n')!.contents) as Record<string, unknown>;
    assert.strictEqual(Object.getPrototypeOf(value), Object.prototype);
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(value, '__proto__'), { value: 'a', writable: true, enumerable: true, configurable: true });
  });

  it('makes nodes that yaml\'s own functions take: clone, toString, toJS, get, set', () => {
    const doc = fastParse('a: 1\nb:\n  - x\n  - { k: v }\nc: "q"\n')!;
    const slow = parseDocument('a: 1\nb:\n  - x\n  - { k: v }\nc: "q"\n', PARSE_OPTIONS);
    assert.strictEqual(String(doc), String(slow));
    assert.strictEqual(doc.directives?.yaml.version, '1.2');
    assert.deepStrictEqual(doc.clone().toJS(), slow.toJS());
    const map = doc.contents as YAMLMap;
    assert.strictEqual(map.get('a'), 1);
    map.set('d', 'new');
    assert.strictEqual(map.get('d'), 'new');
    assert.ok(isSeq(map.get('b', true)));
    assert.strictEqual((map.get('b', true) as unknown as YAMLSeq).clone().items.length, 2);
  });

  it('makes the checker print the same problems with and without the fast path, on every repository card', function () {
    this.timeout(120000);
    const cli = path.join(ROOT, 'dist', 'cli.js');
    // The examples as saved on Windows, too (CRLF).
    const crlf = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-crlf-'));
    fs.cpSync(path.join(ROOT, 'examples'), crlf, { recursive: true });
    for (const f of fs.readdirSync(crlf, { recursive: true, encoding: 'utf8' })) {
      const file = path.join(crlf, f);
      if (f.endsWith('.yaml')) fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    }
    const folders = [path.join(ROOT, 'examples'), path.join(ROOT, 'test', 'fixtures'), crlf];
    const check = (fast: boolean) => {
      const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...folders], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TRL_CARDS_FAST_PARSE: fast ? '1' : '0' } });
      return { status: r.status, out: r.stdout, err: r.stderr };
    };
    let slow: ReturnType<typeof check>;
    let fast: ReturnType<typeof check>;
    try {
      slow = check(false);
      fast = check(true);
    } finally {
      fs.rmSync(crlf, { recursive: true, force: true });
    }
    assert.deepStrictEqual(fast, slow);
    assert.ok(slow.out.split('\n').filter((l) => l.includes('"code"')).length > 50, `the cards have problems to compare: ${slow.out.slice(0, 500)}`);
  });
});
