// One build script for every bundle. `node esbuild.js [--production] [--watch]`.
// Type checking is separate: `npm run typecheck` (tsc, strict).
const esbuild = require('esbuild');
const path = require('path');
const fs = require('fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The VS Code client. `vscode` is provided by the extension host.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The language server, runnable standalone: `node dist/server.js --stdio`.
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  // The command-line checker (package bin `trl-cards`).
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (!production) {
  // Tests that run inside the VS Code extension host (bundled with mocha).
  targets.push({
    ...common,
    entryPoints: ['test/vscode/suite/index.ts'],
    outfile: 'dist/test/vscode/index.js',
    external: ['vscode'],
  });
}

async function main() {
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  if (watch) {
    const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  await Promise.all(targets.filter((t) => fs.existsSync(t.entryPoints[0])).map((t) => esbuild.build(t)));
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
