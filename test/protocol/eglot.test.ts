/**
 * The README's Emacs lines, run in a real Emacs (batch, Debian's `emacs-nox` with `elpa-eglot`
 * 1.9 and `elpa-yaml-mode`): Eglot starts `trl-cards-language-server` for a card and Flymake
 * shows the checker's problems, at the checker's lines and columns, with its codes; completion
 * offers plain text (this Eglot, without yasnippet, takes no snippet), and Eglot logs no
 * complaint about the server. Skipped where that Emacs is not installed, except in CI
 * (`CI=true`), where `.ci/run` installs it and a missing one fails the test.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, skipBecause } from '../helpers';
import { editorSetup } from './editorSetup';

/** Emacs with Eglot and yaml-mode (the README's parent mode), or undefined. */
function emacs(): string | undefined {
  const r = spawnSync('emacs', ['--batch', '--eval', "(progn (package-initialize) (require 'eglot) (require 'yaml-mode) (princ emacs-version))"], { encoding: 'utf8', timeout: 60000 });
  return r.status === 0 ? `Emacs ${r.stdout.trim()}` : undefined;
}

/** The Emacs Lisp block after the `eglot-init` marker in the README. */
function readmeLines(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- eglot-init[^>]*-->\s*```elisp\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'the README has the Emacs lines after its eglot-init marker');
  return m[1];
}

// Loads the README's lines, opens the card, runs `M-x eglot` (as the README says), waits for as
// many diagnostics as the checker finds, asks for completions on a new last line, and writes
// what it got as JSON.
const DRIVE = `
(package-initialize)
(require 'json)
(load (getenv "TRL_INIT"))
(find-file (getenv "TRL_CARD"))
(call-interactively #'eglot)
(let ((want (string-to-number (getenv "TRL_WANT"))) (start (float-time)))
  ;; accept-process-output returns as soon as the server writes; 60 s is only the limit.
  (while (and (< (- (float-time) start) 60) (< (length (flymake-diagnostics)) want))
    (accept-process-output nil 0.05)))
(let ((diagnostics
       (mapcar (lambda (d)
                 (let ((beg (flymake-diagnostic-beg d)))
                   (list (cons 'line (line-number-at-pos beg))
                         (cons 'column (save-excursion (goto-char beg) (current-column)))
                         (cons 'type (symbol-name (flymake-diagnostic-type d)))
                         (cons 'text (flymake-diagnostic-text d)))))
               (flymake-diagnostics)))
      (mode (symbol-name major-mode))
      (managed (if (eglot-current-server) t :json-false))
      ;; Eglot takes snippets only with yasnippet installed (and says so to the server).
      (snippets (if (eglot--snippet-expansion-fn) t :json-false)))
  (goto-char (point-max))
  (insert "\\n")
  (let* ((capf (eglot-completion-at-point))
         (completions
          (mapcar (lambda (c)
                    (let ((item (get-text-property 0 'eglot--lsp-item c)))
                      (list (cons 'label (substring-no-properties c))
                            (cons 'format (or (plist-get item :insertTextFormat) 1))
                            (cons 'text (or (plist-get (plist-get item :textEdit) :newText) (plist-get item :insertText) "")))))
                  (all-completions "" (nth 2 capf)))))
    (with-temp-file (getenv "TRL_OUT")
      (insert (json-encode (list (cons 'mode mode) (cons 'managed managed) (cons 'snippets snippets)
                                 (cons 'diagnostics (vconcat diagnostics))
                                 (cons 'completions (vconcat completions))
                                 (cons 'messages (with-current-buffer "*Messages*" (buffer-string)))))))))
(kill-emacs 0)
`;

interface Shown {
  line: number;
  column: number;
  type: string;
  text: string;
}

describe('the README\'s Emacs lines in Emacs (Eglot)', function () {
  this.timeout(120000);
  let version: string | undefined;

  before(function () {
    version = emacs();
    if (!version) {
      if (process.env.CI) assert.fail('Emacs with Eglot is not installed: .ci/run installs Debian\'s emacs-nox, elpa-eglot and elpa-yaml-mode for this test.');
      skipBecause(this, 'Emacs with Eglot is not installed: install Debian\'s emacs-nox, elpa-eglot and elpa-yaml-mode to run the README\'s Emacs lines');
    }
  });

  it('starts the server for a card, shows the checker\'s problems at its places, and completes in plain text', () => {
    const setup = editorSetup('trl-eglot-');
    const { dir, card, cards, home } = setup;
    try {
      fs.writeFileSync(path.join(dir, 'init.el'), readmeLines());
      fs.writeFileSync(path.join(dir, 'drive.el'), DRIVE);
      // The checker's problems for the same card, at Emacs's places (lines from 1, columns from 0).
      const type = (severity: string) => (severity === 'error' ? 'eglot-error' : severity === 'warning' ? 'eglot-warning' : 'eglot-note');
      const expected = setup.expected.map((p) => `${p.line}:${p.column - 1}:${type(p.severity)}:${p.code}`);
      const out = path.join(dir, 'shown.json');
      const env = { ...process.env, PATH: setup.path, HOME: home, TRL_INIT: path.join(dir, 'init.el'), TRL_CARD: card, TRL_WANT: String(expected.length), TRL_OUT: out };
      const r = spawnSync('emacs', ['--batch', '-l', path.join(dir, 'drive.el')], { cwd: cards, env, encoding: 'utf8', timeout: 100000 });
      assert.ok(fs.existsSync(out), `Emacs wrote what it showed (exit ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { mode: string; managed: boolean; snippets: boolean; diagnostics: Shown[]; completions: { label: string; format: number; text: string }[]; messages: string };
      assert.strictEqual(result.mode, 'trl-card-mode');
      assert.strictEqual(result.managed, true, `${version}: Eglot manages the card`);
      // Eglot writes each diagnostic as "source [code]: message".
      const shown = result.diagnostics.map((d) => `${d.line}:${d.column}:${d.type}:${/^trl \[([^\]]+)\]/.exec(d.text)?.[1] ?? d.text}`);
      assert.deepStrictEqual(shown.sort(), expected.sort());
      assert.ok(result.completions.length > 3, `completions: ${JSON.stringify(result.completions.map((c) => c.label))}`);
      // Debian's Eglot without yasnippet (what CI installs) takes no snippet: every item is plain text.
      if (!result.snippets) {
        for (const c of result.completions) {
          assert.strictEqual(c.format, 1, `${c.label}: plain text, not a snippet`);
          assert.ok(!/\$\{?\d/.test(c.text), `${c.label}: no snippet placeholder in ${JSON.stringify(c.text)}`);
        }
      } else if (process.env.CI) assert.fail('yasnippet is installed: the plain-text completion this test checks is not asked for');
      const complaints = result.messages.split('\n').filter((l) => /\[eglot\]/.test(l) && /unsupported|not supported|unhandled|error|warning/i.test(l));
      assert.deepStrictEqual(complaints, [], 'Eglot logged no complaint about the server');
    } finally {
      setup.remove();
    }
  });
});
