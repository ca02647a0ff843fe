// @ts-check
/**
 * What a person sees, checked on the same workbench page after the extension tests:
 * YAML colouring of a card, the Problems panel, and the completion widget. A screenshot of
 * each is saved as a test artifact. Run by scripts/test-vscode.mjs --ui.
 */
import assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  const missing = ['assumptions', 'caveats', 'debrief', 'ethics', 'intended_use'];
  const lines = await ui.readEditorLines(page);
  const labels = await ui.triggerSuggest(page, { line: lines.length, column: 1, expect: missing });
  assert.deepStrictEqual(labels.slice(0, missing.length).sort(), missing, `first suggestions: ${labels.join(', ')}`);
  log(`completion: ${await ui.screenshot(page, artifactsDir, 'completion-widget')}`);
  await page.keyboard.press('Escape');

  // 4. The card preview.
  await previewChecks({ page, artifactsDir, helpers: ui, log });
  await reviewerChecks({ page, artifactsDir, helpers: ui, log });

  // 5. The TRL Cards view and the portfolio dashboard.
  await portfolioChecks({ page, artifactsDir, helpers: ui, log });
}

/** Elements and attributes a card's text must never become in the preview or the export (our folded values are `details.fold`). */
const FORBIDDEN = 'img, iframe, object, embed, svg, video, audio, form, base, details:not(.fold), body meta, body link, body style';

/**
 * What the page shows of hostile text: nothing executed, nothing loaded, no element or
 * attribute from the card, every link http(s) or in-page.
 * @param {import('playwright-core').Frame} frame
 */
async function assertInert(frame) {
  const found = await frame.evaluate((forbidden) => {
    const bad = [...document.querySelectorAll(forbidden)].map((e) => e.outerHTML.slice(0, 80));
    const handlers = [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || a.name === 'ping' || a.name === 'srcdoc').map((a) => `${e.tagName} ${a.name}`));
    // http(s), and the page's own parts (`#`, the verdict's links to `#checklist`, …).
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => !/^#[\w-]*$/.test(h ?? '') && !/^https?:\/\//.test(h ?? ''));
    const scripts = [...document.querySelectorAll('script')].map((s) => s.src || s.textContent?.slice(0, 60));
    let parentPwned;
    try {
      parentPwned = /** @type {any} */ (window.parent)?.__trlPwned;
    } catch {
      parentPwned = undefined; // another origin: nothing of ours could have set it either
    }
    return { bad, handlers, links, scripts, pwned: /** @type {any} */ (window).__trlPwned, parentPwned };
  }, FORBIDDEN);
  assert.deepStrictEqual(found.bad, [], `no element from the card: ${JSON.stringify(found.bad)}`);
  assert.deepStrictEqual(found.handlers, [], `no event-handler attribute from the card: ${JSON.stringify(found.handlers)}`);
  assert.deepStrictEqual(found.links, [], `only http(s) and in-page links: ${JSON.stringify(found.links)}`);
  assert.strictEqual(found.pwned, undefined, 'nothing from the card ran');
  assert.strictEqual(found.parentPwned, undefined, 'nothing from the card ran in the host frame');
  return found.scripts;
}

/**
 * The card preview, checked from the browser: it opens beside a card and draws it; a click
 * on a requirement reveals its line; light and dark themes; a window reload brings it back;
 * a card of hostile strings executes and loads nothing, in the preview and in the HTML that
 * `trl-cards render` writes.
 * @param {{ page: import('playwright-core').Page, artifactsDir: string, helpers: typeof import('../../scripts/vscode-ui.mjs'), log: (m: string) => void }} ctx
 */
export async function previewChecks({ page, artifactsDir, helpers: ui, log }) {
  /** @type {string[]} */
  const outside = [];
  const onRequest = (/** @type {import('playwright-core').Request} */ r) => {
    if (/evil\.example/.test(r.url())) outside.push(r.url());
  };
  page.context().on('request', onRequest);

  await ui.openFile(page, 'level4.trl.yaml');
  await ui.runCommand(page, 'TRL Cards: Open Preview to the Side');
  let frame = await ui.webviewFrame(page, 'h1.title', { text: 'Radar nowcasting' });
  assert.match((await frame.locator('.meta .trl').textContent()) ?? '', /^TRL 4 — /);
  const theme = async () => ((await frame.evaluate(() => document.body.className)).match(/vscode-(light|dark|high-contrast)/)?.[1] ?? 'unknown');
  const first = await theme();
  log(`preview (${first}): ${await ui.screenshot(page, artifactsDir, `preview-${first}`)}`);

  // A click on a requirement puts the editor's cursor on its line.
  const row = frame.locator('#risk-rows tr').first();
  const line = Number(await row.getAttribute('data-line'));
  const activeLine = page.locator('.monaco-editor .margin .line-numbers.active-line-number', { hasText: new RegExp(`^\\s*${line + 1}\\s*$`) });
  assert.strictEqual(await activeLine.count(), 0, `the cursor is not on line ${line + 1} before the click`);
  await row.click();
  // The editor's cursor line: its line number is drawn as the active one. (Not the status bar's
  // "Ln …": it shows only while the editor has the focus, which the webview may take back from
  // the click that caused the reveal.)
  await activeLine.first().waitFor({ state: 'visible' });
  log(`click on requirement row revealed line ${line + 1}`);

  // The other theme (light or dark): the preview takes VS Code's colours as the theme changes.
  await ui.runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.waitForFunction((was) => !document.body.classList.contains(`vscode-${was}`), first);
  const second = await theme();
  assert.notStrictEqual(second, first);
  log(`preview (${second}): ${await ui.screenshot(page, artifactsDir, `preview-${second}`)}`);
  await ui.runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.waitForFunction((was) => document.body.classList.contains(`vscode-${was}`), first);

  // A reload brings the preview back, on its card (the serializer).
  await ui.runCommand(page, 'Developer: Reload Window');
  await ui.waitForWorkbench(page);
  frame = await ui.webviewFrame(page, 'h1.title', { text: 'Radar nowcasting', timeout: 60_000 });
  log('preview restored after a window reload');

  // Hostile strings: the preview follows the active editor to the hostile card.
  // (Generous waits: right after a reload, Quick Open's file search and the server's index are
  // still warming up, and CI machines are busy.)
  await ui.openFile(page, 'hostile/hostile.trl.yaml', { timeout: 90_000 });
  frame = await ui.webviewFrame(page, 'h1.title', { text: "<script>window.parent.__trlPwned = 'title'</script>", timeout: 90_000 });
  await frame.locator('#risk-rows tr').first().waitFor({ timeout: 90_000 });
  const scripts = await assertInert(frame);
  // Scripts: the extension's page script, and what VS Code itself puts in every webview.
  log(`scripts in the preview: ${JSON.stringify(scripts)}`);
  assert.ok(!scripts.some((x) => /__trlPwned/.test(String(x))), `no script from the card: ${JSON.stringify(scripts)}`);
  for (const f of page.frames()) assert.strictEqual(await f.evaluate(() => /** @type {any} */ (window).__trlPwned).catch(() => undefined), undefined);
  log(`hostile card in the preview: ${await ui.screenshot(page, artifactsDir, 'preview-hostile')}`);

  // The same card rendered by the checker, opened in Chromium.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const out = path.join(artifactsDir, 'hostile-render.html');
  execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'render', path.join(root, 'test', 'vscode', 'workspace', 'hostile', 'hostile.trl.yaml'), '--out', out]);
  const exported = await page.context().newPage();
  try {
    await exported.goto(pathToFileURL(out).href);
    assert.match((await exported.locator('h1.title').textContent()) ?? '', /<script>window\.parent\.__trlPwned/);
    const none = await assertInert(exported.mainFrame());
    assert.deepStrictEqual(none, [], 'the export has no script at all');
    await exported.screenshot({ path: path.join(artifactsDir, 'render-hostile.png') });
    log(`trl-cards render output inert in Chromium: ${path.join(artifactsDir, 'render-hostile.png')}`);
  } finally {
    await exported.close();
  }
  page.context().off('request', onRequest);
  assert.deepStrictEqual(outside, [], 'nothing was requested from the hostile card’s hosts');
}

/**
 * The TRL Cards view and the portfolio dashboard, checked from the browser: the view lists the
 * technologies by level; the dashboard draws its SVG charts beside their tables, in the light
 * and the dark theme (the charts' colours follow it), shows the hostile card's strings as text
 * with nothing run, and a click on a technology opens its card.
 * @param {{ page: import('playwright-core').Page, artifactsDir: string, helpers: typeof import('../../scripts/vscode-ui.mjs'), log: (m: string) => void }} ctx
 */
export async function portfolioChecks({ page, artifactsDir, helpers: ui, log }) {
  await ui.runCommand(page, 'View: Show TRL Cards');
  const row = page.locator('.pane-body .monaco-list-row', { hasText: 'Delivery route planner' });
  await row.waitFor({ state: 'visible' });
  assert.match((await row.textContent()) ?? '', /TRL 5 · held back by GPS map matcher/);
  // A name's bidi override shown as its code, never applied.
  await page.locator('.pane-body .monaco-list-row', { hasText: '<img src=x>⟨U+202E⟩lmth.exe' }).first().waitFor({ state: 'visible' });
  log(`TRL Cards view: ${await ui.screenshot(page, artifactsDir, 'portfolio-tree')}`);

  await ui.runCommand(page, 'TRL Cards: Open Portfolio');
  const frame = await ui.webviewFrame(page, '#dashboard h1', { text: 'TRL portfolio' });
  await frame.waitForFunction(() => document.querySelectorAll('#dashboard figure > svg').length === 3 && !document.getElementById('indexing'));
  const seen = await frame.evaluate(() => ({
    charts: [...document.querySelectorAll('.chart')].map((c) => ({ svg: c.querySelectorAll('figure > svg').length, rows: c.querySelectorAll('tbody tr').length, shapes: c.querySelectorAll('svg path, svg rect').length })),
    handlers: [...document.querySelectorAll('body *')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || /href$/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
    scripts: [...document.querySelectorAll('script')].map((x) => x.src),
    styles: document.querySelectorAll('#dashboard style, #dashboard [style]').length,
    hostile: [...document.querySelectorAll('#technologies button.card-link')].some((b) => /<svg onload=/.test(b.textContent ?? '') || /<script>/.test(b.textContent ?? '')),
    // The bidi card's name: its override shown as a chip, and no bidi control left in the page's text.
    bidi: [...document.querySelectorAll('#technologies button.card-link')].map((b) => b.textContent ?? '').filter((t) => t.includes('lmth.exe')),
    raw: [...document.querySelectorAll('#dashboard *')].flatMap((e) => [...e.childNodes].filter((n) => n.nodeType === 3 && /[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/.test(n.textContent ?? '')).map((n) => n.textContent)),
    pwned: /** @type {any} */ (window).__trlPwned,
  }));
  assert.strictEqual(seen.charts.length, 3, JSON.stringify(seen.charts));
  for (const c of seen.charts) {
    assert.strictEqual(c.svg, 1, JSON.stringify(c));
    assert.ok(c.rows > 0, `each chart has its numbers beside it: ${JSON.stringify(c)}`);
    assert.ok(c.shapes > 5, `each chart draws shapes: ${JSON.stringify(c)}`);
  }
  assert.deepStrictEqual(seen.handlers, [], 'no event handler or link attribute in the page body');
  assert.strictEqual(seen.styles, 0, 'no inline style in the dashboard (none came through from the SVG)');
  assert.ok(seen.hostile, 'the hostile card is listed, its markup shown as text');
  assert.ok(seen.bidi.length > 0 && seen.bidi.every((t) => t === '<img src=x>⟨U+202E⟩lmth.exe'), `the bidi card's name, its override shown: ${JSON.stringify(seen.bidi)}`);
  assert.deepStrictEqual(seen.raw, [], 'no bidi control or invisible character applied in the dashboard (tables and charts)');
  assert.strictEqual(seen.pwned, undefined, 'nothing from a card ran');
  assert.ok(seen.scripts.every((src) => /portfolio\.js/.test(src) || src === ''), `only our script: ${JSON.stringify(seen.scripts)}`);

  const theme = async () => ((await frame.evaluate(() => document.body.className)).match(/vscode-(light|dark|high-contrast)/)?.[1] ?? 'unknown');
  const textFill = () => frame.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector('#dashboard figure svg text'))).fill);
  const first = await theme();
  const firstFill = await textFill();
  log(`portfolio dashboard (${first}): ${await ui.screenshot(page, artifactsDir, `portfolio-${first}`)}`);
  await ui.runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.waitForFunction((was) => !document.body.classList.contains(`vscode-${was}`), first);
  const second = await theme();
  assert.notStrictEqual(await textFill(), firstFill, 'the charts take the theme’s colours');
  await frame.locator('#chart-ladder').scrollIntoViewIfNeeded();
  log(`portfolio dashboard (${second}): ${await ui.screenshot(page, artifactsDir, `portfolio-${second}`)}`);
  log(`TRL Cards view (${second}): ${await ui.screenshot(page, artifactsDir, `portfolio-tree-${second}`)}`);
  await ui.runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.waitForFunction((was) => document.body.classList.contains(`vscode-${was}`), first);

  // A click on a technology opens its card.
  await frame.locator('#technologies button.card-link', { hasText: 'GPS map matcher' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'map-matcher.trl.yaml' }).waitFor({ state: 'visible' });
  log('a click on a technology in the dashboard opened its card');
}

/**
 * What a reviewer's page shows, read from its DOM (the preview's webview, or an exported page):
 * - `split`: words of a table cell split over two lines or wider than their cell (a word runs
 *   between spaces, cut after its hyphens, where a line may break; a word in a `.long-word` box
 *   scrolls in it and is left out);
 * - the verdict's line and where it is; where the reviewer's parts and the card face start;
 * - `raw`: text nodes holding a bidi control or an invisible character (applied, not shown);
 *   `chips`: the hidden characters shown as their codes.
 */
function readReview() {
  /** @type {string[]} */
  const split = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.getClientRects().length === 0) continue;
    const box = cell.getBoundingClientRect();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('.long-word')) continue;
      for (const m of (n.textContent ?? '').matchAll(/[^\s-]*-|[^\s-]+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index ?? 0);
        r.setEnd(n, (m.index ?? 0) + m[0].length);
        const rects = [...r.getClientRects()].filter((x) => x.width > 0);
        if (rects.length > 1 || rects.some((x) => x.right > box.right + 1 || x.left < box.left - 1)) split.push(m[0].slice(0, 40));
      }
    }
  }
  const HIDDEN = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
  /** @type {string[]} */
  const raw = [];
  const all = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = all.nextNode(); n; n = all.nextNode()) if (HIDDEN.test(n.textContent ?? '')) raw.push(JSON.stringify((n.textContent ?? '').slice(0, 60)));
  const status = document.querySelector('#verdict .status')?.getBoundingClientRect();
  const top = (/** @type {string} */ sel) => document.querySelector(sel)?.getBoundingClientRect().top ?? -1;
  return {
    split,
    cells: document.querySelectorAll('td').length,
    verdict: (document.querySelector('#verdict .status')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    verdictBottom: status ? status.bottom : Infinity,
    jumps: [...document.querySelectorAll('#verdict nav a')].map((a) => a.getAttribute('href')),
    height: window.innerHeight,
    width: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    reviewTop: top('.review'),
    faceTop: top('.face'),
    title: document.querySelector('h1')?.textContent ?? '',
    raw,
    chips: [...document.querySelectorAll('.hidden-char')].map((c) => c.textContent),
  };
}

/**
 * The reviewer's checks of a page: the verdict within the first screen, no word split in any
 * table, nothing wider than the page; at 700 px or less the reviewer's parts before the card
 * face, wider the two beside each other.
 * @param {Awaited<ReturnType<typeof readReview>>} r
 * @param {string} what
 */
function assertReview(r, what) {
  assert.ok(r.verdict.length > 0, `${what}: a verdict`);
  assert.ok(r.verdictBottom <= r.height, `${what}: the verdict within the first screen (bottom ${r.verdictBottom} of ${r.height})`);
  assert.deepStrictEqual(r.split, [], `${what}: no word split in a table (${r.cells} cells)`);
  assert.ok(r.scrollWidth <= r.width + 1, `${what}: nothing wider than the page (${r.scrollWidth} > ${r.width})`);
  if (r.width <= 700) assert.ok(r.reviewTop < r.faceTop, `${what}: at ${r.width} px the reviewer's parts (${r.reviewTop}) come before the face (${r.faceTop})`);
  else assert.ok(Math.abs(r.reviewTop - r.faceTop) < 40, `${what}: at ${r.width} px the face and the reviewer's parts side by side (${r.faceTop}, ${r.reviewTop})`);
}

/**
 * The reviewer's card in the preview and in the HTML export: the verdict first, tables that
 * never split a word, hidden characters shown (never applied) — at full width and at 600 px,
 * in the light and the dark theme (a screenshot of each); the export notification's *Open*.
 * @param {{ page: import('playwright-core').Page, artifactsDir: string, helpers: typeof import('../../scripts/vscode-ui.mjs'), log: (m: string) => void }} ctx
 */
export async function reviewerChecks({ page, artifactsDir, helpers: ui, log }) {
  const theme = async (/** @type {import('playwright-core').Frame} */ frame) => ((await frame.evaluate(() => document.body.className)).match(/vscode-(light|dark|high-contrast)/)?.[1] ?? 'unknown');
  const toggleTheme = async (/** @type {import('playwright-core').Frame} */ frame) => {
    const was = await theme(frame);
    await ui.runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await frame.waitForFunction((w) => !document.body.classList.contains(`vscode-${w}`), was);
    return theme(frame);
  };
  /** Screenshots in both themes, the checks in each (colours change nothing of the layout, but a theme's fonts may). */
  const bothThemes = async (/** @type {import('playwright-core').Frame} */ frame, /** @type {string} */ name) => {
    for (let i = 0; i < 2; i++) {
      const t = await theme(frame);
      const r = await frame.evaluate(readReview);
      assertReview(r, `${name} (${t})`);
      log(`${name} (${t}, ${r.width} px): verdict "${r.verdict}" ends at ${Math.round(r.verdictBottom)} px of ${r.height}; ${r.cells} table cells, no word split: ${await ui.screenshot(page, artifactsDir, `${name}-${t}`)}`);
      await toggleTheme(frame);
    }
  };
  const original = page.viewportSize() ?? { width: 1400, height: 900 };
  await ui.runCommand(page, 'View: Close All Editors');
  if (await page.locator('.part.sidebar').isVisible()) await ui.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  try {
    // Full width: the preview alone in the editor area.
    await ui.openFile(page, 'level4.trl.yaml');
    await ui.runCommand(page, 'TRL Cards: Open Preview');
    let frame = await ui.webviewFrame(page, '#verdict .status', { text: /./ });
    await frame.waitForFunction(() => document.querySelector('h1.title')?.textContent?.includes('Radar nowcasting'));
    await bothThemes(frame, 'reviewer-full');

    // Side by side, the preview 600 px wide: the window made narrower until it is.
    await ui.runCommand(page, 'View: Close All Editors');
    await ui.openFile(page, 'level4.trl.yaml');
    await ui.runCommand(page, 'TRL Cards: Open Preview to the Side');
    frame = await ui.webviewFrame(page, '#verdict .status', { text: /./ });
    await frame.waitForFunction(() => document.querySelector('h1.title')?.textContent?.includes('Radar nowcasting'));
    const side = await frame.evaluate(() => window.innerWidth);
    await page.setViewportSize({ width: original.width - 2 * (side - 600), height: original.height });
    await frame.waitForFunction(() => Math.abs(window.innerWidth - 600) <= 12, undefined, { timeout: 30_000 });
    await bothThemes(frame, 'reviewer-600');

    // A card of hidden characters and a 10,000-character word, at 600 px: shown, not applied; the layout holds.
    await ui.openFile(page, 'hostile/bidi.trl.yaml');
    frame = await ui.webviewFrame(page, 'h1.title', { text: '⟨U+202E⟩' });
    await frame.locator('#risk-rows tr').nth(1).waitFor();
    const bidi = await frame.evaluate(readReview);
    assertReview(bidi, 'the bidi card');
    assert.strictEqual(bidi.title.trim(), '<img src=x>⟨U+202E⟩lmth.exe v1.0.0');
    assert.deepStrictEqual(bidi.raw, [], 'no bidi control or invisible character is applied');
    for (const code of ['⟨U+202E⟩', '⟨U+200B⟩', '⟨U+2060⟩', '⟨U+2067⟩', '⟨U+2069⟩', '⟨U+200F⟩']) assert.ok(bidi.chips.includes(code), `${code} is shown: ${bidi.chips.join(' ')}`);
    const long = await frame.evaluate(() => {
      const box = document.querySelector('#risk-rows .long-word');
      return box ? { width: box.getBoundingClientRect().width, scroll: box.scrollWidth } : undefined;
    });
    assert.ok(long && long.scroll > 10 * long.width, `the 10,000-character word scrolls in its own box: ${JSON.stringify(long)}`);
    log(`bidi card at ${bidi.width} px: ${bidi.chips.length} hidden characters shown, none applied; the long word scrolls in a ${Math.round(long.width)} px box: ${await ui.screenshot(page, artifactsDir, 'reviewer-bidi-600')}`);
  } finally {
    await page.setViewportSize(original);
    if (!(await page.locator('.part.sidebar').isVisible())) await ui.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  }

  // The export notification: Open and Reveal; Open shows the Markdown.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const exported = path.join(root, 'test', 'vscode', 'workspace', 'level4.md');
  try {
    await ui.runCommand(page, 'View: Close All Editors');
    await ui.openFile(page, 'level4.trl.yaml');
    await ui.runCommand(page, 'TRL Cards: Export Card as Markdown');
    // The save dialog (the workbench's own, with the suggested name): accept it.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await page.waitForFunction(() => /level4\.md$/.test(/** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget .quick-input-box input'))?.value ?? ''));
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'exported to level4.md' }).first();
    await toast.waitFor({ state: 'visible' });
    const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map((b) => b.trim());
    assert.ok(buttons.includes('Open') && buttons.some((b) => /^Reveal in /.test(b)), `the notification offers Open and Reveal: ${JSON.stringify(buttons)}`);
    log(`export notification: ${await ui.screenshot(page, artifactsDir, 'export-notification')}`);
    await toast.locator('.monaco-button', { hasText: 'Open' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'level4.md' }).waitFor({ state: 'visible' });
    log('Open showed the exported Markdown');
  } finally {
    await ui.runCommand(page, 'View: Close All Editors').catch(() => undefined);
    fs.rmSync(exported, { force: true });
  }

  // The HTML export, in Chromium: the same checks, at full width and 600 px, light and dark; printed on A4.
  const cards = [
    ['level7', path.join(root, 'examples', 'solar-array', 'solar-array.level-7.trl.yaml')],
    ['bidi', path.join(root, 'test', 'vscode', 'workspace', 'hostile', 'bidi.trl.yaml')],
  ];
  const page2 = await page.context().newPage();
  try {
    for (const [name, card] of cards) {
      const out = path.join(artifactsDir, `export-${name}.html`);
      execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'render', card, '--out', out]);
      for (const width of [1200, 600]) {
        for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
          await page2.setViewportSize({ width, height: 900 });
          await page2.emulateMedia({ colorScheme, media: 'screen' });
          await page2.goto(pathToFileURL(out).href);
          const r = await page2.evaluate(readReview);
          assertReview(r, `export of ${name} at ${width} px (${colorScheme})`);
          assert.deepStrictEqual(r.raw, [], `export of ${name}: no hidden character applied`);
          if (name === 'bidi') assert.ok(r.chips.includes('⟨U+202E⟩') && r.title.includes('⟨U+202E⟩lmth.exe'), r.title);
          const shot = path.join(artifactsDir, `export-${name}-${width}-${colorScheme}.png`);
          await page2.screenshot({ path: shot });
          log(`export of ${name} at ${width} px (${colorScheme}): verdict "${r.verdict}", ${r.cells} cells, no word split: ${shot}`);
        }
      }
      // Printed: white paper whatever the reader's scheme, on A4.
      await page2.emulateMedia({ colorScheme: 'dark', media: 'print' });
      const paper = await page2.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.strictEqual(paper, 'rgb(255, 255, 255)', 'printed on white');
      const pdf = path.join(artifactsDir, `export-${name}.pdf`);
      await page2.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
      log(`export of ${name} printed on A4: ${pdf}`);
    }
  } finally {
    await page2.close();
  }
}

