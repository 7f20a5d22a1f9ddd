import type { WorkflowGraph } from '../semantics/graph';
import { NodeSet, skippableEarly, StartBounds } from './start-bounds';

/**
 * The execution plan of a workflow: how its nodes nest into sequences and parallel branches.
 *
 * A node may start only when all its parents are resolved (docs/semantics.md §1.4). We decompose the
 * reachability order of the graph: a *parallel* split separates parts with no path between them;
 * a *series* split puts every node of the first part before every node of the second (each is an
 * ancestor of each). It is taken only where waiting for the whole first part delays nothing: where
 * every node of the second always starts after every node of the first has ended (StartBounds),
 * which an ALL join skipped early can prevent. Series-parallel graphs without such joins decompose
 * completely and compile to plain Step Functions Parallel states. A part that splits neither way
 * (a "prime" part such as the N shape a→c, b→c, b→d, or a sequence a skipped join would let start
 * early) becomes `lanes`: chains run in parallel, and a node whose parent sits in another lane
 * waits for it through a synchronisation task, so no node ever waits for anything but its own
 * parents.
 */
export type Plan =
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'seq'; readonly items: readonly Plan[] }
  | { readonly kind: 'par'; readonly branches: readonly Plan[] }
  | { readonly kind: 'lanes'; readonly lanes: readonly (readonly string[])[] };

/**
 * How far the plan follows AWX's timing at ALL joins skipped early: it joins at most `exactUpTo`
 * nodes of a sequence into one part run as lanes for it. Beyond, it takes a series split although
 * a node such a join would let start early then waits for the whole sequence before it: the same
 * outcomes, fewer synchronisations. Infinity (the default): AWX's timing everywhere.
 */
export interface PlanOptions {
  readonly exactUpTo?: number;
}

export function planWorkflow(graph: WorkflowGraph, { exactUpTo = Infinity }: PlanOptions = {}): Plan {
  if (graph.nodes.length === 0) return { kind: 'seq', items: [] };
  const bounds = exactUpTo > 1 ? new StartBounds(graph) : undefined;
  return new Decomposer(graph, bounds, exactUpTo).decompose(Array.from(graph.order, (_, i) => i));
}

/**
 * Works on node numbers in topological order (a part is an ascending list of them), with adjacency
 * lists and one shared position array: the decomposition revisits large parts once per nesting
 * level, so every level must be cheap.
 */
class Decomposer {
  private readonly ids: readonly string[];
  private readonly parents: number[][];
  private readonly children: number[][];
  /** Nodes that head a lane (skippableEarly). */
  private readonly heads: boolean[];
  /** What each node always starts after; without it, every series split is taken. */
  private readonly bounds: StartBounds | undefined;
  /** Position of each node in the part being examined, -1 outside it. */
  private readonly position: Int32Array;

  constructor(
    graph: WorkflowGraph,
    bounds: StartBounds | undefined,
    private readonly exactUpTo: number,
  ) {
    this.ids = graph.order;
    const number = new Map(this.ids.map((id, i) => [id, i]));
    const linked = (ends: (id: string) => string[]) =>
      this.ids.map((id) => [...new Set(ends(id).map((end) => number.get(end)!))]);
    this.parents = linked((id) => graph.parents(id).map((e) => e.parent));
    this.children = linked((id) => graph.children(id).map((e) => e.child));
    this.heads = this.ids.map((id) => skippableEarly(graph, id));
    this.bounds = bounds;
    this.position = new Int32Array(this.ids.length).fill(-1);
  }

  decompose(part: number[]): Plan {
    if (part.length === 1) return { kind: 'node', id: this.ids[part[0]] };
    const components = this.within(part, () => this.connectedComponents(part));
    if (components.length > 1) return { kind: 'par', branches: components.map((c) => this.decompose(c)) };
    const factors = this.within(part, () => this.seriesFactors(part));
    if (factors.length > 1) return { kind: 'seq', items: factors.map((f) => this.decompose(f)) };
    return {
      kind: 'lanes',
      lanes: this.within(part, () => this.chainCover(part)).map((lane) => lane.map((n) => this.ids[n])),
    };
  }

  private within<T>(part: number[], examine: () => T): T {
    part.forEach((node, i) => (this.position[node] = i));
    try {
      return examine();
    } finally {
      for (const node of part) this.position[node] = -1;
    }
  }

  /** Weakly connected components of the part (union-find), each in topological order. */
  private connectedComponents(part: number[]): number[][] {
    const root = Int32Array.from(part, (_, i) => i);
    const find = (i: number): number => {
      while (root[i] !== i) {
        root[i] = root[root[i]];
        i = root[i];
      }
      return i;
    };
    part.forEach((node, i) => {
      for (const child of this.children[node]) {
        const j = this.position[child];
        if (j >= 0) root[find(i)] = find(j);
      }
    });
    const components = new Map<number, number[]>();
    part.forEach((node, i) => {
      const key = find(i);
      const component = components.get(key);
      if (component) component.push(node);
      else components.set(key, [node]);
    });
    return [...components.values()];
  }

  /**
   * Splits a connected part at its series cuts (factorsAt picks which): a prefix P of the
   * topological order such that each later node has every node of P as an ancestor. The cut delays
   * nothing when each later node also always starts after every node of P ended. With ancestor
   * bitsets, the intersection of the ancestor sets of all later nodes is a subset of P, so the cut
   * holds iff that intersection has |P| members; likewise P must be in the intersection of what
   * they start after. Suffix intersections find all cuts in one pass of O(n²/32), in the part's
   * size for ancestors and the graph's for start bounds.
   */
  private seriesFactors(part: number[]): number[][] {
    const n = part.length;
    const words = Math.ceil(n / 32);
    const ancestors = new Uint32Array(n * words);
    part.forEach((node, i) => {
      for (const parent of this.parents[node]) {
        const p = this.position[parent];
        if (p < 0) continue;
        for (let w = 0; w < words; w++) ancestors[i * words + w] |= ancestors[p * words + w];
        ancestors[i * words + (p >>> 5)] |= 1 << (p & 31);
      }
    });
    const cuts: { readonly at: number; readonly delaysNothing: boolean }[] = [];
    const intersection = new Uint32Array(words).fill(0xffffffff);
    const laterStart = this.bounds?.commonStart();
    const earlier = new NodeSet(this.ids.length);
    for (const node of part) earlier.add(node);
    for (let k = n - 1; k >= 1; k--) {
      // intersection = ancestors of the nodes at positions k..n-1; a cut after the prefix of size k.
      let members = 0;
      for (let w = 0; w < words; w++) {
        intersection[w] &= ancestors[k * words + w];
        members += popcount(intersection[w]);
      }
      laterStart?.add(part[k]);
      earlier.delete(part[k]);
      if (members === k) cuts.push({ at: k, delaysNothing: !laterStart || laterStart.covers(earlier) });
    }
    return this.factorsAt(part, cuts.reverse());
  }

  /**
   * The factors between the cuts taken: every cut that delays nothing, and the others where
   * leaving them out would join more than exactUpTo nodes into one part (which runs as lanes).
   */
  private factorsAt(part: number[], cuts: readonly { at: number; delaysNothing: boolean }[]): number[][] {
    const bounds = [0];
    cuts.forEach((cut, i) => {
      const joinedEnd = cuts[i + 1]?.at ?? part.length;
      if (cut.delaysNothing || joinedEnd - bounds[bounds.length - 1] > this.exactUpTo) bounds.push(cut.at);
    });
    bounds.push(part.length);
    return bounds.slice(1).map((end, i) => part.slice(bounds[i], end));
  }

  /**
   * Minimum path cover of the part: a maximum matching between parents and children (Kuhn's
   * augmenting paths) picks the edges that stay inside a lane; every other edge between lanes
   * costs a synchronisation. Consecutive nodes of a lane are parent and child, so running a lane
   * in order adds no waiting AWX would not do.
   */
  private chainCover(part: number[]): number[][] {
    const n = part.length;
    // A node that heads a lane is no one's lane child.
    const childrenOf = (i: number) =>
      this.children[part[i]].map((c) => this.position[c]).filter((j) => j >= 0 && !this.heads[part[j]]);
    const laneParent = new Int32Array(n).fill(-1); // position → the position before it in its lane
    const laneChild = new Int32Array(n).fill(-1);
    for (let start = 0; start < n; start++) {
      // Iterative augmenting-path search (its depth can reach the part's size).
      const visited = new Uint8Array(n);
      const stack = [{ parent: start, children: childrenOf(start), next: 0 }];
      const path: [number, number][] = [];
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        if (frame.next >= frame.children.length) {
          stack.pop();
          path.pop();
          continue;
        }
        const child = frame.children[frame.next++];
        if (visited[child]) continue;
        visited[child] = 1;
        path.push([frame.parent, child]);
        const holder = laneParent[child];
        if (holder < 0) {
          for (const [parent, matched] of path) {
            laneParent[matched] = parent;
            laneChild[parent] = matched;
          }
          break;
        }
        stack.push({ parent: holder, children: childrenOf(holder), next: 0 });
      }
    }
    const lanes: number[][] = [];
    for (let start = 0; start < n; start++) {
      if (laneParent[start] >= 0) continue;
      const lane = [part[start]];
      for (let next = laneChild[start]; next >= 0; next = laneChild[next]) lane.push(part[next]);
      lanes.push(lane);
    }
    return lanes;
  }
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
