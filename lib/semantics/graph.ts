import { topologicalOrder } from '../model/graph';
import type { EdgeKind, WorkflowJobTemplate, WorkflowNode } from '../model/types';
import { canRetry, type RetryPolicy } from './retries';

/** What a node runs, as far as routing and compilation care. */
export type NodeKind = 'job' | 'workflow' | 'approval' | 'project_sync' | 'inventory_sync' | 'missing';

export interface Edge {
  readonly parent: string;
  readonly child: string;
  readonly kind: EdgeKind;
}

export interface GraphNode {
  readonly id: string;
  /** Declaration order: AWX node ids grow in creation order, and artifact merges follow them. */
  readonly index: number;
  readonly kind: NodeKind;
  /** `all_parents_must_converge`. */
  readonly all: boolean;
  /** Name of what the node runs (template, nested workflow or approval); null for a missing template. */
  readonly template: string | null;
  /** Its job's retries (lib/semantics/retries.ts); null when it has none, or runs no job that may. */
  readonly retry: RetryPolicy | null;
}

/** A node as the graph needs it; `WorkflowGraph.fromTemplate` derives these from a definition. */
export interface GraphNodeSpec {
  readonly id: string;
  readonly kind: NodeKind;
  readonly all?: boolean;
  readonly template?: string | null;
  readonly success?: readonly string[];
  readonly failure?: readonly string[];
  readonly always?: readonly string[];
  readonly retry?: RetryPolicy | null;
}

/** The node kind of each kind of template a node runs. */
export const KIND_OF_TEMPLATE: Record<string, NodeKind> = {
  job_template: 'job',
  workflow_job_template: 'workflow',
  workflow_approval: 'approval',
  project: 'project_sync',
  inventory_source: 'inventory_sync',
};

/**
 * A workflow's node graph: the only input the evaluator and the compiler need. Construction
 * assumes a validated definition (known identifiers, acyclic); it throws otherwise.
 */
export class WorkflowGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly Edge[];
  /** Node ids in a topological order that is stable in declaration order. */
  readonly order: readonly string[];
  private readonly byId: ReadonlyMap<string, GraphNode>;
  private readonly parentEdges: ReadonlyMap<string, readonly Edge[]>;
  private readonly childEdges: ReadonlyMap<string, readonly Edge[]>;

  constructor(specs: readonly GraphNodeSpec[]) {
    this.nodes = specs.map((spec, index) => ({
      id: spec.id,
      index,
      kind: spec.kind,
      all: spec.all ?? false,
      template: spec.template === undefined ? spec.id : spec.template,
      // Only a job's own failure retries (lib/semantics/retries.ts): other kinds never do.
      retry: spec.retry && spec.retry.maxRetries > 0 && canRetry(spec.kind) ? spec.retry : null,
    }));
    this.byId = new Map(this.nodes.map((n) => [n.id, n]));
    const edges: Edge[] = [];
    for (const spec of specs) {
      const add = (children: readonly string[] | undefined, kind: EdgeKind) => {
        for (const child of children ?? []) {
          if (!this.byId.has(child)) throw new Error(`node '${spec.id}' links to unknown node '${child}'`);
          edges.push({ parent: spec.id, child, kind });
        }
      };
      add(spec.success, 'success');
      add(spec.failure, 'failure');
      add(spec.always, 'always');
    }
    this.edges = edges;
    const groupBy = (endpoint: (edge: Edge) => string) => {
      const map = new Map<string, Edge[]>(this.nodes.map((n) => [n.id, []]));
      for (const edge of edges) map.get(endpoint(edge))!.push(edge);
      return map;
    };
    this.parentEdges = groupBy((edge) => edge.child);
    this.childEdges = groupBy((edge) => edge.parent);
    const order = topologicalOrder({
      nodes: this.nodes.map((n) => n.id),
      children: (id) => this.children(id).map((e) => e.child),
    });
    if (!order) throw new Error('workflow graph has a cycle');
    this.order = order;
  }

  static fromTemplate(workflow: WorkflowJobTemplate): WorkflowGraph {
    return new WorkflowGraph(workflow.workflow_nodes.map(specOf));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  node(id: string): GraphNode {
    const node = this.byId.get(id);
    if (!node) throw new Error(`unknown node '${id}'`);
    return node;
  }

  /** Incoming edges, in parent declaration order. */
  parents(id: string): readonly Edge[] {
    return this.parentEdges.get(id) ?? [];
  }

  children(id: string): readonly Edge[] {
    return this.childEdges.get(id) ?? [];
  }

  isRoot(id: string): boolean {
    return this.parents(id).length === 0;
  }

  /** A failed node with none of these does not fail the workflow (docs/semantics.md §2.1). */
  hasFailureHandler(id: string): boolean {
    return this.children(id).some((e) => e.kind === 'failure' || e.kind === 'always');
  }
}

/** What a node runs, from its template (an approval's is `workflow_approval`; none: missing). */
export function nodeKindOf(template: WorkflowNode['unified_job_template']): NodeKind {
  return template ? KIND_OF_TEMPLATE[template.type] : 'missing';
}

function specOf(node: WorkflowNode): GraphNodeSpec {
  const template = node.unified_job_template;
  return {
    id: node.identifier,
    kind: nodeKindOf(template),
    all: node.all_parents_must_converge,
    template: template?.name ?? null,
    success: node.success_nodes,
    failure: node.failure_nodes,
    always: node.always_nodes,
    retry: {
      maxRetries: node.max_retries,
      delaySeconds: node.retry_delay,
      backoffRate: node.retry_backoff_rate,
    },
  };
}
