import { isAnsibleTemplate } from './ansible-only';

/**
 * Save-time validation of schedule rrules as AWX does it (docs/schedules.md, Validation), the one
 * place for these rules: the bundle validator and the API both call `checkRrule`, and the
 * occurrence computation (lib/schedules/) reads the rule set this parse gives.
 *
 * AWX checks the text with a few regular expressions (`SchedulePreviewSerializer.validate_rrule`,
 * whose messages are kept word for word, its quirks too: a rule is quoted from its `RULE:`) and then
 * parses it with python-dateutil ("rrule parsing failed validation: …"); the parse here reads the
 * same grammar and says what dateutil would refuse, naming the part and the value.
 *
 * A missing INTERVAL is AWX's refusal only (`awxOnly`): RFC 5545 defaults it to 1 and the AWX
 * workflow guide relies on that, so a bundle gets a warning (an error under `--strict`) and the API
 * accepts it (docs/schedules.md says why).
 */
export interface RruleFindings {
  readonly errors: string[];
  readonly awxOnly: string[];
  /** The rule set, when it parses (it may still have AWX's errors). */
  readonly parsed?: RuleSetText;
}

/** An rrule string read: DTSTART and the rules, each a map of its parts (upper case). */
export interface RuleSetText {
  /** DTSTART's wall-clock time as a "floating" date: its UTC fields are the local time in `zone`. */
  readonly start: Date;
  /** `UTC` (a `Z` DTSTART, or TZID=UTC/GMT) or the TZID as written (AWX shows links as given). */
  readonly zone: string;
  readonly rules: readonly RuleText[];
}

export interface RuleText {
  readonly kind: 'RRULE' | 'EXRULE';
  readonly parts: ReadonlyMap<string, string>;
}

const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Number-list parts and their ranges; `signed` ones also count from the end (-1 = last). */
const NUMBER_PARTS: Readonly<Record<string, { min: number; max: number; signed?: boolean }>> = {
  BYMONTH: { min: 1, max: 12 },
  BYMONTHDAY: { min: 1, max: 31, signed: true },
  BYYEARDAY: { min: 1, max: 366, signed: true },
  BYWEEKNO: { min: 1, max: 53, signed: true },
  BYHOUR: { min: 0, max: 23 },
  BYMINUTE: { min: 0, max: 59 },
  BYSECOND: { min: 0, max: 59 },
  BYSETPOS: { min: 1, max: 366, signed: true },
};
const OTHER_PARTS = ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST', 'BYDAY', 'BYWEEKDAY'];
/** dateutil reads these TZIDs as UTC (AWX passes `parserinfo().UTCZONE` as tzinfos). */
const UTC_NAMES = ['UTC', 'GMT', 'Z', 'z'];
const STAMP = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?(Z?)$/;

/**
 * A rule holding Jinja (the static readers refuse what Ansible would render; this one is literal:
 * `!unsafe`, or a native bundle) reaches AWX as written, and AWX does not render it. Each of its
 * parts would look wrong in its own way: one finding says why, rather than one per part.
 */
const JINJA_RULE = 'holds Jinja, which AWX does not render in a schedule: write the rule itself';

export function checkRrule(rrule: string): RruleFindings {
  if (isAnsibleTemplate(rrule)) return { errors: [JINJA_RULE], awxOnly: [] };
  const lower = rrule.toLowerCase();
  // AWX raises these two at once, alone.
  if (lower.includes('exdate:')) return { errors: ['EXDATE not allowed in rrule.'], awxOnly: [] };
  if (lower.includes('rdate:')) return { errors: ['RDATE not allowed in rrule.'], awxOnly: [] };
  const errors: string[] = [];
  const awxOnly: string[] = [];
  const dtstarts = rrule.match(/DTSTART(;[^:]+)?:[0-9]+T[0-9]+Z?/g) ?? [];
  if (dtstarts.length === 0)
    errors.push('Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ');
  if (/DTSTART:[0-9]+T[0-9]+ /.test(rrule))
    errors.push('DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ.');
  if (dtstarts.length > 1) errors.push('Multiple DTSTART is not supported.');
  if (!lower.includes('rrule:')) errors.push('One or more rule required in rrule.');
  for (const rule of rrule.match(/RULE:\S*/g) ?? []) {
    if (!rule.toLowerCase().includes('interval')) awxOnly.push(`INTERVAL required in rrule: ${rule}`);
    else if (rule.toLowerCase().includes('secondly')) errors.push(`SECONDLY is not supported: ${rule}`);
    if (/BYDAY[:=][0-9]+[a-zA-Z]{2}/.test(rule))
      errors.push(`BYDAY with numeric prefix not supported: ${rule}`);
    if (rule.includes('COUNT') && rule.includes('UNTIL'))
      errors.push(`RRULE may not contain both COUNT and UNTIL: ${rule}`);
    const count = /COUNT=([0-9]+)/.exec(rule);
    if (count && Number(count[1]) > 999) errors.push(`COUNT > 999 is unsupported: ${rule}`);
  }
  try {
    return { errors, awxOnly, parsed: parseRuleSet(rrule) };
  } catch (error) {
    errors.push(`rrule parsing failed validation: ${(error as Error).message}`);
    return { errors, awxOnly };
  }
}

/** Reads the rule set as dateutil's `rrulestr(forceset=True)` does; throws what it refuses. */
function parseRuleSet(rrule: string): RuleSetText {
  let start: { start: Date; zone: string } | undefined;
  const rules: RuleText[] = [];
  for (const token of rrule.trim().split(/\s+/)) {
    // dateutil reads a token without a name as an RRULE.
    const [head, value] = token.includes(':') ? splitOnce(token, ':') : ['RRULE', token];
    const [name, ...params] = head.split(';');
    const kind = name.toUpperCase();
    if (kind === 'DTSTART') start = readStart(params, value);
    else if (kind === 'RRULE' || kind === 'EXRULE') rules.push({ kind, parts: readRule(value) });
    else throw new Error(`unsupported property: ${kind}`);
  }
  // AWX's own check (Schedule.rrulestr) of what dateutil leaves naive, e.g. an unknown TZID.
  if (!start) throw new Error('A valid TZID must be provided (e.g., America/New_York)');
  for (const rule of rules) {
    checkUntil(rule.parts.get('UNTIL'));
    checkReachable(rule.parts, start.start);
  }
  return { ...start, rules };
}

function readStart(params: readonly string[], value: string): { start: Date; zone: string } {
  const stamp = readStamp('DTSTART', value);
  let zone = stamp.utc ? 'UTC' : undefined;
  for (const param of params) {
    if (!param.toUpperCase().startsWith('TZID=')) {
      if (!['VALUE=DATE-TIME', 'VALUE=DATE'].includes(param.toUpperCase()))
        throw new Error(`unsupported DTSTART parm: ${param}`);
      continue;
    }
    if (stamp.utc) throw new Error('DTSTART/EXDATE specifies multiple timezone');
    const tzid = param.slice('TZID='.length);
    if (UTC_NAMES.includes(tzid)) zone = 'UTC';
    else if (isKnownZone(tzid)) zone = tzid;
  }
  if (!zone) throw new Error('A valid TZID must be provided (e.g., America/New_York)');
  return { start: stamp.date, zone };
}

function readRule(body: string): ReadonlyMap<string, string> {
  const parts = new Map<string, string>();
  for (const pair of body.split(';')) {
    const [key, value] = splitOnce(pair, '=');
    const name = key.toUpperCase();
    const text = value.toUpperCase();
    if (!(name in NUMBER_PARTS) && !OTHER_PARTS.includes(name))
      throw new Error(`unknown parameter '${name}'`);
    checkPart(name, text);
    parts.set(name === 'BYWEEKDAY' ? 'BYDAY' : name, text);
  }
  if (!parts.has('FREQ')) throw new Error(`FREQ is required in rule '${body}'`);
  return parts;
}

function checkPart(name: string, value: string): void {
  const invalid = (why = '') => new Error(`invalid '${name}': ${value}${why}`);
  const range = NUMBER_PARTS[name];
  if (range) {
    for (const item of value.split(',')) {
      if (!/^[+-]?\d+$/.test(item)) throw invalid();
      const size = Math.abs(Number(item));
      const negative = item.startsWith('-');
      if ((negative && !range.signed) || size < (negative ? 1 : range.min) || size > range.max)
        throw invalid(` (${range.signed ? '±' : ''}${range.min}..${range.max})`);
    }
  } else if (name === 'FREQ') {
    if (!FREQUENCIES.includes(value)) throw invalid();
  } else if (name === 'INTERVAL' || name === 'COUNT') {
    if (!/^\d+$/.test(value)) throw invalid();
    // dateutil loops for ever on INTERVAL=0; AWX hangs. A clear refusal instead.
    if (name === 'INTERVAL' && Number(value) < 1) throw invalid(' (at least 1)');
  } else if (name === 'WKST') {
    if (!WEEKDAYS.includes(value)) throw invalid();
  } else if (name === 'BYDAY' || name === 'BYWEEKDAY') {
    for (const day of value.split(','))
      if (!/^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.test(day)) throw invalid();
  }
}

/** dateutil wants UNTIL in UTC; AWX first rewrites a naive UNTIL (lib/schedules reads it in DTSTART's zone). */
function checkUntil(until: string | undefined): void {
  if (until !== undefined) readStamp('UNTIL', until);
}

/**
 * dateutil's refusal of an HOURLY or MINUTELY rule whose interval, stepping from DTSTART, never
 * lands on its BYHOUR (BYMINUTE) values; the same for the minutes of the day a MINUTELY rule
 * steps through (where dateutil would search without end). The `rrule` package would loop for
 * ever on either.
 */
function checkReachable(parts: ReadonlyMap<string, string>, start: Date): void {
  const freq = parts.get('FREQ');
  if (freq !== 'HOURLY' && freq !== 'MINUTELY') return;
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const numbers = (name: string, all: number) =>
    parts.get(name)?.split(',').map(Number) ?? Array.from({ length: all }, (_, value) => value);
  const lands = (value: number, from: number, base: number) => mod(value - from, gcd(interval, base)) === 0;
  const hours = numbers('BYHOUR', 24);
  const minutes = numbers('BYMINUTE', 60);
  const [hour, minute] = [start.getUTCHours(), start.getUTCMinutes()];
  const reachable =
    freq === 'HOURLY'
      ? hours.some((value) => lands(value, hour, 24))
      : minutes.some((value) => lands(value, minute, 60)) &&
        hours.some((h) => minutes.some((m) => lands(h * 60 + m, hour * 60 + minute, 1440)));
  if (!reachable) throw new Error('Invalid rrule byxxx generates an empty set.');
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function mod(value: number, base: number): number {
  return ((value % base) + base) % base;
}

/** `YYYYMMDD[THHMMSS][Z]` naming a date and time that exist (no 30 February, no hour 25). */
export function readStamp(name: string, value: string): { date: Date; utc: boolean } {
  const match = STAMP.exec(value);
  const fields = match?.slice(1, 7).map((field) => Number(field ?? 0)) ?? [];
  const [year, month, day, hour, minute, second] = fields;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    !match ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new Error(`${name} '${value}' is not a date and time of the form YYYYMMDDTHHMMSS[Z]`);
  return { date, utc: match[7] === 'Z' };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  if (at < 0) throw new Error(`malformed part '${text}' (no '${separator}')`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
