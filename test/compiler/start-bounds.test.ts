import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWorkflow } from '../../lib/compiler/plan';
import { NodeSet, StartBounds } from '../../lib/compiler/start-bounds';
import { evaluate, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph, type GraphNodeSpec } from '../../lib/semantics/graph';
import { compiledStarts } from '../support/compiled-schedule';
import { randomCase, TOP } from '../support/random-workflows';
import { seriesParallel } from '../support/series-parallel';
import { sketch } from '../support/sketch';

/**
 * `x` waits for `a` and for `c`, an ALL join of `a` and `b`: when `a` succeeds, its failure edge
 * does not fire, AWX skips `c` at once, and `x` starts while `b` still runs.
 */
const EARLY = sketch({ edges: ['a -f-> c', 'a -s-> x', 'b -s-> c', 'c -s-> x'], all: ['c'] });

/** Whether `node`, when it runs, has always started after every one of `others` ended. */
function startsAfter(specs: GraphNodeSpec[], node: string, others: string[]): boolean {
  const graph = new WorkflowGraph(specs);
  const position = (id: string) => graph.order.indexOf(id);
  const common = new StartBounds(graph).commonStart();
  common.add(position(node));
  const set = new NodeSet(graph.order.length);
  for (const other of others) set.add(position(other));
  return common.covers(set);
}

describe('what a node always starts after', () => {
  it('every ancestor, but not the other parent of an ALL join that may be skipped first', () => {
    expect(startsAfter(EARLY, 'x', ['a', 'c'])).toBe(true);
    expect(startsAfter(EARLY, 'x', ['b'])).toBe(false);
  });
  it('an ALL node starts after all its parents: it runs only when every one of them fired', () => {
    const specs = sketch({ edges: ['a -s-> c', 'b -s-> c', 'c -s-> d'], all: ['c'] });
    expect(startsAfter(specs, 'd', ['a', 'b', 'c'])).toBe(true);
  });
  it('so the exact plan does not put x after the fork of a and b, and the delayed plan does', () => {
    const graph = new WorkflowGraph(EARLY);
    expect(planWorkflow(graph).kind).toBe('lanes');
    expect(planWorkflow(graph, { exactUpTo: 0 })).toMatchObject({ kind: 'seq' });
  });
});

/** Outcomes, job times and kept nodes (a resume's) for a random workflow, node by node. */
interface Draw {
  readonly statuses: readonly JobStatus[];
  readonly durations: readonly number[];
  readonly kept: readonly boolean[];
}

/** Mostly successes: a failure edge that does not fire is what skips an ALL node early. */
const draws: fc.Arbitrary<Draw> = fc.record({
  statuses: fc.array(
    fc.oneof(
      { weight: 9, arbitrary: fc.constant<JobStatus>('successful') },
      { weight: 1, arbitrary: fc.constantFrom<JobStatus>('failed', 'error', 'canceled') },
    ),
    { minLength: 64, maxLength: 64 },
  ),
  durations: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 64, maxLength: 64 }),
  kept: fc.array(
    fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
    { minLength: 64, maxLength: 64 },
  ),
});

/**
 * The plan's timing against AWX's (the reference evaluator's): whether, under the plan, every job
 * starts when AWX starts it. The compiled machine's timing is modelled by
 * test/support/compiled-schedule.ts; test/compiler/early-join.test.ts runs a machine for real.
 * Nested workflows run as jobs here: their inside is another machine.
 */
function startsAsAwx(specs: readonly GraphNodeSpec[], draw: Draw, exactUpTo = Infinity): boolean {
  const graph = new WorkflowGraph(
    specs.map((spec) => ({ ...spec, kind: spec.kind === 'workflow' ? 'job' : spec.kind })),
  );
  const index = new Map(graph.nodes.map((node, i) => [node.id, i % 64]));
  const evaluation = evaluate(graph, {
    status: (id) => draw.statuses[index.get(id)!],
    duration: (id) => draw.durations[index.get(id)!],
    kept: new Set(graph.nodes.filter((node) => draw.kept[index.get(node.id)!]).map((node) => node.id)),
  });
  const starts = compiledStarts(planWorkflow(graph, { exactUpTo }), graph, evaluation);
  return evaluation.ran.every((id) => starts.get(id) === evaluation.nodes.get(id)!.started);
}

describe('the exact plan starts every job when AWX does', () => {
  it('on 1,000 random series-parallel workflows with ALL joins, outcomes, job times and kept nodes', () => {
    fc.assert(
      fc.property(seriesParallel(7), draws, (specs, draw) => startsAsAwx(specs, draw)),
      { numRuns: 1000 },
    );
  });
  it('on 500 random workflows of any shape and kind', () => {
    fc.assert(
      fc.property(randomCase(40), draws, ({ workflows }, draw) => startsAsAwx(workflows.get(TOP)!, draw)),
      { numRuns: 500 },
    );
  });
  it('where the delayed plan often does not (a Parallel state ends with its last branch)', () => {
    // All succeed; b (declared fourth) runs longest, so x starts before the fork of a and b ends.
    const allSucceed: Draw = {
      statuses: Array(64).fill('successful'),
      durations: Array.from({ length: 64 }, (_, i) => i + 1),
      kept: Array(64).fill(false),
    };
    expect(startsAsAwx(EARLY, allSucceed, 0)).toBe(false);
    // About one random series-parallel workflow in a hundred starts a job early in AWX: the
    // property above meets a dozen of them in a run.
    const samples = fc.sample(fc.tuple(seriesParallel(7), draws), { numRuns: 1000, seed: 7 });
    const late = samples.filter(([specs, draw]) => !startsAsAwx(specs, draw, 0)).length;
    expect(late).toBeGreaterThanOrEqual(5);
  });
});
