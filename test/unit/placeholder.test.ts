/** The one notion of a placeholder (text/placeholder.ts): what it takes, and the real text it leaves alone. */
import * as assert from 'assert';
import { isPlaceholderLink, isPlaceholderText, isPlaceholderValue } from '../../server/src/text/placeholder';
import { isAbsent } from '../../server/src/levels';

describe('placeholders', () => {
  const placeholders = [
    'TODO',
    'TODO describe the intended use',
    'TODO: the owner',
    '[TODO]',
    '(TODO)',
    '*TODO*',
    '\u200bTODO name the owner',
    'FIXME',
    'TBD',
    'TBD.',
    'TBD: the date of the review',
    'TBC',
    'TBA',
    'XXX',
    'T.B.D.',
    'tbd',
    'todo: write it',
    'To do',
    'to be determined',
    'To be done',
    '(to be completed)',
    '<link to previous cards>',
    '<Owner(s)>',
    "(*link to e.g. team's internal wiki page*)",
    '*link to full R&D requirements doc*',
    '(link, if not on main page above)',
    '[Insert the dataset here]',
    '{{ owner }}',
    '...',
    '…',
    '-',
    '???',
    '___',
    'Lorem ipsum dolor sit amet',
    // Written as people write them (the second attack review).
    'TBD - ask Grace',
    'TBD (ask Grace)',
    'TBD, pending data',
    'XXX: fill in',
    'tbd.',
    'todo.',
    'todo - later',
    '`TODO`',
    '"TODO"',
    "'TBD'",
    '\u200eTODO describe',
    'TODO\u200b',
  ];
  const content = [
    'TODO-MVC demo',
    'todo-app',
    'XXX-Net invoice reader',
    'XXX scanners give unreadable output',
    'TBD on real hardware: results come from the simulator only.',
    'Todo list manager',
    'Path to GPU inference unclear',
    'Link to ERP not yet tested',
    'URL to scans expires after 24 h',
    '<1% of scans>',
    'N/A',
    'None',
    'x',
    'Data pipeline (TODO: backfill 2019)',
    'A model that maps radar volumes to rainfall; TODO items are tracked in Jira.',
    // Real text the second attack review found taken for placeholders.
    'To be done in the next stage: PVC mains and multi-logger location (moved to the research track).',
    'To be confirmed by the field trial: the flange bias stays below 2 m.',
    'To be added to the nightly job once the rig is back.',
    '**Path to production**: the model ships behind the router in Q3.',
    '*Link to* the pricing service is the risk we track.',
    '(Path to deployment is blocked by the data licence.)',
    'TODO.txt sync: a research prototype for plain-text task lists.',
    'XXX.ai partnership: a vendor trial of their OCR.',
    'TBA. The vendor sends the data in March; until then we use the 2019 season.',
    '<ada@example.org>',
    '...and then it worked.',
    'Lorem Ipsum Corp. data, licensed for research.',
  ];
  for (const t of placeholders) it(`${JSON.stringify(t)} is a placeholder`, () => assert.ok(isPlaceholderText(t)));
  for (const t of content) it(`${JSON.stringify(t)} is content`, () => assert.ok(!isPlaceholderText(t)));

  it('a short bare "link to …" is a placeholder in a link or path field only', () => {
    assert.ok(isPlaceholderLink('link to Github etc'));
    assert.ok(!isPlaceholderText('link to Github etc'));
    assert.ok(!isPlaceholderLink('Path to deployment is blocked by the data licence.'));
    assert.ok(!isPlaceholderLink('https://example.org/link to'));
  });

  it('a value of placeholders, blanks or invisible text says nothing', () => {
    assert.ok(isPlaceholderValue({ what: 'TBD', alerts: ['TBD'] }));
    assert.ok(isPlaceholderValue(['TODO name a reviewer']));
    assert.ok(!isPlaceholderValue(['TODO name a reviewer', 'Grace Hopper']));
    assert.ok(!isPlaceholderValue({ what: 'latency', alerts: ['TBD'] }));
    for (const v of [' ', '\u200b\u200b', [' '], ['\u2060'], { a: ' ' }, [], {}, null, undefined]) assert.ok(isAbsent(v), JSON.stringify(v));
    // Every invisible character: format characters, the combining grapheme joiner, the fillers.
    for (const v of ['\u200e', '\u00ad', '\u3164', '\u034f', '\u2061', '\u202a\u202c', '\u115f', '\uffa0', '\u180e']) assert.ok(isAbsent(v), JSON.stringify(v));
    for (const v of ['x', ['x'], 0, false, { a: 1 }]) assert.ok(!isAbsent(v), JSON.stringify(v));
  });
});
