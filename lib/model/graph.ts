/** Small graph helpers shared by validation and the evaluator: Kahn order and cycle reporting. */

export interface Digraph {
  readonly nodes: readonly string[];
  readonly children: (node: string) => readonly string[];
}

/** Kahn's algorithm, stable in declaration order. Returns the order, or undefined if there is a cycle. */
export function topologicalOrder(graph: Digraph): string[] | undefined {
  const indegree = new Map(graph.nodes.map((n) => [n, 0]));
  for (const node of graph.nodes)
    for (const child of graph.children(node)) indegree.set(child, (indegree.get(child) ?? 0) + 1);
  const ready = graph.nodes.filter((n) => indegree.get(n) === 0);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const node = ready[i];
    order.push(node);
    for (const child of graph.children(node)) {
      const remaining = (indegree.get(child) ?? 0) - 1;
      indegree.set(child, remaining);
      if (remaining === 0) ready.push(child);
    }
  }
  return order.length === graph.nodes.length ? order : undefined;
}

/** One cycle as a closed path `[a, b, ..., a]`, or undefined if the graph is acyclic. */
export function findCycle(graph: Digraph): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const child of graph.children(node)) {
      if (state.get(child) === 'open') return [...path.slice(path.indexOf(child)), child];
      if (!state.has(child)) {
        const cycle = visit(child);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.nodes) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
