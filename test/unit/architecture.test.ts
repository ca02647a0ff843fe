/**
 * docs/architecture.md against the tree (issue 22): its code map names every source folder, every
 * repository path it quotes exists, its links lead somewhere, and it stays short enough to read.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

const DOC = 'docs/architecture.md';
const MAX_CHARS = 30_000;

/** The folders whose subfolders are source folders. */
const SOURCE_ROOTS = ['server/src', 'client/src', 'protocol', 'webview', 'scripts', 'test', 'schemas', 'snippets'];
/** Folders of test data: named themselves, their subfolders are not. */
const FIXTURE_ROOTS = new Set(['test/fixtures', 'test/vscode/workspace']);
/** Top-level entries a quoted repository path starts with (dist/ and the like are build output, not checked). */
const REPO_TOPS = ['server/', 'client/', 'protocol/', 'webview/', 'scripts/', 'test/', 'schemas/', 'snippets/', 'docs/', 'examples/', 'syntaxes/', 'images/'];

/** Every source folder, relative to the repository, with `/` separators. */
function sourceFolders(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    out.push(dir);
    if (FIXTURE_ROOTS.has(dir)) return;
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(path.posix.join(dir, e.name));
    }
  };
  for (const root of SOURCE_ROOTS) walk(root);
  return out.sort();
}

/** The doc's text without its fenced code blocks. */
function prose(doc: string): string {
  return doc.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '');
}

/** The contents of every code span of the doc (CommonMark: a run of backticks closed by one as long). */
function codeSpans(doc: string): string[] {
  const out: string[] = [];
  for (const line of prose(doc).split('\n')) {
    for (const m of line.matchAll(/(`+)(.+?)\1(?!`)/g)) out.push(m[2].trim());
  }
  return out;
}

/** The source folders the doc does not name as a code span, `path` or `path/`. */
function foldersNotNamed(doc: string, folders: readonly string[]): string[] {
  const spans = new Set(codeSpans(doc));
  return folders.filter((f) => !spans.has(f) && !spans.has(`${f}/`));
}

/** Where a code span that looks like a repository path points, or undefined when it does not look like one. */
function repoPath(span: string): string | undefined {
  if (/[\s*?{}<>[\]|$]|:\/\//.test(span) || !span.includes('/')) return undefined;
  if (REPO_TOPS.some((top) => span.startsWith(top))) return span;
  // A path inside server/src, as the code map writes them (`card/parse.ts`, `text/escape.ts`).
  const first = span.split('/')[0];
  if (fs.existsSync(path.join(ROOT, 'server/src', first)) && fs.statSync(path.join(ROOT, 'server/src', first)).isDirectory()) return `server/src/${span}`;
  return undefined;
}

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

describe('docs/architecture.md against the tree (issue 22)', () => {
  const doc = fs.readFileSync(path.join(ROOT, DOC), 'utf8');

  it(`is at most ${MAX_CHARS.toLocaleString('en')} characters`, () => {
    assert.ok(doc.length <= MAX_CHARS, `${DOC} is ${doc.length} characters: say less, or link to the doc that holds the details`);
  });

  it('names every source folder in its code map', () => {
    const folders = sourceFolders();
    assert.ok(folders.includes('server/src/card') && folders.includes('test/fixtures') && !folders.some((f) => f.startsWith('test/fixtures/')), `the folder list is wrong: ${folders.join(', ')}`);
    const missing = foldersNotNamed(doc, folders);
    assert.deepStrictEqual(missing, [], `${DOC} does not name these folders (as \`path/\`): say in its code map what each holds`);
  });

  it('finds a folder the doc leaves out (the check above can fail)', () => {
    const folders = sourceFolders();
    const named = (f: string) => (f === 'protocol' ? '`protocol`' : `\`${f}/\``);
    assert.deepStrictEqual(foldersNotNamed(folders.map(named).join(', '), folders), []);
    const withoutHost = folders.map((f) => (f === 'server/src/host' ? 'the host folder, `server/src/host/runtime.ts`' : named(f))).join(', ');
    assert.deepStrictEqual(foldersNotNamed(withoutHost, folders), ['server/src/host']);
    assert.deepStrictEqual(foldersNotNamed(folders.map(named).join(', '), [...folders, 'server/src/newLayer']), ['server/src/newLayer']);
  });

  it('quotes only repository paths that exist', () => {
    const quoted = codeSpans(doc).map(repoPath).filter((p): p is string => p !== undefined);
    assert.ok(quoted.length > 50, `only ${quoted.length} paths found: the path pattern is wrong`);
    const missing = [...new Set(quoted)].filter((p) => !fs.existsSync(path.join(ROOT, p)));
    assert.deepStrictEqual(missing, [], `${DOC} names paths that do not exist`);
    assert.strictEqual(repoPath('card/noSuchModule.ts'), 'server/src/card/noSuchModule.ts');
    assert.strictEqual(repoPath('trlCards/portfolio'), undefined);
  });

  it('links only to files and headings that exist', () => {
    const anchors = new Set([...prose(doc).matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])));
    const broken = new Set<string>();
    for (const m of prose(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^https?:/.test(target)) continue;
      const [file, anchor] = target.split('#');
      if (file && !fs.existsSync(path.join(ROOT, 'docs', file))) broken.add(target);
      else if (!file && anchor && !anchors.has(anchor)) broken.add(target);
    }
    assert.deepStrictEqual([...broken], [], `${DOC} links to files or headings that do not exist`);
  });
});
