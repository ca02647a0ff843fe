/**
 * JSON Schema problems of one top-level entry, from ajv's errors mapped to the exact key or
 * value node: `unknown-field`, `missing-field`, `wrong-type`, `empty-value`, `invalid-value`,
 * `out-of-range`, `invalid-format`, `invalid-semver`, `duplicate-item`, `invalid-level`.
 */
import type { Node as YamlNode } from 'yaml';
import type { Entry } from '../card/model';
import { KeyIndex, locate, rangeOf, type PathSeg } from '../card/nodes';
import { CARD_SCHEMA, type CardValidators, type JsonSchema, type SchemaError } from '../schema';
import { LEVELS } from '../levels';
import { calendarDateProblem } from '../text/date';
import { LIMITS } from '../limits';
import { yamlNumber } from '../text/escape';
import { isPlaceholderText } from '../text/placeholder';
import { didYouMean, problem, q, type Problem } from './problem';

const SINGULAR: Record<string, string> = {
  requirements: 'requirement',
  hypotheses: 'hypothesis',
  experiments: 'experiment',
  datasets: 'dataset',
  metrics: 'metric',
  critical_scenarios: 'critical scenario',
  history: 'history entry',
  targets: 'target',
  reviewers: 'reviewer',
  components: 'component',
  previous: 'previous card',
  caveats: 'caveat',
  assumptions: 'assumption',
};

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: '`true` or `false`',
  object: 'a mapping of fields (`key: value` lines, indented under this key)',
  array: 'a list (one `- item` per line, indented under this key)',
  null: 'nothing',
};

function typeWord(t: unknown): string {
  if (Array.isArray(t)) return t.map(typeWord).join(' or ');
  return TYPE_WORDS[String(t)] ?? String(t);
}

function actualType(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${q(v)}`;
  if (typeof v === 'boolean') return `\`${v}\``;
  return `the number ${q(v)}`;
}

/** Decodes a JSON pointer against the data it points into: list indexes become numbers. */
function pointerPath(pointer: string, data: unknown): PathSeg[] {
  if (pointer === '') return [];
  const out: PathSeg[] = [];
  let cur = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAtPath(data: unknown, path: readonly PathSeg[]): unknown {
  let cur = data;
  for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

/** Requirement fields that may live in the linked requirements and V&V table instead. */
export const LINKABLE: ReadonlySet<string> = new Set(['verification', 'validation', 'p_failure', 'value']);

function words(names: readonly string[]): string {
  return names.map((n) => '`' + n + '`').join(', ');
}

export interface SchemaOptions {
  /** The entry is one item of a split list, checked alone: its index in the list is unknown. */
  detached?: boolean;
}

/** "`p_failure` of requirement `1.2`", "`owners.rnd.owner`", "requirement `1.2`". */
function describe(entry: Entry, path: readonly PathSeg[], options: SchemaOptions = {}): string {
  const keys: string[] = [entry.key];
  let owner = '';
  let data: unknown = entry.value;
  let listKey = entry.key;
  for (const seg of path) {
    if (typeof seg === 'number') {
      const item = Array.isArray(data) ? data[seg] : undefined;
      const obj = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      const ident = typeof obj.id === 'string' || typeof obj.id === 'number' ? q(obj.id) : typeof obj.name === 'string' ? q(obj.name) : options.detached && keys.length === 1 ? '' : `#${seg + 1}`;
      owner = ident ? `${SINGULAR[listKey] ?? 'item'} ${ident}` : `this ${SINGULAR[listKey] ?? 'item'}`;
      keys.length = 0;
      data = item;
    } else {
      keys.push(seg);
      listKey = seg;
      data = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[seg] : undefined;
    }
  }
  if (keys.length === 0) return owner;
  const field = q(keys.join('.'));
  return owner ? `${field} of ${owner}` : field;
}

/** `keys`: the entry's long mappings indexed, shared by the lookups of one entry's errors. */
function nodeRange(entry: Entry, path: readonly PathSeg[], keys: KeyIndex, preferKey = false): [number, number] {
  const keyRange = rangeOf(entry.keyNode) ?? [0, 0];
  if (path.length === 0) {
    if (preferKey || entry.valueNode === null) return keyRange;
    return rangeOf(entry.valueNode) ?? keyRange;
  }
  const found = locate(entry.valueNode, path, keys);
  if (!found) return keyRange;
  if (preferKey && found.keyNode) return rangeOf(found.keyNode) ?? keyRange;
  const r = rangeOf(found.node);
  if (r && !preferKey) return r;
  if (found.keyNode) return rangeOf(found.keyNode) ?? keyRange;
  // An item: point at its first line.
  if (r) return r;
  return nodeRange(entry, path.slice(0, -1), keys, true);
}

/** The range of an item's first key (for problems about the item as a whole). */
function itemHeadRange(entry: Entry, path: readonly PathSeg[], keys: KeyIndex): [number, number] {
  const last = path[path.length - 1];
  if (typeof last !== 'number') return nodeRange(entry, path, keys, true);
  const found = locate(entry.valueNode, path, keys);
  const node = found?.node as (YamlNode & { items?: { key?: YamlNode }[] }) | null | undefined;
  const firstKey = node && Array.isArray(node.items) && node.items[0]?.key;
  const r = rangeOf(firstKey || null) ?? rangeOf(node ?? null);
  return r ?? nodeRange(entry, path.slice(0, -1), keys, true);
}

/** How the value is written in the card (`1.10`, not the number 1.1 YAML reads). */
function sourceOf(entry: Entry, path: readonly PathSeg[], value: unknown, keys: KeyIndex): string {
  const node = path.length === 0 ? entry.valueNode : locate(entry.valueNode, path, keys)?.node;
  const source = (node as { source?: unknown } | null | undefined)?.source;
  if (typeof source === 'string' && source !== '') return source;
  // Not String(value): card data can hold a field named `toString` (found by the fuzz test).
  return value !== null && typeof value === 'object' ? (JSON.stringify(value) ?? '') : String(value);
}

function isSemverSchema(schema: JsonSchema | undefined): boolean {
  return schema?.pattern !== undefined && schema.pattern === CARD_SCHEMA.$defs.semver.pattern;
}

function patternProblem(entry: Entry, e: SchemaError, path: PathSeg[], value: unknown, range: [number, number], options: SchemaOptions): Problem {
  const what = describe(entry, path, options);
  if (isSemverSchema(e.parentSchema as JsonSchema | undefined)) {
    // `v1.0` is a version, just not a full semantic one: a warning, not an error.
    const short = typeof value === 'string' ? /^v?(\d+)(?:\.(\d+))?$/.exec(value) : null;
    if (short) {
      // The fix keeps a leading `v` (the pattern allows it): `v1.0` → `v1.0.0`. MAJOR.MINOR is how
      // the authors write versions on their own cards ("v1.0", "v2.3"): a hint, not a warning.
      const replacement = `${(value as string).startsWith('v') ? 'v' : ''}${short[1]}.${short[2] ?? '0'}.0`;
      const severity = short[2] !== undefined ? 'hint' : 'warning';
      return problem('invalid-semver', `${what} is ${q(value)}, not a full semantic version: write MAJOR.MINOR.PATCH, e.g. \`${short[1]}.${short[2] ?? '0'}.0\`.`, range[0], range[1], severity, { replacement });
    }
    return problem('invalid-semver', `${what} is ${q(value)}, not a semantic version: write MAJOR.MINOR.PATCH, e.g. \`1.0.0\`.`, range[0], range[1]);
  }
  if (path[path.length - 1] === 'id' && entry.key === 'requirements') {
    return problem('invalid-format', `${q(value)} is not a requirement id: use numbers joined by dots (number.subset.component), like \`1\`, \`1.2\` or \`1.2.3\`.`, range[0], range[1]);
  }
  if ((e.parentSchema as JsonSchema | undefined)?.pattern === CARD_SCHEMA.$defs.date.pattern) {
    // 2026-02-30 has the form of a date, but no such day exists: say why.
    const why = typeof value === 'string' ? calendarDateProblem(value) : undefined;
    if (why?.startsWith('not a day')) return problem('invalid-format', `${what} is ${q(value)}, ${why}: write a real date, YYYY-MM-DD.`, range[0], range[1]);
    return problem('invalid-format', `${what} is ${q(value)}, not a date: write YYYY-MM-DD, e.g. \`2026-03-31\`.`, range[0], range[1]);
  }
  return problem('invalid-format', `${what} is ${q(value)}, which does not have the required format (${e.params.pattern}).`, range[0], range[1]);
}

function levelProblem(entry: Entry): Problem {
  const [s, e] = nodeRange(entry, [], new KeyIndex());
  return problem('invalid-level', `\`level\` must be a whole number from 0 (${LEVELS[0].name}) to 9 (${LEVELS[9].name}); it is ${actualType(entry.value)}.`, s, e);
}

export function unknownTopLevelKey(entry: Entry): Problem {
  const [s, e] = rangeOf(entry.keyNode) ?? [0, 0];
  const known = Object.keys(CARD_SCHEMA.properties ?? {});
  const guess = didYouMean(entry.key, known);
  const hint = guess ? `Did you mean \`${guess}\`?` : 'See the card format for the fields a card may have.';
  return problem('unknown-field', `Unknown field ${q(entry.key)}: a TRL card has no such field. ${hint}`, s, e, undefined, guess ? { suggestion: guess } : undefined);
}

/** Schema problems of one top-level entry, with offsets relative to its section. */
export function schemaProblems(entry: Entry, validators: CardValidators, options: SchemaOptions = {}): Problem[] {
  const validate = validators.forKey(entry.key);
  if (!validate) return [unknownTopLevelKey(entry)];
  if (entry.value === undefined) return []; // the value could not be built; syntax reports why
  if (validate(entry.value)) return [];
  const errors = validate.errors ?? [];
  if (entry.key === 'level') return [levelProblem(entry)];

  const out: Problem[] = [];
  const keys = new KeyIndex();
  const missing = new Map<string, { path: PathSeg[]; names: string[] }>();
  const seenValue = new Set<string>();
  /** The unknown keys of each mapping (by its pointer): listed up to `LIMITS.maxUnknownFields`, then counted. */
  const unknown = new Map<string, { count: number; schema: JsonSchema | undefined }>();
  // Type errors first (in ajv's order, as a stable sort would keep them), so a value of the wrong
  // type is reported once, as such.
  const ordered = [...errors.filter((e) => e.keyword === 'type'), ...errors.filter((e) => e.keyword !== 'type')];
  for (const e of ordered) {
    if (e.keyword === 'additionalProperties') {
      const seen = unknown.get(e.instancePath);
      if (seen) seen.count++;
      else unknown.set(e.instancePath, { count: 1, schema: e.parentSchema as JsonSchema | undefined });
      if (seen && seen.count > LIMITS.maxUnknownFields) continue;
    }
    const path = pointerPath(e.instancePath, entry.value);
    const value = valueAtPath(entry.value, path);
    const schema = e.parentSchema as JsonSchema | undefined;
    if (e.keyword === 'required') {
      const name = String(e.params.missingProperty);
      const group = missing.get(e.instancePath) ?? { path, names: [] };
      group.names.push(name);
      missing.set(e.instancePath, group);
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      const name = String(e.params.additionalProperty);
      const keyPath = [...path, name];
      const r = nodeRange(entry, keyPath, keys, true);
      const known = Object.keys(schema?.properties ?? {});
      const guess = didYouMean(name, known);
      const where = path.length ? ` in ${describe(entry, path, options)}` : ` in \`${entry.key}\``;
      const hint = guess ? ` Did you mean \`${guess}\`?` : known.length ? ` Known fields: ${known.map((k) => '`' + k + '`').join(', ')}.` : '';
      out.push(problem('unknown-field', `Unknown field ${q(name)}${where}.${hint}`, r[0], r[1], undefined, guess ? { suggestion: guess } : undefined));
      continue;
    }
    // A placeholder (`TODO …`, `TBD`) is not also a wrong type, value or version: it is
    // reported as what it is (`placeholder`, or the level's entry when the level asks for it).
    if (typeof value === 'string' && isPlaceholderText(value)) continue;
    if (seenValue.has(e.instancePath)) continue;
    seenValue.add(e.instancePath);
    const what = describe(entry, path, options);
    const r = nodeRange(entry, path, keys);
    switch (e.keyword) {
      case 'type':
        if (value === null) {
          out.push(problem('empty-value', `${what} is empty: give it ${typeWord(e.params.type)}, or remove the key.`, ...nodeRange(entry, path, keys, true)));
        } else if (isSemverSchema(schema)) {
          const src = sourceOf(entry, path, value, keys);
          const hint = typeof value === 'number' ? ` YAML reads ${q(src)} as a number: write MAJOR.MINOR.PATCH in quotes, e.g. ${q(`"${/^\d+\.\d+$/.test(src) ? src + '.0' : '1.0.0'}"`)}.` : ' Write MAJOR.MINOR.PATCH in quotes, e.g. `"1.0.0"`.';
          // The fix: the number's digits as a quoted version (`1.0` → `"1.0.0"`), when they are one.
          const digits = typeof value === 'number' ? /^(\d+)(?:\.(\d+))?$/.exec(src) : null;
          const data = digits ? { replacement: `${digits[1]}.${digits[2] ?? '0'}.0` } : undefined;
          out.push(problem('invalid-semver', `${what} is ${q(src)}, not a semantic version.${hint}`, r[0], r[1], undefined, data));
        } else if (typeof value === 'number' && path[path.length - 1] === 'id' && entry.key === 'requirements') {
          const src = sourceOf(entry, path, value, keys);
          out.push(problem('wrong-type', `YAML reads requirement id ${q(src)} as the number ${yamlNumber(value)}: quote it (${q(`id: "${src}"`)}) so that it keeps its digits.`, r[0], r[1]));
        } else {
          out.push(problem('wrong-type', `${what} must be ${typeWord(e.params.type)}, not ${actualType(value)}.`, r[0], r[1]));
        }
        break;
      case 'enum': {
        const allowed = (e.params.allowedValues as unknown[]).map((v) => q(v));
        const guess = typeof value === 'string' ? didYouMean(value, (e.params.allowedValues as unknown[]).map(String)) : undefined;
        const hint = guess ? ` Did you mean \`${guess}\`?` : '';
        const choices = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}` : allowed.join('');
        if (value === null) out.push(problem('empty-value', `${what} is empty: use ${choices}.`, ...nodeRange(entry, path, keys, true)));
        else out.push(problem('invalid-value', `${what} is ${q(value)}, which is not allowed: use ${choices}.${hint}`, r[0], r[1], undefined, guess ? { suggestion: guess } : undefined));
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const lo = schema?.minimum;
        const hi = schema?.maximum;
        const bounds = lo !== undefined && hi !== undefined ? `between ${lo} and ${hi}` : lo !== undefined ? `at least ${lo}` : `at most ${hi}`;
        out.push(problem('out-of-range', `${what} must be ${bounds}; it is ${typeof value === 'number' && Number.isFinite(value) ? value : q(value)}.`, r[0], r[1]));
        break;
      }
      case 'pattern':
        out.push(patternProblem(entry, e, path, value, r, options));
        break;
      case 'minItems':
        if (e.params.limit === 1) out.push(problem('empty-value', `${what} is an empty list: add at least one item, or remove the key.`, r[0], r[1]));
        else out.push(problem('out-of-range', `${what} needs at least ${e.params.limit} items; it has ${Array.isArray(value) ? value.length : 0}.`, r[0], r[1]));
        break;
      case 'minLength':
        out.push(problem('empty-value', `${what} is empty text: write something, or remove the key.`, r[0], r[1]));
        break;
      case 'uniqueItems': {
        const j = Number(e.params.j);
        const i = Number(e.params.i);
        const first = Math.min(i, j);
        const second = Math.max(i, j);
        const node = locate(entry.valueNode, [...path, second], keys);
        const ir = rangeOf(node?.node) ?? r;
        const item = Array.isArray(value) ? value[second] : undefined;
        out.push(problem('duplicate-item', `${what} lists ${q(item)} twice (items ${first + 1} and ${second + 1}): remove the repeat.`, ir[0], ir[1]));
        break;
      }
      default:
        out.push(problem('invalid-value', `${what}: ${e.message ?? 'is not valid'}.`, r[0], r[1]));
    }
  }
  for (const [pointer, { count, schema }] of unknown) {
    if (count <= LIMITS.maxUnknownFields) continue;
    const path = pointerPath(pointer, entry.value);
    const r = nodeRange(entry, path, keys, true);
    const what = path.length ? describe(entry, path, options) : `\`${entry.key}\``;
    const known = Object.keys(schema?.properties ?? {});
    const hint = known.length ? ` Known fields: ${known.map((k) => '`' + k + '`').join(', ')}.` : '';
    out.push(problem('unknown-field', `${what} has ${count - LIMITS.maxUnknownFields} more unknown fields than the ${LIMITS.maxUnknownFields} listed one by one: remove them, or move what they hold to the fields that take it.${hint}`, r[0], r[1]));
  }
  for (const { path, names } of missing.values()) {
    const r = path.length === 0 ? nodeRange(entry, [], keys, true) : itemHeadRange(entry, path, keys);
    const what = path.length === 0 ? `\`${entry.key}\`` : describe(entry, path, options);
    // A requirement's V&V and risk may live in the table `links.requirements` points to: those
    // are reported apart, marked, so the card-wide check can defer them (see diagnostics.ts).
    const linkable = entry.key === 'requirements' && path.length === 1 ? names.filter((n) => LINKABLE.has(n)) : [];
    const own = names.filter((n) => !linkable.includes(n));
    if (own.length) out.push(problem('missing-field', `${what} lacks ${words(own)}: add ${own.length > 1 ? 'them' : 'it'}.`, r[0], r[1]));
    if (linkable.length) {
      const hint = 'or keep them in the requirements and V&V table and link it from `links.requirements`';
      out.push(problem('missing-field', `${what} lacks ${words(linkable)}: add ${linkable.length > 1 ? 'them' : 'it'}, ${hint}.`, r[0], r[1], undefined, { linkable }));
    }
  }
  return out;
}

