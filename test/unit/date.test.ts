/** Dates of cards and of `--today`: days of the calendar, the same for the schema and the code. */
import * as assert from 'assert';
import { calendarDateProblem, dateOfDay, dayNumber, isCalendarDate } from '../../server/src/text/date';
import { CARD_SCHEMA } from '../../server/src/schema';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (y: number, m: number) => (m === 2 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
/** Years around every rule of the leap years (0, 100, 400, 1900, 2000, 2100) and the ends of four digits. */
const YEARS = [
  ...Array.from({ length: 405 }, (_, i) => i),
  ...Array.from({ length: 201 }, (_, i) => 1899 + i),
  ...Array.from({ length: 405 }, (_, i) => 2096 + i),
  9996,
  9999,
];

describe('dates', () => {
  it('the schema\'s date pattern and the code agree on every day-shaped text: days of the Gregorian calendar only', () => {
    const pattern = new RegExp(CARD_SCHEMA.$defs.date.pattern!);
    for (const y of YEARS) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const real = m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
          assert.strictEqual(pattern.test(text), real, `the schema on ${text}`);
          assert.strictEqual(isCalendarDate(text), real, `the code on ${text}`);
          assert.strictEqual(dayNumber(text) !== undefined, real, `dayNumber on ${text}`);
        }
      }
    }
  });

  it('numbers the days one after another, from the year 0 on (not the years 0–99 read as 1900–1999)', () => {
    for (const [from, to] of [['0000-01-01', '0101-03-01'], ['1899-12-25', '1900-03-05'], ['1999-12-01', '2001-01-01']]) {
      let n = dayNumber(from)!;
      for (let date = from; date !== to; n++) {
        assert.strictEqual(dayNumber(date), n, date);
        date = dateOfDay(n + 1);
      }
    }
    assert.strictEqual(dayNumber('1970-01-01'), 0);
    assert.strictEqual(dayNumber('2026-03-01')! - dayNumber('2026-02-28')!, 1);
    assert.strictEqual(dayNumber('2024-03-01')! - dayNumber('2024-02-28')!, 2);
  });

  it('says why a text is not a day', () => {
    assert.strictEqual(calendarDateProblem('2026-02-30'), 'not a day of the calendar (February 2026 has 28 days)');
    assert.strictEqual(calendarDateProblem('2026-04-31'), 'not a day of the calendar (April 2026 has 30 days)');
    assert.strictEqual(calendarDateProblem('2024-02-30'), 'not a day of the calendar (February 2024 has 29 days)');
    assert.strictEqual(calendarDateProblem('2026-13-01'), 'not a day of the calendar (there is no month 13)');
    assert.strictEqual(calendarDateProblem('2026-00-10'), 'not a day of the calendar (there is no month 00)');
    assert.strictEqual(calendarDateProblem('2026-2-3'), 'not a date in the form YYYY-MM-DD');
    assert.strictEqual(calendarDateProblem('2024-02-29'), undefined);
    assert.strictEqual(isCalendarDate(20260101), false);
  });
});
