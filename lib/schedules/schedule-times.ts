import { Recurrence } from './occurrences';
import { offsetAt, wallTime } from './zone-time';

/** The read-only fields AWX computes from a schedule's rrule (its ScheduleSerializer and model). */
export type ScheduleTimes = {
  /** The first occurrence. */
  readonly dtstart: string | null;
  /** The last occurrence; null when they do not end. */
  readonly dtend: string | null;
  /** The first occurrence after now; null when disabled or none is left. */
  readonly next_run: string | null;
  /** `UTC` or DTSTART's TZID. */
  readonly timezone: string;
  /** UNTIL as a naive local time in DTSTART's zone (`2027-03-12T14:00:00`), or "". */
  readonly until: string;
};

/**
 * A schedule's computed fields. A stored rule that no longer reads (none can be saved so through
 * the API) shows none, as AWX's serializer would show its nulls.
 */
export function scheduleTimes(rrule: string, enabled: boolean, now = new Date()): ScheduleTimes {
  let recurrence: Recurrence;
  try {
    recurrence = Recurrence.parse(rrule, now);
  } catch {
    return { dtstart: null, dtend: null, next_run: null, timezone: '', until: '' };
  }
  const until = recurrence.until;
  return {
    dtstart: utcText(recurrence.first()),
    dtend: utcText(recurrence.last()),
    next_run: enabled ? utcText(recurrence.after(now)[0]) : null,
    timezone: recurrence.zone,
    until: until ? until.toISOString().slice(0, 19) : '',
  };
}

/** An instant as AWX's API writes it: `2027-03-12T14:00:00Z` (Django REST framework's encoder). */
export function utcText(instant: Date | undefined): string | null {
  return instant ? instant.toISOString().replace(/\.000Z$/, 'Z') : null;
}

/** An instant in `zone` with its offset (`2030-01-15T12:00:00-05:00`; a zero offset as `Z`). */
export function localText(instant: Date, zone: string): string {
  const offset = offsetAt(instant.getTime(), zone) / 60_000;
  const wall = wallTime(instant, zone).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const size = Math.abs(offset);
  const hours = String(Math.floor(size / 60)).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hours}:${String(size % 60).padStart(2, '0')}`;
}
