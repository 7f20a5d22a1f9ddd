import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../lib/compiler/compile';
import { planWorkflow } from '../../lib/compiler/plan';
import { LocalEngine, NodeFailure } from '../../lib/local/engine';
import { WorkflowGraph } from '../../lib/semantics/graph';
import { sketch } from '../support/sketch';

/**
 * docs/semantics.md §1.5 in a compiled machine: AWX skips an ALL node as soon as one parent does
 * not fire its edge, while another parent still runs, and what waited only for that node and
 * other ended parents goes on at once. In each shape `x` waits for `a` and for `c` (ALL of `a`
 * and `b`): `a`'s outcome skips `c`, and `b` ends only after `x` started (otherwise the run would
 * never end).
 */
const SHAPES = [
  {
    name: 'in lanes (the N shape b→d makes the part prime)',
    edges: ['a -s-> c', 'a -f-> x', 'b -s-> c', 'b -s-> d', 'c -s-> x'],
    aFails: true,
    ran: ['a', 'b', 'd', 'x'],
  },
  {
    name: 'in a series-parallel workflow, where a Parallel of a and b would end only with b',
    edges: ['a -f-> c', 'a -s-> x', 'b -s-> c', 'c -s-> x'],
    aFails: false,
    ran: ['a', 'b', 'x'],
  },
];

describe('an ALL node skipped early', () => {
  it.each(SHAPES)(
    'heads a lane and is skipped while another parent still runs: $name',
    async (shape) => {
      const graph = new WorkflowGraph(sketch({ edges: shape.edges, all: ['c'] }));
      const plan = planWorkflow(graph);
      expect(plan.kind).toBe('lanes');
      expect(plan.kind === 'lanes' && plan.lanes.some((lane) => lane[0] === 'c')).toBe(true);
      let xStarted!: () => void;
      const started = new Promise<void>((resolve) => (xStarted = resolve));
      const ran: string[] = [];
      const engine = new LocalEngine(() => compileGraph({ workflowName: 'w', graph }), {
        run: async ({ node }) => {
          ran.push(node);
          if (node === 'a' && shape.aFails) throw new NodeFailure('a failed');
          if (node === 'x') xStarted();
          if (node === 'b') await started;
        },
      });
      const result = await engine.run({ workflowName: 'w' });
      expect(result.status).toBe('successful');
      expect(ran.sort()).toEqual(shape.ran);
    },
    20_000,
  );
});
