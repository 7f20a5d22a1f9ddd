import type { Vars, WorkflowJobTemplate, WorkflowNode } from '../model/types';
import { WorkflowGraph } from '../semantics/graph';
import { ancestorArtifacts } from '../semantics/variables';
import type { NodeJobRecord } from '../store/records';

/**
 * docs/semantics.md §4.3, computed when a node is spawned: in node order, each parent's inherited
 * then own artifacts (DNR parents have no job record and give nothing).
 */
export function inheritedArtifacts(
  workflow: WorkflowJobTemplate,
  node: WorkflowNode,
  siblings: readonly NodeJobRecord[],
): Vars {
  const graph = WorkflowGraph.fromTemplate(workflow);
  const byNode = new Map(siblings.map((record) => [record.node, record]));
  return ancestorArtifacts(graph, node.identifier, {
    ownArtifacts: (id) => byNode.get(id)?.artifacts ?? {},
    ancestorArtifacts: (id) => byNode.get(id)?.ancestor_artifacts ?? {},
    isDnr: (id) => !byNode.has(id),
  });
}
