import { readFileSync } from 'node:fs';

/** The system's time zone database, compiled (as python-dateutil's `gettz` reads the system's). */
const TZDATA = '/usr/share/zoneinfo/tzdata.zi';

export interface ZoneInfo {
  /** Every zone name a TZID may give, links included, sorted. */
  readonly zones: string[];
  /** Each link's target: `{"US/Eastern": "America/New_York"}`. */
  readonly links: Record<string, string>;
}

/**
 * `GET /api/v2/schedules/zoneinfo/` as AWX's code answers it (`Schedule.get_zoneinfo` and
 * `get_zoneinfo_links`; its docs show a list of names instead): the zones of the tz database with
 * its links. Without the system's database, the zones Intl knows, and no links.
 */
export function zoneInfo(): ZoneInfo {
  let text: string;
  try {
    text = readFileSync(TZDATA, 'utf8');
  } catch {
    return { zones: [...Intl.supportedValuesOf('timeZone'), 'UTC'].sort(), links: {} };
  }
  const zones: string[] = [];
  const links: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [type, first, second] = line.split(' ');
    if (type === 'Z') zones.push(first);
    if (type === 'L') {
      links[second] = first;
      zones.push(second);
    }
  }
  return { zones: zones.sort(), links };
}
