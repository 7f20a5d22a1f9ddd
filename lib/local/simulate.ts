import type { CompiledWorkflow } from '../compiler/compile';
import { workflowCompiler } from './workflow-compiler';
import type { Bundle } from '../model/types';
import { UserError } from '../errors';
import { APPROVAL_DENIED_ERROR } from '../jobs/approvals';
import { LocalEngine, NodeFailure, type NodeContext, type NodeHandlers } from './engine';
import { RunRecorder, type ReportedNode, type RunReport } from './run-report';

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
/** A node's forced status, or one per attempt when it retries (docs/semantics.md §13.12). */
export type ForcedOutcome = ForcedStatus | readonly ForcedStatus[];

/** The status forced at `attempt` (1-based): a list gives one per attempt, its last repeating. */
export function forcedAt(outcome: ForcedOutcome | undefined, attempt: number): ForcedStatus | undefined {
  if (typeof outcome === 'string' || outcome === undefined) return outcome;
  return outcome[Math.min(attempt, outcome.length) - 1];
}

export type SimulatedNode = ReportedNode;
export type SimulationReport = RunReport;

export class SimulationInputError extends UserError {}

export async function simulate(
  bundle: Bundle,
  workflowName: string,
  forced: Readonly<Record<string, ForcedOutcome>> = {},
): Promise<SimulationReport> {
  const compile = workflowCompiler(bundle);
  const top = compile(workflowName);
  checkForcedNodes(bundle, top, forced);
  const recorder = new RunRecorder();
  const engine = new LocalEngine(compile, forcedOutcomeHandlers(forced), {
    observer: recorder,
    instantRetries: true,
  });
  const { workflowJob, status } = await engine.run({ workflowName });
  return recorder.report(workflowJob, status, top, compile);
}

/**
 * Handlers that end each node as forced: by `outer/inner` path first, then by identifier; default
 * successful. A node that retries is forced attempt by attempt.
 */
export function forcedOutcomeHandlers(forced: Readonly<Record<string, ForcedOutcome>>): NodeHandlers {
  const attempts = new Map<string, number>();
  return {
    run: async (context) => {
      const run = `${context.workflowJob}/${context.node}`;
      const attempt = (attempts.get(run) ?? 0) + 1;
      attempts.set(run, attempt);
      const outcome = forced[[...context.path, context.node].join('/')] ?? forced[context.node];
      return applyForced(context, forcedAt(outcome, attempt));
    },
  };
}

async function applyForced(context: NodeContext, status: ForcedStatus | undefined): Promise<void> {
  switch (status ?? 'successful') {
    case 'successful':
    case 'approved':
      return;
    case 'denied':
      throw new NodeFailure(`approval '${context.node}' was denied`, APPROVAL_DENIED_ERROR);
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
  forced: Readonly<Record<string, ForcedOutcome>>,
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
  for (const [id, outcome] of Object.entries(forced)) {
    if (!known.has(id))
      throw new SimulationInputError(
        `--outcome ${id}=${String(outcome)}: workflow '${top.workflowName}' has no node '${id}'`,
      );
    for (const status of [outcome].flat())
      if (!(FORCED_STATUSES as readonly string[]).includes(status)) {
        throw new SimulationInputError(
          `--outcome ${id}=${String(outcome)}: status must be one of ${FORCED_STATUSES.join(', ')}`,
        );
      }
  }
}
