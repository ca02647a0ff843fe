/**
 * The linter keeps the walls (eslint.config.mjs): ESLint's own Node API, run in a process of
 * its own (the test bundles do not carry ESLint), lints code as if it were a file at a given
 * path in the tree (`lintText` with `filePath`: nothing is written into the tree), and the real
 * tree lints clean.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from '../helpers';

interface Message {
  ruleId: string | null;
  message: string;
  line: number;
}

/** ESLint's verdict on each `code`, linted as the file at its path (relative to the repository). */
function lint(files: Record<string, string>): Record<string, Message[]> {
  const script = `
    import { ESLint } from 'eslint';
    const files = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = {};
    for (const [filePath, code] of Object.entries(files)) {
      const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
      out[filePath] = result.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(files)], { cwd: ROOT, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, Message[]>;
}

/** The import rules' verdicts: one line per problem, `line: message`. */
function walls(messages: Message[]): string[] {
  return messages.map((m) => {
    assert.strictEqual(m.ruleId, 'no-restricted-imports', `${m.ruleId}: ${m.message}`);
    return `${m.line}: ${m.message}`;
  });
}

describe('the linter (npm run lint)', function () {
  this.timeout(180000);

  it('keeps the walls: client/ and webview/ import no yaml and no server code, protocol/ neither side, only the server entry the connection', () => {
    const r = lint({
      'client/src/lintProbe.ts': "import { parse } from 'yaml';\nexport const probe = parse;\n",
      'client/src/util/lintProbe.ts':
        "import { parseCard } from '../../../server/src/card/parse';\nimport { htmlEntities } from '../../../server/src/text/escape';\n" +
        'export const probe = [parseCard, htmlEntities];\n',
      'webview/lintProbe.ts': "import { Document } from 'yaml/browser';\nimport * as vscode from 'vscode';\nexport const probe = [Document, vscode];\n",
      'protocol/lintProbe.ts':
        "import { getLanguageService } from '../server/src/languageService';\nimport type { PreviewManager } from '../client/src/preview/manager';\n" +
        "import { RequestType } from 'vscode-languageserver-protocol';\nexport const probe = [getLanguageService, RequestType];\nexport type Probe = PreviewManager;\n",
      'server/src/services/lintProbe.ts':
        "import { createConnection } from 'vscode-languageserver/node';\nimport { TextDocument } from 'vscode-languageserver-textdocument';\n" +
        "import { Range } from 'vscode-languageserver-types';\nexport const probe = [createConnection, TextDocument, Range];\n",
      'server/src/main.ts': "import { createConnection } from 'vscode-languageserver/node';\nexport const probe = createConnection;\n",
      'server/src/text/links.ts': "import * as fs from 'fs';\nexport const probe = fs;\n",
    });
    const [yaml, server] = [/Only the server parses a card/, /client\/ and webview\/ never import server code/];
    const rows = Object.fromEntries(Object.entries(r).map(([file, messages]) => [file, walls(messages)]));
    assert.strictEqual(rows['client/src/lintProbe.ts'].length, 1, rows['client/src/lintProbe.ts'].join('\n'));
    assert.match(rows['client/src/lintProbe.ts'][0], yaml);
    // The server module itself is refused; the shared escaper (no parser, no Node) is not.
    assert.strictEqual(rows['client/src/util/lintProbe.ts'].length, 1, rows['client/src/util/lintProbe.ts'].join('\n'));
    assert.match(rows['client/src/util/lintProbe.ts'][0], /^1: .*never import server code/);
    assert.strictEqual(rows['webview/lintProbe.ts'].length, 2, rows['webview/lintProbe.ts'].join('\n'));
    assert.match(rows['webview/lintProbe.ts'][0], yaml);
    assert.match(rows['webview/lintProbe.ts'][1], /^2: .*Only client\/ knows the VS Code API/);
    assert.deepStrictEqual(
      rows['protocol/lintProbe.ts'].map((l) => l.replace(/ '.*$/, '')),
      ['1:', '2:', '3:'],
      rows['protocol/lintProbe.ts'].join('\n'),
    );
    assert.match(rows['protocol/lintProbe.ts'][0], /protocol\/ is shared by both sides/);
    assert.match(rows['protocol/lintProbe.ts'][2], /no LSP library/);
    // A service takes the connection's data types, never the connection; the entry takes it.
    assert.deepStrictEqual(rows['server/src/services/lintProbe.ts'].length, 1, rows['server/src/services/lintProbe.ts'].join('\n'));
    assert.match(rows['server/src/services/lintProbe.ts'][0], /^1: .*Only the server entry/);
    assert.deepStrictEqual(rows['server/src/main.ts'], []);
    assert.match(rows['server/src/text/links.ts'].join('\n'), /^1: .*no Node APIs/);
    assert.ok(!server.test(rows['client/src/lintProbe.ts'].join('\n')));
  });

  it('limits lines of code to 160 columns, but strings and comments', () => {
    const long = `export const probe = [${Array.from({ length: 40 }, (_, i) => i + 1000).join(', ')}];\n`;
    const words = `// ${'word '.repeat(50)}\nexport const text = '${'word '.repeat(50)}';\n`;
    const r = lint({ 'server/src/lintProbe.ts': long, 'client/src/lintProbe.ts': words });
    assert.deepStrictEqual(r['server/src/lintProbe.ts'].map((m) => m.ruleId), ['@stylistic/max-len']);
    assert.deepStrictEqual(r['client/src/lintProbe.ts'], []);
  });

  it('finds nothing in the tree', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', '.'], { cwd: ROOT, encoding: 'utf8' });
    const results = JSON.parse(r.stdout) as { filePath: string; messages: Message[] }[];
    const found = results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(ROOT.length + 1)}:${m.line} ${m.ruleId} ${m.message}`));
    assert.deepStrictEqual(found, []);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.ok(results.length > 200, `linted ${results.length} files`);
  });
});
