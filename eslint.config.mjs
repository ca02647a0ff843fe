// The linter (`npm run lint`, run by `npm test`): typescript-eslint's recommended rules, the
// walls between the layers as import rules, and a line-length limit.
//
// The walls (docs/architecture.md, "Invariants"):
// - client/ and webview/ never import `yaml` nor anything under server/: the client never parses
//   a card. The one exception is the pure renderers shared with the server (SHARED below), which
//   in turn import no parser, no Node and no editor API;
// - protocol/ imports nothing of client/, server/ or webview/, nor `vscode` or
//   `vscode-languageserver*`: both sides import it;
// - only the server's entry (main.ts, server.ts, runner.ts) imports `vscode-languageserver` (the
//   connection); `-textdocument` and `-types` are data types, free to use;
// - only client/ (and the in-VS-Code tests) import `vscode`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Server modules that the client or the webview bundle: pure string functions. */
const SHARED = [
  'server/src/render/html.ts', 'server/src/render/wordDiff.ts', 'server/src/text/escape.ts', 'server/src/text/hidden.ts',
  'server/src/text/links.ts', 'server/src/limits.ts',
];
/** The server's entry: the only modules that know the connection. */
const SERVER_ENTRY = ['server/src/main.ts', 'server/src/server.ts', 'server/src/runner.ts'];

const noYaml = [
  { name: 'yaml', message: 'Only the server parses a card: ask it (a request in protocol/).' },
];
const noVscode = [
  { name: 'vscode', message: 'Only client/ knows the VS Code API.' },
];
const noLanguageServer = {
  regex: '^vscode-languageserver(/|$)',
  message: 'Only the server entry (main.ts, server.ts, runner.ts) knows the connection: take what you need as a parameter.',
};
const noYamlDeep = { regex: '^yaml/', message: noYaml[0].message };
/** A relative import of server code, but for the shared renderers (SHARED). */
const noServer = {
  regex: '^(\\.\\./)+server/(?!src/(render/html|text/escape)$)',
  message: 'client/ and webview/ never import server code: ask the server (a request in protocol/), or move a pure helper to protocol/.',
};

/** `no-restricted-imports` with these names and patterns. */
const restrict = (paths, patterns = []) => ['error', { paths, patterns }];

export default defineConfig(
  {
    ignores: [
      'dist/**', 'node_modules/**', 'scripts/code-server/**', 'test-artifacts/**', 'tmp/**',
      '.vscode-test/**', 'test/vscode/workspace/**', 'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { '@stylistic': stylistic },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // 160 columns of code; strings, template literals, regular expressions, URLs and comments
      // may run on (a message or a pattern reads best whole, a comment is prose).
      '@stylistic/max-len': ['error', {
        code: 160, tabWidth: 2, ignoreStrings: true, ignoreTemplateLiterals: true,
        ignoreRegExpLiterals: true, ignoreUrls: true, ignoreComments: true,
      }],
      // `_`-prefixed names are deliberately unused (a parameter kept for its position).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true,
      }],
    },
  },
  {
    files: ['scripts/**/*.{mjs,cjs,js}', 'test/**/*.{mjs,cjs}', '*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs', 'esbuild.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/vscode/ui.mjs', 'scripts/vscode-ui.mjs'],
    // Functions run in the browser page (`page.evaluate`) use its globals.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },

  // The walls.
  {
    files: ['client/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noYaml, [noYamlDeep, noServer]) },
  },
  {
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...noYaml, ...noVscode], [noYamlDeep, noServer, noLanguageServer]) },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noVscode, [
        {
          regex: '^(\\.\\./)+(client|server|webview)(/|$)',
          message: 'protocol/ is shared by both sides: it imports nothing of client/, server/ or webview/.',
        },
        { regex: '^vscode-languageserver', message: 'protocol/ declares plain names and types: no LSP library.' },
      ]),
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: SERVER_ENTRY,
    rules: { 'no-restricted-imports': restrict(noVscode, [noLanguageServer]) },
  },
  {
    files: SERVER_ENTRY,
    rules: { 'no-restricted-imports': restrict(noVscode) },
  },
  {
    files: SHARED,
    rules: {
      'no-restricted-imports': restrict([...noVscode, ...noYaml], [
        noYamlDeep, noLanguageServer,
        {
          regex: '^(node:)?(fs|path|os|child_process|url|util|crypto|worker_threads)(/|$)',
          message: 'The webview and the client bundle this module: no Node APIs.',
        },
      ]),
    },
  },
);
