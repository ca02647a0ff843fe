/**
 * The authors' template's section headings and the card fields they hold, with the spellings
 * found in the wild ("Model info", "Caveats", "Debrief", …). A heading matches whatever its case,
 * spacing, emphasis and trailing colon. Pure.
 */

export type SectionField = 'requirements' | 'model.details' | 'intended_use' | 'testing.notes' | 'data.considerations' | 'caveats' | 'assumptions' | 'debrief';

const HEADINGS: [RegExp, SectionField][] = [
  [/^(top[- ]?level |main |key )?(requirements|req's|reqs)$/, 'requirements'],
  [/^(model ?\/ ?algorithm|model|algorithm)( info| information| details)?$/, 'model.details'],
  [/^intended use(s|-cases| cases)?$/, 'intended_use'],
  [/^(testing|test)( status)?$/, 'testing.notes'],
  [/^data( considerations)?$/, 'data.considerations'],
  [/^(caveats|known edge cases|limitations)(,? (and )?(known edge cases|recommendations))*$/, 'caveats'],
  [/^(key )?assumptions$/, 'assumptions'],
  [/^((mltrl |ml ?trl )?(stage |level )?debrief)$/, 'debrief'],
];

/** A heading's text as compared: lower case, single spaces, no emphasis, no trailing colon. */
export function headingKey(text: string): string {
  return text.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().replace(/\s*:$/, '').toLowerCase();
}

/** The field a section of this heading holds, if the template names it. */
export function sectionField(heading: string): SectionField | undefined {
  const key = headingKey(heading);
  return HEADINGS.find(([re]) => re.test(key))?.[1];
}
