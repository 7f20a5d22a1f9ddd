import type { CompiledWorkflow } from '../compiler/compile';
import type { EngineObserver, ExecutionStatus, NodeEvent } from './engine';

/** One node of a run report: `outer/inner` ids for nodes of nested workflows. */
export interface ReportedNode {
  readonly id: string;
  /** `kept`: a resume's node that succeeded before and did not run again (docs/semantics.md §13.11). */
  readonly status: 'successful' | 'failed' | 'kept' | 'dnr';
  /** Start order, 1-based (null when the node did not run). */
  readonly started: number | null;
  readonly explanation?: string;
}

/** The `--json` shape of `simulate` and `run` (docs/architecture.md §6). */
export interface RunReport {
  /** The workflow job's id. */
  readonly id: number;
  readonly workflow: string;
  readonly status: ExecutionStatus;
  readonly nodes: readonly ReportedNode[];
}

export function pathId(event: Pick<NodeEvent, 'path' | 'node'>): string {
  return [...event.path, event.node].join('/');
}

/**
 * Watches an engine run (as its observer) and reports every node in start order, nodes of nested
 * workflows included, the ones that never ran as DNR.
 */
export class RunRecorder implements EngineObserver {
  private readonly runs = new Map<
    string,
    { order?: number; status?: 'successful' | 'failed' | 'kept'; explanation?: string }
  >();
  private readonly nested = new Map<string, string>();
  private order = 0;

  executionStarted(execution: { readonly workflowName: string; readonly path: readonly string[] }): void {
    if (execution.path.length > 0) this.nested.set(execution.path.join('/'), execution.workflowName);
  }

  nodeStarted(event: NodeEvent): void {
    this.runs.set(pathId(event), { order: ++this.order });
  }

  nodeKept(event: NodeEvent): void {
    this.runs.set(pathId(event), { status: 'kept' });
  }

  nodeFinished(
    event: NodeEvent & { readonly status: 'successful' | 'failed'; readonly explanation?: string },
  ): void {
    const run = this.runs.get(pathId(event))!;
    run.status = event.status;
    if (event.explanation) run.explanation = event.explanation;
  }

  report(
    id: number,
    status: ExecutionStatus,
    top: CompiledWorkflow,
    compile: (name: string) => CompiledWorkflow,
  ): RunReport {
    const nodes: ReportedNode[] = [];
    const visit = (compiled: CompiledWorkflow, prefix: string) => {
      for (const node of compiled.graph.nodes) {
        const path = prefix ? `${prefix}/${node.id}` : node.id;
        const run = this.runs.get(path);
        nodes.push({
          id: path,
          status: run?.status ?? 'dnr',
          started: run?.order ?? null,
          ...(run?.explanation ? { explanation: run.explanation } : {}),
        });
        const inner = this.nested.get(path);
        if (inner) visit(compile(inner), path);
      }
    };
    visit(top, '');
    // Kept nodes first (they succeeded before this job), then in start order, DNR last.
    const rank = (node: ReportedNode) => (node.status === 'kept' ? 0 : (node.started ?? Infinity));
    nodes.sort((a, b) => rank(a) - rank(b));
    return { id, workflow: top.workflowName, status, nodes };
  }
}
