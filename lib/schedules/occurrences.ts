import { RRule, RRuleSet } from 'rrule';
import { InvalidError } from '../errors';
import { checkRrule, readStamp, type RuleSetText, type RuleText } from '../model/rrule';
import { instantOf, wallTime } from './zone-time';

const DAY = 86_400_000;
/**
 * How far a walk looks for the next occurrence: a century (a rule that matches no day in it, such
 * as 31 February, has none; dateutil would look to year 9999).
 */
const HORIZON_MS = 100 * 365 * DAY;

/**
 * The occurrences of an AWX rrule, as python-dateutil gives them to AWX (docs/schedules.md,
 * Occurrences). The `rrule` package expands the rules in floating wall-clock time (no TZID given
 * to it: with one its results depend on the process's time zone), and each wall time becomes an
 * instant in DTSTART's zone through Intl: a time a spring-forward change skips is no occurrence,
 * a time a fall-back change repeats is its first (fold=0).
 */
export class Recurrence {
  private constructor(
    readonly text: RuleSetText,
    /** DTSTART, or a week ago when fast-forwarded. */
    private readonly start: Date,
    private readonly set = ruleSet(text, start),
  ) {}

  /**
   * Reads `rrule`, refusing what AWX refuses with its 400 body `{"rrule": [...]}`. `now` is for
   * AWX's fast-forward: an HOURLY or MINUTELY rule without COUNT whose first occurrence is more
   * than a week old starts a week ago (same time of day), as AWX's `Schedule.rrulestr` does.
   */
  static parse(rrule: string, now = new Date()): Recurrence {
    const { errors, parsed } = checkRrule(rrule);
    if (errors.length > 0 || !parsed)
      throw new InvalidError(`rrule '${rrule}' is not valid: ${errors.join('; ')}`, { rrule: errors });
    const recurrence = new Recurrence(parsed, parsed.start);
    const first = recurrence.first();
    const fastForward = parsed.rules.some(
      (rule) => ['HOURLY', 'MINUTELY'].includes(rule.parts.get('FREQ') ?? '') && !rule.parts.has('COUNT'),
    );
    if (!fastForward || !first || now.getTime() - first.getTime() < 8 * DAY) return recurrence;
    const weekAgo = new Date(now.getTime() - 7 * DAY);
    const start = new Date(
      Date.UTC(weekAgo.getUTCFullYear(), weekAgo.getUTCMonth(), weekAgo.getUTCDate()) +
        (parsed.start.getTime() % DAY),
    );
    return new Recurrence(parsed, start);
  }

  get zone(): string {
    return this.text.zone;
  }

  /** Whether the occurrences end: every RRULE has COUNT or UNTIL (AWX's `get_end_date`). */
  get bounded(): boolean {
    return this.text.rules.every(
      (rule) => rule.kind === 'EXRULE' || rule.parts.has('COUNT') || rule.parts.has('UNTIL'),
    );
  }

  /** How long the most frequent rule's period is, at least an hour: the walk's first window. */
  private get period(): number {
    const periods: Record<string, number> = {
      YEARLY: 366 * DAY,
      MONTHLY: 31 * DAY,
      WEEKLY: 7 * DAY,
      DAILY: DAY,
    };
    return Math.min(
      ...this.text.rules.map(
        (rule) =>
          (periods[rule.parts.get('FREQ') ?? ''] ?? DAY / 24) * Number(rule.parts.get('INTERVAL') ?? 1),
      ),
    );
  }

  /** The first RRULE's UNTIL as a wall time in DTSTART's zone (AWX's `until` field); none without. */
  get until(): Date | undefined {
    const rule = this.text.rules.find(
      (candidate) => candidate.kind === 'RRULE' && candidate.parts.has('UNTIL'),
    );
    return (rule && until(rule, this.text)) ?? undefined;
  }

  /** Up to `limit` occurrences strictly after `instant`, in order. */
  after(instant: Date, limit = 1): Date[] {
    const found: Date[] = [];
    // A day earlier in wall time: the first instant after `instant` may be a repeated wall time.
    const from = new Date(wallTime(instant, this.zone).getTime() - DAY);
    this.walk(from, (occurrence) => {
      if (occurrence > instant) found.push(occurrence);
      return found.length < limit;
    });
    return found;
  }

  /** Every occurrence from `from` (inclusive) to `to` (exclusive). */
  between(from: Date, to: Date): Date[] {
    const found: Date[] = [];
    this.walk(new Date(wallTime(from, this.zone).getTime() - DAY), (occurrence) => {
      if (occurrence >= to) return false;
      if (occurrence >= from) found.push(occurrence);
      return true;
    });
    return found;
  }

  first(): Date | undefined {
    let first: Date | undefined;
    this.walk(this.start, (occurrence) => {
      first = occurrence;
      return false;
    });
    return first;
  }

  /** The last occurrence, or undefined when they do not end (or there is none). */
  last(): Date | undefined {
    if (!this.bounded) return undefined;
    // The set's last wall time (asked alone: a walk would hold them all), back past skipped ones.
    const horizon = new Date(this.start.getTime() + HORIZON_MS);
    for (let wall = this.set.before(horizon, true); wall; wall = this.set.before(wall, false)) {
      const occurrence = instantOf(wall, this.zone);
      if (occurrence) return occurrence;
    }
    return undefined;
  }

  /**
   * Calls `visit` with each occurrence from the wall time `from` on, until it answers false.
   * The set is asked window by window, the first as long as its most frequent rule's period, each
   * twice as long as the last (each query expands the rules from their start): it sorts and merges
   * its rules only for a finite query, and an unbounded one would run to its horizon.
   */
  private walk(from: Date, visit: (occurrence: Date) => boolean): void {
    let low = new Date(Math.max(from.getTime(), this.start.getTime()));
    const horizon = low.getTime() + HORIZON_MS;
    for (let span = this.period; low.getTime() < horizon;) {
      const high = new Date(Math.min(low.getTime() + span, horizon));
      const walls = this.set.between(low, high, true);
      for (const wall of walls) {
        const occurrence = instantOf(wall, this.zone);
        if (occurrence && !visit(occurrence)) return;
      }
      span *= 2;
      if (this.bounded && walls.length === 0 && !this.set.after(high)) return;
      low = new Date(high.getTime() + 1);
    }
  }
}

function ruleSet(text: RuleSetText, start: Date): RRuleSet {
  const set = new RRuleSet();
  for (const rule of text.rules) {
    const made = new RRule({
      ...RRule.parseString(bodyWithoutUntil(rule)),
      dtstart: start,
      until: until(rule, text),
    });
    if (rule.kind === 'RRULE') set.rrule(made);
    else set.exrule(made);
  }
  return set;
}

function bodyWithoutUntil(rule: RuleText): string {
  return [...rule.parts]
    .filter(([name]) => name !== 'UNTIL')
    .map(([name, value]) => `${name}=${value}`)
    .join(';');
}

/**
 * UNTIL as a wall time in DTSTART's zone: a naive UNTIL is one already (AWX's
 * `coerce_naive_until`), a `Z` UNTIL is read in the zone.
 */
function until(rule: RuleText, text: RuleSetText): Date | null {
  const value = rule.parts.get('UNTIL');
  if (value === undefined) return null;
  const { date, utc } = readStamp('UNTIL', value);
  return utc ? wallTime(date, text.zone) : date;
}
