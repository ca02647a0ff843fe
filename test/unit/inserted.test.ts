/**
 * Every text the project writes into a card is a placeholder by the project's own rules
 * (text/placeholder.ts): the snippets' defaults (and a choice's first option), the level fixes,
 * New Card and Graduate. So a card left as the tool wrote it is never taken for a written one:
 * its level's entries report each placeholder, and it is not ready to graduate.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { getLanguageService } from '../../server/src/languageService';
import { fieldInsertions } from '../../server/src/services/codeActions';
import { newCard } from '../../server/src/services/newCard';
import { parseCard } from '../../server/src/card/parse';
import { isPlaceholderText } from '../../server/src/text/placeholder';
import { LEVELS } from '../../server/src/levels';
import { FIXTURES, ROOT } from '../helpers';

const service = getLanguageService();

/** The defaults of a snippet body: each `${n:default}` and each choice's first option (variables such as the date are values, not texts). */
function snippetDefaults(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/\$\{\d+:((?:[^{}\\]|\\.)*)\}/g)) out.push(m[1].replace(/\\(.)/g, '$1'));
  for (const m of body.matchAll(/\$\{\d+\|((?:[^|\\]|\\.)*)\|\}/g)) out.push(m[1].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1'));
  return out;
}

/** Every string leaf of a plain value, with its path. */
function leaves(value: unknown, at: string[] = []): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, String(i)]));
  if (value !== null && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [[at.join('.'), value]];
}

describe('every text the project writes into a card is a placeholder', () => {
  it('the snippets: every tab stop default and every choice\'s first option', () => {
    const cards = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'trl-card.json'), 'utf8')) as Record<string, { body: string[] }>;
    const items = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'items.json'), 'utf8')) as { snippets: { label: string; body: string[] }[] };
    const bodies = [...Object.entries(cards).map(([k, v]) => [k, v.body.join('\n')]), ...items.snippets.map((s) => [s.label, s.body.join('\n')])];
    let n = 0;
    for (const [name, body] of bodies) {
      for (const d of snippetDefaults(body)) {
        // The review's date is today's date, a value the snippet computes.
        if (/^\$\{?CURRENT_/.test(d)) continue;
        n++;
        assert.ok(isPlaceholderText(d), `${name}: ${JSON.stringify(d)}`);
      }
    }
    assert.ok(n >= 30, `${n} defaults`);
  });

  it('the level fixes: every value of every field the level table names', () => {
    const fields = new Set<string>();
    for (const l of LEVELS) for (const r of l.adds) fields.add(r.field);
    for (const field of fields) {
      let text = 'level: 0\n';
      const { insertions } = fieldInsertions(parseCard(text), [field]);
      assert.strictEqual(insertions.length, 1, field);
      text = text.slice(0, insertions[0].offset) + insertions[0].text + text.slice(insertions[0].offset);
      const added = leaves(parseYaml(text)).filter(([p]) => p !== 'level');
      assert.ok(added.length > 0, field);
      for (const [p, v] of added) assert.ok(typeof v === 'string' && isPlaceholderText(v), `${field}: ${p} = ${JSON.stringify(v)}`);
    }
  });

  it('New Card: every value but the name, the level and the day it entered', () => {
    for (let level = 0; level <= 9; level++) {
      const r = newCard('Radar', level, '2026-12-01');
      assert.ok('text' in r);
      for (const [p, v] of leaves(parseYaml(r.text))) {
        if (['technology', 'level', 'entered_at'].includes(p) || p.startsWith('history.')) continue;
        assert.ok(typeof v === 'string' && isPlaceholderText(v), `level ${level}: ${p} = ${JSON.stringify(v)}`);
      }
      const verdict = service.readiness(service.parse(r.text), 'file:///cards/radar.trl.yaml');
      assert.ok(verdict && !verdict.ready, `a new card at level ${level} is not ready`);
    }
  });

  it('Graduate: every value it adds but the level, the link back, the history entry and the review\'s date and decision', () => {
    const before = fs.readFileSync(path.join(FIXTURES, 'graduate', 'radar.level-4.before.trl.yaml'), 'utf8');
    const result = service.graduate(before, service.parse(before), 'file:///cards/radar.level-4.trl.yaml', '2026-12-01');
    assert.ok(!('error' in result), 'error' in result ? result.error : '');
    const old = new Map(leaves(parseYaml(before)));
    let n = 0;
    for (const [p, v] of leaves(parseYaml(result.newText))) {
      if (old.has(p) && old.get(p) === v) continue;
      if (p === 'level' || p.startsWith('previous.') || p.startsWith('history.') || p === 'review.date' || p === 'review.decision') continue;
      n++;
      assert.ok(typeof v === 'string' && isPlaceholderText(v), `${p} = ${JSON.stringify(v)}`);
    }
    assert.ok(n >= 5, `${n} values added`);
  });
});
