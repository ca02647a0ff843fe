/** The team configuration for the command line: found from the current folder up, read and checked. */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILES, parseConfig, type TeamConfig } from '../languageService';
import { MAX_CONFIG_FILE_BYTES } from '../limits';
import { showControls } from '../text/escape';
import { readCardFileSync } from '../workspace/read';
import type { CliIO } from './io';
import { textRow } from './format';

/** The nearest trl-cards.config.yaml from `dir` up, stopping at a repository root. */
export function findConfig(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(d, name);
      try {
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) return undefined;
  }
}

/** Reads and checks a configuration file; prints its problems. 'invalid' when it has any. */
export function loadConfigFile(file: string | undefined, io: CliIO): TeamConfig | undefined | 'invalid' {
  if (!file) return undefined;
  const rel = path.relative(io.cwd, file) || file;
  // Read like a card (never a pipe or a device), with a smaller limit.
  const read = readCardFileSync(file, { maxBytes: MAX_CONFIG_FILE_BYTES });
  if (read.error !== undefined) {
    io.err(`trl-cards: ${showControls(rel)}: cannot read the configuration: ${read.error}.`);
    return 'invalid';
  }
  const text = read.text;
  const { config, problems } = parseConfig(text);
  if (problems.length === 0) return config;
  const document = TextDocument.create(pathToFileURL(file).toString(), 'yaml', 0, text);
  for (const p of problems) {
    const s = document.positionAt(p.start);
    const e = document.positionAt(p.end);
    io.err(textRow({ file: rel, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: 'error', code: p.code, message: p.message }));
  }
  io.err(`trl-cards: ${showControls(rel)}: the team configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} (or run with --no-config).`);
  return 'invalid';
}
