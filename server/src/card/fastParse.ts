/**
 * A fast, conservative parse of the YAML that card blocks hold: `fastParse(text)` returns what
 * `parseDocument(text, PARSE_OPTIONS)` returns — a `Document.Parsed` of genuine `yaml` nodes
 * (`YAMLMap`, `YAMLSeq`, `Pair`, `Scalar`) with the same `range` triples, values, `source`,
 * scalar `type`s, `format`s and `flow` flags, and no errors or warnings — or `undefined` when
 * the text is outside the subset below or anything about it is not certain. The caller then
 * parses with `parseDocument`. Never throws.
 *
 * The subset, one line at a time (anything else is `undefined`):
 * - block mappings with plain keys (`[A-Za-z0-9_]` first, then word characters and `.-/@$+`,
 *   single inner spaces), block sequences (`- ` items, `- key: value` compact mappings, a list
 *   at its parent key's column);
 * - single-line plain scalars (no `: `, no trailing `:`, no indicator first), resolved by the
 *   core schema's own tags (the shared `SCHEMA`); single-line single- and double-quoted scalars
 *   (double-quoted escapes of YAML 1.2 but `\U`); one-line flow sequences of those scalars
 *   and flow mappings of plain keys and those scalars (nothing nested); `|`, `|-`, `>`, `>-`
 *   block scalars (no more-indented line in a folded one, no leading blank line); no key twice
 *   in a mapping (by value, as yaml compares them), no NaN key;
 * - comments: after a value on its line; full-line comments and empty lines between and after
 *   entries, but not indented deeper than the innermost collection, not between a key and its
 *   value, and not right before an empty list item (yaml stretches the item over them);
 * - LF or CRLF line ends: no tab, lone CR, control character, BOM, NEL/LS/PS, line of spaces,
 *   document marker or directive anywhere.
 *
 * Nodes carry no comments (`comment`, `commentBefore`, `spaceBefore`): nothing reads them.
 * Where comment lines and empty lines end a collection, yaml keeps them in the collection
 * (its `range[2]` grows over them) when the collection is indented and one of the comments is
 * at or right of its column, and otherwise hands them to the parent: done here the same way.
 */
import { Document, isScalar, Pair, Scalar, Schema, YAMLMap, YAMLSeq, type Node as YamlNode } from 'yaml';
import { nodeKind, onYamlPrototype } from './yamlTies';

/** The options every block is parsed with, by either path. */
export const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' } as const;

/**
 * One schema for every document the fast path makes: a `Document` would build its own (the core
 * schema, what `parseDocument` builds per document). Safe to share here because nothing in the
 * fast path's documents can add a tag to it; `parseDocument` keeps building its own, since an
 * explicit tag (`!!binary`) pushes onto the schema's tag list.
 */
const SCHEMA = new Schema({ resolveKnownTags: true, schema: 'core' });
const DOC_OPTIONS = { ...PARSE_OPTIONS, schema: SCHEMA };

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  tag: string;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
}
const TAGS = SCHEMA.tags as unknown as ScalarTag[];
/** The core schema's tags that resolve a plain scalar to something other than a string. */
export const PLAIN_TAGS = TAGS.filter((t) => t.default === true && t.test);

/**
 * True when no tag of `PLAIN_TAGS` can match this plain scalar (it is a string), by its first
 * characters and length: the core schema's null, bool, int and float forms are `~`, `null`,
 * `Null`, `NULL`, `true`, `True`, `TRUE` (4 characters), `false`, `False`, `FALSE` (5), or start
 * with `.`, `+`, `-` or a digit (a test holds the tags to this). Keys such as `text` and `name`
 * are then read without trying the tags.
 */
export function stringOnly(source: string): boolean {
  const c = source.charCodeAt(0);
  if (c >= 48 && c <= 57) return false; // 0-9
  switch (c) {
    case 126: // ~
      return source.length !== 1;
    case 110: // n
    case 78: // N
      return source.length !== 4 || (source.charCodeAt(1) | 32) !== 117; // u, U
    case 116: // t
    case 84: // T
      return source.length !== 4 || (source.charCodeAt(1) | 32) !== 114; // r, R
    case 102: // f
    case 70: // F
      return source.length !== 5 || (source.charCodeAt(1) | 32) !== 97; // a, A
    case 46: // .
    case 43: // +
    case 45: // -
      return false;
    default:
      return source !== '';
  }
}

/*
 * The nodes. yaml's constructors each define the node's kind with `Object.defineProperty`, a
 * call into the runtime that was the largest single cost of a cold check. The fast path's nodes
 * are made by classes of their own whose prototypes sit on yaml's (`instanceof Scalar` holds and
 * every method is yaml's) and carry the kind themselves, where yaml's `isScalar`, `isMap`, … read
 * it; a collection's `schema` is on its prototype too. Their own properties are those yaml's
 * parser gives (the fast-path test compares them).
 */
const DOC_SAMPLE = new Document(undefined, { ...PARSE_OPTIONS, schema: SCHEMA });

class FastScalar {
  constructor(
    public value: unknown,
    public range: [number, number, number],
    public source: string,
    public type: Scalar.Type,
  ) {}
}
class FastPair {
  constructor(
    public key: Scalar,
    public value: YamlNode,
  ) {}
}
const COLLECTION_SCHEMA: PropertyDescriptorMap = { schema: { value: SCHEMA, writable: true, configurable: true } };
class FastMap {
  items: Pair[] = [];
  range: [number, number, number] | undefined = undefined;
}
class FastSeq {
  items: YamlNode[] = [];
  range: [number, number, number] | undefined = undefined;
}
class FastDocument {
  commentBefore = null;
  comment = null;
  schema = SCHEMA;
  contents: YamlNode | null = null;
  range: [number, number, number] | undefined = undefined;
}

const SCALAR_KIND = nodeKind(new Scalar(null));
const MAP_KIND = nodeKind(new YAMLMap(SCHEMA));
const SEQ_KIND = nodeKind(new YAMLSeq(SCHEMA));

/**
 * A property of the instances that is made on the first read (or set by the first write) and is
 * then an ordinary own property of the instance, as the constructor would have made it.
 */
function madeWhenRead(name: string, make: () => unknown): PropertyDescriptor {
  const own = (self: object, value: unknown) => Object.defineProperty(self, name, { value, writable: true, enumerable: true, configurable: true });
  return {
    get(this: object) {
      const value = make();
      own(this, value);
      return value;
    },
    set(this: object, value: unknown) {
      own(this, value);
    },
    configurable: true,
  };
}

/** Whether the fast path's nodes can be made (yaml's nodes are as this module expects). */
const NODES_OK = ((): boolean => {
  try {
    onYamlPrototype(FastScalar, Scalar, new Scalar(null));
    onYamlPrototype(FastPair, Pair, new Pair(null));
    onYamlPrototype(FastMap, YAMLMap, new YAMLMap(SCHEMA), COLLECTION_SCHEMA);
    onYamlPrototype(FastSeq, YAMLSeq, new YAMLSeq(SCHEMA), COLLECTION_SCHEMA);
    delete (DOC_SAMPLE.options as { schema?: unknown }).schema;
    const directives = DOC_SAMPLE.directives;
    if (!directives) throw new Error('a document without directives');
    const options = DOC_SAMPLE.options;
    // A document's directives, options, errors and warnings are made when first read: nothing
    // the checker does reads them, and they were three objects more per block.
    onYamlPrototype(FastDocument, Document, DOC_SAMPLE, {
      directives: madeWhenRead('directives', () => directives.clone()),
      options: madeWhenRead('options', () => ({ ...options })),
      errors: madeWhenRead('errors', () => []),
      warnings: madeWhenRead('warnings', () => []),
    });
    return true;
  } catch {
    return false;
  }
})();

function newMap(): YAMLMap {
  return new FastMap() as unknown as YAMLMap;
}
function newSeq(): YAMLSeq {
  return new FastSeq() as unknown as YAMLSeq;
}
function newPair(key: Scalar, value: YamlNode): Pair {
  return new FastPair(key, value) as unknown as Pair;
}

/** Whether `doc` was made by the fast path (its values are plain: see `plainValue`). */
export function isFastDocument(doc: unknown): boolean {
  return doc instanceof FastDocument;
}

/**
 * A fast-path node's plain value: what `node.toJS(doc)` gives, for the nodes the fast path
 * makes (no alias, anchor, tag or merge key), without yaml's generic walk.
 */
export function plainValue(node: YamlNode | Pair | null): unknown {
  const kind = nodeKind(node);
  if (kind === SCALAR_KIND) return (node as Scalar).value; // a fast node, or a float as its tag made it
  if (kind === SEQ_KIND) {
    const items = (node as YAMLSeq).items as YamlNode[];
    const out: unknown[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = plainValue(items[i]);
    return out;
  }
  if (kind === MAP_KIND) {
    const out: Record<string, unknown> = {};
    for (const pair of (node as YAMLMap).items as Pair[]) {
      const key = (pair.key as Scalar).value;
      // yaml's addPairToJSMap: null is '', any other key its String; a key already `in` the
      // object (`__proto__`, `toString`) is defined on it, not assigned.
      const name = key === null ? '' : String(key);
      const value = plainValue(pair.value as YamlNode);
      if (name in out) Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
      else out[name] = value;
    }
    return out;
  }
  return null;
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Thrown inside the parser when the text leaves the subset; never escapes `fastParse`. */
const BAIL = { bail: true };

/** Characters that send the text to the full parser wherever they are; and a lone CR (apart: a class alone is scanned faster). */
// eslint-disable-next-line no-control-regex -- control characters send the text to the full parser
const OUTSIDE = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]/;
const LONE_CR = /\r(?!\n)/;
/** A key the fast path takes. */
const KEY = /^[A-Za-z0-9_][\w.\-/@$+]*(?: [\w.\-/@$+]+)*$/;
/** First characters a plain scalar may not have here (`-` is checked apart). */
const NOT_PLAIN_FIRST = /[?:,[\]{}#&*!|>'"%@`]/;
/** Characters a plain scalar in a flow sequence may not hold here. */
const NOT_IN_FLOW = /[,[\]{}#:'"]/;

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

function bail(): never {
  throw BAIL;
}

function onTagError(): void {
  bail();
}

/** A plain scalar as yaml's core schema resolves it, with yaml's range triple. */
function plainScalar(source: string, start: number, end: number, after: number): Scalar {
  let tag: ScalarTag | undefined;
  if (!stringOnly(source)) {
    for (const t of PLAIN_TAGS) {
      if (t.test!.test(source)) {
        tag = t;
        break;
      }
    }
  }
  // A string (the str tag's resolve is the identity).
  if (!tag) return new FastScalar(source, [start, end, after], source, Scalar.PLAIN) as unknown as Scalar;
  const res = tag.resolve(source, onTagError, DOC_OPTIONS);
  if (!isScalar(res)) {
    const node = new FastScalar(res, [start, end, after], source, Scalar.PLAIN) as unknown as Scalar;
    if (tag.format) node.format = tag.format;
    return node;
  }
  // A float: its tag makes the node (and may give it `minFractionDigits`).
  res.range = [start, end, after];
  res.source = source;
  res.type = Scalar.PLAIN;
  if (tag.format) res.format = tag.format;
  return res;
}

function stringScalar(value: string, type: Scalar.Type, range: [number, number, number]): Scalar {
  return new FastScalar(value, range, value, type) as unknown as Scalar;
}

type Collection = YAMLMap | YAMLSeq;

/** Keys a mapping holds before `newKey` keeps their values in a set rather than looking through them. */
const FEW_KEYS = 8;

/**
 * Bails on a key yaml would not take as new in `map` (its `uniqueKeys` compares values with
 * `===`), and on a NaN key (left to yaml). `seen`: the values of the map's keys so far, once it
 * has more than a few (so that a mapping of 50,000 keys is read in linear time); pass back what
 * it returns for the map's next key.
 */
function newKey(map: YAMLMap, key: Scalar, seen: Set<unknown> | undefined): Set<unknown> | undefined {
  const value = key.value;
  if (Number.isNaN(value)) bail();
  // A Set compares as `===` does but for NaN, which never gets here.
  if (seen) {
    if (seen.has(value)) bail();
    return seen.add(value);
  }
  const items = map.items;
  for (const pair of items) if ((pair.key as Scalar).value === value) bail();
  if (items.length < FEW_KEYS) return undefined;
  seen = new Set([value]);
  for (const pair of items) seen.add((pair.key as Scalar).value);
  return seen;
}

/**
 * The line table, four numbers per line (start, end, indentation, kind), shared by every parse:
 * one runs at a time, and none keeps the table once it returns. Made once and grown as needed,
 * rather than four arrays grown line by line for every block (a tenth of a cold check's
 * allocations).
 */
let lineTable = new Int32Array(4 * 1024);

class FastParser {
  /** The line table (see `lineTable`): line `l` at `4 * l`. */
  private readonly lines: Int32Array;
  /** How many lines the text has. */
  private readonly count: number;
  /** The next line not yet read. */
  private li = 0;
  // The run of empty and comment lines from `li` on (a gap), analysed once per position.
  private gapAt = -1;
  private gapNext = 0;
  private gapMaxComment = -1;
  private gapTaken = false;
  /** Collections open around the one being read, at most `maxDepth`. */
  private depth = 0;
  /** Whether the last value read was empty (`key:`, `-`): yaml keeps the lines after it in the entry. */
  private lastEmpty = false;
  /** `nextIndex`'s searches: for each needle, where it was searched from and what it found. */
  private readonly searches = [-1, -1, -1, -1];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    const n = text.length;
    let t = lineTable;
    let count = 0;
    for (let s = 0; s <= n; ) {
      const nl = text.indexOf('\n', s);
      const e = nl < 0 ? n : nl > s && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl; // CRLF: the line ends at its CR
      if (e === n && s === n && s > 0) break; // the text ends with a line end
      let p = s;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      let kind = 0;
      if (p === e) {
        if (p > s) bail(); // a line of spaces
        kind = 1;
      } else if (c === HASH) kind = 2;
      else if (p === s && (c === 37 || ((c === DASH || c === 46) && /^(?:---|\.\.\.)(?: |$)/.test(text.slice(s, Math.min(e, s + 4)))))) bail();
      if (4 * count + 4 > t.length) {
        const bigger = new Int32Array(t.length * 2);
        bigger.set(t);
        lineTable = t = bigger;
      }
      const o = 4 * count++;
      t[o] = s;
      t[o + 1] = e;
      t[o + 2] = p - s;
      t[o + 3] = kind;
      if (nl < 0) break;
      s = nl + 1;
    }
    this.lines = t;
    this.count = count;
  }

  /**
   * Where `needle` (one of two characters, by `k`) is next found from `from` on (the text's
   * length when nowhere). A search is kept and answers every later `from` up to what it found,
   * so each needle's scan goes over the text once, however long its lines. (One character: a
   * search for `: ` stops at every space.)
   */
  private nextIndex(k: 0 | 1, needle: string, from: number): number {
    const searches = this.searches;
    if (!(searches[2 * k] <= from && from <= searches[2 * k + 1])) {
      const at = this.text.indexOf(needle, from);
      searches[2 * k] = from;
      searches[2 * k + 1] = at < 0 ? this.text.length : at;
    }
    return searches[2 * k + 1];
  }

  private start(l: number): number {
    return this.lines[4 * l];
  }

  private end(l: number): number {
    return this.lines[4 * l + 1];
  }

  private indent(l: number): number {
    return this.lines[4 * l + 2];
  }

  /** 0 content, 1 empty, 2 comment. */
  private kind(l: number): number {
    return this.lines[4 * l + 3];
  }

  private lineNext(l: number): number {
    return l + 1 < this.count ? this.start(l + 1) : this.text.length;
  }

  /**
   * Skips the empty and comment lines from `li`; returns the next content line (or the line
   * count). A comment right of `innerColumn` (yaml may give it to the previous value) and, with
   * `noComments`, any comment, leave the subset.
   */
  private gap(innerColumn: number, noComments = false): number {
    if (this.gapAt !== this.li) {
      let l = this.li;
      let max = -1;
      while (l < this.count && this.kind(l) !== 0) {
        if (this.kind(l) === 2) {
          if (this.indent(l) > innerColumn) bail();
          if (this.indent(l) > max) max = this.indent(l);
        }
        l++;
      }
      this.gapAt = this.li;
      this.gapNext = l;
      this.gapMaxComment = max;
      this.gapTaken = false;
    }
    if (noComments && this.gapMaxComment >= 0) bail();
    return this.gapNext;
  }

  /**
   * Where a gap kept by a collection ends: after the next content line's indentation (yaml reads
   * those spaces before it sees the line is left of the collection), or at the text's end.
   */
  private gapEnd(): number {
    const l = this.gapNext;
    return l < this.count ? this.start(l) + this.indent(l) : this.text.length;
  }

  /**
   * A collection at `column` ends before the gap at `li`. yaml keeps the gap in it (its
   * `range[2]` grows over it) when it is indented and a comment of the gap is at or
   * right of its column; otherwise the gap goes to its parent, which does the same.
   */
  private close(node: Collection, start: number, column: number): void {
    const last = node.items[node.items.length - 1] as Pair<YamlNode, YamlNode> | YamlNode;
    const end = (last instanceof Pair ? last.value!.range! : last.range!)[2];
    node.range = [start, end, end];
    this.gap(column);
    if (!this.gapTaken && column > 0 && this.gapMaxComment >= column) {
      node.range[2] = this.gapEnd();
      this.gapTaken = true;
    }
  }

  private isDash(p: number, lineEnd: number): boolean {
    return this.text.charCodeAt(p) === DASH && (p + 1 === lineEnd || this.text.charCodeAt(p + 1) === SPACE);
  }

  /** The end of a plain key starting at `p` on a line ending at `e` (its `:`), or -1. */
  private keyEnd(p: number, e: number): number {
    const text = this.text;
    for (let j = p; j < e; j++) {
      const c = text.charCodeAt(j);
      if (c === COLON && (j + 1 === e || text.charCodeAt(j + 1) === SPACE)) return j;
      if (c === HASH && j > p && text.charCodeAt(j - 1) === SPACE) return -1;
    }
    return -1;
  }

  parse(): Document.Parsed {
    const first = this.gap(Infinity);
    const doc = new FastDocument() as unknown as Document.Parsed;
    if (first >= this.count) {
      // Comments and empty lines only (a card's leading comment is a section of its own).
      if (this.text === '') bail();
      doc.range = [0, this.text.length, this.text.length];
      return doc;
    }
    const docStart = this.start(first);
    const root = this.blockNode(first);
    if (this.gapNext < this.count) bail(); // content left of the root's column
    doc.contents = root as Document.Parsed['contents'];
    // The lines after the content end the document, but for those after an empty last value.
    doc.range = [docStart, root.range![2], this.lastEmpty ? root.range![2] : this.text.length];
    return doc;
  }

  /** A block collection whose first line is `l`, at that line's indentation. */
  private blockNode(l: number): Collection {
    const p = this.start(l) + this.indent(l);
    this.li = l;
    return this.isDash(p, this.end(l)) ? this.seq(this.indent(l), p) : this.map(this.indent(l), p);
  }

  /** Entering a collection: one level deeper, at most `maxDepth`. */
  private enter(): void {
    if (++this.depth > this.maxDepth) bail();
  }

  /** A block mapping whose keys are at `column`, the first at `p` (on line `li`). */
  private map(column: number, p: number): YAMLMap {
    const text = this.text;
    this.enter();
    const map = newMap();
    const start = p;
    let keys: Set<unknown> | undefined;
    for (;;) {
      const l = this.li;
      const e = this.end(l);
      const k = this.keyEnd(p, e);
      if (k < 0 || k - p > 1000) bail();
      const keyText = text.slice(p, k);
      if (!KEY.test(keyText)) bail();
      const key = plainScalar(keyText, p, k, k);
      keys = newKey(map, key, keys);
      let q = k + 1;
      while (text.charCodeAt(q) === SPACE) q++;
      let value: YamlNode;
      if (q >= e) {
        this.li = l + 1;
        const next = this.gap(column, true);
        const indent = next < this.count ? this.indent(next) : -1;
        if (indent > column) value = this.blockNode(next);
        else if (indent === column && this.isDash(this.start(next) + indent, this.end(next))) {
          this.li = next;
          value = this.seq(column, this.start(next) + indent);
        } else value = this.empty(e);
      } else {
        if (text.charCodeAt(q) === HASH) bail();
        value = this.inline(q, l, column);
      }
      map.items.push(newPair(key, value));
      const next = this.gap(column);
      if (next >= this.count || this.indent(next) < column) break;
      if (this.indent(next) > column) bail();
      p = this.start(next) + column;
      if (this.isDash(p, this.end(next))) bail();
      this.li = next;
    }
    this.close(map, start, column);
    this.depth--;
    return map;
  }

  /** A block sequence whose dashes are at `column`, the first at `p` (on line `li`). */
  private seq(column: number, p: number): YAMLSeq {
    const text = this.text;
    this.enter();
    const seq = newSeq();
    const start = p;
    let commentBefore = false; // a comment line right before this item's dash
    for (;;) {
      const l = this.li;
      const e = this.end(l);
      let q = p + 1;
      while (text.charCodeAt(q) === SPACE) q++;
      let item: YamlNode;
      if (q >= e) {
        // yaml gives an empty item the comments before its dash, and stretches its range over them.
        if (commentBefore) bail();
        this.li = l + 1;
        const next = this.gap(column, true);
        item = next < this.count && this.indent(next) > column ? this.blockNode(next) : this.empty(e);
      } else {
        const c = text.charCodeAt(q);
        if (c === HASH || this.isDash(q, e)) bail();
        const compact = c !== 34 && c !== 39 && c !== 91 && c !== 123 && this.keyEnd(q, e) >= 0;
        item = compact ? this.map(q - this.start(l), q) : this.inline(q, l, column);
      }
      seq.items.push(item);
      const next = this.gap(column);
      if (next >= this.count || this.indent(next) < column) break;
      if (this.indent(next) > column) bail();
      p = this.start(next) + column;
      if (!this.isDash(p, this.end(next))) break; // a key at this column: the parent mapping goes on
      commentBefore = this.gapMaxComment >= 0;
      this.li = next;
    }
    this.close(seq, start, column);
    this.depth--;
    return seq;
  }

  /** An empty value (null) where its line ends. */
  private empty(e: number): Scalar {
    this.lastEmpty = true;
    return plainScalar('', e, e, e);
  }

  /** After a value that ends at `v` on a line ending at `e`: spaces, then nothing or a comment. */
  private lineRest(v: number, e: number): void {
    let j = v;
    while (this.text.charCodeAt(j) === SPACE) j++;
    if (j < e && !(this.text.charCodeAt(j) === HASH && j > v)) bail();
  }

  /** A value that starts at `q` on line `l`, inside a collection at `column`. */
  private inline(q: number, l: number, column: number): YamlNode {
    const text = this.text;
    const e = this.end(l);
    const c = text.charCodeAt(q);
    this.lastEmpty = false;
    if (c === 124 || c === 62) return this.blockScalar(q, l, column);
    this.li = l + 1;
    const after = this.lineNext(l);
    if (c === 34 || c === 39) return this.quoted(q, e, after);
    if (c === 91 || c === 123) return this.flowCollection(q, e, after);
    if (NOT_PLAIN_FIRST.test(text[q]) || this.isDash(q, e)) bail(); // `- ` or a lone `-`: a list item to yaml
    // The value ends at a comment (` #`); a `: ` before it, or a `:` ending the line, is a key.
    let stop = e;
    for (let j = this.nextIndex(0, '#', q + 1); j < e; j = this.nextIndex(0, '#', j + 1)) {
      if (text.charCodeAt(j - 1) === SPACE) {
        stop = j;
        break;
      }
    }
    for (let j = this.nextIndex(1, ':', q + 1); j < stop; j = this.nextIndex(1, ':', j + 1)) {
      if (j + 1 === e || text.charCodeAt(j + 1) === SPACE) bail();
    }
    while (text.charCodeAt(stop - 1) === SPACE) stop--;
    return plainScalar(text.slice(q, stop), q, stop, after);
  }

  /** A double-quoted scalar opening at `q`, closed before `e`: its value and the end of its closing quote. */
  private doubleQuoted(q: number, e: number): [string, number] {
    const text = this.text;
    let value = '';
    let i = q + 1;
    for (;;) {
      if (i >= e) bail();
      const ch = text[i];
      if (ch === '"') return [value, i + 1];
      if (ch === '\\') {
        const next = text[i + 1];
        const simple = ESCAPES[next];
        if (simple !== undefined) {
          value += simple;
          i += 2;
        } else if (next === 'x' || next === 'u') {
          const length = next === 'x' ? 2 : 4;
          const hex = text.slice(i + 2, i + 2 + length);
          if (i + 2 + length > e || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) bail();
          value += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + length;
        } else bail();
      } else {
        value += ch;
        i++;
      }
    }
  }

  /** A single-quoted scalar opening at `q`, closed before `e`: its value and the end of its closing quote. */
  private singleQuoted(q: number, e: number): [string, number] {
    const text = this.text;
    let value = '';
    let i = q + 1;
    for (;;) {
      const close = text.indexOf("'", i);
      if (close < 0 || close >= e) bail();
      value += text.slice(i, close);
      if (text.charCodeAt(close + 1) !== 39) return [value, close + 1];
      value += "'";
      i = close + 2;
    }
  }

  /** A quoted scalar at `q` that is a whole value on its line. */
  private quoted(q: number, e: number, after: number): Scalar {
    const double = this.text.charCodeAt(q) === 34;
    const [value, end] = double ? this.doubleQuoted(q, e) : this.singleQuoted(q, e);
    this.lineRest(end, e);
    return stringScalar(value, double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, [q, end, after]);
  }

  /**
   * A scalar inside a flow collection, at `s` (after spaces), ended by `,` or `close`: plain
   * (no `,[]{}#:'"` inside) or quoted. Its `range[2]` is where that delimiter stands.
   */
  private flowScalar(s: number, e: number, close: string): [Scalar, number] {
    const text = this.text;
    const c = text.charCodeAt(s);
    if (c === 34 || c === 39) {
      const [value, end] = c === 34 ? this.doubleQuoted(s, e) : this.singleQuoted(s, e);
      let i = end;
      while (text.charCodeAt(i) === SPACE) i++;
      if (text[i] !== ',' && text[i] !== close) bail();
      return [stringScalar(value, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, [s, end, i]), i];
    }
    let i = s;
    while (i < e && text[i] !== ',' && text[i] !== close) i++;
    if (i >= e) bail();
    let end = i;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const item = text.slice(s, end);
    if (item === '' || NOT_PLAIN_FIRST.test(item[0]) || NOT_IN_FLOW.test(item) || (item[0] === '-' && (item.length === 1 || item[1] === ' '))) bail();
    return [plainScalar(item, s, end, i), i];
  }

  /** `[a, "b"]` of scalars, or `{ k: v, k2: "w" }` of plain keys and scalars, on one line. */
  private flowCollection(q: number, e: number, after: number): YAMLSeq | YAMLMap {
    const text = this.text;
    const isMap = text.charCodeAt(q) === 123;
    const close = isMap ? '}' : ']';
    if (this.depth >= this.maxDepth) bail();
    const node = isMap ? newMap() : newSeq();
    node.flow = true;
    let keys: Set<unknown> | undefined;
    let i = q + 1;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text[i] !== close) {
      for (;;) {
        if (isMap) {
          const s = i;
          while (i < e && text[i] !== ':') i++;
          const keyText = text.slice(s, i);
          if (i >= e || text.charCodeAt(i + 1) !== SPACE || !KEY.test(keyText)) bail();
          const key = plainScalar(keyText, s, i, i);
          keys = newKey(node as YAMLMap, key, keys);
          i++;
          while (text.charCodeAt(i) === SPACE) i++;
          const [value, next] = this.flowScalar(i, e, close);
          (node as YAMLMap).items.push(newPair(key, value));
          i = next;
        } else {
          const [item, next] = this.flowScalar(i, e, close);
          (node as YAMLSeq).items.push(item);
          i = next;
        }
        if (text[i] === close) break;
        i++;
        while (text.charCodeAt(i) === SPACE) i++;
        if (text[i] === close) bail(); // a trailing comma
      }
    }
    this.lineRest(i + 1, e);
    node.range = [q, i + 1, after];
    return node;
  }

  /** `|`, `|-`, `>` or `>-` at `q` on line `l`, its lines indented right of `column`. */
  private blockScalar(q: number, l: number, column: number): Scalar {
    const text = this.text;
    const folded = text.charCodeAt(q) === 62;
    const strip = text.charCodeAt(q + 1) === DASH;
    if (q + (strip ? 2 : 1) !== this.end(l)) bail();
    const first = l + 1;
    if (first >= this.count || this.kind(first) === 1 || this.indent(first) <= column) bail();
    const indent = this.indent(first);
    let last = first;
    for (let m = first + 1; m < this.count; m++) {
      if (this.kind(m) === 1) continue;
      if (this.indent(m) <= column) break;
      if (this.indent(m) < indent || (folded && this.indent(m) > indent)) bail();
      last = m;
    }
    let value = '';
    if (folded) {
      let sep = '';
      for (let m = first; m <= last; m++) {
        if (this.kind(m) === 1) {
          if (sep === '\n') value += '\n';
          else sep = '\n';
        } else {
          value += sep + text.slice(this.start(m) + indent, this.end(m));
          sep = ' ';
        }
      }
    } else {
      for (let m = first; m <= last; m++) value += (m > first ? '\n' : '') + (this.kind(m) === 1 ? '' : text.slice(this.start(m) + indent, this.end(m)));
    }
    if (!strip) value += '\n';
    this.li = last + 1;
    const end = this.lineNext(last);
    return stringScalar(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, [q, end, end]);
  }
}

/**
 * The document `parseDocument(text, PARSE_OPTIONS)` would make, when `text` is in the subset
 * above, nests at most `maxDepth` collections deep, and yaml would report no error or warning
 * for it; otherwise `undefined`. Never throws.
 */
export function fastParse(text: string, maxDepth = Infinity): Document.Parsed | undefined {
  if (!NODES_OK || OUTSIDE.test(text) || (text.indexOf('\r') >= 0 && LONE_CR.test(text))) return undefined;
  try {
    return new FastParser(text, maxDepth).parse();
  } catch {
    return undefined; // BAIL, or anything unforeseen: the full parser decides
  }
}
