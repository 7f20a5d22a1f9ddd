import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWorkflow, type JoinTiming } from '../../lib/compiler/plan';
import { StartBounds } from '../../lib/compiler/start-bounds';
import { evaluate, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph, type GraphNodeSpec } from '../../lib/semantics/graph';
import { compiledStarts } from '../support/compiled-schedule';
import { randomCase } from '../support/random-workflows';
import { seriesParallel } from '../support/series-parallel';
import { sketch } from '../support/sketch';

/**
 * `x` waits for `a` and for `c`, an ALL join of `a` and `b`: when `a` succeeds, its failure edge
 * does not fire, AWX skips `c` at once, and `x` starts while `b` still runs.
 */
const EARLY = sketch({ edges: ['a -f-> c', 'a -s-> x', 'b -s-> c', 'c -s-> x'], all: ['c'] });

describe('what a node always starts after', () => {
  it('every ancestor, but not the other parent of an ALL join that may be skipped first', () => {
    const graph = new WorkflowGraph(EARLY);
    const position = (id: string) => graph.order.indexOf(id);
    const afterX = new StartBounds(graph).commonStart();
    afterX.add(position('x'));
    expect(['a', 'c'].filter((id) => afterX.has(position(id)))).toEqual(['a', 'c']);
    expect(afterX.has(position('b'))).toBe(false);
  });
  it('an ALL node starts after all its parents: it runs only when every one of them fired', () => {
    const graph = new WorkflowGraph(sketch({ edges: ['a -s-> c', 'b -s-> c', 'c -s-> d'], all: ['c'] }));
    const position = (id: string) => graph.order.indexOf(id);
    const afterD = new StartBounds(graph).commonStart();
    afterD.add(position('d'));
    expect(['a', 'b', 'c'].every((id) => afterD.has(position(id)))).toBe(true);
  });
  it('so the exact plan does not put x after the fork of a and b, and the delayed plan does', () => {
    const graph = new WorkflowGraph(EARLY);
    expect(planWorkflow(graph, 'exact').kind).toBe('lanes');
    expect(planWorkflow(graph, 'delayed')).toMatchObject({ kind: 'seq' });
  });
});

/**
 * The plan's timing against AWX's (the reference evaluator's) for random outcomes and job times:
 * under the exact plan every job starts when AWX starts it (the compiled machine's timing model
 * is test/support/compiled-schedule.ts; test/compiler/early-join.test.ts runs it for real).
 */
function startsAsAwx(specs: readonly GraphNodeSpec[], statuses: readonly JobStatus[], timing: JoinTiming) {
  const graph = new WorkflowGraph(
    specs.map((spec) => ({ ...spec, kind: 'job' as const, template: spec.id, retry: null })),
  );
  const index = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const evaluation = evaluate(graph, {
    status: (id) => statuses[index.get(id)! % statuses.length],
    duration: (id) => 1 + ((index.get(id)! * 7919) % 97),
  });
  const starts = compiledStarts(planWorkflow(graph, timing), graph, evaluation);
  return evaluation.ran.every((id) => starts.get(id) === evaluation.nodes.get(id)!.started);
}

const statuses = fc.array(fc.constantFrom<JobStatus>('successful', 'failed', 'error', 'canceled'), {
  minLength: 64,
  maxLength: 64,
});

describe('the exact plan starts every job when AWX does', () => {
  it('on 500 random series-parallel workflows with ALL joins and random outcomes', () => {
    fc.assert(
      fc.property(seriesParallel(6), statuses, (specs, outcomes) => startsAsAwx(specs, outcomes, 'exact')),
      { numRuns: 500 },
    );
  });
  it('on 500 random workflows of any shape', () => {
    fc.assert(
      fc.property(randomCase(40), statuses, ({ workflows }, outcomes) =>
        startsAsAwx(workflows.get('top')!, outcomes, 'exact'),
      ),
      { numRuns: 500 },
    );
  });
  it('which the delayed plan does not (a Parallel state ends with its last branch)', () => {
    const graph = EARLY;
    expect(startsAsAwx(graph, ['successful'], 'delayed')).toBe(false);
    expect(startsAsAwx(graph, ['successful'], 'exact')).toBe(true);
  });
});
