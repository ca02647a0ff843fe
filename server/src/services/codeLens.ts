/**
 * The code lens on a card's `level` line: the level's name and what stands between the card
 * and the next level, read from the one level status (`levelStatus`).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { cardValue, findEntry, type CardModel } from '../card/model';
import { levelInfo, levelStatus, levelTable } from '../levels';
import type { ValidationSettings } from './diagnostics';
import { GRADUATE_COMMAND, SHOW_LEVEL_STATUS_COMMAND, type LevelStatusItem } from '../../../protocol/messages';

export function codeLenses(document: TextDocument, card: CardModel, settings?: ValidationSettings): CodeLens[] {
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
  const status = levelStatus(data, level, levels);
  const name = `TRL ${level} — ${info.name}`;
  const next = levels[level + 1];
  const uri = document.uri;
  if (!status.ready) {
    const items: LevelStatusItem[] = status.unmet
      .filter((u) => u.req.severity === 'error' || u.req.severity === 'warning')
      .map((u) => ({ field: u.req.field, reason: u.req.reason, severity: u.req.severity, level: u.level }));
    const k = items.length;
    const title = `${name}: ${k} item${k === 1 ? '' : 's'} missing for TRL ${level}`;
    return [{ range, command: { title, command: SHOW_LEVEL_STATUS_COMMAND, arguments: [uri, items] } }];
  }
  if (!next) return [{ range, command: { title: `${name}: the last level`, command: SHOW_LEVEL_STATUS_COMMAND, arguments: [uri, []] } }];
  const items: LevelStatusItem[] = status.next.map((u) => ({ field: u.req.field, reason: u.req.reason, severity: u.req.severity, level: u.level }));
  return [
    { range, command: { title: `${name}: ready to graduate to TRL ${next.level}`, command: SHOW_LEVEL_STATUS_COMMAND, arguments: [uri, items] } },
    { range, command: { title: 'Graduate', command: GRADUATE_COMMAND, arguments: [uri] } },
  ];
}
