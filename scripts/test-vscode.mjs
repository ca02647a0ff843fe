#!/usr/bin/env node
// @ts-check
/**
 * Runs an extension's mocha suite inside a REAL VS Code: code-server's web workbench
 * (VS Code 1.100.3) with its Node extension host, driven by headless Chromium through
 * playwright-core. The same suite `@vscode/test-electron` runs on a desktop (a module that
 * exports `run()`), loaded with the `extensionDevelopmentPath` / `extensionTestsPath`
 * payload. Optionally runs UI checks (a module whose default export gets the Playwright page).
 *
 * Usage:
 *   node scripts/test-vscode.mjs --extension <absdir> --tests <abs index.js> --workspace <absdir>
 *        [--artifacts <dir>] [--ui <module.mjs>] [--timeout <seconds>] [--verbose] [--keep-temp]
 *
 *   --extension  folder holding the extension's package.json (extensionDevelopmentPath)
 *   --tests      bundled mocha entry exporting run() (extensionTestsPath)
 *   --workspace  folder opened in the workbench
 *   --artifacts  where screenshots/logs go (default <repo>/test-artifacts/vscode)
 *   --ui         ESM module; `export default async ({ page, artifactsDir, workspace, helpers, log }) => {}`
 *   --timeout    overall limit in seconds after the install (default 480, or $TEST_VSCODE_TIMEOUT)
 *   --install-timeout  limit for scripts/install-code-server.sh (default 900, or
 *                $TEST_VSCODE_INSTALL_TIMEOUT); fast when already installed
 *   --verbose    also echo code-server's output and the browser console
 *   --keep-temp  keep the temporary user-data/extensions dirs
 *
 * Exit codes: 0 passed; 1 tests failed; 2 bad usage; 3 UI checks failed; 4 timed out;
 * 5 infrastructure error (install, code-server or browser failed).
 *
 * The parts, in scripts/vscode/ (scripts/start.mjs uses them too): options.mjs (this command
 * line), install.mjs (code-server, Chromium, playwright-core), codeServer.mjs (profile, server,
 * workbench URL), browser.mjs (Chromium and the page the tests report to), extensionHost.mjs,
 * clock.mjs (phases, the deadline, signals), uiChecks.mjs, artifacts.mjs, cleanup.mjs, and
 * run.mjs, which runs them in order.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from './vscode/run.mjs';

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(5);
    },
  );
}
