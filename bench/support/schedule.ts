import { skippableEarly, type Plan } from '../../lib/compiler/plan';
import type { WorkflowGraph } from '../../lib/semantics/graph';

/**
 * When each node would start under the compiled structure: sequences run in order, Parallel
 * branches start together and join when all end, lanes run their chains and wait at sync points
 * for the parents in other lanes (an ALL node heading its lane until one parent did not fire its
 * edge). Nodes that do not run take no time; the bench's jobs all succeed. Returns the makespan.
 */
export function compiledMakespan(
  plan: Plan,
  graph: WorkflowGraph,
  duration: (id: string) => number,
  ran: ReadonlySet<string>,
): number {
  const end = new Map<string, number>();
  const length = (id: string) => (ran.has(id) ? duration(id) : 0);
  const walk = (step: Plan, start: number): number => {
    switch (step.kind) {
      case 'node':
        end.set(step.id, start + length(step.id));
        return end.get(step.id)!;
      case 'seq':
        return step.items.reduce((time, item) => walk(item, time), start);
      case 'par':
        return Math.max(start, ...step.branches.map((branch) => walk(branch, start)));
      case 'lanes': {
        const laneTime = step.lanes.map(() => start);
        const laneOf = new Map(step.lanes.flatMap((lane, i) => lane.map((id) => [id, i] as const)));
        for (const id of graph.order.filter((n) => laneOf.has(n))) {
          const lane = laneOf.get(id)!;
          const crossParents = graph
            .parents(id)
            .map((e) => e.parent)
            .filter((p) => laneOf.has(p) && laneOf.get(p) !== lane);
          const waited = Math.max(...crossParents.map((p) => end.get(p)!));
          // An ALL node heading its lane goes on once one parent did not fire (skippableEarly).
          const missed = graph
            .parents(id)
            .filter((e) => !ran.has(e.parent) || e.kind === 'failure')
            .map((e) => end.get(e.parent) ?? start);
          const released = skippableEarly(graph, id) ? Math.min(waited, ...missed) : waited;
          const begin = Math.max(laneTime[lane], released);
          end.set(id, begin + length(id));
          laneTime[lane] = end.get(id)!;
        }
        return Math.max(start, ...laneTime);
      }
    }
  };
  return walk(plan, 0);
}
