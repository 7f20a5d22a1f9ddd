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
  for (const start of graph.nodes) {
    if (state.has(start)) continue;
    // Depth-first with a stack of its own: recursion overflows on a chain of a few thousand nodes.
    const path = [start];
    const children = [graph.children(start)];
    const nextChild = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const top = path.length - 1;
      if (nextChild[top] < children[top].length) {
        const child = children[top][nextChild[top]++];
        if (state.get(child) === 'open') return [...path.slice(path.indexOf(child)), child];
        if (!state.has(child)) {
          state.set(child, 'open');
          path.push(child);
          children.push(graph.children(child));
          nextChild.push(0);
        }
      } else {
        state.set(path.pop()!, 'done');
        children.pop();
        nextChild.pop();
      }
    }
  }
  return undefined;
}
