// The bench scripts' sections of docs/performance.md: each script writes the part between its
// `<!-- NAME-bench:start … -->` and `<!-- NAME-bench:end -->` markers and keeps the rest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from './lsp.mjs';

export const PERFORMANCE_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'performance.md');

/** Every marked section of a document's text, whole (markers included). */
export function markedSections(text) {
  return [...text.matchAll(/<!-- ([\w-]+-bench):start[^>]*-->[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]);
}

/** Replaces the section `name` (e.g. `checker`) of the doc with `section` (markers included), or appends it. */
export function writeSection(name, section, file = PERFORMANCE_DOC) {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n';
  const re = new RegExp(`<!-- ${name}-bench:start[^>]*-->[\\s\\S]*?<!-- ${name}-bench:end -->`);
  fs.writeFileSync(file, re.test(old) ? old.replace(re, () => section) : old.replace(/\n*$/, '\n\n') + section + '\n');
}

/**
 * A bench script's run: `make()` measures and returns its section (markers included), printed
 * and written into the doc unless `--no-doc` is in `args`; then every server the script started
 * is ended, and the process exits 0 (or 1, with the error, when `make` fails).
 */
export async function benchSection(name, args, make) {
  process.on('exit', killAll);
  try {
    const section = await make();
    console.log(section);
    if (!args.includes('--no-doc')) writeSection(name, section);
    killAll();
    process.exit(0);
  } catch (err) {
    killAll();
    process.stderr.write(`bench ${name}: FAILED: ${err?.stack ?? err}\n`);
    process.exit(1);
  }
}
