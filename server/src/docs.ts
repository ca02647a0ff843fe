/** The level table rendered for people: docs/levels.md is this output (a test keeps them equal). */
import { LEVELS, SOURCE_NAMES, levelTitle, type LevelField } from './levels';

/**
 * The 1-based line of each rule's heading (`## \`code\``) in docs/rules.md, by code: where a
 * link to the rule opens the file (`#L<line>`).
 */
export function ruleHeadingLines(markdown: string): Map<string, number> {
  const lines = new Map<string, number>();
  markdown.split(/\r?\n|\r/).forEach((line, i) => {
    const m = /^## `([a-z0-9-]+)`\s*$/.exec(line);
    if (m && !lines.has(m[1])) lines.set(m[1], i + 1);
  });
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function condition(r: LevelField): string {
  const parts = [
    r.when ? `fails when [\`${r.when}\`](card-format.md#${r.when})` : r.minItems !== undefined ? `at least ${r.minItems} items` : 'present',
    r.anyOf && r.anyOf.length > 1 ? `any of ${r.anyOf.map((p) => '`' + p + '`').join(', ')}` : '',
    r.always ? 'on every card, whatever its `entered_at`' : '',
    r.onlyAboveEntry ? 'only on cards above their entry level' : '',
  ];
  return parts.filter(Boolean).join('; ');
}

export function levelTableMarkdown(): string {
  const lines: string[] = [
    '# The level table',
    '',
    '<!-- Generated from schemas/levels.json by `trl-cards levels`. Do not edit by hand: edit the JSON, then run `npm run docs`. -->',
    '',
    'What each level asks of a card. Every entry has:',
    '',
    '- a **scope**: a *gate* is what a card must state to leave its own level — it is asked of a card *at* that level, and later cards inherit it from their earlier cards (they are never blamed for it); a *standing* entry holds from its level on;',
    '- a **severity** that follows its source: *error* where the paper or the authors\' template states it plainly, *warning* where the source hedges, *information* where it is our reading, *hint* for reminders;',
    '- the **quote** it rests on, and where the quote is.',
    '',
    'A card that entered the process above level 0 (`entered_at`, e.g. 4 for an off-the-shelf model) skips the entries of the levels below it, except those marked "on every card". A team can change entries, add its own and turn rules off in `trl-cards.config.yaml` (see [configuration.md](configuration.md)).',
    '',
    'Names: the authors\' current name of each level comes first; where the TRL4ML paper named it otherwise, that name follows.',
    '',
    '| Level | Name | The paper\'s name | Tagline | Reviewed by |',
    '|---|---|---|---|---|',
    ...LEVELS.map((l) => `| ${l.level} | ${cell(l.name)} | ${l.paperName !== l.name ? cell(l.paperName) : '—'} | ${cell(l.tagline)} | ${cell(l.reviewers)} |`),
  ];
  for (const l of LEVELS) {
    lines.push('', `## ${levelTitle(l)}`, '', l.tagline, '', `- **Reviewed by:** ${l.reviewers}`, `- **Gate:** ${l.gate}`, '', '| Field | Scope | Severity | When | Why | Quote |', '|---|---|---|---|---|---|');
    for (const r of l.adds) {
      const quote = `“${cell(r.quote.text)}” — ${cell(SOURCE_NAMES[r.quote.source])}, ${cell(r.quote.where)}`;
      lines.push(`| \`${r.field}\` | ${r.scope} | ${r.severity} | ${cell(condition(r))} | ${cell(r.reason)} | ${quote} |`);
    }
  }
  return lines.join('\n') + '\n';
}
