/**
 * The README's Neovim lines, run in a real Neovim (headless, Debian's `neovim`): they start
 * `trl-cards-language-server` for a card and Neovim shows the checker's problems, at the
 * checker's lines and columns, with its codes. Skipped where Neovim is not installed, except in
 * CI (`CI=true`), where `.ci/run` installs it and a missing Neovim fails the test.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, skipBecause } from '../helpers';
import { editorSetup } from './editorSetup';

interface Shown {
  lnum: number;
  col: number;
  code: string;
  severity: number;
}

function neovim(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

/** The Lua block after the `neovim-init` marker in the README. */
function readmeLines(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- neovim-init[^>]*-->\s*```lua\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'the README has the Neovim lines after its neovim-init marker');
  return m[1];
}

// Waits for the server's diagnostics (as many as the checker finds: the cross-card ones come
// once the server has indexed the folder), then writes what Neovim shows.
const DRIVE = `
local out = assert(os.getenv('TRL_OUT'))
local want = tonumber(assert(os.getenv('TRL_WANT')))
-- vim.wait returns as soon as the condition holds (checked every 20 ms); 60 s is only the limit.
local ok = vim.wait(60000, function() return #vim.diagnostic.get(0) >= want end, 20)
local shown = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(shown, { lnum = d.lnum, col = d.col, code = tostring(code), severity = d.severity })
end
local names = {}
for _, c in pairs(vim.lsp.buf_get_clients(0)) do table.insert(names, c.name) end
local f = assert(io.open(out, 'w'))
f:write(vim.fn.json_encode({ waited = ok, filetype = vim.bo.filetype, clients = names, shown = shown }))
f:close()
vim.cmd('qall!')
`;

describe('the README\'s Neovim lines in Neovim', function () {
  this.timeout(120000);
  const version = neovim();

  before(function () {
    if (!version) {
      if (process.env.CI) assert.fail('Neovim is not installed: .ci/run installs Debian\'s neovim for this test.');
      skipBecause(this, 'Neovim (nvim) is not installed: install Debian\'s neovim to run the README\'s Neovim lines');
    }
  });

  it('starts the server for a card and shows the checker\'s problems at its places', () => {
    const setup = editorSetup('trl-neovim-');
    const { dir, card, cards, home } = setup;
    try {
      fs.writeFileSync(path.join(dir, 'init.lua'), readmeLines());
      fs.writeFileSync(path.join(dir, 'drive.lua'), DRIVE);
      // The checker's problems for the same card, at the same (1-based → 0-based) places.
      const expected = setup.expected.map((p) => ({ lnum: p.line - 1, col: p.column - 1, code: p.code, severity: ['error', 'warning', 'information', 'hint'].indexOf(p.severity) + 1 }));
      const out = path.join(dir, 'shown.json');
      const env = { ...process.env, PATH: setup.path, TRL_OUT: out, TRL_WANT: String(expected.length), HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'), XDG_STATE_HOME: path.join(home, '.local', 'state') };
      const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(dir, 'init.lua'), card, '-c', `luafile ${path.join(dir, 'drive.lua')}`], { cwd: cards, env, encoding: 'utf8', timeout: 100000 });
      assert.ok(fs.existsSync(out), `Neovim wrote what it showed (exit ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { waited: boolean; filetype: string; clients: string[]; shown: Shown[] };
      assert.strictEqual(result.filetype, 'yaml.trl-card');
      assert.deepStrictEqual(result.clients, ['trl-cards'], `${version}: the README's lines attached the server`);
      assert.ok(result.waited, 'diagnostics arrived');
      const key = (d: Shown) => `${d.lnum}:${d.col}:${d.code}:${d.severity}`;
      assert.deepStrictEqual(result.shown.map(key).sort(), expected.map(key).sort());
    } finally {
      setup.remove();
    }
  });
});
