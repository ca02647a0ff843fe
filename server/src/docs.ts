/** The level table rendered for people: docs/levels.md is this output (a test keeps them equal). */
import { LEVELS, SOURCE_NAMES } from './levels';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function levelTableMarkdown(): string {
  const lines: string[] = [
    '# The level table',
    '',
    '<!-- Generated from schemas/levels.json by `trl-cards levels`. Do not edit by hand: edit the JSON, then run `npm run docs`. -->',
    '',
    'Each level adds fields a card must carry; a card at level N must satisfy levels 0 to N.',
    'Each entry has a severity: error where the paper states the requirement plainly; warning where it is our reading, or would be too strict for some cards.',
    'A card that entered the process above level 0 (`entered_at`, e.g. 4 for an off-the-shelf model) skips the entries of the levels below, except those marked "even above `entered_at`".',
    '',
    '| Level | Name | Tagline | Reviewed by |',
    '|---|---|---|---|',
    ...LEVELS.map((l) => `| ${l.level} | ${cell(l.name)} | ${cell(l.tagline)} | ${cell(l.reviewers)} |`),
  ];
  for (const l of LEVELS) {
    lines.push('', `## TRL ${l.level}: ${l.name}`, '', l.tagline, '', `- **Reviewed by:** ${l.reviewers}`, `- **Gate:** ${l.gate}`, '', '| Field | When | Why | Source | Severity |', '|---|---|---|---|---|');
    for (const r of l.adds) {
      const when = [r.when ? `when \`${r.when}\`` : r.minItems !== undefined ? `at least ${r.minItems} items` : 'present', r.always ? 'even above `entered_at`' : ''].filter(Boolean).join('; ');
      lines.push(`| \`${r.field}\` | ${when} | ${cell(r.reason)} | ${SOURCE_NAMES[r.source]} | ${r.severity} |`);
    }
  }
  return lines.join('\n') + '\n';
}
