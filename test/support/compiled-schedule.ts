import type { Plan } from '../../lib/compiler/plan';
import { skippableEarly } from '../../lib/compiler/start-bounds';
import { fires, outcomeOf, type Evaluation } from '../../lib/semantics/evaluator';
import type { Edge, WorkflowGraph } from '../../lib/semantics/graph';

/**
 * When each node is reached under the compiled structure, for the outcomes and job times of an
 * evaluation: sequences run in order, Parallel branches start together and join when all end,
 * lanes run their chains and wait at sync points for the parents in other lanes (an ALL node
 * heading its lane until one parent did not fire its edge). A node that does not run takes no
 * time. For a node that runs, that is when its job starts; the evaluation says when AWX starts it.
 */
export function compiledStarts(
  plan: Plan,
  graph: WorkflowGraph,
  evaluation: Evaluation,
): Map<string, number> {
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  const result = (id: string) => evaluation.nodes.get(id)!;
  const length = (id: string) => (result(id).finished ?? 0) - (result(id).started ?? 0);
  const fired = (edge: Edge) => {
    const status = result(edge.parent).status;
    return status !== 'dnr' && fires(edge, outcomeOf(status));
  };
  const reach = (id: string, time: number) => {
    start.set(id, time);
    end.set(id, time + length(id));
    return end.get(id)!;
  };
  const walk = (step: Plan, begin: number): number => {
    switch (step.kind) {
      case 'node':
        return reach(step.id, begin);
      case 'seq':
        return step.items.reduce((time, item) => walk(item, time), begin);
      case 'par':
        return Math.max(begin, ...step.branches.map((branch) => walk(branch, begin)));
      case 'lanes': {
        const laneTime = step.lanes.map(() => begin);
        const laneOf = new Map(step.lanes.flatMap((lane, i) => lane.map((id) => [id, i] as const)));
        for (const id of graph.order.filter((n) => laneOf.has(n))) {
          const lane = laneOf.get(id)!;
          const resolved = (edge: Edge) => end.get(edge.parent) ?? begin;
          const crossParents = graph
            .parents(id)
            .filter((e) => laneOf.has(e.parent) && laneOf.get(e.parent) !== lane);
          const waited = Math.max(begin, ...crossParents.map(resolved));
          // An ALL node heading its lane goes on once one parent did not fire (skippableEarly).
          const missed = graph
            .parents(id)
            .filter((e) => !fired(e))
            .map(resolved);
          const released = skippableEarly(graph, id) ? Math.min(waited, ...missed) : waited;
          laneTime[lane] = reach(id, Math.max(laneTime[lane], released));
        }
        return Math.max(begin, ...laneTime);
      }
    }
  };
  walk(plan, 0);
  return start;
}
