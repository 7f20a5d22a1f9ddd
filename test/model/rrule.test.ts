import { describe, expect, it } from 'vitest';
import { checkRrule } from '../../lib/model/rrule';

describe('docs/semantics.md §9 rrule validation (§11.22)', () => {
  it.each([
    'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1',
    'DTSTART;TZID=Europe/Paris:20260130T020000 RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR',
    'DTSTART:20260130T020000Z RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=999 EXRULE:FREQ=MONTHLY;INTERVAL=2',
    'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260301T000000',
  ])('accepts %s', (rrule) => {
    expect(checkRrule(rrule)).toEqual({ errors: [], awxOnly: [] });
  });
  it.each([
    ['no DTSTART', 'RRULE:FREQ=DAILY;INTERVAL=1', 'a valid DTSTART is required'],
    [
      'two DTSTART',
      'DTSTART:20260130T020000Z DTSTART:20260131T020000Z RRULE:FREQ=DAILY;INTERVAL=1',
      'multiple DTSTART',
    ],
    ['naive DTSTART', 'DTSTART:20260130T020000 RRULE:FREQ=DAILY;INTERVAL=1', 'naive datetime'],
    [
      'unknown zone',
      'DTSTART;TZID=Mars/Olympus:20260130T020000 RRULE:FREQ=DAILY;INTERVAL=1',
      "unknown time zone 'Mars/Olympus'",
    ],
    ['no RRULE', 'DTSTART:20260130T020000Z', 'RRULE required'],
    [
      'EXDATE',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1 EXDATE:20260201T020000Z',
      'EXDATE is not supported',
    ],
    [
      'RDATE',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1 RDATE:20260201T020000Z',
      'RDATE is not supported',
    ],
    ['SECONDLY', 'DTSTART:20260130T020000Z RRULE:FREQ=SECONDLY;INTERVAL=1', 'SECONDLY is not supported'],
    [
      'numeric BYDAY',
      'DTSTART:20260130T020000Z RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO',
      'BYDAY with numeric prefix',
    ],
    [
      'COUNT and UNTIL',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2;UNTIL=20260301T000000Z',
      'both COUNT and UNTIL',
    ],
    ['COUNT over 999', 'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=1000', 'COUNT > 999'],
    [
      'unparseable',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;BYWHATEVER=2',
      "unknown rule part 'BYWHATEVER'",
    ],
  ])('refuses %s', (_name, rrule, message) => {
    expect(checkRrule(rrule).errors.join('\n')).toContain(message);
  });
  it('a missing INTERVAL is only what AWX refuses (the guide omits it)', () => {
    expect(checkRrule('DTSTART:20260201T060000Z RRULE:FREQ=WEEKLY;BYDAY=SU')).toEqual({
      errors: [],
      awxOnly: ['INTERVAL required in rrule: RRULE:FREQ=WEEKLY;BYDAY=SU'],
    });
  });
});
