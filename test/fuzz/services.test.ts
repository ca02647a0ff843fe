/**
 * Every service fuzzed: for any text and any sequence of edits, parsing, validation,
 * completion, hover, outline and folding return without throwing and in bounded time, give
 * ranges inside the document and never an empty symbol name, and the incrementally updated
 * model checks exactly like a fresh parse.
 *
 * The texts are built from YAML-ish pieces (keys of the card format, dashes in column 0 and
 * indented, brackets, quotes, document markers, block scalars, anchors, CR, CRLF, tabs,
 * unicode with surrogate pairs and lone surrogates, very long keys), not only random strings.
 *
 * `npm test` runs a modest number of cases; `npm run fuzz` runs many more (FUZZ_RUNS cases per
 * property, FUZZ_SEED to replay one run) and prints how many ran.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentSymbol, Position, Range } from 'vscode-languageserver-types';
import { CardDocument, WorkspaceIndex, cardFacts, getLanguageService, type CardModel } from '../../server/src/languageService';
import { doc } from '../helpers';

const service = getLanguageService();
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
/** Per service call on one fuzzed card (generous: CI machines are shared). */
const TIME_BOUND_MS = 2000;

const FIELDS = ['technology', 'id', 'version', 'level', 'tldr', 'owners', 'rnd', 'owner', 'reviewers', 'requirements', 'hypotheses', 'statement', 'kind', 'p_failure', 'value', 'risk', 'data', 'datasets', 'name', 'previous', 'components', 'constructor', 'toString', '__proto__', ''];
const SCALARS = ['x', '0', '1.5', '-3', 'true', 'null', '~', '"q"', "'s'", '"unterminated', "'it''s'", '2020-01-01', 'http://example.com/x', 'a: b', '`tick`', '<script>', 'é', '中文', '😀', '\uD83D', '\uDE00', '\u200B', '\u0000', 'a\\b'];

const key = fc.oneof(
  fc.constantFrom(...FIELDS),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: 100, max: 3000 }).map((n) => 'k'.repeat(n)),
  fc.constantFrom(...FIELDS).map((f) => JSON.stringify(f)),
);
const scalar = fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.double().map(String));
const flow = fc.oneof(
  fc.array(scalar, { maxLength: 4 }).map((a) => `[${a.join(', ')}]`),
  fc.array(fc.tuple(key, scalar), { maxLength: 3 }).map((a) => `{${a.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  fc.integer({ min: 1, max: 120 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 1, max: 40 }).map((n) => '{a: '.repeat(n)),
);
const indent = fc.oneof(fc.constant(''), fc.constant('  '), fc.constant('    '), fc.integer({ min: 0, max: 12 }).map((n) => ' '.repeat(n)), fc.constant('\t'), fc.constant(' \t'));
const dash = fc.oneof(fc.constant(''), fc.constant('- '), fc.constant('-'), fc.constant('- - '));

/** One line of a card. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(indent, dash, key, fc.oneof(fc.constant(''), scalar, flow, fc.constantFrom('|', '>-', '&a', '*a', '!!str x'))).map(([i, d, k, v]) => `${i}${d}${k}:${v ? ' ' + v : ''}`) },
  { weight: 2, arbitrary: fc.tuple(indent, dash, scalar).map(([i, d, v]) => `${i}${d}${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('---', '...', '--- x', '%YAML 1.2', '? complex', ': value', '# comment', '', '   ', '-', '- ', 'level: 4', 'requirements:', '  - id: "1"', '    p_failure: 2', '-statement: s') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');

/** A card-like text: lines joined by line breaks of any kind. */
const cardText = fc.array(fc.tuple(line, eol), { maxLength: 40 }).map((ls) => ls.map(([l, e]) => l + e).join(''));

/** What an edit inserts. */
const insertion = fc.oneof(fc.constantFrom('', ' ', '\n', '\r\n', '\r', '-', '- ', ': ', '"', "'", '[', ']', '{', '}', '#', '\t', '---\n', '...\n', '|\n', '😀', '\uD83D'), line, fc.tuple(line, eol).map(([l, e]) => l + e));
const edit = fc.record({ at: fc.nat(), lineStart: fc.boolean(), remove: fc.nat({ max: 12 }), text: insertion });

function timed<T>(what: string, fn: () => T): T {
  const t = process.hrtime.bigint();
  const out = fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  assert.ok(ms < TIME_BOUND_MS, `${what} took ${ms.toFixed(0)} ms`);
  return out;
}

function assertPosition(d: TextDocument, p: Position, what: string): void {
  assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0, `${what}: ${JSON.stringify(p)}`);
  assert.ok(p.line < d.lineCount, `${what}: line ${p.line} of ${d.lineCount}`);
  const lineLength = d.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '').length;
  assert.ok(p.character <= lineLength, `${what}: character ${p.character} past line ${p.line} (${lineLength})`);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function assertRange(d: TextDocument, r: Range, what: string): void {
  assertPosition(d, r.start, `${what} start`);
  assertPosition(d, r.end, `${what} end`);
  assert.ok(before(r.start, r.end), `${what}: ${JSON.stringify(r)} ends before it starts`);
}

function assertSymbols(d: TextDocument, symbols: DocumentSymbol[] | undefined, where: string): void {
  for (const s of symbols ?? []) {
    assert.ok(typeof s.name === 'string' && s.name.trim().length > 0, `${where}: empty symbol name`);
    assertRange(d, s.range, `${where} symbol ${s.name}`);
    assertRange(d, s.selectionRange, `${where} symbol ${s.name} selection`);
    assert.ok(before(s.range.start, s.selectionRange.start) && before(s.selectionRange.end, s.range.end), `${where}: the selection of ${s.name} is outside its range`);
    assertSymbols(d, s.children, where);
  }
}

/** Positions to probe: line starts, middles and ends, and past the end of lines and text. */
function probes(d: TextDocument, pick: number): Position[] {
  const out: Position[] = [{ line: 0, character: 0 }, { line: d.lineCount - 1, character: 10000 }, { line: d.lineCount + 3, character: 2 }];
  for (let k = 0; k < 4; k++) {
    const line = (pick * (k + 7)) % Math.max(1, d.lineCount);
    out.push({ line, character: (pick * (k + 3)) % 40 }, { line, character: 500 });
  }
  return out;
}

/** Every service on one document and model: nothing throws, everything is in range and in time. */
function checkServices(d: TextDocument, card: CardModel, pick: number, where: string): void {
  const text = d.getText();
  const problems = timed('problems', () => service.problems(card));
  for (const p of problems) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= text.length, `${where}: ${p.code} at ${p.start}-${p.end} of ${text.length}`);
  const diagnostics = timed('diagnostics', () => service.diagnostics(d, card));
  for (const diag of diagnostics) {
    assertRange(d, diag.range, `${where} ${diag.code}`);
    assert.ok(typeof diag.message === 'string' && diag.message.length > 0, `${where}: ${diag.code} has no message`);
  }
  // Quick fixes for every diagnostic, and fix-all: edits in range, never overlapping.
  const whole = { start: { line: 0, character: 0 }, end: d.positionAt(text.length) };
  for (const only of [undefined, ['source.fixAll']]) {
    for (const action of timed('code actions', () => service.codeActions(d, card, whole, { diagnostics, only }))) {
      const edits = action.edit?.changes?.[d.uri] ?? [];
      assert.ok(edits.length > 0, `${where}: ${action.title} has no edit`);
      const offsets = edits.map((e) => { assertRange(d, e.range, `${where} ${action.title}`); return [d.offsetAt(e.range.start), d.offsetAt(e.range.end)]; }).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < offsets.length; i++) assert.ok(offsets[i - 1][1] <= offsets[i][0], `${where}: ${action.title} has overlapping edits`);
    }
  }
  assertSymbols(d, timed('symbols', () => service.symbols(d, card)), where);
  for (const f of timed('folding', () => service.folding(d, card))) assert.ok(f.startLine < f.endLine && f.endLine < d.lineCount, `${where}: fold ${JSON.stringify(f)}`);
  for (const position of probes(d, pick)) {
    const list = timed('completion', () => service.complete(d, card, position));
    for (const item of list.items) {
      assert.ok(item.label.length > 0, `${where}: empty completion label`);
      const te = item.textEdit;
      if (te && 'range' in te) {
        assertRange(d, te.range, `${where} completion ${item.label} at ${JSON.stringify(position)}`);
        assert.ok(te.range.start.line === te.range.end.line, `${where}: completion ${item.label} replaces several lines`);
      }
    }
    const h = timed('hover', () => service.hover(d, card, position));
    if (h?.range) assertRange(d, h.range, `${where} hover at ${JSON.stringify(position)}`);
    checkNavigation(d, card, position, where);
  }
  for (const symbol of service.workspaceSymbols('', navigationIndex(d, card))) assert.ok(symbol.name.length > 0, `${where}: empty workspace symbol name`);
}

/** Navigation over an index holding just this card: ranges in the card, nothing thrown. */
function navigationIndex(d: TextDocument, card: CardModel): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.set(cardFacts(d.uri, card));
  index.complete = true;
  return index;
}

function checkNavigation(d: TextDocument, card: CardModel, position: Position, where: string): void {
  const index = navigationIndex(d, card);
  const at = `${where} at ${JSON.stringify(position)}`;
  for (const l of service.definition(d, card, position, index)) assertRange(d, l.targetSelectionRange, `${at} definition`);
  for (const l of service.references(d, card, position, index, true)) assertRange(d, l.range, `${at} references`);
  const prepared = service.prepareRename(d, card, position);
  if (prepared && 'range' in prepared) assertRange(d, prepared.range, `${at} prepareRename`);
  const renamed = service.rename(d, card, position, 'NEW-ID', index, { documentChanges: false, versionOf: () => null });
  if ('edit' in renamed) for (const e of renamed.edit.changes?.[d.uri] ?? []) assertRange(d, e.range, `${at} rename`);
}

function params(runs: number): fc.Parameters<unknown> {
  return { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true };
}

const counts: Record<string, number> = {};

describe('fuzzing every service', function () {
  this.timeout(0);
  after(() => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`    fuzz: ${total} cases ran (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')})`);
  });

  it('any text: every service answers, in range and in time', () => {
    fc.assert(
      fc.property(cardText, fc.nat(), (text, pick) => {
        counts.texts = (counts.texts ?? 0) + 1;
        const d = doc(text);
        checkServices(d, timed('parse', () => service.parse(text)), pick, JSON.stringify(text.slice(0, 200)));
      }),
      params(RUNS),
    );
  });

  it('any sequence of edits: the live document answers like a fresh parse of its text', () => {
    fc.assert(
      fc.property(cardText, fc.array(edit, { minLength: 1, maxLength: 12 }), fc.nat(), (initial, edits, pick) => {
        counts['edit sequences'] = (counts['edit sequences'] ?? 0) + 1;
        let text = initial;
        let card = service.parse(text);
        const live = new CardDocument('file:///fuzz.trl.yaml', 'trl-card', 0, card);
        service.problems(card); // fill the memos, as the server does
        edits.forEach((e, step) => {
          let start = e.at % (text.length + 1);
          if (e.lineStart) start = Math.min(text.length, text.lastIndexOf('\n', start - 1) + 1 + (e.at % 4));
          const end = Math.min(text.length, start + e.remove);
          text = text.slice(0, start) + e.text + text.slice(end);
          card = timed('update', () => service.update(card, { start, end, text: e.text }));
          live.edited(card, start, end, e.text, step + 1);
          const where = `${JSON.stringify(initial.slice(0, 120))} edit ${step} ${JSON.stringify(e)}`;
          assert.strictEqual(live.getText(), text, where);
          checkServices(live, card, pick + step, where);
          const fresh = service.parse(text);
          assert.deepStrictEqual(service.problems(card), service.problems(fresh), where);
          const d = doc(text);
          assert.deepStrictEqual(service.symbols(live, card), service.symbols(d, fresh), where);
        });
      }),
      params(Math.max(1, Math.round(RUNS / 3))),
    );
  });
});
