import type { SchedulerEntry } from './eventbridge-evaluator';
import type { Recurrence } from './occurrences';
import { instantOf } from './zone-time';

/**
 * What EventBridge Scheduler should hold for a schedule (docs/schedules.md, EventBridge
 * Scheduler); no AWS call. A rule cron says exactly (one RRULE, INTERVAL 1, no COUNT, BYSETPOS
 * or EXRULE, whole minutes, days cron can name) becomes a `cron(...)` in DTSTART's zone from the
 * next occurrence on, ending at UNTIL. Any other rule becomes a one-time `at(...)` of its next
 * occurrence: the firing handler asks again after each fire, so the chain follows the rule. Both
 * run as the rule does across DST changes: a skipped local time does not run, a repeated one runs
 * once, the first time.
 */
export type SchedulerMapping = SchedulerEntry & { readonly kind: 'cron' | 'at' };

const CRON_WEEKDAYS: Readonly<Record<string, number>> = { SU: 1, MO: 2, TU: 3, WE: 4, TH: 5, FR: 6, SA: 7 };
/** The parts a cron can follow when the rest of the rule allows. */
const CRON_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'UNTIL',
  'WKST',
  'BYMONTH',
  'BYMONTHDAY',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
]);

/** The entry that fires the occurrences after `after`; none when there are no more. */
export function eventBridgeSchedule(recurrence: Recurrence, after: Date): SchedulerMapping | undefined {
  const next = recurrence.after(after)[0];
  if (!next) return undefined;
  const cron = exactCron(recurrence);
  if (cron)
    return {
      kind: 'cron',
      ScheduleExpression: cron.expression,
      ScheduleExpressionTimezone: recurrence.zone,
      StartDate: next.toISOString(),
      ...(cron.end ? { EndDate: cron.end.toISOString() } : {}),
    };
  return {
    kind: 'at',
    ScheduleExpression: `at(${next.toISOString().slice(0, 19)})`,
    ScheduleExpressionTimezone: 'UTC',
  };
}

/** The cron of a rule whose occurrences are exactly a cron's, and where it ends; none otherwise. */
function exactCron(recurrence: Recurrence): { expression: string; end?: Date } | undefined {
  const { rules, start } = recurrence.text;
  const [rule] = rules;
  if (rules.length !== 1 || rule.kind !== 'RRULE') return undefined;
  const parts = rule.parts;
  if ([...parts.keys()].some((name) => !CRON_PARTS.has(name)) || (parts.get('INTERVAL') ?? '1') !== '1')
    return undefined;
  const list = (name: string) => parts.get(name)?.split(',');
  const freq = parts.get('FREQ')!;
  if ((list('BYSECOND') ?? [String(start.getUTCSeconds())]).join() !== '0') return undefined;
  const minutes = list('BYMINUTE') ?? (freq === 'MINUTELY' ? ['*'] : [String(start.getUTCMinutes())]);
  const hours =
    list('BYHOUR') ?? (['HOURLY', 'MINUTELY'].includes(freq) ? ['*'] : [String(start.getUTCHours())]);
  const days = dayFields(freq, list('BYMONTH'), list('BYMONTHDAY'), list('BYDAY'), start);
  if (!days) return undefined;
  let end: Date | undefined;
  const until = recurrence.until;
  if (until) {
    // EndDate is exclusive; UNTIL is the last time that may run.
    const last = instantOf(until, recurrence.zone);
    if (!last) return undefined;
    end = new Date(last.getTime() + 1000);
  }
  const expression = `cron(${minutes.join(',')} ${hours.join(',')} ${days.dayOfMonth} ${days.month} ${days.dayOfWeek} *)`;
  return { expression, end };
}

/**
 * The day fields for the days dateutil's expansion gives: BY parts as given, else DTSTART's day
 * (YEARLY: its month and day; MONTHLY: its day; WEEKLY: its weekday). None when cron cannot say it:
 * both BYMONTHDAY and BYDAY, negative month days but the last, several or mixed nth weekdays.
 */
function dayFields(
  freq: string,
  byMonth: string[] | undefined,
  byMonthDay: string[] | undefined,
  byDay: string[] | undefined,
  start: Date,
): { dayOfMonth: string; month: string; dayOfWeek: string } | undefined {
  if (byMonthDay && byDay) return undefined;
  let months = byMonth;
  let monthDays = byMonthDay;
  let weekdays = byDay;
  if (!byMonthDay && !byDay) {
    if (freq === 'YEARLY') months ??= [String(start.getUTCMonth() + 1)];
    if (freq === 'YEARLY' || freq === 'MONTHLY') monthDays = [String(start.getUTCDate())];
    if (freq === 'WEEKLY') weekdays = [Object.keys(CRON_WEEKDAYS)[start.getUTCDay()]];
  }
  const month = months?.join(',') ?? '*';
  if (monthDays) {
    if (monthDays.some((day) => day.startsWith('-')))
      return monthDays.join() === '-1' ? { dayOfMonth: 'L', month, dayOfWeek: '?' } : undefined;
    return { dayOfMonth: monthDays.join(','), month, dayOfWeek: '?' };
  }
  if (!weekdays) return { dayOfMonth: '*', month, dayOfWeek: '?' };
  const nth = weekdays.map((day) => /^([+-]?\d+)?(\w\w)$/.exec(day)!);
  if (nth.every((match) => match[1] === undefined))
    return { dayOfMonth: '?', month, dayOfWeek: nth.map((match) => CRON_WEEKDAYS[match[2]]).join(',') };
  // An nth weekday counts within the month for MONTHLY, and for YEARLY only with BYMONTH.
  const inMonth = freq === 'MONTHLY' || (freq === 'YEARLY' && byMonth !== undefined);
  if (nth.length !== 1 || !inMonth) return undefined;
  const [, count, day] = nth[0];
  const weekday = CRON_WEEKDAYS[day];
  if (Number(count) === -1) return { dayOfMonth: '?', month, dayOfWeek: `${weekday}L` };
  return Number(count) >= 1 && Number(count) <= 5
    ? { dayOfMonth: '?', month, dayOfWeek: `${weekday}#${Number(count)}` }
    : undefined;
}
