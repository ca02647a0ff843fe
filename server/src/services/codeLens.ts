/**
 * The code lens on a card's `level` line: the level's name and what stands between the card
 * and the next level, read from the one level status (`levelStatus`).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { cardValue, findEntry, type CardModel } from '../card/model';
import { levelInfo, levelStatus, levelTable } from '../levels';
import type { ValidationSettings } from './diagnostics';
import { mitigationThreshold } from '../config';
import { riskCounted, riskSummary, riskWhere } from '../rules/requirements';
import type { CardLookup } from '../workspace/index';
import { rollup } from '../workspace/rollup';
import type { Readiness } from './readiness';
import { GRADUATE_COMMAND, SHOW_LEVEL_STATUS_COMMAND, type LevelStatusItem } from '../../../protocol/messages';

/** Lenses beside the level's: the risk table in numbers, and the component that limits a system. */
function extraLenses(uri: string, data: Record<string, unknown>, range: CodeLens['range'], settings: ValidationSettings | undefined, index: CardLookup | undefined): CodeLens[] {
  const out: CodeLens[] = [];
  const threshold = mitigationThreshold(settings?.config, settings?.mitigationThreshold);
  const risk = riskSummary(data, threshold);
  if (risk.highest) {
    const open = risk.above - risk.mitigated;
    // The one risk total (rules/requirements.ts), named by what it counts, as the preview names it.
    const title = `Risk total ${risk.total} (${riskCounted(risk)}), highest ${Math.round(risk.highest.risk * 100) / 100} (${riskWhere(risk.highest)}); ${risk.above} ≥ ${threshold}${open ? `, ${open} unmitigated` : ''}`;
    out.push({ range, command: { title, command: '' } });
  }
  const level = data.level;
  if (index?.complete && typeof level === 'number' && Array.isArray(data.components) && data.components.length) {
    const self = index.byUri(uri);
    if (self) {
      const r = rollup(self, index);
      const limiting = r.chain[r.chain.length - 1];
      if (r.chain.length > 1 && r.level !== undefined && r.level < level) out.push({ range, command: { title: `Limited to TRL ${r.level} by ${limiting.id ?? limiting.technology ?? 'a component'}`, command: '' } });
    }
  }
  return out;
}

export function codeLenses(document: TextDocument, card: CardModel, settings?: ValidationSettings, index?: CardLookup, verdict?: Readiness): CodeLens[] {
  const ref = findEntry(card, 'level');
  if (!ref) return [];
  const levels = levelTable(settings?.config);
  const data = cardValue(card);
  const level = data.level;
  const info = levelInfo(level, levels);
  if (typeof level !== 'number' || !info) return [];
  const keyRange = ref.entry.keyNode.range;
  if (!keyRange) return [];
  const base = ref.section.offset + ref.section.head.offset;
  const start = document.positionAt(base + keyRange[0]);
  const range = { start, end: start };
  const status = verdict?.status ?? levelStatus(data, level, levels);
  const name = `TRL ${level} — ${info.name}`;
  const next = levels[level + 1];
  const uri = document.uri;
  const ready = verdict ? verdict.ready : status.ready;
  if (!ready) {
    const items: LevelStatusItem[] = status.unmet
      .filter((u) => u.req.severity === 'error' || u.req.severity === 'warning')
      .map((u) => ({ field: u.req.field, reason: u.req.reason, severity: u.req.severity, level: u.level, ...(u.why.kind === 'placeholder' ? { placeholder: true } : {}) }));
    const k = items.length;
    // What else keeps it from graduating (errors, a lagging component, a review that holds it).
    const others = (verdict?.reasons ?? []).slice(k ? 1 : 0);
    const title = k ? `${name}: ${k} item${k === 1 ? '' : 's'} missing for TRL ${level}${others.length ? `; not ready: ${others[0]}` : ''}` : `${name}: not ready to graduate: ${others[0] ?? 'see the problems'}`;
    return [
      { range, command: { title, command: SHOW_LEVEL_STATUS_COMMAND, arguments: [uri, items, verdict?.reasons ?? []] } },
      ...extraLenses(uri, data, range, settings, index),
    ];
  }
  if (!next) return [{ range, command: { title: `${name}: the last level`, command: SHOW_LEVEL_STATUS_COMMAND, arguments: [uri, []] } }, ...extraLenses(uri, data, range, settings, index)];
  const items: LevelStatusItem[] = status.next.map((u) => ({ field: u.req.field, reason: u.req.reason, severity: u.req.severity, level: u.level }));
  return [
    { range, command: { title: `${name}: ready to graduate to TRL ${next.level}`, command: SHOW_LEVEL_STATUS_COMMAND, arguments: [uri, items] } },
    { range, command: { title: 'Graduate', command: GRADUATE_COMMAND, arguments: [uri] } },
    ...extraLenses(uri, data, range, settings, index),
  ];
}
