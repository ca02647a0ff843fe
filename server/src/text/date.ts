/** Dates as cards write them: YYYY-MM-DD, and the days between two of them. */

/** A date as YYYY-MM-DD in the local time zone (what "today" means to the person reading the card). */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The days of a month (1-12) of the Gregorian calendar, leap years included. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Why `date` is not a YYYY-MM-DD day of the calendar ("not a day of the calendar (February
 * 2026 has 28 days)"), or undefined when it is one.
 */
export function calendarDateProblem(date: string): string | undefined {
  const m = DATE.exec(date);
  if (!m) return 'not a date in the form YYYY-MM-DD';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `not a day of the calendar (there is no month ${m[2]})`;
  const days = daysInMonth(y, mo);
  if (d < 1 || d > days) return `not a day of the calendar (${MONTHS[mo - 1]} ${m[1]} has ${days} days)`;
  return undefined;
}

/** Whether a value is a YYYY-MM-DD day of the calendar (2026-02-28, not 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && calendarDateProblem(value) === undefined;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date, or undefined when it is not a real calendar date (2020-13-45, 2026-02-30). */
export function dayNumber(date: string): number | undefined {
  if (calendarDateProblem(date) !== undefined) return undefined;
  const [y, mo, d] = date.split('-').map(Number);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  const t = new Date(0).setUTCFullYear(y, mo - 1, d);
  return Math.round(t / 86_400_000);
}

/** The YYYY-MM-DD date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
