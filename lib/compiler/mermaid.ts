import type { WorkflowGraph } from '../semantics/graph';

/**
 * A Mermaid flowchart of a workflow, drawn like AWX's visualizer: edges labelled by kind and
 * coloured (success green, failure red, always blue), approvals as hexagons, nested workflows as
 * subroutines, convergence (ALL) nodes marked.
 */
const EDGE_STYLE = { success: '#2e7d32', failure: '#c62828', always: '#1565c0' } as const;

export function renderMermaid(graph: WorkflowGraph, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push('---', `title: ${title.replace(/\n/g, ' ')}`, '---');
  lines.push('flowchart TD');
  for (const node of graph.nodes) {
    const template = node.template === null ? 'missing template' : node.template;
    const label = escape(
      `${node.id}${node.all ? ' (ALL)' : ''}<br/><small>${node.kind.replace('_', ' ')}: ${template}</small>`,
    );
    const shape =
      node.kind === 'approval'
        ? `{{"${label}"}}`
        : node.kind === 'workflow'
          ? `[["${label}"]]`
          : `["${label}"]`;
    lines.push(`  n${node.index}${shape}`);
  }
  graph.edges.forEach((edge, i) => {
    lines.push(`  n${graph.node(edge.parent).index} -->|${edge.kind}| n${graph.node(edge.child).index}`);
    lines.push(`  linkStyle ${i} stroke:${EDGE_STYLE[edge.kind]}`);
  });
  return `${lines.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
