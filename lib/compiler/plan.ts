import type { WorkflowGraph } from '../semantics/graph';

/**
 * The execution plan of a workflow: how its nodes nest into sequences and parallel branches.
 *
 * A node may start only when all its parents are resolved (AWX-SEMANTICS §1.4). We decompose the
 * reachability order of the graph: a *parallel* split separates parts with no path between them;
 * a *series* split puts every node of the first part before every node of the second (each is an
 * ancestor of each), so waiting for the whole first part delays nothing. Series-parallel graphs
 * decompose completely and compile to plain Step Functions Parallel states. A part that splits
 * neither way (a "prime" part such as the N shape a→c, b→c, b→d) becomes `lanes`: chains run in
 * parallel, and a node whose parent sits in another lane waits for it through a synchronisation
 * task, so no node ever waits for anything but its own parents.
 */
export type Plan =
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'seq'; readonly items: readonly Plan[] }
  | { readonly kind: 'par'; readonly branches: readonly Plan[] }
  | { readonly kind: 'lanes'; readonly lanes: readonly (readonly string[])[] };

export function planWorkflow(graph: WorkflowGraph): Plan {
  if (graph.nodes.length === 0) return { kind: 'seq', items: [] };
  return decompose(graph, graph.order);
}

/** `part` is listed in topological order. */
function decompose(graph: WorkflowGraph, part: readonly string[]): Plan {
  if (part.length === 1) return { kind: 'node', id: part[0] };
  const components = connectedComponents(graph, part);
  if (components.length > 1) return { kind: 'par', branches: components.map((c) => decompose(graph, c)) };
  const factors = seriesFactors(graph, part);
  if (factors.length > 1) return { kind: 'seq', items: factors.map((f) => decompose(graph, f)) };
  return { kind: 'lanes', lanes: chainCover(graph, part) };
}

/** Weakly connected components of the part's induced subgraph, each in topological order. */
function connectedComponents(graph: WorkflowGraph, part: readonly string[]): string[][] {
  const inPart = new Set(part);
  const component = new Map<string, number>();
  let count = 0;
  for (const start of part) {
    if (component.has(start)) continue;
    const stack = [start];
    component.set(start, count);
    while (stack.length > 0) {
      const id = stack.pop()!;
      const neighbours = [
        ...graph.parents(id).map((e) => e.parent),
        ...graph.children(id).map((e) => e.child),
      ];
      for (const next of neighbours) {
        if (inPart.has(next) && !component.has(next)) {
          component.set(next, count);
          stack.push(next);
        }
      }
    }
    count++;
  }
  const components: string[][] = Array.from({ length: count }, () => []);
  for (const id of part) components[component.get(id)!].push(id);
  return components;
}

/**
 * Splits a connected part at every series cut: a prefix P of the topological order such that each
 * later node has every node of P as an ancestor. With ancestor bitsets, the intersection of the
 * ancestor sets of all later nodes is a subset of P, so the cut holds iff that intersection has |P|
 * members. Suffix intersections make all cuts one O(n²/32) pass.
 */
function seriesFactors(graph: WorkflowGraph, part: readonly string[]): string[][] {
  const n = part.length;
  const position = new Map(part.map((id, i) => [id, i]));
  const words = Math.ceil(n / 32);
  const ancestors = part.map(() => new Uint32Array(words));
  part.forEach((id, i) => {
    for (const edge of graph.parents(id)) {
      const p = position.get(edge.parent);
      if (p === undefined) continue;
      const set = ancestors[i];
      const parentSet = ancestors[p];
      for (let w = 0; w < words; w++) set[w] |= parentSet[w];
      set[p >>> 5] |= 1 << (p & 31);
    }
  });
  const cuts: number[] = [];
  const intersection = new Uint32Array(words).fill(0xffffffff);
  for (let k = n - 1; k >= 1; k--) {
    // intersection = ancestors of nodes at positions k..n-1; cut after position k-1 (prefix size k).
    const set = ancestors[k];
    let members = 0;
    for (let w = 0; w < words; w++) {
      intersection[w] &= set[w];
      members += popcount(intersection[w]);
    }
    if (members === k) cuts.push(k);
  }
  if (cuts.length === 0) return [part.slice()];
  cuts.reverse();
  const factors: string[][] = [];
  let start = 0;
  for (const cut of [...cuts, n]) {
    factors.push(part.slice(start, cut));
    start = cut;
  }
  return factors;
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Greedy chain cover in topological order: a node extends a lane whose last node is one of its
 * parents (the latest such lane, to keep lanes long), else opens a lane. Consecutive nodes of a
 * lane are parent and child, so running a lane in order adds no waiting AWX would not do.
 */
function chainCover(graph: WorkflowGraph, part: readonly string[]): string[][] {
  const lanes: string[][] = [];
  const laneOfTail = new Map<string, number>();
  for (const id of part) {
    const parentTails = graph
      .parents(id)
      .map((e) => laneOfTail.get(e.parent))
      .filter((lane): lane is number => lane !== undefined);
    if (parentTails.length > 0) {
      const lane = Math.max(...parentTails);
      laneOfTail.delete(lanes[lane][lanes[lane].length - 1]);
      lanes[lane].push(id);
      laneOfTail.set(id, lane);
    } else {
      lanes.push([id]);
      laneOfTail.set(id, lanes.length - 1);
    }
  }
  return lanes;
}
