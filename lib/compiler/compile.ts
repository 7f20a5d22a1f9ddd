import type { ApprovalTemplate, Bundle } from '../model/types';
import { UserError } from '../errors';
import { WorkflowGraph } from '../semantics/graph';
import { forEachState, type StateMachineDefinition } from './asl';
import { emitDefinition, type TaskBinding } from './emit';
import { workflowPlacements, type NodePlacement } from './placement';
import { planWorkflow, type Plan } from './plan';
import { definitionBytes, nodeCountViolation, projectedHistoryEvents, quotaViolation } from './quotas';
import { structuralProblems } from './structure';
import { DEFAULT_HEARTBEAT_SECONDS, PLACEHOLDER_TARGET, type DeploymentTarget } from './target';

/** A workflow that cannot be compiled; the message says which quota or input and why. */
export class CompileError extends UserError {}

export interface CompileOptions {
  readonly target?: DeploymentTarget;
  readonly heartbeatSeconds?: number;
  /** For a resume: the workflow's kept nodes (docs/semantics.md §13.11). */
  readonly kept?: ReadonlySet<string>;
  /**
   * Parts of more nodes than this are planned without AWX's timing at ALL joins (planWorkflow's
   * `exactUpTo`). By default, the largest that fits the quotas.
   */
  readonly exactTimingUpTo?: number;
}

export interface CompileStats {
  readonly nodes: number;
  readonly states: number;
  readonly definitionBytes: number;
  readonly projectedHistoryEvents: number;
  readonly syncTasks: number;
  /** planWorkflow's `exactUpTo`: null when every part follows AWX's timing. */
  readonly exactTimingUpTo: number | null;
}

export interface CompiledWorkflow {
  readonly workflowName: string;
  readonly graph: WorkflowGraph;
  readonly plan: Plan;
  readonly definition: StateMachineDefinition;
  readonly tasks: Readonly<Record<string, TaskBinding>>;
  readonly keys: Readonly<Record<string, string>>;
  readonly stats: CompileStats;
}

export interface GraphInput {
  readonly workflowName: string;
  readonly graph: WorkflowGraph;
  readonly approvals?: ReadonlyMap<string, ApprovalTemplate>;
  readonly placements?: ReadonlyMap<string, NodePlacement>;
  /** A resume's kept nodes (lib/semantics/resume.ts): none for a launch. */
  readonly kept?: ReadonlySet<string>;
}

/**
 * Compiles with AWX's exact timing at ALL joins. A workflow whose exact plan is over a quota (size
 * or history) keeps that timing in the largest parts it can and delays it in larger ones: the same
 * outcomes, some nodes start later (docs/semantics.md §13.4).
 */
export function compileGraph(input: GraphInput, options: CompileOptions = {}): CompiledWorkflow {
  const tooMany = nodeCountViolation(input.workflowName, input.graph.nodes.length);
  if (tooMany) throw new CompileError(tooMany);
  const fitting = (exactUpTo: number) => {
    const compiled = compilePlan(input, options, exactUpTo);
    return quotaViolation(input.workflowName, compiled.stats) ? undefined : compiled;
  };
  const exact = compilePlan(input, options, options.exactTimingUpTo ?? Infinity);
  const violation = quotaViolation(input.workflowName, exact.stats);
  if (!violation) return exact;
  // Only lanes tell the plans apart, and lanes always hold a synchronisation (a lanes part has two
  // lanes or more, linked by an edge).
  let fits = options.exactTimingUpTo === undefined && exact.stats.syncTasks > 0 ? fitting(0) : undefined;
  if (!fits) throw new CompileError(violation);
  // Fewer parts planned exactly make a smaller definition: bisect for the largest that fits.
  let [low, high] = [0, input.graph.nodes.length];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const compiled = fitting(middle);
    if (compiled) [fits, low] = [compiled, middle];
    else high = middle;
  }
  return fits;
}

function compilePlan(input: GraphInput, options: CompileOptions, exactUpTo: number): CompiledWorkflow {
  const plan = planWorkflow(input.graph, { exactUpTo });
  const emitted = emitDefinition({
    workflowName: input.workflowName,
    graph: input.graph,
    plan,
    approvals: input.approvals ?? new Map(),
    placements: input.placements ?? new Map(),
    kept: input.kept ?? new Set(),
    target: options.target ?? PLACEHOLDER_TARGET,
    heartbeatSeconds: options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS,
  });
  const problems = structuralProblems(emitted.definition);
  if (problems.length > 0)
    throw new Error(`internal error: the compiler emitted broken ASL: ${problems.join('; ')}`);
  const stats: CompileStats = {
    nodes: input.graph.nodes.length,
    states: countStates(emitted.definition),
    definitionBytes: definitionBytes(emitted.definition),
    projectedHistoryEvents: projectedHistoryEvents(emitted.definition),
    syncTasks: Object.values(emitted.tasks).filter((t) => t.role === 'sync').length,
    exactTimingUpTo: exactUpTo >= input.graph.nodes.length ? null : exactUpTo,
  };
  return { workflowName: input.workflowName, graph: input.graph, plan, ...emitted, stats };
}

/** Compiles one workflow job template of a validated bundle. */
export function compileWorkflow(
  bundle: Bundle,
  name: string,
  options: CompileOptions = {},
): CompiledWorkflow {
  const workflow = bundle.workflow_job_templates.find((w) => w.name === name);
  if (!workflow) {
    const names = bundle.workflow_job_templates.map((w) => `'${w.name}'`).join(', ') || 'none';
    throw new CompileError(`no workflow job template named '${name}' (defined: ${names})`);
  }
  const approvals = new Map(
    workflow.workflow_nodes.flatMap((n) => (n.approval ? [[n.identifier, n.approval] as const] : [])),
  );
  return compileGraph(
    {
      workflowName: name,
      graph: WorkflowGraph.fromTemplate(workflow),
      approvals,
      placements: workflowPlacements(bundle, workflow.workflow_nodes),
      kept: options.kept,
    },
    options,
  );
}

function countStates(definition: StateMachineDefinition): number {
  let count = 0;
  forEachState(definition, () => count++);
  return count;
}
