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
 * Minimum path cover of the part: a maximum matching between parents and children (Kuhn's
 * augmenting paths) picks the edges that stay inside a lane; every other edge between lanes costs
 * a synchronisation. Consecutive nodes of a lane are parent and child, so running a lane in order
 * adds no waiting AWX would not do.
 */
function chainCover(graph: WorkflowGraph, part: readonly string[]): string[][] {
  const inPart = new Set(part);
  const childrenOf = (id: string) =>
    [...new Set(graph.children(id).map((e) => e.child))].filter((c) => inPart.has(c));
  const matchedParent = new Map<string, string>(); // child → parent in the same lane
  const matchedChild = new Map<string, string>(); // parent → child in the same lane
  for (const root of part) {
    // Iterative augmenting-path search from `root` (depth can reach the part's size).
    const visited = new Set<string>();
    const stack: { parent: string; children: string[]; next: number }[] = [
      { parent: root, children: childrenOf(root), next: 0 },
    ];
    const path: { parent: string; child: string }[] = [];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next >= frame.children.length) {
        stack.pop();
        path.pop();
        continue;
      }
      const child = frame.children[frame.next++];
      if (visited.has(child)) continue;
      visited.add(child);
      path.push({ parent: frame.parent, child });
      const holder = matchedParent.get(child);
      if (holder === undefined) {
        for (const step of path) {
          matchedParent.set(step.child, step.parent);
          matchedChild.set(step.parent, step.child);
        }
        break;
      }
      stack.push({ parent: holder, children: childrenOf(holder), next: 0 });
    }
  }
  const lanes: string[][] = [];
  for (const start of part) {
    if (matchedParent.has(start)) continue;
    const lane = [start];
    for (let next = matchedChild.get(start); next !== undefined; next = matchedChild.get(next))
      lane.push(next);
    lanes.push(lane);
  }
  return lanes;
}
