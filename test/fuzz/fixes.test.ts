/**
 * Every quick fix and *Fix all*, as a property: on the repository's cards, on random mutations of
 * them (lines deleted, repeated or re-indented, tabs, `>-`/`|-` put in front of values, quotes,
 * CRLF, values split over two lines, short versions, `: ` in values) and on YAML snippets, a fix
 * never costs the card anything:
 *
 * - the fixed card has no YAML problem (`syntax`, `tab-indent`, …) it did not have;
 * - every top-level field whose text the fix did not touch keeps its value, and no top-level key
 *   (a key in column 0) is lost or made up — but the fields a level fix adds;
 * - no problem is added, and the problems the action names are fewer;
 * - the checker's `--fix` (fixText) keeps the same, and a second `--fix` changes nothing.
 *
 * The oracle here is this file's own (top-level fields by the text the edits touch), not the
 * service's check in services/fixCheck.ts. `npm test` runs FUZZ_RUNS cases (a few hundred by
 * default); `npm run fuzz` thousands; FUZZ_SEED replays one run.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND, getLanguageService, type CardModel } from '../../server/src/languageService';
import { fixText } from '../../server/src/cli/fix';
import { applyOffsetEdits, composeEdits } from '../../server/src/services/fixCheck';
import type { Problem } from '../../server/src/rules/problem';
import { FIXTURES, doc, repositoryCards } from '../helpers';

const service = getLanguageService();
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
const URI = 'file:///fuzz/card.trl.yaml';
/** The problems that say the card is not YAML the parser can read as written. */
const YAML_CODES = ['syntax', 'tab-indent', 'duplicate-key', 'not-a-mapping', 'too-deep', 'too-large', 'empty-card'];

/** The cards of the repository: examples, fixtures of every kind, the fixes' and Graduate's befores. */
function baseCards(): { name: string; text: string }[] {
  const out = repositoryCards();
  for (const dir of ['fixes', 'graduate']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, dir)).sort()) {
      if (f.endsWith('.before.trl.yaml')) out.push({ name: `test/fixtures/${dir}/${f}`, text: fs.readFileSync(path.join(FIXTURES, dir, f), 'utf8') });
    }
  }
  return out;
}

/** Pieces of YAML that are hard to get right: block scalars, flow over lines, anchors, tags, quotes, comments. */
const SNIPPETS = [
  'version: >-\n  1.0',
  'version: |-\n  1.0',
  'version: >- # agreed\n  2.1',
  'version: |+\n  1.0\n\n',
  'versions:\n  code: |-\n    1.0\n  data: >-\n    2\n  model: "0.1"',
  'versions: { code: 1.0, data: "2.1" }',
  'version: &v 1.0\nintended_use: *v',
  'version: !!str 1.0',
  'tldr: Note: it works\n  and more',
  'tldr: Note: it works\n\n  after a blank line',
  'tldr: a: b\n  # comment\n  c',
  'tldr: "a: b\n  c"',
  "tldr: 'it''s: here'",
  'tldr: a: b  # why',
  'previous: [\n  ./a.trl.yaml,\n  ./b.trl.yaml\n]',
  'previous: [./a.trl.yaml, ./b.trl.yaml,]',
  'owners:\n\trnd:\n\t\towner: A',
  'owners:\n  rnd:\n\t  owner: A\n  product:\n    owner: B',
  'requirements:\n  - id: "1"\n    p_failure: 0.5\n    value: 4\n    risk: 3\n  - id: "2"\n    p_failure: 0.1\n    value: 2\n    risk: 7',
  'requirements:\n- { id: 1, p_failure: 0.5, value: 4, risk: 3 }',
  'level: 4\nlevel: 5',
  '? complex key\n: value',
  '--- \ntechnology: x',
  '%YAML 1.2\n---\nlevel: 0',
  'ethics: { status: dne }',
  'testing:\n  unit: pasing',
  'key with spaces: value: more',
  '- stray item',
  '"quoted key": 1.0',
  'data:\n  datasets:\n    - name: d\n\t  simulated: false',
];

type Mutation = { kind: number; at: number; n: number };

const VERSIONS = ['1.0', 'v2', '0.6', '"1.0"', "'3'", '1', '1.0.0'];

/** One mutation of a card's lines (deterministic in its numbers). */
function mutate(lines: string[], m: Mutation): string[] {
  const out = lines.slice();
  const i = out.length ? m.at % out.length : 0;
  const line = out[i] ?? '';
  const indent = /^[ \t]*/.exec(line)![0];
  const kv = /^([ \t]*(?:- +)?[^\s:#'"][^:#]*?:)[ \t]+(.*)$/.exec(line);
  switch (m.kind % 12) {
    case 0: // delete a line
      out.splice(i, 1);
      break;
    case 1: // repeat a line
      out.splice(i, 0, line);
      break;
    case 2: // indent or dedent
      out[i] = m.n % 2 ? ' '.repeat(1 + (m.n % 4)) + line : line.replace(/^ {1,4}/, '');
      break;
    case 3: // tabs for the spaces of the indentation (one per two, or one in front)
      out[i] = m.n % 2 ? line.replace(/^( {2})+/, (s) => '\t'.repeat(s.length / 2)) : '\t' + line;
      break;
    case 4: // a block scalar in front of a value
      if (kv && kv[2] && !/^[|>]/.test(kv[2])) out.splice(i, 1, `${kv[1]} ${m.n % 2 ? '>-' : '|-'}`, `${indent}  ${kv[2]}`);
      break;
    case 5: // quotes: add, drop, or leave one open
      if (kv && kv[2]) out[i] = `${kv[1]} ${m.n % 3 === 0 ? `"${kv[2]}"` : m.n % 3 === 1 ? kv[2].replace(/^["']|["']$/g, '') : `"${kv[2]}`}`;
      break;
    case 6: // a value over two lines
      if (kv && / /.test(kv[2])) {
        const cut = kv[2].indexOf(' ', m.n % kv[2].length);
        if (cut > 0) out.splice(i, 1, `${kv[1]} ${kv[2].slice(0, cut)}`, `${indent}  ${kv[2].slice(cut + 1)}`);
      }
      break;
    case 7: // a version-like value
      if (kv) out[i] = `${kv[1]} ${VERSIONS[m.n % VERSIONS.length]}`;
      break;
    case 8: // `: ` in a plain value
      if (kv && kv[2] && !/^["'[{|>]/.test(kv[2])) out[i] = `${kv[1]} Note: ${kv[2]}`;
      break;
    case 9: // a snippet, at the line's indentation
      out.splice(i, 0, ...SNIPPETS[m.n % SNIPPETS.length].split('\n').map((l) => (l ? indent + l : l)));
      break;
    case 10: // a snippet at column 0
      out.splice(i, 0, ...SNIPPETS[m.n % SNIPPETS.length].split('\n'));
      break;
    default: // a comment after a value
      if (kv) out[i] = `${line}  # note`;
  }
  return out;
}

const mutation = fc.record({ kind: fc.nat(), at: fc.nat(), n: fc.nat() });

/** A card: a repository card, mutated 0 to 4 times, LF or CRLF; or snippets alone. */
function cards(bases: { name: string; text: string }[]) {
  const mutated = fc.tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { maxLength: 4 }), fc.boolean()).map(([k, ms, crlf]) => {
    let lines = bases[k].text.replace(/\r\n/g, '\n').split('\n');
    for (const m of ms) lines = mutate(lines, m);
    const text = lines.join('\n');
    return { name: `${bases[k].name} ${JSON.stringify(ms)}${crlf ? ' CRLF' : ''}`, text: crlf ? text.replace(/\n/g, '\r\n') : text };
  });
  const snippets = fc
    .tuple(fc.array(fc.nat({ max: SNIPPETS.length - 1 }), { minLength: 1, maxLength: 4 }), fc.array(mutation, { maxLength: 2 }))
    .map(([ks, ms]) => {
      let lines = ['technology: Snippets', 'level: 0', ...ks.flatMap((k) => SNIPPETS[k].split('\n'))];
      for (const m of ms) lines = mutate(lines, m);
      return { name: `snippets ${JSON.stringify(ks)} ${JSON.stringify(ms)}`, text: lines.join('\n') + '\n' };
    });
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: snippets });
}

// ---------------------------------------------------------------------------------------------
// The oracle.

function apply(document: TextDocument, edits: readonly TextEdit[]): string {
  const text = document.getText();
  const offsets = edits
    .map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of offsets) {
    assert.ok(e.start >= at, 'edits do not overlap');
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** A value as comparable text (NaN, infinities, undefined, and a value that contains itself through an alias). */
function canon(value: unknown): string {
  const open: unknown[] = [];
  return (
    JSON.stringify(value, function (this: unknown, _k, v: unknown) {
      while (open.length && open[open.length - 1] !== this) open.pop();
      if (v !== null && typeof v === 'object') {
        if (open.includes(v)) return '#cycle';
        open.push(v);
      }
      return typeof v === 'number' && !Number.isFinite(v) ? `#${String(v)}` : v === undefined ? '#undefined' : v;
    }) ?? '#undefined'
  );
}

function counts(problems: readonly Problem[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of problems) out.set(p.code, (out.get(p.code) ?? 0) + 1);
  return out;
}

interface Field {
  key: string;
  value: string;
  /** The key stands in column 0 (a real top-level key, not yaml's reading of a broken line). */
  column0: boolean;
  touched: boolean;
}

/** The card's top-level fields, each marked touched when an edit (offsets of `text`) reaches its section. */
function fields(card: CardModel, text: string, edits: readonly { start: number; end: number }[] = []): Field[] {
  const out: Field[] = [];
  for (const section of card.sections) {
    const start = section.offset;
    const end = section.offset + section.length;
    // An edit over the section's text, or an insertion inside it or at its end (the card's start counts for the first).
    const touched = edits.some((e) => (e.start < end && e.end > start) || (e.start === e.end && (start < e.start || e.start === 0) && e.start <= end));
    for (const entry of section.entries) {
      const at = section.offset + (entry.keyNode.range?.[0] ?? 0);
      out.push({ key: entry.key, value: canon(entry.value), column0: at === 0 || text[at - 1] === '\n' || text[at - 1] === '\r', touched: touched || card.whole });
    }
  }
  return out;
}

/**
 * What a fix's result must keep of the card: the YAML problems, the fields it did not touch, the
 * top-level keys; no problem added, and (when `named` is given) fewer of the codes it names.
 */
function assertKept(
  before: string,
  after: string,
  edits: readonly { start: number; end: number }[],
  where: string,
  options: { adds?: readonly string[]; named?: readonly string[]; renames?: readonly [string, string][] } = {},
): void {
  const a = service.parse(before);
  const b = service.parse(after);
  // A level fix writes placeholders: each is reported (by the level's entry) as what is still to
  // write, not as a problem the fix added; what must go is the "missing" ones it targets.
  const written = (p: { code: string; data?: unknown }) =>
    options.adds !== undefined && p.code === 'level-requirement' && (p.data as { unmet?: string } | undefined)?.unmet === 'placeholder';
  const pa = counts(service.problems(a).filter((p) => !written(p)));
  const pb = counts(service.problems(b).filter((p) => !written(p)));
  for (const code of YAML_CODES)
    assert.ok(
      (pb.get(code) ?? 0) <= (pa.get(code) ?? 0),
      `${where}: more ${code} problems (${pa.get(code) ?? 0} → ${pb.get(code)})\n--- before\n${before}\n--- after\n${after}`,
    );
  for (const [code, n] of pb) {
    // A level fix writes `TODO` placeholders; a `previous` one is reported as a placeholder on purpose.
    if (code === 'placeholder' && options.adds) continue;
    assert.ok(
      n <= (pa.get(code) ?? 0),
      `${where}: a ${code} problem added (${pa.get(code) ?? 0} → ${n})\n--- before\n${before}\n--- after\n${after}`,
    );
  }
  for (const code of options.named ?? [])
    assert.ok((pb.get(code) ?? 0) < (pa.get(code) ?? 0), `${where}: still as many ${code} problems\n--- before\n${before}\n--- after\n${after}`);
  const fa = fields(a, before, edits);
  const fb = fields(b, after);
  // Each field the edits did not reach is in the result with its value.
  const left = fb.slice();
  for (const f of fa.filter((x) => !x.touched)) {
    const k = left.findIndex((x) => x.key === f.key && x.value === f.value);
    assert.ok(k >= 0, `${where}: field \`${f.key}\` lost or changed\n--- before\n${before}\n--- after\n${after}`);
    left.splice(k, 1);
  }
  // No column-0 key lost, none made up but the fields a level fix adds.
  const keysA = new Set(fa.map((f) => f.key));
  const keysB = new Set(fb.map((f) => f.key));
  // A rename (did you mean) trades its key for the suggestion.
  const renamed = new Set((options.renames ?? []).map(([from]) => from));
  for (const f of fa)
    if (f.column0 && !renamed.has(f.key)) assert.ok(keysB.has(f.key), `${where}: key \`${f.key}\` lost\n--- before\n${before}\n--- after\n${after}`);
  const added = new Set([...(options.adds ?? []).map((field) => field.split('.')[0]), ...(options.renames ?? []).map(([, to]) => to)]);
  for (const f of fb)
    if (f.column0) assert.ok(keysA.has(f.key) || added.has(f.key), `${where}: key \`${f.key}\` made up\n--- before\n${before}\n--- after\n${after}`);
}

function offsetEdits(document: TextDocument, action: CodeAction): { start: number; end: number }[] {
  return (action.edit?.changes?.[document.uri] ?? []).map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end) }));
}

function fixAll(text: string): string | undefined {
  const document = doc(text, URI);
  const whole = { start: { line: 0, character: 0 }, end: document.positionAt(text.length) };
  const action = service.codeActions(document, service.parse(text), whole, { diagnostics: [], only: [FIX_ALL_KIND] }).find((a) => a.kind === FIX_ALL_KIND);
  return action ? apply(document, action.edit!.changes![URI]) : undefined;
}

/** Every quick fix of the card, Fix all, and the checker's `--fix`, each checked by the oracle. */
function checkFixes(card: { name: string; text: string }, stats: Record<string, number>): void {
  const { name, text } = card;
  const document = doc(text, URI);
  const model = service.parse(text);
  const diagnostics = service.diagnostics(document, model);
  const whole = { start: { line: 0, character: 0 }, end: document.positionAt(text.length) };
  for (const action of service.codeActions(document, model, whole, { diagnostics })) {
    if (!action.edit) continue;
    stats[`quick fixes`] = (stats['quick fixes'] ?? 0) + 1;
    const named = [...new Set((action.diagnostics ?? []).map((d) => String(d.code)))];
    // The indentation slip's fix (a `syntax` problem yaml would word otherwise), counted: the property must reach it.
    if ((action.diagnostics ?? []).some((d) => (d.data as { yaml?: string } | undefined)?.yaml === 'INDENT_SLIP')) stats['indentation-slip fixes'] = (stats['indentation-slip fixes'] ?? 0) + 1;
    // A level fix adds some of the fields the level asks for.
    const adds = named.includes('level-requirement') ? levelFields(model) : undefined;
    const renames = (action.diagnostics ?? []).filter((d) => d.code === 'unknown-field').map((d): [string, string] => [document.getText(d.range).replace(/^["']|["']$/g, ''), String((d.data as { suggestion?: string }).suggestion)]);
    const after = apply(document, action.edit.changes![URI]);
    assertKept(text, after, offsetEdits(document, action), `${name}: "${action.title}"`, { adds, named, renames });
  }
  const all = fixAll(text);
  if (all !== undefined) {
    stats['fix-all'] = (stats['fix-all'] ?? 0) + 1;
    const [action] = service.codeActions(document, model, whole, { diagnostics: [], only: [FIX_ALL_KIND] });
    assertKept(text, all, offsetEdits(document, action), `${name}: Fix all`);
    const again = fixAll(all);
    if (again !== undefined) throw new Error(`${name}: a second Fix all changes the card again\n--- after the first\n${all}\n--- after the second\n${again}`);
  }
  const fixed = fixText(service, URI, text, {});
  if (fixed) {
    stats['--fix'] = (stats['--fix'] ?? 0) + 1;
    // Several passes: the edits of the later ones are in a text this oracle did not see, so every field counts as touched where the text differs.
    assertKept(text, fixed.text, [changedSpan(text, fixed.text)], `${name}: --fix`);
    assert.strictEqual(fixText(service, URI, fixed.text, {}), undefined, `${name}: a second --fix changes the card again\n--- after the first\n${fixed.text}`);
    assert.strictEqual(fixAll(fixed.text), undefined, `${name}: Fix all after --fix changes the card again`);
  }
}

/** The span of `a` that differs from `b` (common prefix and suffix left out). */
function changedSpan(a: string, b: string): { start: number; end: number } {
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) s++;
  let e = 0;
  while (e < a.length - s && e < b.length - s && a[a.length - 1 - e] === b[b.length - 1 - e]) e++;
  return { start: s, end: a.length - e };
}

/** The fields a card's level asks for (what the level fixes may add). */
function levelFields(model: CardModel): string[] {
  return service
    .problems(model)
    .filter((p) => p.code === 'level-requirement')
    .map((p) => String((p.data as { field?: string } | undefined)?.field ?? ''));
}

describe('fuzzing every fix', function () {
  this.timeout(0);
  const bases = baseCards();
  const stats: Record<string, number> = {};
  after(() => console.log(`    fixes fuzz: ${Object.entries(stats).map(([k, v]) => `${v} ${k}`).join(', ')}`));

  it('every card of the repository: each fix keeps the card, and --fix twice is --fix once', () => {
    assert.ok(bases.length >= 20, `${bases.length} cards`);
    for (const card of bases) {
      checkFixes(card, stats);
      checkFixes({ name: `${card.name} CRLF`, text: card.text.replace(/\r?\n/g, '\r\n') }, stats);
    }
    // The fixtures' slips (a key of a mapping, a key of a list item), LF and CRLF, and those the property's mutations make.
    assert.ok((stats['indentation-slip fixes'] ?? 0) >= 4, `indentation-slip fixes checked: ${stats['indentation-slip fixes'] ?? 0}`);
  });

  it('edits composed pass after pass are the edits of the original text', () => {
    const edit = (n: number) => fc.tuple(fc.nat({ max: n }), fc.nat({ max: 4 }), fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 4 }));
    const edits = (text: string) =>
      fc.array(edit(text.length), { maxLength: 5 }).map((es) => {
        const out: { start: number; end: number; text: string }[] = [];
        for (const [at, len, t] of es.sort((x, y) => x[0] - y[0])) {
          const start = Math.max(at, out.length ? out[out.length - 1].end : 0);
          if (start > text.length) break;
          out.push({ start, end: Math.min(text.length, start + len), text: t });
        }
        return out;
      });
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('x', 'y', '\n'), maxLength: 30 }).chain((o) => edits(o).chain((b) => edits(applyOffsetEdits(o, b).text).map((n) => [o, b, n] as const))),
        ([original, base, next]) => {
          const composed = composeEdits(original, base, next);
          for (let i = 1; i < composed.length; i++) assert.ok(composed[i - 1].end <= composed[i].start, 'sorted, not overlapping');
          assert.strictEqual(applyOffsetEdits(original, composed).text, applyOffsetEdits(applyOffsetEdits(original, base).text, next).text);
        },
      ),
      { numRuns: RUNS * 5, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  });

  it('random mutations of them and YAML snippets: the same', () => {
    fc.assert(
      fc.property(cards(bases), (card) => {
        stats.cases = (stats.cases ?? 0) + 1;
        checkFixes(card, stats);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
  });
});
