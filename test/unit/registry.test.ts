/**
 * The rule registry (rules/registry.ts): every code is some rule's, and every rule module is
 * listed with the codes it reports, so that a rule written and not registered fails here.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/rules/problem';
import { RULE_REGISTRY } from '../../server/src/rules/registry';
import { ROOT } from '../helpers';

const RULES_DIR = path.join(ROOT, 'server', 'src', 'rules');

/** The codes a module reports: every `problem('code'` in its text. */
function reported(file: string): Set<string> {
  return new Set([...fs.readFileSync(file, 'utf8').matchAll(/problem\(\s*'([a-z-]+)'/g)].map((m) => m[1]));
}

describe('the rule registry', () => {
  it('every code is reported by a registered rule, and every code a rule declares is a code', () => {
    const declared = new Set<string>(RULE_REGISTRY.flatMap((r) => r.codes));
    assert.deepStrictEqual(Object.keys(RULES).filter((c) => !declared.has(c)), [], 'codes no rule declares');
    assert.deepStrictEqual([...declared].filter((c) => !(c in RULES)), [], 'declared codes that are not codes');
    assert.strictEqual(new Set(RULE_REGISTRY.map((r) => r.name)).size, RULE_REGISTRY.length, 'each rule listed once');
  });

  it('every module under rules/ that reports a problem is registered, with every code it reports', () => {
    const modules = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'problem.ts' && f !== 'registry.ts');
    for (const file of modules) {
      const codes = reported(path.join(RULES_DIR, file));
      if (codes.size === 0) continue;
      const name = file.replace(/\.ts$/, '');
      const rules = RULE_REGISTRY.filter((r) => r.module === name);
      assert.ok(rules.length > 0, `rules/${file} reports ${[...codes].join(', ')} but is not in rules/registry.ts`);
      const declared = new Set<string>(rules.flatMap((r) => r.codes));
      assert.deepStrictEqual([...codes].filter((c) => !declared.has(c)), [], `rules/${file} reports codes its registration does not declare`);
    }
    // And the modules outside rules/ that report a code of their own.
    for (const r of RULE_REGISTRY.filter((x) => x.module.startsWith('../'))) {
      const file = path.join(RULES_DIR, `${r.module}.ts`);
      assert.ok(fs.existsSync(file), file);
    }
  });

  it('the driver runs the block, entry and card rules from the registry, not by name', () => {
    const driver = fs.readFileSync(path.join(ROOT, 'server', 'src', 'services', 'diagnostics.ts'), 'utf8');
    for (const list of ['BLOCK_RULES', 'ENTRY_RULES', 'CARD_RULES']) assert.match(driver, new RegExp(`\\b${list}\\b`), list);
    for (const r of RULE_REGISTRY.filter((x) => x.reads === 'block' || x.reads === 'entry' || (x.reads === 'card' && 'check' in x))) {
      // Their functions are called through the registry only.
      const fn = /=>\s*(?:\([^)]*\)\s*=>\s*)?[^(]*?(\w+Problems)\(/.exec(String((r as { check: unknown }).check));
      if (fn) assert.doesNotMatch(driver, new RegExp(`\\b${fn[1]}\\(`), `${fn[1]} is called by the driver itself`);
    }
  });
});
