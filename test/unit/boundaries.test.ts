/**
 * Domain boundaries, each at the exact value where a one-line slip would change the verdict:
 * a `p_failure` of exactly 1 in every place a risk is computed, the `risk-mismatch` tolerance,
 * the mitigation threshold and its epsilon, one problem reported once, a card that lists
 * itself as a component, the one HTML escaper's `'`, the Markdown escaper's `<`, and "ready"
 * with a warning-level gap. Each test was seen to fail on the slip it names (issue 22).
 */
import * as assert from 'assert';
import { cardValue } from '../../server/src/card/model';
import { getLanguageService } from '../../server/src/languageService';
import { LEVELS, levelStatus } from '../../server/src/levels';
import { plainRisk, riskSummary } from '../../server/src/rules/requirements';
import { itemRisk } from '../../server/src/services/cardDiff';
import { readiness } from '../../server/src/services/readiness';
import { escapeHtml, htmlEntities, markdownCell, markdownText } from '../../server/src/text/escape';
import { progressFacts } from '../../server/src/workspace/progress';
import { doc, indexOf } from '../helpers';

const service = getLanguageService();

/** The problems of `code` on a card, as [code, the text they point at]. */
function found(text: string, code: string, settings = {}): [string, string][] {
  return service
    .problems(service.parse(text), settings)
    .filter((p) => p.code === code)
    .map((p) => [p.code, text.slice(p.start, p.end)]);
}

/** A level-2 card with one requirement of these fields, as a block list (split into items) or a flow list (one block). */
function requirementCard(fields: Record<string, number | string>, flow = false): string {
  const all: Record<string, number | string> = { id: '1', kind: 'research', text: 'T', verification: 'V', validation: 'W', ...fields };
  const head = 'technology: T\nlevel: 2\n';
  if (flow) return head + `requirements: [{${Object.entries(all).map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`).join(', ')}}]\n`;
  return head + 'requirements:\n' + Object.entries(all).map(([k, v], i) => `${i ? '   ' : '  -'} ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`).join('\n') + '\n';
}

describe('domain boundaries', () => {
  describe('a p_failure of exactly 1 is a probability: its risk is p_failure × value', () => {
    const item = { id: '1', p_failure: 1, value: 5 };

    it('in the rules (unmitigated-risk, untested-high-risk), in a block list and a flow list', () => {
      for (const flow of [false, true]) {
        const text = requirementCard({ p_failure: 1, value: 5 }, flow);
        const p = service.problems(service.parse(text)).filter((x) => x.code === 'unmitigated-risk');
        assert.strictEqual(p.length, 1, `flow: ${flow}`);
        assert.match(p[0].message, /has risk 1 × 5 = 5, at or above the mitigation threshold 3/);
        const high = requirementCard({ p_failure: 1, value: 5, mitigation: 'M' }, flow).replace('level: 2', 'level: 7');
        assert.deepStrictEqual(found(high, 'untested-high-risk'), [['untested-high-risk', '1']], `flow: ${flow}`);
      }
      // risk-mismatch compares with the product at p_failure 1 too.
      assert.deepStrictEqual(found(requirementCard({ p_failure: 1, value: 5, risk: 5 }), 'risk-mismatch'), []);
      assert.deepStrictEqual(found(requirementCard({ p_failure: 1, value: 5, risk: 4 }), 'risk-mismatch'), [['risk-mismatch', '4']]);
    });

    it('in the risk of plain data (preview, changes), the summary (hover, code lens) and the portfolio facts', () => {
      assert.strictEqual(plainRisk(item), 5);
      assert.strictEqual(itemRisk(item), 5);
      assert.deepStrictEqual(riskSummary({ requirements: [item] }, 3), { requirements: 1, scenarios: 0, total: 5, highest: { risk: 5, list: 'requirements', index: 0, id: '1' }, above: 1, mitigated: 0 });
      assert.deepStrictEqual(progressFacts({ requirements: [item] }).risks.map((r) => r.risk), [5]);
      // Just outside the range, the written `risk` is taken instead.
      assert.strictEqual(plainRisk({ p_failure: 1.01, value: 5, risk: 2 }), 2);
      assert.deepStrictEqual(progressFacts({ requirements: [{ p_failure: 1.01, value: 5, risk: 2 }] }).risks.map((r) => r.risk), [2]);
    });

    it("in the preview's risk table", () => {
      const text = requirementCard({ p_failure: 1, value: 5 });
      const m = service.preview(doc(text), service.parse(text), 1);
      assert.deepStrictEqual(m.risks.rows.map((r) => [r.risk, r.band]), [[5, 'high']]);
      assert.strictEqual(m.risks.aboveThreshold, 1);
      assert.strictEqual(m.risks.unmitigated, 1);
    });
  });

  describe('risk-mismatch tolerance (0.005)', () => {
    it('accepts a risk within 0.005 of the product, and reports one just outside', () => {
      // 0 × 1 = 0 exactly, so the difference is exactly the tolerance.
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0, value: 1, risk: 0.005 }), 'risk-mismatch'), []);
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0, value: 1, risk: 0.006 }), 'risk-mismatch'), [['risk-mismatch', '0.006']]);
      // 0.1 × 3 is 0.30000000000000004: a risk written as 0.3 is the product.
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0.1, value: 3, risk: 0.3 }), 'risk-mismatch'), []);
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0.3, value: 5, risk: 1.504 }), 'risk-mismatch'), []);
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0.3, value: 5, risk: 1.496 }), 'risk-mismatch'), []);
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0.3, value: 5, risk: 1.51 }), 'risk-mismatch'), [['risk-mismatch', '1.51']]);
      assert.deepStrictEqual(found(requirementCard({ p_failure: 0.3, value: 5, risk: 1.49 }), 'risk-mismatch'), [['risk-mismatch', '1.49']]);
    });
  });

  describe('mitigation threshold: at or above it, with 1e-9 for the product of two decimals', () => {
    // 0.7 × 3 is 2.0999999999999996: at a threshold of 2.1 it is at the threshold. The preview
    // rounds risks to 1e-6 (0.7 × 3 is 2.1 there): a threshold written with more decimals than
    // that is compared with the same epsilon, so the preview's band agrees with the rules.
    const thresholds = [2.1, 2.1000000005];
    const cases: [Record<string, number>, boolean, string][] = [
      [{ p_failure: 0.7, value: 3 }, true, 'high'],
      [{ p_failure: 0.3, value: 7 }, true, 'high'], // 2.1 exactly
      [{ p_failure: 0.69, value: 3 }, false, 'medium'], // 2.07
      [{ p_failure: 0.35, value: 3 }, false, 'medium'], // 1.05, half the threshold: 1.0499999999999998
      [{ p_failure: 0.1, value: 10, risk: 1 }, false, 'low'],
    ];

    it('unmitigated-risk, in a block list and a flow list', () => {
      for (const mitigationThreshold of thresholds) {
        for (const flow of [false, true]) {
          for (const [fields, above] of cases) {
            const where = `${JSON.stringify(fields)}, threshold ${mitigationThreshold}, flow: ${flow}`;
            assert.strictEqual(found(requirementCard(fields, flow), 'unmitigated-risk', { mitigationThreshold }).length, above ? 1 : 0, where);
          }
        }
      }
    });

    it('untested-high-risk, the risk summary and the preview band', () => {
      for (const mitigationThreshold of thresholds) {
        for (const [fields, above, band] of cases) {
          const where = `${JSON.stringify(fields)}, threshold ${mitigationThreshold}`;
          for (const flow of [false, true]) {
            const text = requirementCard({ ...fields, mitigation: 'M' }, flow).replace('level: 2', 'level: 7');
            assert.strictEqual(found(text, 'untested-high-risk', { mitigationThreshold }).length, above ? 1 : 0, `${where}, flow: ${flow}`);
          }
          assert.strictEqual(riskSummary({ requirements: [fields] }, mitigationThreshold).above, above ? 1 : 0, where);
          const text = requirementCard(fields);
          const m = service.preview(doc(text), service.parse(text), 1, { mitigationThreshold });
          assert.strictEqual(m.risks.rows[0].band, band, where);
          assert.strictEqual(m.risks.aboveThreshold, above ? 1 : 0, where);
        }
      }
    });
  });

  it('reports one problem once (yaml repeats a flow error for each unclosed bracket)', () => {
    const text = 'technology: x\nlevel: 0\ntldr: [[\n';
    const syntax = service.problems(service.parse(text)).filter((p) => p.code === 'syntax');
    assert.deepStrictEqual(
      syntax.map((p) => [p.start, p.end]),
      [[30, 31]],
    );
  });

  it('a card that lists itself in components is not a circle, nor its own limit', () => {
    const uri = 'file:///ws/sys.trl.yaml';
    for (const self of ['SYS', './sys.trl.yaml']) {
      const text = `technology: S\nid: SYS\nlevel: 5\ncomponents: [${self}]\n`;
      const idx = indexOf({ [uri]: text });
      const codes = service.problems(service.parse(text), {}, { uri, index: idx }).map((p) => p.code);
      assert.deepStrictEqual(codes.filter((c) => c.startsWith('component') || c.startsWith('unknown')), [], self);
      assert.ok(codes.includes('level-requirement'), 'the card is checked');
    }
  });

  it("escapes ' in HTML: the one escaper, and the report's", () => {
    assert.strictEqual(htmlEntities(`it's <b a="x">&`), 'it&#39;s &lt;b a=&quot;x&quot;&gt;&amp;');
    assert.strictEqual(escapeHtml(`' onmouseover='x`), '&#39; onmouseover=&#39;x');
  });

  it('escapes < in the Markdown export: raw HTML stays text', () => {
    assert.strictEqual(markdownText('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)>');
    assert.strictEqual(markdownCell('a <b> c'), 'a &lt;b> c');
  });

  it('a warning-level gap keeps a card from being ready', () => {
    // TRL 0 asks for `tldr` at warning severity.
    const entry = LEVELS[0].adds.find((a) => a.field === 'tldr')!;
    assert.strictEqual(entry.severity, 'warning');
    const text = 'technology: T\nlevel: 0\nowners:\n  rnd:\n    owner: Ada\n    reviewers: [Grace]\nhypotheses:\n  - statement: S\n    references: [Paper]\nresearch_plan: R\n';
    const data = cardValue(service.parse(text));
    const verdict = readiness({ data, level: 0, levels: LEVELS, problems: [] });
    assert.strictEqual(verdict.ready, false);
    assert.deepStrictEqual(verdict.missing.map((u) => [u.req.field, u.req.severity]), [['tldr', 'warning']]);
    assert.match(verdict.reasons[0], /1 item missing for TRL 0: `tldr`/);
    // With it, the card is ready.
    const whole = text + 'tldr: A short summary.\n';
    assert.strictEqual(readiness({ data: cardValue(service.parse(whole)), level: 0, levels: LEVELS, problems: [] }).ready, true);
    assert.strictEqual(levelStatus(data, 0).ready, false);
  });
});
