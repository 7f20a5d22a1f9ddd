import { isAnsibleTemplate } from './ansible-only';

/**
 * Save-time validation of schedule rrules as AWX does it (docs/semantics.md §9,
 * `SchedulePreviewSerializer.validate_rrule`). Problems AWX refuses are errors, except a missing
 * INTERVAL: RFC 5545 defaults it to 1 and the AWX workflow guide relies on that, so Towerless
 * accepts it with a warning (an error under `--strict`).
 */
export interface RruleFindings {
  readonly errors: string[];
  readonly awxOnly: string[];
}

const FREQUENCIES = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY']);
const RULE_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'WKST',
  'BYSETPOS',
  'BYMONTH',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
  'BYEASTER',
]);
const WEEKDAY = /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/;
const DATE_TIME = /^\d{8}T\d{6}Z?$/;

/**
 * A rule holding Jinja (the static readers refuse what Ansible would render; this one is literal:
 * `!unsafe`, or a native bundle) reaches AWX as written, and AWX does not render it. Each of its
 * parts would look wrong in its own way: one finding says why, rather than one per part.
 */
const JINJA_RULE = 'holds Jinja, which AWX does not render in a schedule: write the rule itself';

export function checkRrule(rrule: string): RruleFindings {
  if (isAnsibleTemplate(rrule)) return { errors: [JINJA_RULE], awxOnly: [] };
  const errors: string[] = [];
  const awxOnly: string[] = [];
  const parts = rrule
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  const dtstarts = parts.filter((p) => /^DTSTART[;:]/i.test(p));
  if (dtstarts.length === 0) errors.push('a valid DTSTART is required');
  if (dtstarts.length > 1) errors.push('multiple DTSTART is not supported');
  if (dtstarts.length === 1) checkDtstart(dtstarts[0], errors);
  const rules = parts.filter((p) => /^(RRULE|EXRULE):/i.test(p));
  if (!parts.some((p) => /^RRULE:/i.test(p))) errors.push('RRULE required in rrule');
  for (const part of parts) {
    if (/^(RDATE|EXDATE)[;:]/i.test(part))
      errors.push(`${part.split(/[;:]/)[0].toUpperCase()} is not supported`);
    else if (!/^(DTSTART|RRULE|EXRULE)[;:]/i.test(part))
      errors.push(`unexpected '${part}' (expected DTSTART, RRULE or EXRULE)`);
  }
  for (const rule of rules) checkRule(rule, errors, awxOnly);
  return { errors, awxOnly };
}

function checkDtstart(dtstart: string, errors: string[]): void {
  const match = /^DTSTART(;TZID=([^:]+))?:(.+)$/i.exec(dtstart);
  if (!match || !DATE_TIME.test(match[3])) {
    errors.push(`DTSTART '${dtstart}' is not of the form DTSTART[;TZID=zone]:YYYYMMDDTHHMMSS[Z]`);
    return;
  }
  const [, , zone, stamp] = match;
  if (!isRealDateTime(stamp)) errors.push(`DTSTART '${stamp}' is not a real date and time`);
  if (!zone && !stamp.endsWith('Z')) {
    errors.push('DTSTART cannot be a naive datetime: end it with Z (UTC) or give ;TZID=<zone>');
  }
  if (zone && !isKnownZone(zone)) errors.push(`unknown time zone '${zone}' in DTSTART`);
  if (zone && stamp.endsWith('Z')) errors.push('DTSTART with TZID must be a local time (no trailing Z)');
}

function checkRule(rule: string, errors: string[], awxOnly: string[]): void {
  const body = rule.slice(rule.indexOf(':') + 1);
  const fields = new Map<string, string>();
  for (const pair of body.split(';')) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined) {
      errors.push(`malformed rule part '${pair}' in '${rule}'`);
      continue;
    }
    const name = key.toUpperCase();
    if (!RULE_PARTS.has(name)) errors.push(`unknown rule part '${key}' in '${rule}'`);
    fields.set(name, value.toUpperCase());
  }
  const freq = fields.get('FREQ');
  if (!freq) errors.push(`FREQ required in '${rule}'`);
  else if (!FREQUENCIES.has(freq)) errors.push(`unknown FREQ '${freq}' in '${rule}'`);
  else if (freq === 'SECONDLY') errors.push('SECONDLY is not supported');
  if (!fields.has('INTERVAL')) awxOnly.push(`INTERVAL required in rrule: ${rule}`);
  else if (!/^[1-9]\d*$/.test(fields.get('INTERVAL') ?? ''))
    errors.push(`INTERVAL must be a positive integer in '${rule}'`);
  if (fields.has('COUNT') && fields.has('UNTIL')) errors.push('RRULE may not contain both COUNT and UNTIL');
  const count = fields.get('COUNT');
  if (count !== undefined && (!/^\d+$/.test(count) || Number(count) < 1))
    errors.push(`COUNT must be a positive integer in '${rule}'`);
  else if (count !== undefined && Number(count) > 999) errors.push('COUNT > 999 is unsupported');
  const until = fields.get('UNTIL');
  if (until !== undefined && !DATE_TIME.test(until))
    errors.push(`UNTIL '${until}' is not of the form YYYYMMDDTHHMMSS[Z]`);
  for (const day of (fields.get('BYDAY') ?? '').split(',').filter((d) => d !== '')) {
    if (!WEEKDAY.test(day)) errors.push(`BYDAY '${day}' is not a weekday (MO..SU)`);
    else if (/\d/.test(day)) errors.push('BYDAY with numeric prefix not supported');
  }
}

/** `YYYYMMDDTHHMMSS[Z]` naming a date that exists (no month 13, no 30 February, no hour 25). */
function isRealDateTime(stamp: string): boolean {
  const [year, month, day, hour, minute, second] = [
    stamp.slice(0, 4),
    stamp.slice(4, 6),
    stamp.slice(6, 8),
    stamp.slice(9, 11),
    stamp.slice(11, 13),
    stamp.slice(13, 15),
  ].map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
