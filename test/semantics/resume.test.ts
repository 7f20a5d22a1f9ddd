import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph } from '../../lib/semantics/graph';
import { keptNodes } from '../../lib/semantics/resume';
import { sketch } from '../support/sketch';
import { randomCase, TOP } from '../support/random-workflows';

const outcomes = fc.array(
  fc.constantFrom<JobStatus>('successful', 'successful', 'failed', 'error', 'canceled'),
  {
    minLength: 64,
    maxLength: 64,
  },
);

describe('resuming a workflow job in the reference evaluator', () => {
  it('ends as AWX would with the kept successes and the new outcomes, and runs no kept node again', () => {
    fc.assert(
      fc.property(
        randomCase(40),
        outcomes,
        outcomes,
        fc.array(fc.nat(), { maxLength: 2 }),
        ({ workflows }, first, second, picks) => {
          const graph = new WorkflowGraph(workflows.get(TOP)!);
          const statusIn = (list: JobStatus[]) => (id: string) => list[graph.node(id).index % list.length];
          const original = evaluate(graph, { status: statusIn(first) });
          const succeeded = graph.nodes
            .map((n) => n.id)
            .filter((id) => original.nodes.get(id)!.status === 'successful');
          const from = picks.map((i) => graph.nodes[i % graph.nodes.length].id);
          const kept = keptNodes(graph, succeeded, from);

          const resumed = evaluate(graph, { status: statusIn(second), kept });
          const combined = evaluate(graph, {
            status: (id) => (kept.has(id) ? 'successful' : statusIn(second)(id)),
          });
          for (const node of graph.nodes)
            expect(resumed.nodes.get(node.id)!.status).toBe(combined.nodes.get(node.id)!.status);
          expect(resumed.status).toBe(combined.status);
          expect(resumed.ran.filter((id) => kept.has(id))).toEqual([]);
          expect(new Set([...resumed.ran, ...resumed.kept])).toEqual(new Set(combined.ran));
          // Nothing named by --from, nor below it, is kept.
          for (const id of from) expect(kept.has(id)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('re-runs only the failed node and what follows it; kept nodes take no time', () => {
    // A → B → C → D, B failed the first time.
    const graph = new WorkflowGraph(sketch({ edges: ['A -s-> B', 'B -s-> C', 'C -s-> D'] }));
    const kept = keptNodes(graph, ['A']);
    const resumed = evaluate(graph, { status: () => 'successful', kept });
    expect(resumed.kept).toEqual(['A']);
    expect(resumed.ran).toEqual(['B', 'C', 'D']);
    expect(resumed.nodes.get('B')!.started).toBe(0);
    expect(resumed.status).toBe('successful');
  });

  it('leaves a kept node DNR when the path that reached it no longer fires', () => {
    // B ran on A's failure and succeeded; A now succeeds, so B is not reached.
    const graph = new WorkflowGraph(sketch({ edges: ['A -f-> B', 'A -s-> C'] }));
    const resumed = evaluate(graph, { status: () => 'successful', kept: keptNodes(graph, ['B']) });
    expect(resumed.nodes.get('B')!.status).toBe('dnr');
    expect(resumed.kept).toEqual([]);
    expect(resumed.ran).toEqual(['A', 'C']);
  });

  it('--from runs the named successful node and its descendants again', () => {
    const graph = new WorkflowGraph(sketch({ edges: ['A -s-> B', 'B -s-> C'] }));
    expect([...keptNodes(graph, ['A', 'B', 'C'], ['B'])]).toEqual(['A']);
  });
});
