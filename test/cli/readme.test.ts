/** The README's claims, against what they describe: package.json, the snippets, the install scripts. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, { default: unknown }> } };
};

/** The text after a `<!-- name: … -->` marker, up to the next blank line. */
function marked(name: string, nth = 0): string {
  const all = [...README.matchAll(new RegExp(`<!-- ${name}:[^>]*-->\\n([\\s\\S]*?)(?:\\n\\n|$)`, 'g'))];
  assert.ok(all[nth], `the README has a <!-- ${name}: … --> marker (${nth + 1})`);
  return all[nth][1];
}

const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('the README', () => {
  it('says what the project is and gives the two commands on its first screen, with the paper and the authors\' template', () => {
    const first = README.split('\n').slice(0, 30).join('\n');
    assert.match(first, /^# TRL Cards\n\nAuthor and check \*\*TRL cards\*\* in VS Code and in CI\./);
    for (const command of ['npm ci && npm start', 'npm ci && npm test']) assert.ok(first.includes(`\n${command} `), command);
    assert.ok(first.includes('(https://arxiv.org/abs/2006.12497)'), 'the paper');
    assert.ok(first.includes('(https://github.com/ai-infrastructure-alliance/mltrl)'), 'the template');
  });

  it('has one Snippets section, naming every snippet where the editor offers it', () => {
    const bullets = README.split('\n- ').filter((b) => b.startsWith('**Snippets**'));
    assert.strictEqual(bullets.length, 1, 'one Snippets bullet');
    const text = bullets[0].replace(/\s+/g, ' ');
    const cards = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'trl-card.json'), 'utf8')) as Record<string, { prefix: string | string[] }>;
    for (const s of Object.values(cards)) for (const prefix of [s.prefix].flat()) assert.ok(text.includes(`\`${prefix}\``), prefix);
    const items = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'items.json'), 'utf8')) as { snippets: { label: string; in: string }[] };
    for (const s of items.snippets) assert.match(text, new RegExp(`\\*${s.label}\\*[^*]*? in (?:an empty )?\`${s.in.replace('.', '\\.')}:?\``), `${s.label} in ${s.in}`);
  });

  it('lists every command the extension contributes, and no other', () => {
    const list = marked('commands').replace(/\s+/g, ' ');
    const shown = [...list.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]).sort();
    const contributed = PKG.contributes.commands.map((c) => (c.category ? `${c.category}: ${c.title}` : c.title)).sort();
    assert.deepStrictEqual(shown, contributed);
  });

  it('lists every setting with its default', () => {
    const rows = [...README.matchAll(/^\| `(trlCards\.[\w.]+)` \| `([^`]*)` \|/gm)].map((m) => [m[1], m[2]]);
    const expected = Object.entries(PKG.contributes.configuration.properties).map(([k, v]) => [k, typeof v.default === 'string' ? v.default : JSON.stringify(v.default)]);
    assert.deepStrictEqual(rows.sort(), expected.sort());
  });

  it('says what `npm test` runs, and what it does not, as package.json has it', () => {
    const table = marked('tests');
    const row = table.split('\n').find((l) => l.startsWith('| `npm test` |'))!;
    const [runs, notRuns] = row.split('Does not run');
    assert.ok(notRuns, row);
    const chain = PKG.scripts.test.split('&&').map((c) => c.trim().replace(/^npm run /, ''));
    assert.deepStrictEqual(ticked(runs).filter((c) => c.startsWith('npm run ')).map((c) => c.slice('npm run '.length)), chain);
    // Every other test, fuzz or benchmark script is named as not run, unless npm test runs all its parts.
    const named = new Set(ticked(notRuns).map((c) => c.replace(/^npm run /, '')));
    for (const [name, script] of Object.entries(PKG.scripts)) {
      if (!/^(test|fuzz|bench)/.test(name) || chain.includes(name)) continue;
      const parts = script.split('&&').map((c) => c.trim().replace(/^npm run /, ''));
      if (parts.every((p) => chain.includes(p))) continue;
      assert.ok(named.has(name), `${name} is said not to run`);
    }
    for (const [, command] of table.matchAll(/^\| `npm (?:run )?([\w:]+)` \|/gm)) assert.ok(PKG.scripts[command], `${command} is a script`);
  });

  it('names every Debian package the install scripts install', () => {
    const apt = /^APT_PKGS=\(([^)]*)\)/m.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'install-code-server.sh'), 'utf8'));
    assert.ok(apt);
    assert.deepStrictEqual(ticked(marked('debian-packages', 0)).filter((p) => !p.includes('/')).sort(), apt[1].trim().split(/\s+/).sort());
    const ci = [...fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').matchAll(/PACKAGES\+=\(([^)]*)\)/g)].flatMap((m) => m[1].trim().split(/\s+/));
    assert.deepStrictEqual(ticked(marked('debian-packages', 1)).sort(), ci.sort());
  });
});
