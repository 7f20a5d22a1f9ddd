import { describe, expect, it } from 'vitest';
import { checkRrule } from '../../lib/model/rrule';

describe('docs/semantics.md §9 rrule validation (§11.22)', () => {
  it.each([
    'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1',
    'DTSTART;TZID=Europe/Paris:20260130T020000 RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR',
    'DTSTART:20260130T020000Z RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=999 EXRULE:FREQ=MONTHLY;INTERVAL=2',
    'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260301T000000',
  ])('accepts %s', (rrule) => {
    expect(checkRrule(rrule)).toMatchObject({ errors: [], awxOnly: [] });
  });
  it.each([
    ['no DTSTART', 'RRULE:FREQ=DAILY;INTERVAL=1', 'Valid DTSTART required in rrule'],
    [
      'two DTSTART',
      'DTSTART:20260130T020000Z DTSTART:20260131T020000Z RRULE:FREQ=DAILY;INTERVAL=1',
      'Multiple DTSTART is not supported.',
    ],
    [
      'naive DTSTART',
      'DTSTART:20260130T020000 RRULE:FREQ=DAILY;INTERVAL=1',
      'DTSTART cannot be a naive datetime',
    ],
    [
      'unknown zone',
      'DTSTART;TZID=Mars/Olympus:20260130T020000 RRULE:FREQ=DAILY;INTERVAL=1',
      'A valid TZID must be provided',
    ],
    ['no RRULE', 'DTSTART:20260130T020000Z', 'One or more rule required in rrule.'],
    [
      'EXDATE',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1 EXDATE:20260201T020000Z',
      'EXDATE not allowed in rrule.',
    ],
    [
      'RDATE',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1 RDATE:20260201T020000Z',
      'RDATE not allowed in rrule.',
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
    [
      'a zero INTERVAL (dateutil never ends)',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=0',
      "invalid 'INTERVAL': 0 (at least 1)",
    ],
    [
      'a 30 February',
      'DTSTART:20260230T020000Z RRULE:FREQ=DAILY;INTERVAL=1',
      "DTSTART '20260230T020000Z' is not a date and time",
    ],
    [
      'an hour an HOURLY interval never reaches',
      'DTSTART:20260130T090000Z RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=2',
      'rrule parsing failed validation: Invalid rrule byxxx generates an empty set.',
    ],
    ['COUNT over 999', 'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=1000', 'COUNT > 999'],
    [
      'unparseable',
      'DTSTART:20260130T020000Z RRULE:FREQ=DAILY;INTERVAL=1;BYWHATEVER=2',
      "rrule parsing failed validation: unknown parameter 'BYWHATEVER'",
    ],
  ])('refuses %s', (_name, rrule, message) => {
    expect(checkRrule(rrule).errors.join('\n')).toContain(message);
  });
  it('a missing INTERVAL is only what AWX refuses (the guide omits it)', () => {
    expect(checkRrule('DTSTART:20260201T060000Z RRULE:FREQ=WEEKLY;BYDAY=SU')).toMatchObject({
      errors: [],
      // AWX quotes a rule from its `RULE:`.
      awxOnly: ['INTERVAL required in rrule: RULE:FREQ=WEEKLY;BYDAY=SU'],
    });
  });
});
