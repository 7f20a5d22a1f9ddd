import { describe, expect, it } from 'vitest';
import { instanceCapacity } from '../../lib/execution/capacity';

/** AWX's instance capacity and its adjustment (docs/semantics.md §13.10). */
describe('instance capacity', () => {
  const machine = { cpus: 2, memoryBytes: 24 * 2 ** 30 };

  it('is 4 forks per CPU or 100 MB per fork after 2 GB, the smaller by default', () => {
    expect(instanceCapacity(machine)).toBe(8);
    expect(instanceCapacity({ cpus: 64, memoryBytes: 4 * 2 ** 30 })).toBe(20);
  });

  it("moves toward the larger with AWX's capacity_adjustment", () => {
    expect(instanceCapacity(machine, 1)).toBe(225);
    expect(instanceCapacity(machine, 0.5)).toBe(116);
    expect(() => instanceCapacity(machine, 1.5)).toThrow('between 0 and 1');
  });
});
