import { describe, expect, it } from 'vitest';
import { InvalidError } from '../../lib/errors';
import { Recurrence } from '../../lib/schedules/occurrences';
import { DATEUTIL } from './dateutil-cases';

const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString().replace('.000Z', 'Z'));
const EPOCH = new Date(0);

describe('occurrences as python-dateutil computes them for AWX', () => {
  it.each(DATEUTIL)('%s', (rrule, expected) => {
    const recurrence = Recurrence.parse(rrule);
    expect(iso(recurrence.after(EPOCH, 20))).toEqual(expected);
    expect(iso([recurrence.first()!, recurrence.last()!])).toEqual([expected[0], expected.at(-1)]);
  });

  it("a naive UNTIL is in DTSTART's zone, a Z UNTIL in UTC", () => {
    const local = Recurrence.parse(
      'DTSTART;TZID=Europe/Berlin:20260601T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260603T090000',
    );
    expect(iso(local.after(EPOCH, 9))).toEqual([
      '2026-06-01T07:00:00Z',
      '2026-06-02T07:00:00Z',
      '2026-06-03T07:00:00Z',
    ]);
    const utc = Recurrence.parse(
      'DTSTART;TZID=Europe/Berlin:20260601T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260603T065959Z',
    );
    expect(iso(utc.after(EPOCH, 9))).toEqual(['2026-06-01T07:00:00Z', '2026-06-02T07:00:00Z']);
  });

  it('after(): strictly later occurrences; unbounded rules have no last', () => {
    const daily = Recurrence.parse('DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1');
    expect(iso(daily.after(new Date('2026-02-01T02:00:00Z'), 2))).toEqual([
      '2026-02-02T02:00:00Z',
      '2026-02-03T02:00:00Z',
    ]);
    expect(daily.last()).toBeUndefined();
    expect(daily.bounded).toBe(false);
  });

  it('fast-forwards an old MINUTELY rule to a week ago, as AWX does (its phase moves with it)', () => {
    const now = new Date('2026-11-28T17:00:00Z');
    const old = Recurrence.parse('DTSTART:20191219T130551Z RRULE:FREQ=MINUTELY;INTERVAL=7', now);
    expect(iso([old.first()!])).toEqual(['2026-11-21T13:05:51Z']);
    expect(iso(old.after(now))).toEqual(['2026-11-28T17:03:51Z']);
  });

  it('refuses what AWX refuses with its 400 body', () => {
    const refusal = (rrule: string) => {
      try {
        Recurrence.parse(rrule);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidError);
        return (error as InvalidError).fields;
      }
      throw new Error(`accepted ${rrule}`);
    };
    expect(refusal('DTSTART:20260130T020000 RRULE:FREQ=DAILY;INTERVAL=1')).toEqual({
      rrule: [
        'DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ.',
        'rrule parsing failed validation: A valid TZID must be provided (e.g., America/New_York)',
      ],
    });
    expect(refusal('DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=25')).toEqual({
      rrule: ["rrule parsing failed validation: invalid 'BYHOUR': 25 (0..23)"],
    });
  });
});
