/**
 * Every assumption TRL Cards makes about `yaml`'s internals, in one place. The fast path
 * (card/fastParse.ts) makes nodes of its own classes on yaml's prototypes; esbuild.js bundles
 * yaml's ES-module build and gives yaml card/yamlMapIncludes.ts in place of its own
 * `util-map-includes.js`. A yaml release that breaks one of these turns the fast path off (it
 * stays correct, only slower) or the build's replacement off: `yamlAssumptions` names each, and
 * test/unit/yamlTies.test.ts fails, saying which one broke. The upgrade note is in
 * docs/architecture.md ("Upgrading yaml").
 */
import { Document, isDocument, isMap, isPair, isScalar, isSeq, Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';

/** The property under which yaml's nodes carry their kind, read by `isScalar`, `isMap`, … */
export const NODE_TYPE = Symbol.for('yaml.node.type');

/** A node's kind as yaml marks it (undefined for anything else). */
export function nodeKind(node: unknown): unknown {
  return node !== null && typeof node === 'object' ? (node as Record<symbol, unknown>)[NODE_TYPE] : undefined;
}

/**
 * Gives `fast`'s prototype `base`'s, with `sample`'s node kind (and `extra` properties): a node
 * made by `fast` is then one of yaml's (`instanceof`, `isScalar`, every method). Throws when
 * yaml's nodes have no kind where this expects it.
 */
export function onYamlPrototype(fast: { prototype: object }, base: { prototype: object }, sample: object, extra: PropertyDescriptorMap = {}): void {
  const kind = nodeKind(sample);
  // Not yaml's layout any more (a new version): the fast path stays off rather than guess.
  if (kind === undefined) throw new Error('yaml nodes without a kind');
  Object.setPrototypeOf(fast.prototype, base.prototype);
  Object.defineProperties(fast.prototype, { [NODE_TYPE]: { value: kind }, ...extra });
}

/** One assumption, and whether it holds with the yaml in use. */
export interface YamlAssumption {
  name: string;
  holds: boolean;
}

/**
 * The assumptions that code can check at run time (the file layout esbuild.js relies on is
 * checked by the test, which can read yaml's package).
 */
export function yamlAssumptions(): YamlAssumption[] {
  const schema = new Schema({ resolveKnownTags: true, schema: 'core' });
  const out: YamlAssumption[] = [];
  const check = (name: string, test: () => boolean) => {
    let holds: boolean;
    try {
      holds = test();
    } catch {
      holds = false;
    }
    out.push({ name, holds });
  };
  const samples: [string, object, (n: unknown) => boolean][] = [
    ['Scalar', new Scalar(null), isScalar],
    ['Pair', new Pair(null), isPair],
    ['YAMLMap', new YAMLMap(schema), isMap],
    ['YAMLSeq', new YAMLSeq(schema), isSeq],
    ['Document', new Document(), isDocument],
  ];
  for (const [name, sample] of samples) check(`a ${name} carries its kind under Symbol.for('yaml.node.type')`, () => nodeKind(sample) !== undefined);
  for (const [name, sample, is] of samples) {
    check(`yaml's is${name === 'YAMLMap' ? 'Map' : name === 'YAMLSeq' ? 'Seq' : name}() accepts an object whose prototype chain has ${name}'s kind (the fast path's nodes)`, () => {
      class Fast {}
      onYamlPrototype(Fast, (sample as { constructor: { prototype: object } }).constructor, sample);
      return is(new Fast());
    });
  }
  check("a Document's directives, options, errors and warnings are own properties (the fast path makes them when first read)", () => {
    const d = new Document();
    return ['directives', 'options', 'errors', 'warnings'].every((k) => Object.prototype.hasOwnProperty.call(d, k));
  });
  check("a collection's schema is an own property set by its constructor (the fast path keeps it on the prototype)", () => Object.prototype.hasOwnProperty.call(new YAMLMap(schema), 'schema'));
  return out;
}
