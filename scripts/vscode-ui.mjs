// @ts-check
/**
 * Helpers for checking what a person sees in the VS Code workbench (code-server 4.100.3 /
 * VS Code 1.100.3, driven by Playwright). Used by UI-check modules run through
 * `node scripts/test-vscode.mjs ... --ui <module.mjs>`, which receive them as ctx.helpers.
 *
 * Everything waits on DOM conditions (Playwright locators / waitForFunction) with a timeout
 * (default 30 s, `{ timeout }` to change), never on fixed sleeps. Keyboard shortcuts are the
 * Linux ones (Ctrl), as on the machines this runs on.
 *
 * DOM facts these rely on (VS Code 1.100): quick input `.quick-input-widget`, editor tabs
 * `.tabs-container .tab[data-resource-name]`, tokens `.view-lines span[class*=mtk]`,
 * Problems `.markers-panel .monaco-list-row`, suggest `.suggest-widget.visible .monaco-list-row`.
 */

import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{ timeout?: number }} Wait */

const DEFAULT_TIMEOUT = 30_000;

/** @param {Wait | undefined} o */
const t = (o) => o?.timeout ?? DEFAULT_TIMEOUT;

/** @param {string} s */
const cssString = (s) => JSON.stringify(s);

/** Normalises whitespace (non-breaking spaces included). @param {string | null | undefined} s */
const norm = (s) => (s ?? '').replace(/[\s\u00a0]+/g, ' ').trim();

// ---------------------------------------------------------------------------------------
// workbench

/**
 * Waits until the workbench is on screen: main parts and status bar rendered.
 * @param {Page} page
 * @param {Wait} [o]
 */
export async function waitForWorkbench(page, o) {
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: t(o) });
  await page.locator('.monaco-workbench .part.statusbar').first().waitFor({ state: 'visible', timeout: t(o) });
  await page.locator('.monaco-workbench .part.editor').first().waitFor({ state: 'visible', timeout: t(o) });
}

/**
 * Closes quick input / suggest / other transient widgets.
 * @param {Page} page
 */
export async function dismiss(page) {
  const qi = page.locator('.quick-input-widget');
  if (await qi.isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await qi.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  }
  const sw = page.locator('.suggest-widget.visible');
  if (await sw.count()) {
    await page.keyboard.press('Escape');
    await sw.first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
}

/**
 * Opens a quick input with `key` and fills it with `text`; returns the input locator.
 * @param {Page} page
 * @param {string} key
 * @param {string} text
 * @param {Wait} [o]
 */
async function quickInput(page, key, text, o) {
  await dismiss(page);
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: t(o) });
  await input.fill(text);
  return input;
}

/**
 * Runs a command from the Command Palette by its title (e.g. "Developer: Reload Window"),
 * as a person would (F1, type, Enter). Waits for the palette to close.
 * @param {Page} page
 * @param {string} title   exact command title as shown in the palette ("Category: Title")
 * @param {Wait} [o]
 */
export async function runCommand(page, title, o) {
  await quickInput(page, 'F1', `>${title}`, o);
  const row = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: title }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: t(o) });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: t(o) });
}

// ---------------------------------------------------------------------------------------
// editors

/**
 * The active editor (text editor of the active editor group).
 * @param {Page} page
 */
export function activeEditor(page) {
  return page.locator('.part.editor .editor-group-container.active .editor-instance .monaco-editor').first();
}

/**
 * Opens a file of the workspace through Quick Open (Ctrl+P, type the path, Enter) and waits
 * until its tab is the active one and its text is rendered.
 * @param {Page} page
 * @param {string} relativePath  path relative to the workspace folder, e.g. "examples/card.yaml"
 * @param {Wait} [o]
 */
export async function openFile(page, relativePath, o) {
  const rel = relativePath.split(path.sep).join('/').replace(/^\.\//, '');
  const base = rel.split('/').pop() || rel;
  const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
  await quickInput(page, 'Control+P', rel, o);
  // Results come from a file search (ripgrep) and may take a moment ("No matching results"
  // can show first); recently opened files are listed first. Wait for the row whose name is
  // the file's and whose description is its folder ("" at the top level), and pick it.
  // The list re-renders while results stream in, so rows are not clicked: the arrow keys move
  // the focus to the matching row, and Enter opens it.
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const deadline = Date.now() + t(o);
  for (let step = 0; ; step++) {
    /** @type {'focused' | 'other'} */
    let state;
    try {
      const handle = await page.waitForFunction(
        ({ base, dir }) => {
          const all = [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')];
          const found = all.find((r) => {
            const name = (r.querySelector('.label-name')?.textContent || '').trim();
            const desc = (r.querySelector('.label-description')?.textContent || '').trim().replace(/\\/g, '/');
            return name === base && (desc === dir || (dir !== '' && desc.endsWith('/' + dir)));
          });
          return found ? (found.classList.contains('focused') ? 'focused' : 'other') : false;
        },
        { base, dir },
        { timeout: Math.max(1, deadline - Date.now()), polling: 100 },
      );
      state = /** @type {'focused' | 'other'} */ (await handle.jsonValue());
    } catch (e) {
      const seen = await rows.allInnerTexts().catch(() => []);
      await dismiss(page);
      throw new Error(`openFile(${rel}): no Quick Open result for it (rows: ${JSON.stringify(seen.map(norm))})`, { cause: e });
    }
    if (state === 'focused') {
      await page.keyboard.press('Enter');
      break;
    }
    if (Date.now() > deadline || step > 200) {
      await dismiss(page);
      throw new Error(`openFile(${rel}): could not move the Quick Open focus to it`);
    }
    await page.keyboard.press('ArrowDown');
  }
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: t(o) });
  const tab = page.locator(`.part.editor .editor-group-container.active .tabs-container .tab.active[data-resource-name=${cssString(base)}]`);
  await tab.waitFor({ state: 'visible', timeout: t(o) });
  // The tab's label carries the full path: make sure it is this file, not a namesake.
  const folder = new URL(page.url()).searchParams.get('folder');
  const label = ((await tab.locator('.monaco-icon-label').first().getAttribute('aria-label')) ?? '').split(' • ')[0];
  const want = folder && folder.startsWith('/') ? `${folder.replace(/\/$/, '')}/${rel}` : `/${rel}`;
  if (folder && folder.startsWith('/') ? label !== want : !label.endsWith(want)) {
    throw new Error(`openFile(${rel}): the active tab is ${label}, expected ${want}`);
  }
  await activeEditor(page).locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: t(o) });
}

/**
 * Text of the active editor's rendered lines (only those on screen).
 * @param {Page} page
 */
export async function readEditorLines(page) {
  const lines = await activeEditor(page)
    .locator('.view-lines .view-line')
    .evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat(/** @type {HTMLElement} */ (e).style.top) || 0, text: (e.textContent || '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((x) => x.text),
    );
  return lines;
}

/**
 * Token colours of the active editor: the distinct `mtk*` classes and computed colours of
 * the rendered text. A syntax-coloured file has more than one of each; a file without a
 * grammar renders all text in a single mtk1 span colour.
 * @param {Page} page
 */
export async function readEditorTokens(page) {
  return activeEditor(page)
    .locator('.view-lines')
    .evaluate((root) => {
      /** @type {{ text: string, cls: string, color: string }[]} */
      const tokens = [];
      for (const span of root.querySelectorAll('.view-line span[class*="mtk"]')) {
        const text = (span.textContent || '').replace(/\u00a0/g, ' ');
        if (!text.trim()) continue;
        const cls = [...span.classList].find((c) => /^mtk\d+$/.test(c)) || '';
        tokens.push({ text, cls, color: getComputedStyle(span).color });
      }
      return {
        tokens,
        classes: [...new Set(tokens.map((x) => x.cls))],
        colors: [...new Set(tokens.map((x) => x.color))],
      };
    });
}

/**
 * Waits until the active editor is syntax coloured: its rendered text uses at least
 * `minColors` distinct token colours (mtk classes with distinct computed colours).
 * Tokenisation runs after the text is shown, so this waits for it. Returns readEditorTokens().
 * @param {Page} page
 * @param {Wait & { minColors?: number }} [o]
 */
export async function waitForEditorTokens(page, o) {
  const min = o?.minColors ?? 2;
  const editor = activeEditor(page);
  await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: t(o) });
  const handle = await editor.elementHandle({ timeout: t(o) });
  try {
    await page.waitForFunction(
      ({ el, min }) => {
        const spans = /** @type {Element} */ (el).querySelectorAll('.view-lines .view-line span[class*="mtk"]');
        const classes = new Set();
        const colors = new Set();
        for (const s of spans) {
          if (!(s.textContent || '').replace(/\u00a0/g, ' ').trim()) continue;
          classes.add([...s.classList].find((c) => /^mtk\d+$/.test(c)));
          colors.add(getComputedStyle(s).color);
        }
        return classes.size >= min && colors.size >= min;
      },
      { el: handle, min },
      { timeout: t(o), polling: 'raf' },
    );
  } catch (e) {
    const now = await readEditorTokens(page).catch(() => undefined);
    throw new Error(`waitForEditorTokens: the editor is not syntax coloured (wanted >= ${min} colours; have classes ${JSON.stringify(now?.classes)}, colours ${JSON.stringify(now?.colors)})`, { cause: e });
  } finally {
    await handle?.dispose();
  }
  return readEditorTokens(page);
}

/**
 * Is the active editor syntax coloured right now (no waiting)?
 * @param {Page} page
 */
export async function isColoured(page) {
  const { classes, colors } = await readEditorTokens(page);
  return classes.length > 1 && colors.length > 1;
}

/**
 * Moves the cursor of the active editor with Go to Line (Ctrl+G, "line:column") and waits
 * until the status bar shows that position. Lines and columns are 1-based.
 * @param {Page} page
 * @param {number} line
 * @param {number} [column]
 * @param {Wait} [o]
 */
export async function gotoLine(page, line, column = 1, o) {
  // Go to Line is Quick Open in ':' mode: keep the prefix when filling the box.
  await quickInput(page, 'Control+G', `:${line}:${column}`, o);
  await page.keyboard.press('Enter');
  try {
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: Math.min(t(o), 10_000) });
  } catch (e) {
    // Still open: the position was refused (out of range, no text editor).
    const why = norm((await page.locator('.quick-input-widget .quick-input-list').allInnerTexts().catch(() => [])).join(' '));
    await dismiss(page);
    throw new Error(`gotoLine(${line}, ${column}): Go to Line did not accept it: ${why}`, { cause: e });
  }
  await page
    .locator('#status\\.editor\\.selection')
    .filter({ hasText: new RegExp(`Ln ${line}, Col ${column}\\b`) })
    .waitFor({ state: 'visible', timeout: t(o) });
}

/**
 * Reads the cursor position from the status bar ("Ln 3, Col 7").
 * @param {Page} page
 */
export async function readCursor(page) {
  const text = norm(await page.locator('#status\\.editor\\.selection').innerText({ timeout: DEFAULT_TIMEOUT }));
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

// ---------------------------------------------------------------------------------------
// Problems panel

/**
 * Opens the Problems panel (View: Toggle Problems, Ctrl+Shift+M, only if not already shown).
 * @param {Page} page
 * @param {Wait} [o]
 */
export async function openProblemsPanel(page, o) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) {
    await dismiss(page);
    await page.keyboard.press('Control+Shift+M');
  }
  await panel.first().waitFor({ state: 'visible', timeout: t(o) });
}

/**
 * @typedef {object} ProblemRow
 * @property {'error' | 'warning' | 'info' | 'hint' | 'unknown'} severity
 * @property {string} message   the diagnostic's message as shown
 * @property {string} text      the whole row's text, e.g. "probe: BAD is not allowed here [Ln 9, Col 6]"
 * @property {string} ariaLabel e.g. "Error: probe: BAD is not allowed here at line 9 and character 6."
 * @property {string} file      the file row it is under (e.g. "card.yaml")
 * @property {number | undefined} line
 * @property {number | undefined} column
 * @property {string} source    diagnostic source/code column, when shown
 */

/**
 * Reads the marker rows of the Problems panel (opening it if needed). With
 * `{ atLeast: n }`, waits until at least n problem rows are shown. Only rows rendered by
 * the (virtualised) list are read: enough for a few dozen problems. With `{ matching: re }`,
 * also waits until a problem row whose text matches is shown (other files' problems may be
 * listed first, before the ones the check is about arrive).
 * @param {Page} page
 * @param {Wait & { atLeast?: number, matching?: RegExp }} [o]
 * @returns {Promise<ProblemRow[]>}
 */
export async function readProblemRows(page, o) {
  await openProblemsPanel(page, o);
  const panel = page.locator('.markers-panel').first();
  const markerRows = panel.locator('.monaco-list-row:has(.marker-message-details-container)');
  if (o?.atLeast) {
    try {
      await markerRows.nth(o.atLeast - 1).waitFor({ state: 'attached', timeout: t(o) });
    } catch (e) {
      const shown = await panel.locator('.monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`readProblems: expected at least ${o.atLeast} problems; the panel shows ${JSON.stringify(shown.map(norm))}`, { cause: e });
    }
  }
  if (o?.matching) {
    try {
      await markerRows.filter({ hasText: o.matching }).first().waitFor({ state: 'attached', timeout: t(o) });
    } catch (e) {
      const shown = await panel.locator('.monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`readProblems: expected a problem matching ${o.matching}; the panel shows ${JSON.stringify(shown.map(norm))}`, { cause: e });
    }
  }
  return panel.locator('.monaco-list-row').evaluateAll((rows) => {
    const n = (/** @type {string | null | undefined} */ s) => (s ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
    /** @type {any[]} */
    const out = [];
    let file = '';
    const sorted = rows.slice().sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
    for (const r of sorted) {
      const details = r.querySelector('.marker-message-details-container');
      if (!details) {
        file = n(r.querySelector('.label-name')?.textContent) || n(r.textContent);
        continue;
      }
      const icon = r.querySelector('.marker-icon');
      const sev = ['error', 'warning', 'info', 'hint'].find((s) => icon?.classList.contains(s)) || 'unknown';
      const lineText = n(r.querySelector('.marker-line')?.textContent);
      const m = /Ln (\d+), Col (\d+)/.exec(lineText);
      out.push({
        severity: sev,
        message: n(r.querySelector('.marker-message')?.textContent),
        text: n(/** @type {HTMLElement} */ (details).innerText),
        ariaLabel: r.getAttribute('aria-label') || '',
        file,
        line: m ? Number(m[1]) : undefined,
        column: m ? Number(m[2]) : undefined,
        source: n([...r.querySelectorAll('.marker-source, .marker-code')].map((e) => e.textContent).join(' ')),
      });
    }
    return out;
  });
}

/**
 * The Problems panel's rows as text, one string per problem, e.g.
 * "error: probe: BAD is not allowed here [Ln 9, Col 6] (card.yaml)".
 * @param {Page} page
 * @param {Wait & { atLeast?: number, matching?: RegExp }} [o]
 */
export async function readProblems(page, o) {
  const rows = await readProblemRows(page, o);
  return rows.map((r) => `${r.severity}: ${r.text}${r.file ? ` (${r.file})` : ''}`);
}

/**
 * Error/warning counts from the status bar problems item.
 * @param {Page} page
 */
export async function readProblemCounts(page) {
  const label = (await page.locator('#status\\.problems a, #status\\.problems').first().getAttribute('aria-label')) ?? '';
  const text = norm(await page.locator('#status\\.problems').first().innerText());
  const num = (/** @type {RegExp} */ re) => Number(re.exec(label)?.[1] ?? NaN);
  let errors = num(/Errors?: (\d+)/i);
  let warnings = num(/Warnings?: (\d+)/i);
  const nums = text.match(/\d+/g)?.map(Number) ?? [];
  if (Number.isNaN(errors)) errors = nums[0] ?? 0;
  if (Number.isNaN(warnings)) warnings = nums[1] ?? 0;
  return { errors, warnings };
}

// ---------------------------------------------------------------------------------------
// completions

const SUGGEST = '.editor-widget.suggest-widget.visible';

/**
 * Opens the completion list in the active editor (Ctrl+Space), optionally after moving the
 * cursor (`line`/`column`, 1-based) and/or typing `type`. With `expect`, retries (close,
 * Ctrl+Space again) until all those labels are listed: useful right after startup, while the
 * extension is still activating. Returns the visible labels, in order.
 * @param {Page} page
 * @param {Wait & { line?: number, column?: number, type?: string, expect?: string[] }} [o]
 */
export async function triggerSuggest(page, o = {}) {
  await dismiss(page);
  if (o.line) await gotoLine(page, o.line, o.column ?? 1, o);
  if (o.type) await page.keyboard.type(o.type);
  const deadline = Date.now() + t(o);
  /** @type {string[]} */
  let labels = [];
  for (let attempt = 0; ; attempt++) {
    // Typing may already have opened it (quick suggestions); Ctrl+Space on an open list
    // would toggle its details pane instead.
    if (!(await page.locator(SUGGEST).count())) await page.keyboard.press('Control+Space');
    labels = await readSuggestions(page, { timeout: Math.max(1_000, deadline - Date.now()) });
    const missing = (o.expect ?? []).filter((l) => !labels.includes(l));
    if (!missing.length) return labels;
    if (Date.now() > deadline) {
      throw new Error(`triggerSuggest: ${JSON.stringify(missing)} not among the suggestions ${JSON.stringify(labels)} (after ${attempt + 1} tries)`);
    }
    await page.keyboard.press('Escape');
    // The next Ctrl+Space is sent once the list is gone; each try is a round trip to the
    // extension host, which paces the loop.
    await page.locator(SUGGEST).first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
}

/**
 * Labels of the open completion list, top to bottom (only rows rendered: about a dozen).
 * Waits until it has finished loading; returns [] for "No suggestions.".
 * @param {Page} page
 * @param {Wait} [o]
 */
export async function readSuggestions(page, o) {
  const widget = page.locator(SUGGEST).first();
  await widget.waitFor({ state: 'visible', timeout: t(o) });
  // Either rows or a message ("No suggestions.") once loading is over.
  await page.waitForFunction(
    (sel) => {
      const w = document.querySelector(sel);
      if (!w) return false;
      const msg = /** @type {HTMLElement | null} */ (w.querySelector('.message'));
      const msgShown = msg && msg.style.display !== 'none' && !/loading/i.test(msg.textContent || '');
      return w.querySelectorAll('.monaco-list-row').length > 0 || msgShown;
    },
    SUGGEST,
    { timeout: t(o), polling: 'raf' },
  );
  return widget.locator('.monaco-list-row').evaluateAll((rows) =>
    rows
      .slice()
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => (r.querySelector('.label-name')?.textContent || r.getAttribute('aria-label') || '').replace(/\u00a0/g, ' ').trim()),
  );
}

/**
 * Closes the completion list.
 * @param {Page} page
 */
export async function closeSuggest(page) {
  if (await page.locator(SUGGEST).count()) {
    await page.keyboard.press('Escape');
    await page.locator(SUGGEST).first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------
// misc

/**
 * Texts of the notification toasts on screen.
 * @param {Page} page
 */
export async function readNotifications(page) {
  const texts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  return texts.map(norm);
}

/**
 * Waits for a notification toast containing `text`.
 * @param {Page} page
 * @param {string | RegExp} text
 * @param {Wait} [o]
 */
export async function waitForNotification(page, text, o) {
  await page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first().waitFor({ state: 'visible', timeout: t(o) });
}

/**
 * Texts of the status bar items (id: text), e.g. to check an extension's status item.
 * @param {Page} page
 */
export async function readStatusBar(page) {
  return page.locator('.part.statusbar .statusbar-item').evaluateAll((els) =>
    els.map((e) => ({ id: e.id, text: (/** @type {HTMLElement} */ (e).innerText || '').replace(/[\s\u00a0]+/g, ' ').trim(), label: e.getAttribute('aria-label') || '' })),
  );
}

/**
 * Saves a full-window PNG as <artifactsDir>/<name>.png and returns its path.
 * @param {Page} page
 * @param {string} artifactsDir
 * @param {string} name
 */
export async function screenshot(page, artifactsDir, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, timeout: DEFAULT_TIMEOUT });
  return file;
}

// ---------------------------------------------------------------------------------------
// webviews

/**
 * The frame of a webview whose document has an element matching `selector` (webviews are
 * nested iframes: the host frame, then the content frame). Waits until one appears.
 * @param {Page} page
 * @param {string} selector
 * @param {Wait & { text?: string | RegExp }} [o]  with `text`, the element's text must match it
 */
export async function webviewFrame(page, selector, o) {
  const deadline = Date.now() + t(o);
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const el = await frame.$(selector).catch(() => null);
      if (!el) continue;
      if (o?.text === undefined) return frame;
      const text = norm((await el.textContent().catch(() => '')) ?? '');
      if (typeof o.text === 'string' ? text.includes(o.text) : o.text.test(text)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with ${selector}${o?.text !== undefined ? ` matching ${o.text}` : ''}`);
    await page.waitForEvent('framenavigated', { timeout: 250 }).catch(() => undefined);
  }
}
