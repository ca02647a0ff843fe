/** The level table, the schema and the docs agree with each other. */
import * as assert from 'assert';
import Ajv2020 from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';
import { levelTableMarkdown, ruleHeadingLines } from '../../server/src/docs';
import { ruleHref } from '../../server/src/services/diagnostics';
import { LEVELS } from '../../server/src/levels';
import { RULES } from '../../server/src/rules/problem';
import { CARD_SCHEMA, schemaAt, deref, type JsonSchema } from '../../server/src/schema';
import { FIXTURES, ROOT } from '../helpers';

describe('level table', () => {
  it('matches its own schema (schemas/levels.schema.json)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'levels.schema.json'), 'utf8')));
    const ok = validate(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'levels.json'), 'utf8')));
    assert.ok(ok, JSON.stringify(validate.errors));
  });
  it('has levels 0 to 9 in order', () => {
    assert.deepStrictEqual(LEVELS.map((l) => l.level), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('names only fields the schema defines', () => {
    for (const l of LEVELS) for (const r of l.adds) assert.ok(schemaAt(r.field.split('.')), `level ${l.level}: ${r.field} is in the schema`);
  });
  it('makes our own readings information at most, and errors only of plain sources', () => {
    for (const l of LEVELS) {
      for (const r of l.adds) {
        if (r.quote.source === 'reading') assert.ok(r.severity === 'information' || r.severity === 'hint', `level ${l.level}: ${r.field}`);
        if (r.severity === 'error') assert.ok(r.quote.source === 'paper' || r.quote.source === 'template', `level ${l.level}: ${r.field} is an error, so its quote is from the paper or the template`);
      }
    }
  });
  it('quotes the paper word for word (its quoted sentences, kept in test/fixtures/paper)', () => {
    const norm = (t: string) => t.replace(/<\/?i>|\*/g, '').replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
    const kept = fs.readFileSync(path.join(FIXTURES, 'paper', 'quoted-sentences.txt'), 'utf8');
    const sentences = kept.split(/\n\s*\n/).filter((p) => !p.startsWith('#')).map(norm);
    const quoted = new Set<string>();
    for (const l of LEVELS) {
      for (const r of l.adds) {
        if (r.quote.source !== 'paper') continue;
        const found = sentences.find((s) => s.includes(norm(r.quote.text)));
        assert.ok(found, `level ${l.level}: ${r.field}: "${r.quote.text}" is in the paper's sentences that test/fixtures/paper/quoted-sentences.txt keeps`);
        quoted.add(found);
      }
    }
    // Each kept sentence is there for a quote: the file holds no more of the paper than that.
    assert.deepStrictEqual(sentences.filter((s) => !quoted.has(s)), []);
  });
  it('names only paths the schema defines in anyOf', () => {
    for (const l of LEVELS) for (const r of l.adds) for (const p of r.anyOf ?? []) assert.ok(schemaAt(p.replace(/\[\]/g, '.*').split('.')), `level ${l.level}: ${p}`);
  });
  it('is what docs/levels.md shows (run `npm run docs` after editing levels.json)', () => {
    assert.strictEqual(fs.readFileSync(path.join(ROOT, 'docs', 'levels.md'), 'utf8'), levelTableMarkdown());
  });
});

describe('schema', () => {
  it('describes every property, in plain text and Markdown', () => {
    const visit = (s: JsonSchema | undefined, where: string, seen: Set<unknown>) => {
      const r = deref(s);
      if (!r || seen.has(r)) return;
      seen.add(r);
      for (const [k, p] of Object.entries(r.properties ?? {})) {
        assert.ok(p.description, `${where}.${k} has a description`);
        assert.ok(p.markdownDescription, `${where}.${k} has a markdownDescription`);
        visit(p, `${where}.${k}`, seen);
      }
      if (r.items) visit(r.items, `${where}[]`, seen);
    };
    visit(CARD_SCHEMA, 'card', new Set());
  });
});

describe('rules reference', () => {
  const rulesMd = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
  for (const code of Object.keys(RULES)) {
    it(`documents ${code}`, () => assert.match(rulesMd, new RegExp(`^## \`${code}\`$`, 'm')));
  }
  it("links each code to its own heading's line", () => {
    const lines = ruleHeadingLines(rulesMd);
    const text = rulesMd.split('\n');
    for (const code of Object.keys(RULES)) {
      const line = lines.get(code);
      assert.ok(line, `${code} has a heading line`);
      assert.strictEqual(text[line - 1], `## \`${code}\``, `line ${line} is ${code}'s heading`);
      assert.strictEqual(ruleHref('file:///x/rules.md', code, lines), `file:///x/rules.md#L${line}`);
      assert.strictEqual(ruleHref('file:///x/rules.md', code), `file:///x/rules.md#${code}`, 'without lines, the anchor');
    }
    assert.strictEqual(new Set(lines.values()).size, lines.size, 'no two codes share a line');
  });
});
