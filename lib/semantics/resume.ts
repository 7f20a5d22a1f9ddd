import type { WorkflowGraph } from './graph';

/**
 * The nodes a resume keeps (docs/semantics.md §13.11): those that succeeded in the job it
 * continues, except the nodes named by `--from` and everything below them, which run again.
 */
export function keptNodes(
  graph: WorkflowGraph,
  succeeded: Iterable<string>,
  from: readonly string[] = [],
): Set<string> {
  const again = new Set<string>();
  const visit = (id: string) => {
    if (again.has(id)) return;
    again.add(id);
    for (const edge of graph.children(id)) visit(edge.child);
  };
  for (const id of from) visit(graph.node(id).id);
  return new Set([...succeeded].filter((id) => !again.has(id)));
}
