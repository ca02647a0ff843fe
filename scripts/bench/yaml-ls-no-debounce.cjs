// Preload (`node -r`) for yaml-language-server that removes its 200 ms validation debounce,
// so that the benchmark compares work, not a timer. Nothing in node_modules is changed.
//
// yaml-language-server 1.x validates in ValidationHandler.validate
// (out/server/src/languageserver/handlers/validationHandlers.js):
//
//     this.yamlSettings.pendingValidationRequests[uri] = setTimeout(() => { ...validateTextDocument(doc) },
//                                                                   this.yamlSettings.validationDelayMs); // 200
//
// `validationDelayMs` is a field of SettingsState (yamlSettings.js), not a setting a client can
// send. This preload loads that module first (Node caches modules by file name, so the server
// later gets the same, patched, class) and replaces `validate` with the same code scheduled by
// setImmediate instead of setTimeout(…, 200): validation runs as soon as the event loop has
// handled the messages already queued, and edits arriving in the same tick still coalesce
// (as in our own server's push mode). setImmediate rather than setTimeout(…, 0), because
// Node clamps timeouts to at least 1 ms. `cleanPendingValidation` (used on close and before
// each validation) is extended to cancel the immediate too.
//
// The server's install directory comes from BENCH_YAML_LS_DIR (default: resolved from cwd).
// On success the preload writes one line to stderr, which the benchmark checks for; if the
// file or method is not where 1.x keeps it, it throws, so the benchmark cannot silently
// measure a debounced server.
'use strict';
const path = require('path');

const dir = process.env.BENCH_YAML_LS_DIR || path.dirname(require.resolve('yaml-language-server/package.json', { paths: [process.cwd()] }));
const file = path.join(dir, 'out', 'server', 'src', 'languageserver', 'handlers', 'validationHandlers.js');
const { ValidationHandler } = require(file);
if (typeof ValidationHandler !== 'function' || typeof ValidationHandler.prototype.validate !== 'function' || typeof ValidationHandler.prototype.cleanPendingValidation !== 'function') {
  throw new Error(`[bench] ${file}: ValidationHandler.validate/cleanPendingValidation not found; the debounce patch does not fit this yaml-language-server version.`);
}

const immediates = new Map(); // uri -> Immediate
const originalClean = ValidationHandler.prototype.cleanPendingValidation;

ValidationHandler.prototype.cleanPendingValidation = function (textDocument) {
  originalClean.call(this, textDocument);
  const pending = immediates.get(textDocument.uri);
  if (pending) {
    clearImmediate(pending);
    immediates.delete(textDocument.uri);
  }
};

ValidationHandler.prototype.validate = function (textDocument) {
  this.cleanPendingValidation(textDocument);
  immediates.set(
    textDocument.uri,
    setImmediate(() => {
      immediates.delete(textDocument.uri);
      this.validateTextDocument(textDocument);
    }),
  );
};

// For completeness (nothing reads it once `validate` is replaced).
try {
  const settings = require(path.join(dir, 'out', 'server', 'src', 'yamlSettings.js'));
  const Original = settings.SettingsState;
  if (typeof Original === 'function') {
    settings.SettingsState = class extends Original {
      constructor(...args) {
        super(...args);
        this.validationDelayMs = 0;
      }
    };
  }
} catch {
  // not needed for the patch above
}

process.stderr.write('[bench] yaml-language-server validation debounce removed (setImmediate instead of setTimeout 200 ms)\n');
