import { describe, expect, it } from 'vitest';
import { elapsedSeconds, isFailed, isFinished } from '../../lib/jobs/job-status';

describe('what a job status says (docs/semantics.md §2.4, §7)', () => {
  it('failed is true for failed, error and canceled', () => {
    expect(['successful', 'failed', 'error', 'canceled', 'running'].map(isFailed)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('pending and running are not finished', () => {
    expect(['pending', 'running', 'successful', 'canceled'].map((s) => isFinished(s as never))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('elapsed counts from started to finished, or to now while running; 0 before it starts', () => {
    expect(elapsedSeconds({ started: '2024-01-01T00:00:00Z', finished: '2024-01-01T00:01:30.5Z' })).toBe(
      90.5,
    );
    expect(elapsedSeconds({ started: '2024-01-01T00:00:00Z' }, Date.parse('2024-01-01T00:00:02Z'))).toBe(2);
    expect(elapsedSeconds({})).toBe(0);
  });
});
