#!/usr/bin/env node
// Runs the in-VS-Code suite in VS Code desktop through @vscode/test-electron — the standard
// runner on a machine that can download VS Code (it fetches VS Code from Microsoft's servers).
// On machines without that access, use `npm run test:vscode` (code-server + Chromium).
// Usage: npm run build && node scripts/test-electron.mjs [--version 1.100.3]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--version');
const version = i > 0 ? process.argv[i + 1] : '1.100.3';

try {
  await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist', 'test', 'vscode', 'index.js'),
    launchArgs: [path.join(root, 'test', 'vscode', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`VS Code tests failed: ${message}`);
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT/.test(message)) {
    console.error('VS Code desktop could not be downloaded here. Run `npm run test:vscode` instead: the same suite in code-server, driven by Chromium.');
  }
  process.exit(1);
}
