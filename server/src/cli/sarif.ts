/**
 * `--format sarif`: the problems as one SARIF 2.1.0 log (OASIS Static Analysis Results
 * Interchange Format), for GitHub code scanning and other SARIF viewers. Every rule of the
 * catalog is in `tool.driver.rules` (id, short and full description, help text, and a link to its
 * section of docs/rules.md on the web when the package knows where that is); each result has its exact region, 1-based lines and columns in
 * UTF-16 code units (as the editor counts), and an artifact location relative to `%SRCROOT%`,
 * the folder the checker ran in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import { rulesUrl as packageRulesUrl } from 'virtual:package';
import { RULES, type ProblemSeverity } from '../rules/problem';
import { jsonForTerminal } from '../text/escape';
import type { Row } from './format';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<ProblemSeverity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A rule's section of docs/rules.md (`## \`code\`` up to the next heading), by code. */
export function ruleSections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) {
    const m = /^`([a-z0-9-]+)`[^\n]*\n/.exec(part);
    if (m) out.set(m[1], part.slice(m[0].length).trim());
  }
  return out;
}

/** Markdown as plain text, for SARIF's `text` fields: emphasis and code marks dropped. */
function plain(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/<\/?kbd>/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
}

/** The rules reference shipped beside the checker (`docs/rules.md`), or empty when it is missing. */
function readRulesDoc(): string {
  try {
    return fs.readFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), 'utf8');
  } catch {
    return '';
  }
}

/**
 * The default rules reference URL: docs/rules.md in the repository package.json names (an
 * `https` address), or undefined when it names none — never the installed file, which a SARIF
 * viewer (GitHub code scanning) could not open.
 */
export function defaultRulesUrl(): string | undefined {
  return packageRulesUrl;
}

export interface SarifOptions {
  /** The folder `%SRCROOT%` stands for (the checker's working directory). */
  srcRoot: string;
  version: string;
  /** The rules reference; each rule's `helpUri` is `${rulesUrl}#${code}`. None: no `helpUri`. */
  rulesUrl: string | undefined;
  /** docs/rules.md (read from the installed package when not given). */
  rulesDoc?: string;
}

function artifactLocation(file: string, srcRoot: string): Sarif.ArtifactLocation {
  const absolute = path.resolve(srcRoot, file);
  const rel = path.relative(srcRoot, absolute);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(absolute).toString() };
}

/** The SARIF log of the rows. */
export function sarifLog(rows: readonly Row[], o: SarifOptions): Sarif.Log {
  const sections = ruleSections(o.rulesDoc ?? readRulesDoc());
  const codes = Object.keys(RULES) as (keyof typeof RULES)[];
  const index = new Map<string, number>(codes.map((c, i) => [c, i]));
  const rules: Sarif.ReportingDescriptor[] = codes.map((code) => {
    const { summary, severity } = RULES[code];
    const section = sections.get(code);
    const what = section && /\*\*What:\*\*\s*([\s\S]*?)(?:\n\n|$)/.exec(section);
    const rule: Sarif.ReportingDescriptor = {
      id: code,
      shortDescription: { text: plain(summary) },
      fullDescription: { text: plain(what ? what[1].replace(/\s*\n\s*/g, ' ') : summary) },
      ...(o.rulesUrl ? { helpUri: `${o.rulesUrl}#${code}` } : {}),
      help: section ? { text: plain(section), markdown: section } : { text: plain(summary) },
      defaultConfiguration: { level: LEVEL[severity as ProblemSeverity] },
    };
    return rule;
  });
  const results: Sarif.Result[] = rows.map((r) => {
    const result: Sarif.Result = {
      ruleId: r.code,
      level: LEVEL[r.severity],
      message: { text: r.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(r.file, o.srcRoot),
            region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
          },
        },
      ],
    };
    const i = index.get(r.code);
    if (i !== undefined) result.ruleIndex = i;
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'trl-cards', version: o.version, ...(o.rulesUrl ? { informationUri: o.rulesUrl } : {}), rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(o.srcRoot).toString().replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** The log as lines of JSON (2-space indented), safe for a terminal. */
export function sarifLines(log: Sarif.Log): string[] {
  return jsonForTerminal(JSON.stringify(log, null, 2)).split('\n');
}
