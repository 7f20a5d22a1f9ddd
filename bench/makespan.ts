import fc from 'fast-check';
import { planWorkflow } from '../lib/compiler/plan';
import { evaluate } from '../lib/semantics/evaluator';
import { WorkflowGraph, type GraphNodeSpec } from '../lib/semantics/graph';
import { randomCase } from '../test/support/random-workflows';
import { seriesParallel } from '../test/support/series-parallel';
import { median, print } from './support/report';
import { compiledStarts } from '../test/support/compiled-schedule';

/**
 * Compiled schedule against the as-soon-as-ready ideal (AWX's own timing, from the reference
 * evaluator), with random job durations (1-100) and every job successful.
 */
function ratio(specs: readonly GraphNodeSpec[], seed: number, exactUpTo = Infinity): number {
  const graph = new WorkflowGraph(
    specs.map((spec) => ({ ...spec, kind: 'job' as const, template: spec.id })),
  );
  const durations = new Map(graph.nodes.map((n, i) => [n.id, 1 + ((seed * 7919 + i * 104729) % 100)]));
  const duration = (id: string) => durations.get(id)!;
  const ideal = evaluate(graph, { status: () => 'successful', duration });
  if (ideal.makespan === 0) return 1;
  const starts = compiledStarts(planWorkflow(graph, { exactUpTo }), graph, ideal);
  return Math.max(...ideal.ran.map((id) => starts.get(id)! + duration(id))) / ideal.makespan;
}

/** The same workflows with every join ANY: nothing is skipped early. */
const anyJoins = (specs: readonly GraphNodeSpec[]) => specs.map((spec) => ({ ...spec, all: false }));

export function makespanBenchmarks(): void {
  const seriesParallel500 = fc.sample(seriesParallel(6), { numRuns: 500, seed: 3 });
  const anyRatios = seriesParallel500.map((specs, i) => ratio(anyJoins(specs), i));
  print({
    name: 'makespan_ratio_series_parallel',
    value: Math.max(...anyRatios),
    unit: 'ratio (max of 500, ANY joins)',
  });
  const allRatios = seriesParallel500.map((specs, i) => ratio(specs, i));
  print({
    name: 'makespan_ratio_series_parallel_with_all_joins_median',
    value: median(allRatios),
    unit: 'ratio (median of 500)',
  });
  print({
    name: 'makespan_ratio_series_parallel_with_all_joins_max',
    value: Math.max(...allRatios),
    unit: 'ratio (max of 500)',
  });
  print({
    name: 'makespan_ratio_series_parallel_with_all_joins_delayed_max',
    value: Math.max(...seriesParallel500.map((specs, i) => ratio(specs, i, 0))),
    unit: 'ratio (max of 500, planned with no part following AWX timing, as a very large workflow may be)',
  });
  const dags = fc.sample(
    randomCase(50).filter((c) => c.workflows.get('top')!.length === 50),
    { numRuns: 500, seed: 5 },
  );
  const dagRatios = dags.map((c, i) => ratio(c.workflows.get('top')!, i));
  print({
    name: 'makespan_ratio_random_dag_median',
    value: median(dagRatios),
    unit: 'ratio (median of 500, 50 nodes)',
  });
  print({
    name: 'makespan_ratio_random_dag_max',
    value: Math.max(...dagRatios),
    unit: 'ratio (max of 500, 50 nodes)',
  });
}
