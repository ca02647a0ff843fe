/** The level model on small cards: scopes, entry levels, alternatives and conditions. */
import * as assert from 'assert';
import { getLanguageService } from '../../server/src/languageService';
import { LEVELS, levelStatus, levelTitle } from '../../server/src/levels';
import { parse } from 'yaml';

const service = getLanguageService();

/** The fields the level rule asks for, with their severities, on a card given as YAML. */
function asked(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of service.problems(service.parse(text))) {
    if (p.code !== 'level-requirement' || !p.data) continue;
    out[`${p.data.field}${p.data.condition ? `:${p.data.condition}` : ''}`] = p.severity;
  }
  return out;
}

const BASE = 'technology: T\ntldr: x\nowners:\n  owner: Ada\n  reviewers: [Grace]\n';

describe('level model', () => {
  it('asks gates only of a card at their level; later cards inherit them', () => {
    assert.strictEqual(asked(`${BASE}level: 0\n`)['hypotheses'], 'error');
    assert.strictEqual(asked(`${BASE}level: 0\n`)['research_plan'], 'error');
    const l1 = asked(`${BASE}level: 1\n`);
    assert.strictEqual(l1['hypotheses'], undefined, 'the level-0 gate is not asked at level 1');
    assert.strictEqual(l1['experiments'], 'error');
    const l8 = asked(`${BASE}level: 8\n`);
    for (const gate of ['hypotheses', 'research_plan', 'experiments', 'decision_path', 'testing.unit', 'review']) assert.strictEqual(l8[gate], undefined, gate);
    assert.strictEqual(l8['requirements'], 'error', 'standing from level 2');
    assert.strictEqual(l8['testing.deployment'], 'error');
  });

  it('lets one owners row, or either side, satisfy the owner and reviewer', () => {
    for (const owners of ['owners:\n  owner: A\n  reviewers: [B]\n', 'owners:\n  product:\n    owner: A\n    reviewers: [B]\n', 'owners:\n  rnd:\n    owner: A\n  product:\n    reviewers: [B]\n']) {
      const a = asked(`technology: T\ntldr: x\nlevel: 0\n${owners}`);
      assert.strictEqual(a['owners.rnd.owner'], undefined, owners);
      assert.strictEqual(a['owners.rnd.reviewers'], undefined, owners);
    }
    const none = asked('technology: T\ntldr: x\nlevel: 0\n');
    assert.strictEqual(none['owners.rnd.owner'], 'error');
    assert.match(service.problems(service.parse('technology: T\nlevel: 0\n')).map((p) => p.message).join('\n'), /`owners.rnd.owner` \(or `owners.owner`, or `owners.product.owner`\)/);
  });

  it('expects the product owner from level 6, not 5; one reviewer is enough after level 1', () => {
    const rnd = 'technology: T\ntldr: x\nowners:\n  rnd:\n    owner: A\n    reviewers: [B]\n';
    assert.strictEqual(asked(`${rnd}level: 5\n`)['owners.product.owner'], undefined);
    assert.strictEqual(asked(`${rnd}level: 6\n`)['owners.product.owner'], 'warning');
    assert.strictEqual(asked(`${rnd}level: 1\n`)['owners.rnd.reviewers'], 'information', 'the level-1 panel');
    assert.strictEqual(asked(`${rnd}level: 2\n`)['owners.rnd.reviewers'], undefined);
  });

  it('releases the entries below entered_at, and asks previous and debrief only above it', () => {
    const at1 = asked(`${BASE}level: 1\nentered_at: 1\n`);
    assert.strictEqual(at1['previous'], undefined, 'a card at its entry level has no earlier card');
    assert.strictEqual(at1['debrief'], undefined);
    assert.strictEqual(at1['experiments'], 'error', 'the gate of its own level still holds');
    const at5 = asked(`${BASE}level: 5\nentered_at: 4\n`);
    assert.strictEqual(at5['previous'], 'warning');
    assert.strictEqual(at5['requirements'], undefined, 'level 2 is below the entry level');
    assert.strictEqual(at5['intended_use'], 'error');
    assert.strictEqual(asked(`technology: T\nlevel: 5\nentered_at: 4\n`)['tldr'], 'warning', 'always: whatever entered_at');
  });

  it('takes per-dataset versions as the data version, and a leading v', () => {
    const card = (datasets: string) => `${BASE}level: 2\nversions: { code: "v1.2.0" }\ndata:\n  datasets:\n${datasets}`;
    assert.strictEqual(asked(card('    - { name: a, simulated: true, version: "1.0.0" }\n    - { name: b, simulated: false, version: "v2.0.0" }\n'))['versions.data'], undefined);
    assert.strictEqual(asked(card('    - { name: a, simulated: true, version: "1.0.0" }\n    - { name: b, simulated: false }\n'))['versions.data'], 'warning', 'every dataset has to have one');
    assert.ok(!service.problems(service.parse(card('    - { name: a, simulated: true, version: "v1.0.0" }\n'))).some((p) => p.code === 'invalid-semver'));
  });

  it('asks sim-to-real of simulated data, not of benchmark problems', () => {
    const card = (extra: string) => `${BASE}level: 4\ndata:\n  datasets:\n    - { name: d, simulated: true${extra} }\n`;
    assert.strictEqual(asked(card(''))['sim_to_real:simulated-data'], 'warning');
    assert.strictEqual(asked(card(', benchmark: true'))['sim_to_real:simulated-data'], undefined);
  });

  it('reports a failing suite at level 7 and above on the failing value, as an error', () => {
    const text = `${BASE}level: 7\ntesting:\n  unit: passing\n  integration: failing\n  regression: failing\n`;
    const failing = service.problems(service.parse(text)).filter((p) => p.data?.condition === 'failing-tests');
    assert.deepStrictEqual(failing.map((p) => [text.slice(p.start, p.end), p.severity]), [['failing', 'error'], ['failing', 'error']]);
    assert.match(failing[0].message, /all green/);
    // At the productization review (level 6) a failing suite is a warning; below it, nothing.
    assert.strictEqual(asked(`${BASE}level: 6\ntesting:\n  integration: failing\n`)['testing:failing-tests'], 'warning', 'a warning at level 6');
    assert.strictEqual(asked(`${BASE}level: 5\ntesting:\n  integration: failing\n`)['testing:failing-tests'], undefined, 'not below level 6');
  });

  it('accepts any deployment test, suggesting the paper\'s', () => {
    const text = `${BASE}level: 8\ntesting:\n  deployment: [shadow, chaos-testing]\n`;
    assert.ok(!service.problems(service.parse(text)).some((p) => p.code === 'invalid-value'));
  });

  it('names each level as the authors do now, and the paper where it differs', () => {
    assert.strictEqual(levelTitle(LEVELS[0]), 'TRL 0 — First Principles (the paper: Brainstorming)');
    assert.strictEqual(levelTitle(LEVELS[3]), 'TRL 3 — Systems Development (the paper: System Development)');
    assert.strictEqual(levelTitle(LEVELS[4]), 'TRL 4 — Proof of Concept (PoC) Development');
    assert.match(LEVELS[4].gate, /real scenario/);
    assert.doesNotMatch(LEVELS[4].gate, /real data/);
    assert.match(LEVELS[9].reviewers, /maintenance engineering takes over the work/);
  });

  it('says what is ready: nothing error- or warning-level missing', () => {
    const data = parse(`${BASE}level: 0\nhypotheses: [{ statement: s, references: [r] }]\nresearch_plan: p\n`);
    const status = levelStatus(data, 0);
    assert.ok(status.ready, JSON.stringify(status.unmet.map((u) => u.req.field)));
    assert.ok(status.next.some((u) => u.req.field === 'experiments'));
  });
});
