import { InvalidError } from '../errors';
import { instantOf, wallTime } from './zone-time';

/**
 * When EventBridge Scheduler invokes a schedule's target (docs/schedules.md, EventBridge
 * Scheduler): a `cron(...)` expression read in its ScheduleExpressionTimezone between StartDate
 * (inclusive) and EndDate (exclusive), or a one-time `at(...)`. A local time that a spring-forward
 * change skips is not run; a time a fall-back change repeats runs once, the first time. It backs the
 * property test of the mapping and, later, the local Scheduler twin.
 */
export interface SchedulerEntry {
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  /** ISO instants. */
  readonly StartDate?: string;
  readonly EndDate?: string;
}

const DAY = 86_400_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The instants `entry` invokes its target at, from `from` (inclusive) to `to` (exclusive). */
export function invocations(entry: SchedulerEntry, from: Date, to: Date): Date[] {
  const zone = entry.ScheduleExpressionTimezone;
  const low = Math.max(from.getTime(), entry.StartDate ? Date.parse(entry.StartDate) : -Infinity);
  const high = Math.min(to.getTime(), entry.EndDate ? Date.parse(entry.EndDate) : Infinity);
  const inWindow = (instant: Date | undefined): instant is Date =>
    instant !== undefined && instant.getTime() >= low && instant.getTime() < high;
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(entry.ScheduleExpression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number);
    const instant = instantOf(new Date(Date.UTC(year, month - 1, day, hour, minute, second)), zone);
    return [instant].filter(inWindow);
  }
  const cron = readCron(entry.ScheduleExpression);
  const found: Date[] = [];
  // Day by day in wall time, a day either side for the zone's offset.
  const first = wallTime(new Date(low), zone).getTime() - DAY;
  const last = wallTime(new Date(high), zone).getTime() + DAY;
  for (let day = first - (first % DAY); day <= last; day += DAY) {
    if (!cron.day(new Date(day))) continue;
    for (const hour of cron.hours)
      for (const minute of cron.minutes) {
        const instant = instantOf(new Date(day + hour * 3_600_000 + minute * 60_000), zone);
        if (inWindow(instant)) found.push(instant);
      }
  }
  return found;
}

interface Cron {
  readonly minutes: number[];
  readonly hours: number[];
  /** Whether the wall date (UTC fields) is a day the expression runs on. */
  day(date: Date): boolean;
}

/** Reads `cron(minutes hours day-of-month month day-of-week year)` as EventBridge Scheduler does. */
export function readCron(expression: string): Cron {
  const match = /^cron\((.*)\)$/.exec(expression);
  const fields = match?.[1].trim().split(/\s+/) ?? [];
  if (fields.length !== 6) throw refusal(expression, 'it needs six fields');
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?'))
    throw refusal(expression, 'exactly one of day-of-month and day-of-week must be ?');
  const minutes = values(minute, 0, 59);
  const hours = values(hour, 0, 23);
  const months = values(month, 1, 12, MONTHS);
  const years = values(year, 1970, 2199);
  const dayTest = dayOfMonth === '?' ? weekdayTest(dayOfWeek) : monthDayTest(dayOfMonth);
  return {
    minutes,
    hours,
    day: (date) =>
      months.includes(date.getUTCMonth() + 1) && years.includes(date.getUTCFullYear()) && dayTest(date),
  };
}

/** A field's list of values, ranges, `*` and increments (`a/n`, `a-b/n`, `*\/n`). */
function values(field: string, min: number, max: number, names: readonly string[] = []): number[] {
  const number = (text: string) => {
    const named = names.indexOf(text.toUpperCase());
    const value = named >= 0 ? named + min : Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidError(`cron field value '${text}' is not in ${min}..${max}`);
    return value;
  };
  const found = new Set<number>();
  for (const part of field.split(',')) {
    const [range, step] = part.split('/');
    const [low, high] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(number) : [number(range)];
    const end = high ?? (step ? max : low);
    for (let value = low; value <= end; value += step ? Number(step) : 1) found.add(value);
  }
  return [...found].sort((a, b) => a - b);
}

function lastDay(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Day of month: values, `L` (the last day), `nW` (the weekday nearest day n, within the month). */
function monthDayTest(field: string): (date: Date) => boolean {
  if (field === 'L') return (date) => date.getUTCDate() === lastDay(date);
  const nearest = /^(\d{1,2})W$/.exec(field);
  if (nearest) {
    return (date) => {
      const end = lastDay(date);
      const target = Math.min(Number(nearest[1]), end);
      const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), target)).getUTCDay();
      let day = target;
      if (weekday === 6) day = target === 1 ? 3 : target - 1;
      if (weekday === 0) day = target === end ? target - 2 : target + 1;
      return date.getUTCDate() === day;
    };
  }
  const days = values(field, 1, 31);
  return (date) => days.includes(date.getUTCDate());
}

/** Day of week (1 = SUN): values, `nL` (the last weekday n of the month), `n#k` (its k-th). */
function weekdayTest(field: string): (date: Date) => boolean {
  const last = /^(\w+)L$/.exec(field);
  if (last) {
    const weekday = values(last[1], 1, 7, WEEKDAYS)[0];
    return (date) => date.getUTCDay() + 1 === weekday && date.getUTCDate() + 7 > lastDay(date);
  }
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth) {
    const weekday = values(nth[1], 1, 7, WEEKDAYS)[0];
    return (date) => date.getUTCDay() + 1 === weekday && Math.ceil(date.getUTCDate() / 7) === Number(nth[2]);
  }
  const weekdays = values(field, 1, 7, WEEKDAYS);
  return (date) => weekdays.includes(date.getUTCDay() + 1);
}

function refusal(expression: string, why: string): InvalidError {
  return new InvalidError(`ScheduleExpression '${expression}' is not an EventBridge Scheduler cron: ${why}`);
}
