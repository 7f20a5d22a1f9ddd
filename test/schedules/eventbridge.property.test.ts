import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventBridgeSchedule } from '../../lib/schedules/eventbridge';
import { invocations } from '../../lib/schedules/eventbridge-evaluator';
import { Recurrence } from '../../lib/schedules/occurrences';

/**
 * Property: what the mapping gives EventBridge Scheduler (a cron as the evaluator reads it, or the
 * chain of one-time schedules asked for after each fire) fires exactly at the rule's occurrences,
 * over two years or 15 occurrences, for random AWX rules in zones with DST changes (a 30-minute
 * one on Lord Howe), DTSTARTs at DST edges included. Seeded (EVENTBRIDGE_SEED, EVENTBRIDGE_RUNS).
 */
const SEED = Number(process.env.EVENTBRIDGE_SEED ?? 20261128);
const RUNS = Number(process.env.EVENTBRIDGE_RUNS ?? 20);
const LIMIT = 15;
const TWO_YEARS = 730 * 86_400_000;
const ZONES = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
/** The days before DST changes of 2026 in these zones, and a few others. */
const DAYS = ['20260307', '20261031', '20260328', '20261024', '20260404', '20261003', '20260115', '20270610'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

const pad = (value: number) => String(value).padStart(2, '0');
const subset = <T>(values: readonly T[]) =>
  fc.subarray([...values], { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

/**
 * One rule. Its parts are drawn so that occurrences stay frequent enough for a test (no month
 * days and weekdays together, months and set positions only where they are common), as
 * AWX schedules are.
 */
const ruleBody = fc
  .record({
    freq: fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'DAILY', 'HOURLY', 'MINUTELY'),
    interval: fc.constantFrom(1, 1, 1, 1, 2, 3),
    days: maybe(
      fc.oneof(
        subset(WEEKDAYS).map((days) => `BYDAY=${days}`),
        fc.constantFrom('BYDAY=-1FR', 'BYDAY=-1SU'),
        subset([1, 2, 15, 28, 29, 30, 31, -1]).map((days) => `BYMONTHDAY=${days}`),
      ),
    ),
    byMonth: maybe(subset([1, 3, 10, 11, 12])),
    byHour: maybe(subset([0, 1, 2, 3, 12, 23])),
    byMinute: maybe(subset([0, 15, 30, 45])),
    bySetPos: maybe(fc.constantFrom(1, -1)),
    end: maybe(
      fc.oneof(
        fc.integer({ min: 1, max: 40 }).map((count) => `COUNT=${count}`),
        fc
          .tuple(fc.constantFrom('20261101T013000', '20270329T020000', '20271231T235959'), fc.boolean())
          .map(([stamp, utc]) => `UNTIL=${stamp}${utc ? 'Z' : ''}`),
      ),
    ),
  })
  .map((rule) => {
    const coarse = ['YEARLY', 'MONTHLY'].includes(rule.freq);
    const fine = ['HOURLY', 'MINUTELY'].includes(rule.freq);
    return [
      `FREQ=${rule.freq}`,
      `INTERVAL=${rule.interval}`,
      !fine && rule.days,
      coarse && rule.byMonth && `BYMONTH=${rule.byMonth}`,
      rule.byHour && `BYHOUR=${rule.byHour}`,
      rule.byMinute && `BYMINUTE=${rule.byMinute}`,
      coarse && rule.days?.startsWith('BYDAY') && rule.bySetPos && `BYSETPOS=${rule.bySetPos}`,
      rule.end,
    ]
      .filter(Boolean)
      .join(';');
  });

const rrule = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    day: fc.constantFrom(...DAYS),
    hour: fc.constantFrom(0, 1, 2, 3, 9, 23),
    minute: fc.constantFrom(0, 0, 30, 45),
    second: fc.constantFrom(0, 0, 0, 0, 0, 0, 17),
    rules: fc.oneof({ arbitrary: ruleBody.map((rule) => [rule]), weight: 3 }, fc.tuple(ruleBody, ruleBody)),
    exrule: fc.option(
      fc.constantFrom('FREQ=WEEKLY;INTERVAL=1;BYDAY=SA', 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,2'),
      { nil: undefined, freq: 4 },
    ),
    // Half the rules are of the kind a cron can say, so that both kinds of entry are tested.
    cronLike: fc.boolean(),
  })
  .map(({ zone, day, hour, minute, second, rules, exrule, cronLike }) => {
    if (cronLike) {
      rules = [rules[0].replace(/INTERVAL=\d+/, 'INTERVAL=1').replace(/;(COUNT|BYSETPOS)=[^;]*/g, '')];
      [second, exrule] = [0, undefined];
    }
    const stamp = `${day}T${pad(hour)}${pad(minute)}${pad(second)}`;
    const start = zone === 'UTC' ? `DTSTART:${stamp}Z` : `DTSTART;TZID=${zone}:${stamp}`;
    return [start, ...rules.map((rule) => `RRULE:${rule}`), ...(exrule ? [`EXRULE:${exrule}`] : [])].join(
      ' ',
    );
  });

const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString());

/** What the rule's occurrences are and when its mapping fires; none for a rule AWX refuses. */
function mapped(text: string): { expected: string[]; fired: string[]; kind: string } | undefined {
  let recurrence: Recurrence;
  try {
    recurrence = Recurrence.parse(text);
  } catch {
    return undefined;
  }
  const first = recurrence.first();
  const after = new Date((first?.getTime() ?? Date.UTC(2026, 0, 1)) - 86_400_000);
  const upcoming = recurrence.after(after, LIMIT);
  // Up to two years, or to the last of LIMIT occurrences.
  const cut = new Date(
    upcoming.length === LIMIT ? upcoming[LIMIT - 1].getTime() : after.getTime() + TWO_YEARS,
  );
  const expected = iso(upcoming.filter((occurrence) => occurrence <= cut));
  const entry = eventBridgeSchedule(recurrence, after);
  if (!entry) return { expected, fired: [], kind: 'none' };
  if (entry.kind === 'cron')
    return {
      expected,
      fired: iso(invocations(entry, new Date(after.getTime() + 1), new Date(cut.getTime() + 1))),
      kind: 'cron',
    };
  const fired: Date[] = [];
  for (let at = after, next = entry; next && fired.length <= expected.length;) {
    expect(next.kind).toBe('at');
    const [instant] = invocations(next, new Date(0), new Date(Date.UTC(2200, 0, 1)));
    if (instant > cut) break;
    fired.push(instant);
    at = instant;
    next = eventBridgeSchedule(recurrence, at)!;
  }
  return { expected, fired: iso(fired), kind: 'at' };
}

describe('EventBridge Scheduler mapping fires exactly at the rrule occurrences', () => {
  it('for random AWX rules in zones with DST changes', () => {
    const kinds = new Map<string, number>();
    fc.assert(
      fc.property(rrule, (text) => {
        const outcome = mapped(text);
        fc.pre(outcome !== undefined);
        const { expected, fired, kind } = outcome!;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        expect(fired).toEqual(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both kinds of entry were exercised.
    expect(kinds.get('cron')).toBeGreaterThan(3);
    expect(kinds.get('at')).toBeGreaterThan(3);
  });

  it.each([
    ['DTSTART;TZID=America/New_York:20260307T023000 RRULE:FREQ=DAILY;INTERVAL=1', 'cron(30 2 * * ? *)'],
    ['DTSTART:20260101T090000Z RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR', 'cron(0 9 ? * 2,6 *)'],
    [
      'DTSTART;TZID=Europe/Berlin:20260101T060000 RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR',
      'cron(0 6 ? * 6L *)',
    ],
    [
      'DTSTART;TZID=Europe/Berlin:20260101T060000 RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1',
      'cron(0 6 L * ? *)',
    ],
    [
      'DTSTART;TZID=Asia/Kolkata:20260301T000000 RRULE:FREQ=HOURLY;INTERVAL=1;BYMINUTE=0,30',
      'cron(0,30 * * * ? *)',
    ],
  ])('%s is %s', (text, expression) => {
    expect(eventBridgeSchedule(Recurrence.parse(text), new Date('2026-01-01T00:00:00Z'))).toMatchObject({
      kind: 'cron',
      ScheduleExpression: expression,
    });
  });

  it('a rule cron cannot say is a chain of at()', () => {
    const text = 'DTSTART:20260101T090000Z RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3';
    expect(eventBridgeSchedule(Recurrence.parse(text), new Date('2026-01-01T09:00:00Z'))).toEqual({
      kind: 'at',
      ScheduleExpression: 'at(2026-01-03T09:00:00)',
      ScheduleExpressionTimezone: 'UTC',
    });
    expect(eventBridgeSchedule(Recurrence.parse(text), new Date('2026-01-05T09:00:00Z'))).toBeUndefined();
  });
});
