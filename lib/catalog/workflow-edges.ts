import { InvalidError } from '../errors';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';

export const EDGE_RELATIONS = ['success_nodes', 'failure_nodes', 'always_nodes'] as const;

/**
 * AWX's rules for an edge between two nodes (docs/semantics.md §1.1): both in the same workflow,
 * one kind of edge per pair, and no cycle (a self-edge is one).
 */
export async function checkEdge(
  definitions: DefinitionCatalog,
  parent: DefinitionRecord,
  relation: string,
  childId: number,
): Promise<void> {
  if (!(EDGE_RELATIONS as readonly string[]).includes(relation)) return;
  const refuse = (message: string) => {
    throw new InvalidError(message, { Error: message });
  };
  const child = await definitions.store.get<DefinitionRecord>('workflow_job_template_node', childId);
  if (child.workflow_job_template !== parent.workflow_job_template) refuse('Relationship not allowed.');
  if (child.id === parent.id) refuse('Cycle detected.');
  for (const other of EDGE_RELATIONS) {
    if (other !== relation && edgesOf(parent, other).includes(childId)) refuse('Relationship not allowed.');
  }
  const nodes = (await definitions.store.list<DefinitionRecord>('workflow_job_template_node')).filter(
    (node) => node.workflow_job_template === parent.workflow_job_template,
  );
  if (reaches(nodes, childId, parent.id)) refuse('Cycle detected.');
}

function edgesOf(node: DefinitionRecord, relation: string): number[] {
  return (node[relation] as number[] | undefined) ?? [];
}

/** Whether `to` is reachable from `from` along any edge. */
function reaches(nodes: readonly DefinitionRecord[], from: number, to: number): boolean {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = byId.get(id);
    if (node) for (const relation of EDGE_RELATIONS) stack.push(...edgesOf(node, relation));
  }
  return false;
}
