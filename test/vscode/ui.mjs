// @ts-check
/**
 * What a person sees, checked on the same workbench page after the extension tests:
 * YAML colouring of a card, the Problems panel, and the completion widget. A screenshot of
 * each is saved as a test artifact. Run by scripts/test-vscode.mjs --ui.
 */
import assert from 'node:assert';

/** @param {{ page: import('playwright-core').Page, artifactsDir: string, helpers: typeof import('../../scripts/vscode-ui.mjs'), log: (m: string) => void }} ctx */
export default async function uiChecks({ page, artifactsDir, helpers: ui, log }) {
  // 1. A card opens with YAML colouring.
  await ui.openFile(page, 'broken.trl.yaml');
  await ui.waitForEditorTokens(page, { minColors: 2 });
  assert.ok(await ui.isColoured(page), 'the card is syntax-coloured');
  log(`colouring: ${await ui.screenshot(page, artifactsDir, 'card-colouring')}`);

  // 2. The Problems panel lists the card's problems, with their codes.
  const problems = await ui.readProblems(page, { atLeast: 2, matching: /Unknown field `reviwers`/ });
  const all = problems.join('\n');
  assert.match(all, /Unknown field `reviwers`/, all);
  assert.match(all, /invalid-semver/, all);
  assert.match(all, /unknown-field/, all);
  log(`problems: ${await ui.screenshot(page, artifactsDir, 'problems-panel')}`);

  // 3. The completion widget shows the level's missing fields first.
  await ui.openFile(page, 'level4.trl.yaml');
  const missing = ['assumptions', 'caveats', 'ethics', 'intended_use'];
  const lines = await ui.readEditorLines(page);
  const labels = await ui.triggerSuggest(page, { line: lines.length, column: 1, expect: missing });
  assert.deepStrictEqual(labels.slice(0, missing.length).sort(), missing, `first suggestions: ${labels.join(', ')}`);
  log(`completion: ${await ui.screenshot(page, artifactsDir, 'completion-widget')}`);
  await page.keyboard.press('Escape');
}
