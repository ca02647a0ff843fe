/** Hovers: the level on `level`, and each key's description with the levels that need it. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { blockAt, cardValue, type CardModel } from '../card/model';
import { isMap, isScalar, isSeq, keyName, rangeOf } from '../card/nodes';
import { LEVELS, levelEntriesFor, levelInfo, levelStatus, levelTitle, scopeWords, type Level, type LevelField } from '../levels';
import { schemaAt } from '../schema';
import { DEFAULT_MITIGATION_THRESHOLD } from '../config';
import { riskCounted, riskSummary, riskWhere, type RiskSummary } from '../rules/requirements';
import type { Node as YamlNode } from 'yaml';
import { codeSpan, escapeMarkdown } from '../text/escape';

export { codeSpan, escapeMarkdown };

interface Hit {
  path: (string | number)[];
  onKey: boolean;
  range: [number, number];
}

/** The key or value under `offset` (relative to the section), with its path. */
function hitAt(root: YamlNode | null, offset: number): Hit | undefined {
  let node: YamlNode | null = root;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 64 && node; depth++) {
    if (isMap(node)) {
      let next: YamlNode | null = null;
      for (const pair of node.items) {
        const kr = rangeOf(pair.key as YamlNode | null);
        const name = keyName(pair);
        if (kr && offset >= kr[0] && offset <= kr[1] && name !== undefined) return { path: [...path, name], onKey: true, range: kr };
        const vr = rangeOf(pair.value as YamlNode | null);
        if (vr && offset >= vr[0] && offset <= vr[1] && name !== undefined) {
          path.push(name);
          next = pair.value as YamlNode;
          break;
        }
      }
      if (!next) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = rangeOf(it as YamlNode | null);
        return r && offset >= r[0] && offset <= r[1];
      });
      if (i < 0) return undefined;
      path.push(i);
      node = node.items[i] as YamlNode;
    } else {
      const r = rangeOf(node);
      return r && isScalar(node) ? { path, onKey: false, range: r } : undefined;
    }
  }
  return undefined;
}

/** "> quote" with where it is from: why the entry exists, for the reviewer to check. */
export function quoteLines(req: LevelField): string {
  return `  > ${escapeMarkdown(req.quote.text)}\n  > — _${escapeMarkdown(req.quote.where)}_`;
}

/**
 * An entry's reason as Markdown: the built-in table's reasons are our own Markdown; a team's
 * (trl-cards.config.yaml, a workspace file) is text, escaped like card text.
 */
export function reasonMarkdown(req: LevelField): string {
  return req.quote.source === 'team' ? escapeMarkdown(req.reason) : req.reason;
}

function entryLine(level: number, req: LevelField): string {
  return `- ${codeSpan(req.field)} (${scopeWords(req, level)}, ${req.severity}): ${reasonMarkdown(req)}\n${quoteLines(req)}`;
}

function levelHover(level: number, data: unknown, levels: readonly Level[]): string {
  const l = levels[level];
  const status = levelStatus(data, level, levels);
  const lines = [`### ${levelTitle(l)}`, '', l.tagline, '', `**Reviewed by:** ${l.reviewers}`, '', `**Gate:** ${l.gate}`];
  if (status.unmet.length) lines.push('', `**Missing for TRL ${level}:**`, ...status.unmet.map(({ level: at, req }) => entryLine(at, req)));
  const next = levels[level + 1];
  if (next) {
    lines.push('', `**To graduate to ${levelTitle(next)}:**`);
    if (status.next.length) lines.push(...status.next.map(({ req }) => entryLine(next.level, req)));
    else lines.push(`- the card already has every field TRL ${next.level} adds; the review decides.`);
  } else {
    lines.push('', 'TRL 9 is the last level: keep monitoring, regression tests and the feedback path alive.');
  }
  return lines.join('\n');
}

/** The risk table in numbers (the one risk total, rules/requirements.ts), for the hover on `requirements`. */
function riskLines(r: RiskSummary, threshold: number): string {
  if (!r.highest) return '**Risk:** no requirement or critical scenario has `p_failure` and `value` yet (risk = p(failure) × value).';
  const highest = `; highest ${Math.round(r.highest.risk * 100) / 100} (${riskWhere(r.highest, codeSpan)})`;
  return `**Risk** (p(failure) × value): total ${r.total} over ${riskCounted(r)}${highest}; ${r.above} at or above the mitigation threshold ${threshold}, ${r.mitigated} of them mitigated.`;
}

export function hover(
  document: TextDocument,
  card: CardModel,
  position: Position,
  levels: readonly Level[] = LEVELS,
  threshold = DEFAULT_MITIGATION_THRESHOLD,
): Hover | null {
  const offset = document.offsetAt(position);
  const at = blockAt(card, offset);
  if (!at) return null;
  const hit = hitAt(at.block.doc.contents as YamlNode | null, offset - at.base);
  if (!hit) return null;
  // An item of a split list is parsed as a one-item list: its path starts at the section's key.
  if (at.item) hit.path = [at.section.entries[0]?.key ?? '', ...hit.path];
  if (hit.path.length === 0) return null;
  const range = { start: document.positionAt(at.base + hit.range[0]), end: document.positionAt(at.base + hit.range[1]) };
  const data = cardValue(card);
  if (hit.path.length === 1 && hit.path[0] === 'level') {
    const level = data.level;
    if (typeof level === 'number' && levelInfo(level, levels))
      return { contents: { kind: MarkupKind.Markdown, value: levelHover(level, data, levels) }, range };
    if (hit.onKey) return { contents: { kind: MarkupKind.Markdown, value: String(schemaAt(['level'])?.markdownDescription ?? '') }, range };
    return { contents: { kind: MarkupKind.Markdown, value: `\`level\` must be a whole number from 0 to 9.` }, range };
  }
  if (!hit.onKey) return null;
  const schemaPath = hit.path.map((s) => (typeof s === 'number' ? '*' : s));
  const schema = schemaAt(schemaPath);
  if (!schema) {
    const name = String(hit.path[hit.path.length - 1]);
    return { contents: { kind: MarkupKind.Markdown, value: `${codeSpan(name)} is not a field of the TRL card format.` }, range };
  }
  const parts = [`**${schemaPath.filter((s) => s !== '*').join('.')}**`, String(schema.markdownDescription ?? schema.description ?? '')];
  if (!schemaPath.includes('*')) {
    const field = schemaPath.join('.');
    const reqs = levelEntriesFor(field, levels);
    if (reqs.length) {
      const items = reqs.map(
        ({ level, req }) =>
          `- **${escapeMarkdown(levelTitle(levels[level]))}**${req.field !== field ? `: ${codeSpan(req.field)}` : ''}${req.when ? ', when it applies' : ''} — ${scopeWords(req, level)}, ${req.severity}: ${reasonMarkdown(req)}\n${quoteLines(req)}`,
      );
      parts.push(items.join('\n'));
    }
    if (field === 'requirements' || field === 'critical_scenarios') parts.push(riskLines(riskSummary(data, threshold), threshold));
  }
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range };
}
