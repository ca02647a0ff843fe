/** The team configuration: parsing never throws, every problem has a precise range, and it shapes the rules. */
import * as assert from 'assert';
import { getLanguageService, parseConfig } from '../../server/src/languageService';
import { levelTable, LEVELS } from '../../server/src/levels';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { marked } from 'marked';

const service = getLanguageService();
const CARD = 'technology: T\nlevel: 4\ntldr: x\nowners:\n  owner: Ada\n  reviewers: [Grace]\nintended_use: x\ncaveats: [x]\nrequirements:\n  - id: 1\n    kind: research\n    text: x\n    verification: x\n    validation: x\n    p_failure: 0.3\n    value: 9\n    risk: 2\nversions:\n  code: "1.0.0"\n  data: "1.0.0"\ndata:\n  datasets: [{ name: d, simulated: false }]\n';

function problemsWith(configText: string | undefined) {
  const config = configText === undefined ? undefined : parseConfig(configText).config;
  return service.problems(service.parse(CARD), config ? { config } : {});
}

describe('team configuration', () => {
  it('reads a valid configuration with no problems', () => {
    const { config, problems } = parseConfig('rules:\n  risk-mismatch: error\nlevels:\n  "4":\n    entries: { ethics: error }\n    require:\n      - field: links.project\nrisk: { mitigation_threshold: 2 }\n');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(config.rules?.['risk-mismatch'], 'error');
    assert.strictEqual(config.risk?.mitigation_threshold, 2);
  });

  it('reports each mistake on its key, with a suggestion, and keeps the valid rest', () => {
    const text = 'rules:\n  risk-mismatch: error\n  placehodler: off\nlevels:\n  "4":\n    entries:\n      metric: off\n    require:\n      - field: links.doc\n';
    const { config, problems } = parseConfig(text);
    const at = problems.map((p) => [text.slice(p.start, p.end), p.code, p.message]);
    assert.deepStrictEqual(at.map((x) => x.slice(0, 2)), [['placehodler', 'invalid-config'], ['metric', 'invalid-config'], ['links.doc', 'invalid-config']]);
    assert.match(String(at[0][2]), /Did you mean `placeholder`\?/);
    assert.match(String(at[1][2]), /TRL 4 has no entry for `metric`\. Did you mean `metrics`\?/);
    assert.strictEqual(config.rules?.['risk-mismatch'], 'error', 'the valid rule still applies');
    assert.strictEqual(config.rules?.['placehodler'], undefined);
  });

  it('reports schema mistakes and YAML errors, never throwing', () => {
    let r = parseConfig('levels:\n  "12": {}\nrisk:\n  mitigation_threshold: high\nextra: 1\n');
    assert.ok(r.problems.length >= 3, JSON.stringify(r.problems));
    assert.ok(r.problems.every((p) => p.code === 'invalid-config' && p.end > p.start));
    r = parseConfig('rules: [unclosed\n');
    assert.strictEqual(r.problems[0].code, 'invalid-config');
    assert.match(r.problems[0].message, /not valid YAML/);
    for (const text of ['', '---\n', 'null', '42', '- a\n- b\n', 'rules:\n', 'levels:\n  "4":\n']) assert.doesNotThrow(() => parseConfig(text), text);
  });

  it('changes severities and turns rules off, as the user setting does (which wins)', () => {
    const base = problemsWith(undefined);
    const risk = base.find((p) => p.code === 'risk-mismatch');
    assert.strictEqual(risk?.severity, 'warning');
    const raised = problemsWith('rules:\n  risk-mismatch: error\n');
    assert.strictEqual(raised.find((p) => p.code === 'risk-mismatch')?.severity, 'error');
    assert.ok(!problemsWith('rules:\n  risk-mismatch: off\n').some((p) => p.code === 'risk-mismatch'));
    const config = parseConfig('rules:\n  risk-mismatch: error\n').config;
    const user = service.problems(service.parse(CARD), { config, rules: { 'risk-mismatch': 'information' } });
    assert.strictEqual(user.find((p) => p.code === 'risk-mismatch')?.severity, 'information');
  });

  it('adjusts and adds level entries', () => {
    const has = (list: ReturnType<typeof problemsWith>, field: string) => list.find((p) => p.code === 'level-requirement' && p.message.includes(`\`${field}\``));
    const base = problemsWith(undefined);
    assert.strictEqual(has(base, 'ethics')?.severity, 'warning');
    assert.ok(has(base, 'metrics'));
    assert.ok(!has(base, 'links.project'));
    const team = problemsWith('levels:\n  "4":\n    entries: { ethics: error, metrics: off }\n    require:\n      - { field: links.project, severity: error, reason: our wiki indexes every project page }\n');
    assert.strictEqual(has(team, 'ethics')?.severity, 'error');
    assert.ok(!has(team, 'metrics'));
    assert.strictEqual(has(team, 'links.project')?.severity, 'error');
    assert.match(has(team, 'links.project')!.message, /our wiki indexes every project page \(trl-cards\.config\.yaml\)/);
    // An entry added at level 2 applies to this level-4 card too (standing by default), a gate does not.
    const gate = problemsWith('levels:\n  "2":\n    require:\n      - { field: links.project, scope: gate }\n');
    assert.ok(!has(gate, 'links.project'));
  });

  it("shows a team's reason and field as text in hovers and completions, never as Markdown or HTML", () => {
    const hostile = '![x](https://evil.example.org/p.png) <img src=x onerror=alert(1)> [click](command:workbench.action.terminal.new) **bold** `code';
    const config = parseConfig(`levels:\n  "4":\n    require:\n      - { field: links.project, severity: error, reason: ${JSON.stringify(hostile)} }\n`).config!;
    const text = CARD + 'lin';
    const doc = TextDocument.create('file:///t.trl.yaml', 'trl-card', 1, text);
    const card = service.parse(text);
    const hover = service.hover(doc, card, { line: 1, character: 7 }, { config });
    const completion = service.complete(doc, card, doc.positionAt(text.length), { config }).items.find((i) => i.label === 'links');
    const docs = [hover?.contents, completion?.documentation].map((c) => (typeof c === 'object' && c && 'value' in c ? c.value : ''));
    for (const md of docs) {
      assert.ok(md.includes('evil'), md);
      // Rendered as VS Code renders hover Markdown: no image, no link, no HTML element, no emphasis from the reason.
      const html = marked.parse(md, { async: false }) as string;
      assert.doesNotMatch(html, /<img|<a |<strong>bold|onerror=alert\(1\)>/, html);
    }
  });

  it('sets the risk mitigation threshold', () => {
    // p_failure 0.3 × value 9 = 2.7, no mitigation: under the default 3, over a team threshold of 2.
    assert.ok(!problemsWith(undefined).some((p) => p.code === 'unmitigated-risk'));
    const low = problemsWith('risk: { mitigation_threshold: 2 }\n');
    const p = low.find((x) => x.code === 'unmitigated-risk');
    assert.ok(p);
    assert.match(p.message, /risk 0\.3 × 9 = 2\.7, at or above the mitigation threshold 2/);
  });

  it('merges once per configuration object, and leaves the built-in table alone', () => {
    const { config } = parseConfig('levels:\n  "4":\n    entries: { metrics: off }\n');
    assert.strictEqual(levelTable(config), levelTable(config));
    assert.ok(LEVELS[4].adds.some((a) => a.field === 'metrics'));
    assert.strictEqual(levelTable(undefined), LEVELS);
  });
});
