// The bench scripts' sections of docs/performance.md: each script writes the part between its
// `<!-- NAME-bench:start … -->` and `<!-- NAME-bench:end -->` markers and keeps the rest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

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
