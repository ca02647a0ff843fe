/**
 * The house in order (issue 22): each domain fact has one source, and the sources say so. These
 * read the code itself, so a second copy of a fact fails here, naming where it is.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

/** Every TypeScript source file of the shipped code, relative to the repository. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const dir of ['server/src', 'client/src', 'protocol', 'webview']) walk(dir);
  return out;
}

/** The lines of `file` that are code (not in a comment), with their numbers. */
function codeLines(file: string): { n: number; text: string }[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  return lines.map((text, i) => ({ n: i + 1, text })).filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l.text));
}

describe('one source for each domain fact (issue 22)', () => {
  it('the card-file pattern and glob are written once, in protocol/cardFile.ts', () => {
    const found: string[] = [];
    for (const file of sources()) {
      if (file === 'protocol/cardFile.ts') continue;
      for (const l of codeLines(file)) if (/\\\.trl\\\.ya|\*\.trl\.\{yaml,yml\}/.test(l.text)) found.push(`${file}:${l.n}: ${l.text.trim()}`);
    }
    assert.deepStrictEqual(found, []);
  });
});
