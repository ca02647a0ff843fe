/** `untested-high-risk`: from level 7, a requirement at or above the threshold named by no critical scenario. */
import * as assert from 'assert';
import { getLanguageService } from '../../server/src/languageService';
import { doc } from '../helpers';

const service = getLanguageService();

function card(level: number, named: string, opts: { marker?: boolean; risk?: string } = {}): string {
  return `${opts.marker ? '---\n' : ''}technology: T\nlevel: ${level}\nrequirements:\n  - id: "1.2"\n    kind: product\n    text: x\n    verification: x\n    validation: x\n    p_failure: 0.5\n    value: 8\n    mitigation: m\n  - id: 3\n    kind: product\n    text: x\n    verification: x\n    validation: x\n    ${opts.risk ?? 'p_failure: 0.1\n    value: 2'}\ncritical_scenarios:\n  - scenario: s\n${named}`;
}

function untested(text: string, settings = {}): { line: number; character: number; severity: string; message: string }[] {
  const d = doc(text);
  return service.problems(service.parse(text), settings).filter((p) => p.code === 'untested-high-risk').map((p) => ({ ...d.positionAt(p.start), severity: p.severity, message: p.message }));
}

describe('untested-high-risk', () => {
  for (const marker of [false, true]) {
    const how = marker ? 'a card parsed whole' : 'a split requirements list';
    it(`reports a high-risk requirement no scenario names, on its risk, as information (${how})`, () => {
      const found = untested(card(7, '', { marker }));
      assert.deepStrictEqual(found.map((f) => [f.line, f.character, f.severity]), [[marker ? 9 : 8, 15, 'information']], 'on p_failure (no risk is written)');
      assert.match(found[0].message, /Requirement `1\.2` has risk 0\.5 × 8 = 4, at or above 3, and no critical scenario names it/);
    });
    it(`is silent once a scenario names the requirement, by text or number (${how})`, () => {
      assert.deepStrictEqual(untested(card(7, '    requirements: ["1.2"]\n', { marker })), []);
      assert.deepStrictEqual(untested(card(9, '    requirements: ["1.2", 3]\n', { marker, risk: 'risk: 5' })), [], '3 named as a number');
      assert.strictEqual(untested(card(9, '    requirements: ["1.2"]\n', { marker, risk: 'risk: 5' })).length, 1, 'id 3 (risk 5) is not named');
    });
  }
  it('starts at level 7, and follows the mitigation threshold', () => {
    assert.deepStrictEqual(untested(card(6, '')), []);
    assert.strictEqual(untested(card(8, '')).length, 1);
    assert.deepStrictEqual(untested(card(7, ''), { config: { risk: { mitigation_threshold: 5 } } }), [], 'risk 4 is under a threshold of 5');
    assert.strictEqual(untested(card(7, ''), { mitigationThreshold: 0.1 }).length, 2, 'the setting lowers it: 0.2 counts too');
  });
  it('follows edits of the scenarios', () => {
    const before = card(7, '');
    let model = service.parse(before);
    assert.strictEqual(service.problems(model).filter((p) => p.code === 'untested-high-risk').length, 1);
    const at = before.length;
    model = service.update(model, { start: at, end: at, text: '    requirements: ["1.2"]\n' });
    assert.deepStrictEqual(service.problems(model).filter((p) => p.code === 'untested-high-risk'), []);
  });
});
