import { compileWorkflow, type CompiledWorkflow } from '../compiler/compile';
import type { Bundle } from '../model/types';
import {
  LocalEngine,
  NodeFailure,
  type ExecutionStatus,
  type NodeContext,
  type NodeEvent,
  type NodeHandlers,
} from './engine';

/**
 * `towerless simulate`: the compiled state machine on the local interpreter, with every node's
 * outcome forced instead of run. Approvals count as approved unless told otherwise.
 */
export const FORCED_STATUSES = [
  'successful',
  'failed',
  'error',
  'canceled',
  'approved',
  'denied',
  'timed_out',
] as const;
export type ForcedStatus = (typeof FORCED_STATUSES)[number];

export interface SimulatedNode {
  /** Node identifier; nodes of nested workflows are `outer/inner`. */
  readonly id: string;
  readonly status: 'successful' | 'failed' | 'dnr';
  /** Start order, 1-based (null when the node did not run). */
  readonly started: number | null;
  readonly explanation?: string;
}

export interface SimulationReport {
  readonly id: string;
  readonly workflow: string;
  readonly status: ExecutionStatus;
  readonly nodes: readonly SimulatedNode[];
}

export class SimulationInputError extends Error {}

/** Compiles each workflow once per simulation (nested workflows included). */
export function workflowCompiler(bundle: Bundle): (name: string) => CompiledWorkflow {
  const cache = new Map<string, CompiledWorkflow>();
  return (name) => {
    let compiled = cache.get(name);
    if (!compiled) {
      compiled = compileWorkflow(bundle, name);
      cache.set(name, compiled);
    }
    return compiled;
  };
}

export async function simulate(
  bundle: Bundle,
  workflowName: string,
  forced: Readonly<Record<string, ForcedStatus>> = {},
): Promise<SimulationReport> {
  const compile = workflowCompiler(bundle);
  const top = compile(workflowName);
  checkForcedNodes(bundle, top, forced);
  const runs = new Map<string, { order: number; status?: 'successful' | 'failed'; explanation?: string }>();
  const nested = new Map<string, string>(); // nested node path → the workflow it ran
  let order = 0;
  const pathId = (event: Pick<NodeEvent, 'path' | 'node'>) => [...event.path, event.node].join('/');
  const engine = new LocalEngine(compile, forcedOutcomeHandlers(forced), {
    observer: {
      executionStarted: (execution) => {
        if (execution.path.length > 0) nested.set(execution.path.join('/'), execution.workflowName);
      },
      nodeStarted: (event) => {
        runs.set(pathId(event), { order: ++order });
      },
      nodeFinished: (event) => {
        const run = runs.get(pathId(event))!;
        run.status = event.status;
        if (event.explanation) run.explanation = event.explanation;
      },
    },
  });
  const { workflowJob, status } = await engine.run({ workflowName });
  const nodes: SimulatedNode[] = [];
  const report = (compiled: CompiledWorkflow, prefix: string) => {
    for (const node of compiled.graph.nodes) {
      const id = prefix ? `${prefix}/${node.id}` : node.id;
      const run = runs.get(id);
      nodes.push({
        id,
        status: run?.status ?? 'dnr',
        started: run?.order ?? null,
        ...(run?.explanation ? { explanation: run.explanation } : {}),
      });
      const inner = nested.get(id);
      if (inner) report(compile(inner), id);
    }
  };
  report(top, '');
  nodes.sort((a, b) => (a.started ?? Infinity) - (b.started ?? Infinity));
  return { id: workflowJob, workflow: workflowName, status, nodes };
}

/** Handlers that end each node as forced: by `outer/inner` path first, then by identifier; default successful. */
export function forcedOutcomeHandlers(forced: Readonly<Record<string, ForcedStatus>>): NodeHandlers {
  return {
    run: async (context) =>
      applyForced(context, forced[[...context.path, context.node].join('/')] ?? forced[context.node]),
  };
}

async function applyForced(context: NodeContext, status: ForcedStatus | undefined): Promise<void> {
  switch (status ?? 'successful') {
    case 'successful':
    case 'approved':
      return;
    case 'denied':
      throw new NodeFailure(`approval '${context.node}' was denied`, 'ApprovalDenied');
    case 'timed_out':
      throw new NodeFailure(`approval '${context.node}' timed out`, 'States.Timeout');
    case 'error':
      throw new NodeFailure(`job '${context.node}' ended in error`, 'NodeError');
    case 'canceled':
      throw new NodeFailure(`job '${context.node}' was canceled`, 'NodeCanceled');
    default:
      throw new NodeFailure(`job '${context.node}' failed`);
  }
}

/** Every forced id must name a node (top level, or `outer/inner` inside nested workflows). */
function checkForcedNodes(
  bundle: Bundle,
  top: CompiledWorkflow,
  forced: Readonly<Record<string, ForcedStatus>>,
): void {
  const known = new Set<string>();
  const visit = (workflowName: string, prefix: string, depth: number) => {
    const workflow = bundle.workflow_job_templates.find((w) => w.name === workflowName);
    for (const node of workflow?.workflow_nodes ?? []) {
      const id = prefix ? `${prefix}/${node.identifier}` : node.identifier;
      known.add(id);
      known.add(node.identifier);
      if (node.unified_job_template?.type === 'workflow_job_template' && depth < 8)
        visit(node.unified_job_template.name, id, depth + 1);
    }
  };
  visit(top.workflowName, '', 0);
  for (const [id, status] of Object.entries(forced)) {
    if (!known.has(id))
      throw new SimulationInputError(
        `--outcome ${id}=${status}: workflow '${top.workflowName}' has no node '${id}'`,
      );
    if (!(FORCED_STATUSES as readonly string[]).includes(status)) {
      throw new SimulationInputError(
        `--outcome ${id}=${status}: status must be one of ${FORCED_STATUSES.join(', ')}`,
      );
    }
  }
}
