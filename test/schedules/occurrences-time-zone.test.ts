import { describe, expect, it } from 'vitest';
import { Recurrence } from '../../lib/schedules/occurrences';
import { DATEUTIL } from './dateutil-cases';

/**
 * The `rrule` package's TZID results depend on the process's time zone; these must not. The
 * process's zone is changed between runs (Node applies a new TZ at once; this file has its own
 * process).
 */
describe("occurrences do not depend on the process's time zone", () => {
  it('gives the same instants under UTC, Europe/Berlin, Pacific/Auckland and America/Los_Angeles', () => {
    const original = process.env.TZ;
    const runs = ['UTC', 'Europe/Berlin', 'Pacific/Auckland', 'America/Los_Angeles'].map((zone) => {
      process.env.TZ = zone;
      const offset = new Date('2026-01-15T00:00:00Z').getTimezoneOffset();
      const found = DATEUTIL.map(([rrule]) =>
        Recurrence.parse(rrule)
          .after(new Date(0), 20)
          .map((date) => date.toISOString()),
      );
      return { offset, found };
    });
    process.env.TZ = original;
    expect(new Set(runs.map((run) => run.offset)).size).toBe(4);
    for (const run of runs.slice(1)) expect(run.found).toEqual(runs[0].found);
  });
});
