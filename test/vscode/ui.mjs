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

  // 3b. Completion while typing, without Ctrl+Space.
  await typingChecks({ page, artifactsDir, helpers: ui, log });

  // 4. The card preview.
  await previewChecks({ page, artifactsDir, helpers: ui, log });
  await reviewerChecks({ page, artifactsDir, helpers: ui, log });

  // 5. The TRL Cards view and the portfolio dashboard.
  await portfolioChecks({ page, artifactsDir, helpers: ui, log });
}

/**
 * Completion while typing, as a person types (no Ctrl+Space): in a new card, `trl` opens the
 * suggest widget with the `trl-card` snippet; `requ` at the top level offers `requirements`.
 * A YAML plain value is a string token: only the `[trl-card]` default that turns quick
 * suggestions on in strings makes the widget come up.
 * @param {{ page: import('playwright-core').Page, artifactsDir: string, helpers: typeof import('../../scripts/vscode-ui.mjs'), log: (m: string) => void }} ctx
 */
export async function typingChecks({ page, artifactsDir, helpers: ui, log }) {
  const SUGGEST = '.editor-widget.suggest-widget.visible';
  await ui.runCommand(page, 'File: New Untitled Text File');
  // Change Language Mode opens a second quick input: run it by hand (runCommand waits for the first to close).
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Change Language Mode');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Change Language Mode' }).first().click();
  await page.locator('.quick-input-widget .quick-input-box input[placeholder="Select Language Mode"]').waitFor({ state: 'visible' });
  await input.fill('TRL Card');
  const language = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'TRL Card' }).first();
  await language.waitFor({ state: 'visible' });
  await language.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('#status\\.editor\\.mode', { hasText: 'TRL Card' }).waitFor({ state: 'visible' });
  try {
    await ui.activeEditor(page).locator('.view-lines').click();
    assert.strictEqual(await page.locator(SUGGEST).count(), 0, 'no suggest widget before typing');
    await page.keyboard.type('trl');
    // The widget comes up by itself (readSuggestions waits for it; nothing here presses Ctrl+Space).
    const labels = await ui.readSuggestions(page);
    assert.ok(labels.includes('trl-card'), `the trl-card snippet is offered while typing: ${JSON.stringify(labels)}`);
    log(`completion while typing \`trl\`: ${await ui.screenshot(page, artifactsDir, 'completion-typing-trl')}`);
    await ui.closeSuggest(page);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('requ');
    const keys = await ui.readSuggestions(page);
    assert.ok(keys.includes('requirements'), `requirements is offered while typing \`requ\`: ${JSON.stringify(keys)}`);
    log(`completion while typing \`requ\`: ${await ui.screenshot(page, artifactsDir, 'completion-typing-requ')}`);
    await ui.closeSuggest(page);
  } finally {
    await ui.runCommand(page, 'View: Revert and Close Editor');
  }
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

  await chartChecks({ page, frame, artifactsDir, helpers: ui, log });

  // A click on a technology opens its card.
  await frame.locator('#technologies button.card-link', { hasText: 'GPS map matcher' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'map-matcher.trl.yaml' }).waitFor({ state: 'visible' });
  log('a click on a technology in the dashboard opened its card');

  // A click on a series of a chart opens its card too.
  await ui.runCommand(page, 'TRL Cards: Open Portfolio');
  const again = await ui.webviewFrame(page, '#dashboard h1', { text: 'TRL portfolio' });
  await again.waitForFunction(() => document.querySelectorAll('#chart-ladder [data-kind="legend"].opens').length > 0);
  const sonar = again.locator('#chart-ladder [data-kind="legend"].opens[data-tip^="Ladder sonar:"]');
  await sonar.first().scrollIntoViewIfNeeded();
  await sonar.first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'ladder-1.trl.yaml' }).waitFor({ state: 'visible' });
  log('a click on a series of the ladder chart opened its card');

  // A bar of several technologies: a pick of their cards.
  await ui.runCommand(page, 'TRL Cards: Open Portfolio');
  const third = await ui.webviewFrame(page, '#dashboard h1', { text: 'TRL portfolio' });
  const bar = third.locator('#chart-levels-now [data-kind="chart"].opens[data-tip^="TRL 5 "]');
  await bar.first().scrollIntoViewIfNeeded();
  await bar.first().click({ force: true });
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible' });
  const picks = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.ok(picks.some((t) => t.startsWith('Delivery route planner')) && picks.some((t) => t.startsWith('GPS map matcher')), JSON.stringify(picks));
  log(`a click on the TRL 5 bar offers its cards: ${await ui.screenshot(page, artifactsDir, 'portfolio-bar-pick')}`);
  await rows.filter({ hasText: 'GPS map matcher' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'map-matcher.trl.yaml' }).waitFor({ state: 'visible' });
  log('the card picked from a bar opened');
}

/**
 * The dashboard's charts, in the browser: every series of "Level over time" looks different
 * (stroke colour, dash and marker, as drawn with the theme's colours), the legend names the
 * technologies as the tables do, and a mark shows its values on hover.
 * @param {{ page: import('playwright-core').Page, frame: import('playwright-core').Frame, artifactsDir: string, helpers: typeof import('../../scripts/vscode-ui.mjs'), log: (m: string) => void }} ctx
 */
async function chartChecks({ page, frame, artifactsDir, helpers: ui, log }) {
  const seen = await frame.evaluate(() => {
    const svg = /** @type {Element} */ (document.querySelector('#chart-ladder figure svg'));
    /** @type {Map<string, { stroke?: string, dash?: string, marker?: string, fill?: string }>} */
    const series = new Map();
    for (const el of svg.querySelectorAll('[data-series]')) {
      const s = el.getAttribute('data-series') ?? '';
      const look = series.get(s) ?? {};
      const style = getComputedStyle(el);
      if (el.getAttribute('data-kind') === 'line') Object.assign(look, { stroke: style.stroke, dash: style.strokeDasharray });
      if (el.getAttribute('data-kind') === 'chart' && look.marker === undefined) Object.assign(look, { marker: el.getAttribute('d') ?? '', fill: style.fill });
      series.set(s, look);
    }
    const names = [...document.querySelectorAll('#technologies tbody tr td:first-child')].map((td) => td.textContent ?? '');
    const legend = [...svg.querySelectorAll('[data-kind="legend"]')].map((el) => (el.getAttribute('data-tip') ?? '').split(': TRL')[0]);
    return { looks: [...series.values()].map((l) => JSON.stringify(l)), legend, names };
  });
  // The workspace's ladder/ cards and GPS map matcher: more series than the six colours.
  assert.ok(seen.looks.length >= 8, `the ladder draws a series per dated technology: ${JSON.stringify(seen.looks)}`);
  assert.strictEqual(seen.looks.length, seen.legend.length, 'a legend entry per series');
  assert.ok(seen.looks.every((l) => /stroke/.test(l) && /marker/.test(l)), `each series has a line and markers: ${JSON.stringify(seen.looks)}`);
  assert.strictEqual(new Set(seen.looks).size, seen.looks.length, `no two series look alike: ${JSON.stringify(seen.looks)}`);
  for (const name of seen.legend) assert.ok(seen.names.includes(name), `the legend's ${JSON.stringify(name)} is a name of the technologies table: ${JSON.stringify(seen.names)}`);
  log(`ladder: ${seen.looks.length} series, ${new Set(seen.looks).size} distinct looks; legend ${JSON.stringify(seen.legend)}`);

  // Hover a point: the tooltip shows its values.
  const tip = frame.locator('#chart-tip');
  assert.ok(await tip.isHidden(), 'no tooltip before the hover');
  await frame.locator('#chart-ladder').scrollIntoViewIfNeeded();
  const point = frame.locator('#chart-ladder [data-kind="chart"][data-tip]').first();
  await point.hover({ force: true });
  await tip.waitFor({ state: 'visible' });
  // The values of the point under the pointer (points of several series may meet there).
  const shown = (await tip.textContent()) ?? '';
  const tips = await frame.locator('#chart-ladder [data-kind="chart"][data-tip]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tip')));
  assert.ok(tips.includes(shown), `the tooltip is a point's values: ${JSON.stringify(shown)}`);
  assert.match(shown, /: TRL \d (from |now \()/);
  log(`chart tooltip on hover (${JSON.stringify(shown)}): ${await ui.screenshot(page, artifactsDir, 'portfolio-chart-tooltip')}`);
  // A bar too: its level, how many technologies and which.
  const bar = frame.locator('#chart-levels-now [data-kind="chart"].opens').first();
  await bar.scrollIntoViewIfNeeded();
  await bar.hover({ force: true });
  await frame.waitForFunction(() => /^TRL \d \(.+\): \d+ technolog/.test(document.getElementById('chart-tip')?.textContent ?? ''));
  await page.mouse.move(0, 0);
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

