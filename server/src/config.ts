/**
 * A team's own rules: `trl-cards.config.yaml` at the workspace root (or found by the checker
 * from the current folder up). It can change a rule's severity or turn it off, adjust or add
 * level-table entries, and set the risk mitigation threshold. Parsing never throws: a broken
 * file gives problems (code `invalid-config`, with ranges in the file) and the valid rest.
 */
import { parseDocument, type Node as YamlNode } from 'yaml';
import * as validators from 'virtual:config-validator';
import { locate, rangeOf, type PathSeg } from './card/nodes';
import { LEVELS, levelEntriesFor, type LevelConfig, type TeamLevel } from './levels';
import { RULES, didYouMean, problem, q, type Problem } from './rules/problem';
import { schemaAt } from './schema';
import type { RuleSetting } from './services/diagnostics';

/** The file names a configuration may have, in the order they are looked for. */
export const CONFIG_FILES = ['trl-cards.config.yaml', 'trl-cards.config.yml'] as const;
export const CONFIG_FILE = /(^|[\\/])trl-cards\.config\.ya?ml$/i;

/**
 * Requirements and scenarios whose risk (p_failure × value, 0 to 10) reaches this need a
 * `mitigation`. 3 is a 30 % chance of failing a top-value (10) requirement, or an even chance
 * of failing a value-6 one: past that, "we'll see" is not a plan.
 */
export const DEFAULT_MITIGATION_THRESHOLD = 3;

export interface TeamConfig extends LevelConfig {
  rules?: Partial<Record<string, RuleSetting>>;
  risk?: { mitigation_threshold?: number };
}

export interface LoadedConfig {
  config: TeamConfig;
  problems: Problem[];
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function pointer(p: string): PathSeg[] {
  return p === '' ? [] : p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The range of the key (or value) at a path of the configuration document. */
function rangeIn(root: YamlNode | null, path: PathSeg[], preferKey: boolean): [number, number] {
  for (let n = path.length; n >= 0; n--) {
    const found = locate(root, path.slice(0, n));
    if (!found) continue;
    const r = (preferKey || n < path.length ? rangeOf(found.keyNode) : undefined) ?? rangeOf(found.node) ?? rangeOf(found.keyNode);
    if (r) return r;
  }
  return [0, 0];
}

function ajvMessage(e: AjvError, where: string): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return `Unknown setting ${q(e.params.additionalProperty)}${where}: see the configuration reference in docs/configuration.md.`;
    case 'enum':
      return `${where ? where.slice(4) : 'This value'} must be one of ${(e.params.allowedValues as unknown[]).map((v) => '`' + String(v) + '`').join(', ')}.`;
    case 'type':
      return `${where ? where.slice(4) : 'The configuration'} must be ${String(e.params.type) === 'object' ? 'a mapping of `key: value` lines' : String(e.params.type) === 'array' ? 'a list' : String(e.params.type)}.`;
    default:
      return `${where ? where.slice(4) + ': ' : ''}${e.message ?? 'not valid'}.`;
  }
}

/** Reads a configuration file's text. Unknown rule codes, levels and fields are reported. */
export function parseConfig(text: string): LoadedConfig {
  const problems: Problem[] = [];
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (const e of doc.errors) {
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
    problems.push(problem('invalid-config', `The configuration is not valid YAML: ${message}.`, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)));
  }
  if (problems.length) return { config: {}, problems };
  const root = doc.contents as YamlNode | null;
  const value: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const validate = validators.config as ((data: unknown) => boolean) & { errors?: AjvError[] | null };
  if (!validate(value)) {
    for (const e of validate.errors ?? []) {
      const path = pointer(e.instancePath);
      const where = path.length ? ` in \`${path.join('.')}\`` : '';
      const key = e.keyword === 'additionalProperties' ? [...path, String(e.params.additionalProperty)] : path;
      const r = rangeIn(root, key, e.keyword === 'additionalProperties' || e.keyword === 'propertyNames');
      problems.push(problem('invalid-config', ajvMessage(e, where), r[0], r[1]));
    }
    return { config: {}, problems };
  }
  const config = value as TeamConfig;
  // What JSON Schema cannot see: codes, fields and entries that do not exist.
  for (const code of Object.keys(config.rules ?? {})) {
    if (Object.hasOwn(RULES, code)) continue;
    const guess = didYouMean(code, Object.keys(RULES));
    const r = rangeIn(root, ['rules', code], true);
    problems.push(problem('invalid-config', `There is no rule ${q(code)}.${guess ? ` Did you mean \`${guess}\`?` : ' See docs/rules.md for the codes.'}`, r[0], r[1]));
  }
  for (const [level, team] of Object.entries(config.levels ?? {}) as [string, TeamLevel][]) {
    const builtIn = LEVELS[Number(level)].adds.map((a) => a.field);
    for (const field of Object.keys(team.entries ?? {})) {
      if (builtIn.includes(field)) continue;
      const guess = didYouMean(field, builtIn);
      const r = rangeIn(root, ['levels', level, 'entries', field], true);
      const others = levelEntriesFor(field).map((e) => e.level);
      const hint = guess ? ` Did you mean \`${guess}\`?` : others.length ? ` It is an entry of TRL ${others.join(', ')}.` : ` Its entries: ${builtIn.map((f) => '`' + f + '`').join(', ')}.`;
      problems.push(problem('invalid-config', `TRL ${level} has no entry for ${q(field)}.${hint}`, r[0], r[1]));
    }
    (team.require ?? []).forEach((entry, i) => {
      const path = entry.field.split('.');
      if (schemaAt(path)) return;
      const r = rangeIn(root, ['levels', level, 'require', i, 'field'], false);
      problems.push(problem('invalid-config', `${q(entry.field)} is not a field of the card format: name a field from docs/card-format.md, e.g. \`links.project\`.`, r[0], r[1]));
    });
  }
  if (problems.length) {
    // Keep what is valid: drop unknown codes and entries, so the rest still applies.
    const rules = Object.fromEntries(Object.entries(config.rules ?? {}).filter(([c]) => Object.hasOwn(RULES, c)));
    const levels = Object.fromEntries(
      Object.entries(config.levels ?? {}).map(([l, t]) => [
        l,
        {
          entries: Object.fromEntries(Object.entries(t?.entries ?? {}).filter(([f]) => LEVELS[Number(l)].adds.some((a) => a.field === f))),
          require: (t?.require ?? []).filter((e) => schemaAt(e.field.split('.'))),
        },
      ]),
    );
    return { config: { ...config, rules, levels }, problems };
  }
  return { config, problems };
}

/**
 * The mitigation threshold: the team configuration's, else the user's setting
 * (`trlCards.risk.mitigationThreshold`), else the default. The team's file wins so that every
 * member of a team, and the checker in CI, report the same risks.
 */
export function mitigationThreshold(config: TeamConfig | undefined, setting?: number): number {
  const t = config?.risk?.mitigation_threshold;
  if (typeof t === 'number' && Number.isFinite(t)) return t;
  return typeof setting === 'number' && Number.isFinite(setting) && setting >= 0 && setting <= 10 ? setting : DEFAULT_MITIGATION_THRESHOLD;
}

