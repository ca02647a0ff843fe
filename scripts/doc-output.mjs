#!/usr/bin/env node
// Checker output shown in the docs, made by the checker: every ```console block right after a
// `<!-- checker-output … -->` line in README.md and examples/README.md holds `$ <command>` lines,
// each followed by what the command prints (stdout, then stderr). A command is `node dist/cli.js
// …` or `npx trl-cards …`, run as `node dist/cli.js …` from the repository root.
//
//   node scripts/doc-output.mjs           rewrite the output under each command (npm run docs)
//   node scripts/doc-output.mjs --check   change nothing; exit 1, with a diff, when a block is stale
//                                         (test/cli/doc-output.test.ts)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOCS = ['README.md', 'examples/README.md'];
const BLOCK = /(<!-- checker-output[^>]*-->\n```console\n)([\s\S]*?)(```)/g;
const COMMAND = /^\$ (?:node dist\/cli\.js|npx trl-cards) (.+)$/;

/** The block's text with each command's output made anew. */
function render(block, file) {
  const out = [];
  for (const line of block.split('\n')) {
    if (!line.startsWith('$ ')) continue;
    const m = COMMAND.exec(line);
    if (!m) throw new Error(`${file}: "${line}" is not a checker command (node dist/cli.js … or npx trl-cards …)`);
    // Arguments are words: no shell, no quotes.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...m[1].trim().split(/\s+/)], { cwd: ROOT, encoding: 'utf8' });
    if (r.error) throw r.error;
    const printed = (r.stdout + r.stderr).replace(/\n+$/, '');
    out.push(line, ...(printed ? printed.split('\n') : []));
  }
  return out.join('\n') + '\n';
}

/** Each doc's text with its blocks made anew, and which docs changed. */
export function refresh() {
  return DOCS.map((file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    let blocks = 0;
    const fresh = text.replace(BLOCK, (_, head, body, tail) => {
      blocks++;
      return head + render(body, file) + tail;
    });
    return { file, text, fresh, blocks };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { file, text, fresh, blocks } of refresh()) {
    if (fresh === text) continue;
    stale++;
    if (!check) {
      fs.writeFileSync(path.join(ROOT, file), fresh);
      console.error(`doc-output: ${file}: ${blocks} block${blocks === 1 ? '' : 's'} of checker output written.`);
      continue;
    }
    const a = text.split('\n');
    const b = fresh.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    console.error(`doc-output: ${file}: the checker output shown from line ${i + 1} is not what the checker prints now:\n  shown: ${a[i]}\n  now:   ${b[i]}\nRun \`npm run docs\` (after npm run build) to write it.`);
  }
  process.exitCode = check && stale ? 1 : 0;
}
