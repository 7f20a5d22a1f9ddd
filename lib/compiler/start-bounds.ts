import type { WorkflowGraph } from '../semantics/graph';

/**
 * An ALL node with two parents or more: AWX skips it as soon as one parent does not fire its edge,
 * while the others may still run (docs/semantics.md §1.5), so it can be resolved before some of
 * its ancestors end.
 */
export function skippableEarly(graph: WorkflowGraph, id: string): boolean {
  return graph.node(id).all && new Set(graph.parents(id).map((edge) => edge.parent)).size > 1;
}

/**
 * For each node, the nodes that have always ended when it starts, whatever the outcomes
 * (docs/semantics.md §1.4-1.6). Without ALL joins that is every ancestor; an ALL join skipped
 * early can let a descendant start while one of its ancestors still runs, and the plan must not
 * make that descendant wait for the ancestor (lib/compiler/plan.ts).
 *
 * Two sets per node, as bit rows over positions in `graph.order`:
 * - *resolved after*: what has ended when the node is resolved (its job ended, or it is DNR).
 *   A node is resolved after all its parents, except one skipped early, which follows only the
 *   parent that did not fire: so only what every one of its parents follows.
 * - *started after*: what has ended when the node starts, when it runs. It starts once every
 *   parent is resolved, and after the parents that fired ran: for an ALL node all of them, for an
 *   ANY node one, so only what every one of them started after.
 */
export class StartBounds {
  private readonly words: number;
  private readonly resolvedAfter: Uint32Array;
  private readonly startedAfter: Uint32Array;

  constructor(graph: WorkflowGraph) {
    const ids = graph.order;
    const position = new Map(ids.map((id, i) => [id, i]));
    this.words = Math.ceil(ids.length / 32);
    this.resolvedAfter = new Uint32Array(ids.length * this.words);
    this.startedAfter = new Uint32Array(ids.length * this.words);
    ids.forEach((id, node) => {
      const parents = [...new Set(graph.parents(id).map((edge) => position.get(edge.parent)!))];
      if (parents.length === 0) return;
      const resolvedParents = parents.map((parent) => this.resolvedWith(parent));
      const afterEveryParent = union(resolvedParents);
      const started = this.row(this.startedAfter, node);
      or(started, afterEveryParent);
      const ranParents = parents.map((parent) => this.row(this.startedAfter, parent));
      or(started, graph.node(id).all ? union(ranParents) : intersection(ranParents));
      or(
        this.row(this.resolvedAfter, node),
        skippableEarly(graph, id) ? intersection(resolvedParents) : afterEveryParent,
      );
    });
  }

  /**
   * What all of a set of nodes start after, as they are added one by one (positions in
   * graph.order): a running intersection, so that testing every cut of a sequence costs one pass.
   */
  commonStart(): { add(node: number): void; covers(nodes: NodeSet): boolean } {
    const common = new NodeSet(this.words * 32);
    common.bits.fill(0xffffffff);
    return {
      add: (node) => and(common.bits, this.row(this.startedAfter, node)),
      covers: (nodes) => nodes.bits.every((word, w) => (word & ~common.bits[w]) === 0),
    };
  }

  /** The parent and what it is resolved after: what a child waiting for it follows. */
  private resolvedWith(parent: number): Uint32Array {
    const row = Uint32Array.from(this.row(this.resolvedAfter, parent));
    row[parent >>> 5] |= 1 << (parent & 31);
    return row;
  }

  private row(rows: Uint32Array, node: number): Uint32Array {
    return rows.subarray(node * this.words, (node + 1) * this.words);
  }
}

/** A set of nodes (positions in graph.order) as bits. */
export class NodeSet {
  readonly bits: Uint32Array;

  constructor(size: number) {
    this.bits = new Uint32Array(Math.ceil(size / 32));
  }

  add(node: number): void {
    this.bits[node >>> 5] |= 1 << (node & 31);
  }

  delete(node: number): void {
    this.bits[node >>> 5] &= ~(1 << (node & 31));
  }
}

function or(into: Uint32Array, from: Uint32Array): void {
  for (let w = 0; w < into.length; w++) into[w] |= from[w];
}

function union(rows: readonly Uint32Array[]): Uint32Array {
  const result = new Uint32Array(rows[0].length);
  for (const row of rows) or(result, row);
  return result;
}

function and(into: Uint32Array, from: Uint32Array): void {
  for (let w = 0; w < into.length; w++) into[w] &= from[w];
}

function intersection(rows: readonly Uint32Array[]): Uint32Array {
  const result = Uint32Array.from(rows[0]);
  for (const row of rows) and(result, row);
  return result;
}
