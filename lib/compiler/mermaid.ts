import type { WorkflowGraph } from '../semantics/graph';

/**
 * A Mermaid flowchart of a workflow, drawn like AWX's visualizer: edges labelled by kind and
 * coloured (success green, failure red, always blue), approvals as hexagons, nested workflows as
 * subroutines, convergence (ALL) nodes marked.
 */
const EDGE_STYLE = { success: '#2e7d32', failure: '#c62828', always: '#1565c0' } as const;

export function renderMermaid(graph: WorkflowGraph, title?: string): string {
  const lines: string[] = [];
  // A single-quoted YAML scalar: only a quote could end it, and quotes are doubled.
  if (title) lines.push('---', `title: '${mermaidText(title).replace(/'/g, "''")}'`, '---');
  lines.push('flowchart TD');
  for (const node of graph.nodes) {
    const template = node.template === null ? 'missing template' : mermaidText(node.template);
    const label = `${mermaidText(node.id)}${node.all ? ' (ALL)' : ''}<br/><small>${node.kind.replace('_', ' ')}: ${template}</small>`;
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

/** Mermaid's entity codes for the characters user text must not bring in literally. */
const ENTITY_CODES: Readonly<Record<string, string>> = {
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '"': '#quot;',
  '|': '#124;',
  '`': '#96;',
  '%': '#37;',
};

/**
 * User text (identifiers, template and workflow names) made inert in a Mermaid label: browsers
 * render labels as HTML, so no `<` or `&` may open a tag or an entity; `"` would end the label,
 * `#` start an entity code, `|` edge text, a backquote Markdown, `%%` a directive or comment, and a
 * line break a new statement. One pass, so the `#` of a code is never escaped again.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/[#&<>"|`%]/g, (character) => ENTITY_CODES[character])
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}
