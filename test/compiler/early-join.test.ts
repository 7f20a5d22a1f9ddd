import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../lib/compiler/compile';
import { planWorkflow } from '../../lib/compiler/plan';
import { LocalEngine, NodeFailure } from '../../lib/local/engine';
import { WorkflowGraph, type GraphNodeSpec } from '../../lib/semantics/graph';

/**
 * docs/semantics.md §1.5 in compiled lanes: AWX skips an ALL node as soon as one parent does not
 * fire its edge, while another parent still runs, and what waited only for that node goes on at
 * once. Here `x` waits for `a` (failed at once) and `c` (ALL of `a` and `b`): it starts while `b`
 * runs, and `b` ends only after `x` started (otherwise the run would never end).
 */
const SPECS: GraphNodeSpec[] = [
  { id: 'a', kind: 'job', success: ['c'], failure: ['x'] },
  { id: 'b', kind: 'job', success: ['c', 'd'] },
  { id: 'c', kind: 'job', all: true, success: ['x'] },
  { id: 'd', kind: 'job' },
  { id: 'x', kind: 'job' },
];

describe('an ALL node in lanes', () => {
  it('heads a lane, and is skipped as soon as one parent did not fire, while another still runs', async () => {
    const graph = new WorkflowGraph(SPECS);
    const plan = planWorkflow(graph);
    expect(plan.kind).toBe('lanes');
    expect(plan.kind === 'lanes' && plan.lanes.some((lane) => lane[0] === 'c')).toBe(true);
    let xStarted!: () => void;
    const started = new Promise<void>((resolve) => (xStarted = resolve));
    const ran: string[] = [];
    const engine = new LocalEngine(() => compileGraph({ workflowName: 'w', graph }), {
      run: async ({ node }) => {
        ran.push(node);
        if (node === 'a') throw new NodeFailure('a failed');
        if (node === 'x') xStarted();
        if (node === 'b') await started;
      },
    });
    const result = await engine.run({ workflowName: 'w' });
    expect(result.status).toBe('successful');
    expect(ran.sort()).toEqual(['a', 'b', 'd', 'x']);
  }, 20_000);
});
