import { describe, expect, it } from 'vitest';
import { findCycle } from '../../lib/model/graph';

function chain(length: number, closing = false) {
  const nodes = Array.from({ length }, (_, i) => `n${i}`);
  return {
    nodes,
    children: (node: string) => {
      const next = Number(node.slice(1)) + 1;
      return next < length ? [`n${next}`] : closing ? ['n0'] : [];
    },
  };
}

describe('findCycle', () => {
  it('reports the cycle as a closed path', () => {
    expect(
      findCycle({ nodes: ['a', 'b', 'c'], children: (n) => ({ a: ['b'], b: ['c'], c: ['b'] })[n]! }),
    ).toEqual(['b', 'c', 'b']);
    expect(findCycle({ nodes: ['a', 'b'], children: (n) => (n === 'a' ? ['b'] : []) })).toBeUndefined();
  });
  it('walks a chain of 200,000 nodes without overflowing the stack', () => {
    expect(findCycle(chain(200_000))).toBeUndefined();
    expect(findCycle(chain(200_000, true))).toHaveLength(200_001);
  });
});
