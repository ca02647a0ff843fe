/** Completions, driven by a `|` cursor marker in each card. */
import * as assert from 'assert';
import type { CompletionItem } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageService';
import { doc, withCursor } from '../helpers';

const service = getLanguageService();

function complete(marked: string): CompletionItem[] {
  const { text, offset } = withCursor(marked);
  const d = doc(text);
  return service.complete(d, service.parse(text), d.positionAt(offset)).items;
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const newText = (items: CompletionItem[], label: string) => (items.find((i) => i.label === label)?.textEdit as { newText: string } | undefined)?.newText;

const LEVEL_4_BASE = `technology: Radar
level: 4
tldr: x
owners:
  rnd:
    owner: Ada
    reviewers: [Grace, Barbara]
previous: [./a.trl.yaml]
versions:
  code: "1.0.0"
  data: "1.0.0"
hypotheses:
  - statement: x
research_plan: x
experiments:
  - property: x
requirements:
  - id: "1"
    kind: research
    text: x
    verification: x
    validation: x
    p_failure: 0.1
    value: 3
data:
  datasets:
    - name: Real
      simulated: false
decision_path: prototype
testing:
  unit: passing
  integration: passing
  style: passing
  documentation: passing
links:
  code: https://example.org
components: ["1.1"]
`;

describe('completion', () => {
  it('offers the missing level-4 fields first at the top level of a level-4 card', () => {
    const items = complete(LEVEL_4_BASE + '|\n');
    // The debrief is asked from TRL 1 on (a warning: the paper's post-mortem after each level),
    // so it comes first; then what TRL 4 adds.
    const missing = ['debrief', 'assumptions', 'caveats', 'ethics', 'intended_use'];
    const first = items.slice(0, missing.length);
    assert.deepStrictEqual(first.map((i) => i.label), missing.slice(0, 1).concat(first.slice(1).map((i) => i.label).sort()));
    assert.deepStrictEqual(first.map((i) => i.label).sort(), [...missing].sort());
    assert.strictEqual(first[0].labelDetails?.description, 'required for TRL 1');
    for (const i of first.slice(1)) assert.strictEqual(i.labelDetails?.description, 'required for TRL 4');
    assert.match(String(items.find((i) => i.label === 'intended_use')?.detail), /required for TRL 4: intended_use — from level 4 the card says what the technology is for/);
    // Information and hints come next, as suggestions: metrics (TRL 4 on).
    assert.deepStrictEqual(items.slice(missing.length, missing.length + 1).map((i) => [i.label, i.labelDetails?.description]), [['metrics', 'suggested for TRL 4']]);
  });

  it('orders: missing for this level, then next level, then optional; never keys already present', () => {
    const items = complete(LEVEL_4_BASE + '|\n');
    const groups = items.map((i) => i.sortText?.split('-')[0]);
    assert.deepStrictEqual([...groups].sort(), groups, 'sorted by group');
    const present = ['technology', 'level', 'tldr', 'owners', 'requirements', 'data', 'testing'];
    for (const p of present) assert.ok(!labels(items).includes(p), `${p} is present and not offered`);
    const next = items.filter((i) => i.labelDetails?.description === 'TRL 5 will need').map((i) => i.label);
    assert.deepStrictEqual(next.sort(), ['working_group']);
    assert.strictEqual(items.find((i) => i.label === 'colour'), undefined);
    assert.ok(labels(items).includes('debrief'), 'optional fields are offered too');
  });

  it('counts a nested missing field against its top-level key (owners.product.reviewers)', () => {
    const text = 'technology: x\nlevel: 4\nowners:\n  rnd:\n    owner: Ada\n  |\n';
    const items = complete(text);
    assert.strictEqual(items[0].label, 'product');
    assert.strictEqual(items[0].labelDetails?.description, 'suggested for TRL 4');
    assert.ok(!labels(items).includes('rnd'));
  });

  it('inserts a skeleton with the fields the level needs, indented', () => {
    const items = complete('technology: x\nlevel: 0\n|');
    assert.strictEqual(newText(items, 'owners'), 'owners:\n  rnd:\n    owner: $1\n    reviewers:\n      - $2');
    assert.strictEqual(newText(items, 'hypotheses'), 'hypotheses:\n  - statement: $1');
    assert.strictEqual(newText(items, 'decision_path'), 'decision_path: ${1|prototype,research,both|}');
    assert.strictEqual(newText(items, 'level'), undefined, 'present keys are not offered');
  });

  it('completes keys inside a list item, not offering those already there', () => {
    const items = complete('technology: x\nlevel: 2\nrequirements:\n  - id: "1"\n    kind: research\n    |\n');
    const l = labels(items);
    assert.ok(l.includes('text') && l.includes('p_failure') && l.includes('value'));
    assert.ok(!l.includes('id') && !l.includes('kind'));
    assert.ok(!l.includes('technology'), 'top-level keys are not offered inside an item');
  });

  it('completes inside an item of a long split list, from the model and the item alone', () => {
    const items = Array.from({ length: 300 }, (_, i) => `  - id: "${i + 1}"\n    kind: research\n    text: x\n`).join('');
    const base = `technology: x\nlevel: 2\nrequirements:\n${items}`;
    const inLast = complete(base.replace(/ {4}text: x\n$/, '    text: x\n    |\n'));
    assert.ok(labels(inLast).includes('p_failure') && !labels(inLast).includes('kind') && !labels(inLast).includes('technology'));
    assert.deepStrictEqual(labels(complete(base + '  - |\n')).includes('verification'), true);
    assert.deepStrictEqual(labels(complete(base.replace(/ {4}kind: research\n {4}text: x\n$/, '    kind: |\n    text: x\n'))), ['research', 'product']);
  });

  it('completes keys of a new list item after "- " (and the item snippet)', () => {
    const items = complete('technology: x\nlevel: 2\ndata:\n  datasets:\n    - |\n');
    assert.deepStrictEqual(labels(items).sort(), ['Dataset', 'benchmark', 'description', 'name', 'simulated', 'version']);
  });

  it('completes keys of a nested mapping (ethics)', () => {
    const items = complete('level: 4\nethics:\n  status: done\n  |\n');
    assert.deepStrictEqual(labels(items).sort(), ['checklist', 'notes', 'reviewer']);
  });

  it('completes level values 0–9 with their names', () => {
    const items = complete('technology: x\nlevel: |\n');
    assert.deepStrictEqual(labels(items), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.strictEqual(items[4].labelDetails?.description, 'Proof of Concept (PoC) Development');
  });

  it('completes enum values, in a nested mapping and in a list item', () => {
    assert.deepStrictEqual(labels(complete('ethics:\n  status: |\n')), ['not-started', 'in-progress', 'done', 'not-applicable']);
    assert.deepStrictEqual(labels(complete('requirements:\n  - id: "1"\n    kind: |\n')), ['research', 'product']);
    assert.deepStrictEqual(labels(complete('data:\n  datasets:\n    - name: x\n      simulated: |\n')), ['true', 'false']);
  });

  it('replaces the word being typed', () => {
    const { text, offset } = withCursor('technology: x\nlevel: 0\nhypo|\n');
    const d = doc(text);
    const items = service.complete(d, service.parse(text), d.positionAt(offset)).items;
    const h = items.find((i) => i.label === 'hypotheses');
    const range = (h?.textEdit as { range: { start: { character: number }; end: { character: number } } }).range;
    assert.deepStrictEqual([range.start.character, range.end.character], [0, 4]);
  });

  it('offers nothing inside a text value or a comment', () => {
    assert.deepStrictEqual(complete('tldr: some text |\n'), []);
    assert.deepStrictEqual(complete('# a comment |\n'), []);
  });

  it('works on a card that does not parse', () => {
    const items = complete('technology: "unterminated\nlevel: 4\n|\n');
    assert.ok(items.length > 0);
    assert.strictEqual(items[0].labelDetails?.description, 'required for TRL 0');
  });

  it('treats a position past the end of a line as the end of that line', () => {
    const text = 'technology: x\nlevel: 0\nhypo\ntldr: t\n';
    const d = doc(text);
    const card = service.parse(text);
    for (const character of [4, 5, 80, 100000]) {
      const items = service.complete(d, card, { line: 2, character }).items;
      const h = items.find((i) => i.label === 'hypotheses');
      assert.ok(h, `character ${character}`);
      const range = (h.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } } }).range;
      assert.deepStrictEqual(range, { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } }, `character ${character}`);
    }
    // A value being typed, the cursor past the line's end: the range stays on the line.
    const items = service.complete(d, card, { line: 1, character: 500 }).items;
    for (const item of items) {
      const range = (item.textEdit as { range: { start: { line: number }; end: { line: number; character: number } } }).range;
      assert.deepStrictEqual([range.start.line, range.end.line, range.end.character], [1, 1, 'level: 0'.length]);
    }
  });
});
