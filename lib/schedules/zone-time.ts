/**
 * Wall-clock time in a time zone, through Intl only, so that nothing depends on the process's own
 * time zone (docs/schedules.md, Occurrences). A wall time is a "floating" Date: its UTC fields are
 * the local date and time in the zone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const DAY = 86_400_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** The local wall time in `zone` at `instant` (milliseconds kept). */
export function wallTime(instant: Date, zone: string): Date {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatter(zone).formatToParts(instant)) parts[type] = Number(value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return new Date(wall + (((instant.getTime() % 1000) + 1000) % 1000));
}

/** The zone's offset from UTC at `instant`, in milliseconds. */
export function offsetAt(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallTime(new Date(whole), zone).getTime() - whole;
}

/**
 * The instant a wall time names in `zone`, as python-dateutil reads it: a time that does not
 * exist (skipped by a spring-forward change) gives undefined; a time that happens twice (fall
 * back) is the first of the two (fold=0).
 */
export function instantOf(wall: Date, zone: string): Date | undefined {
  const time = wall.getTime();
  // The zone's offsets within a day either side are the only ones this wall time can have.
  const offsets = new Set([offsetAt(time - DAY, zone), offsetAt(time, zone), offsetAt(time + DAY, zone)]);
  const instants = [...offsets]
    .map((offset) => time - offset)
    .filter((instant) => offsetAt(instant, zone) === time - instant);
  return instants.length > 0 ? new Date(Math.min(...instants)) : undefined;
}
