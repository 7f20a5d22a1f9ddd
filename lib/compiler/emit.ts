import type { ApprovalTemplate, EdgeKind } from '../model/types';
import { fires } from '../semantics/evaluator';
import type { Edge, GraphNode, NodeKind, WorkflowGraph } from '../semantics/graph';
import { RETRIED_NODE_ERRORS } from '../runner/failure';
import {
  allOf,
  anyOf,
  ECS_RUN_TASK,
  isPresent,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT,
  INFRASTRUCTURE_RETRY,
  LAUNCH_RETRY,
  START_EXECUTION_SYNC,
  type Condition,
  type State,
  type StateMachineDefinition,
} from './asl';
import type { Plan } from './plan';
import { skippableEarly } from './start-bounds';
import type { NodePlacement } from './placement';
import {
  EXECUTION_NAME_PREFIX,
  imageTaskDefinition,
  LIVE_ALIAS,
  networkConfiguration,
  NODE_ENVIRONMENT,
  stateMachineName,
  TASK_TOKEN_ENVIRONMENT,
  targetConfig,
  workflowKey,
  type DeploymentTarget,
} from './target';

/**
 * Plan → Amazon States Language (JSONPath). The execution state is small and secret-free:
 *
 *   { wj: {id, ...}, anc: "|k1|k2|", cfg: {...}, o: { s: {n0: {}}, f: {n3: {}} } }
 *
 * `o.s.<key>` is present iff the node succeeded, `o.f.<key>` iff it failed; a node in neither was
 * not run (DNR). Choice rules only test presence (`IsPresent`), which never errors on a missing
 * path. `anc` is the chain of enclosing workflows, for AWX's run-time recursion check. `w` holds
 * outcomes received from other lanes by a synchronisation task.
 */

/** What a Task state stands for, so a local engine can bind handlers by state name. */
export type TaskBinding =
  | {
      readonly role: 'node';
      readonly node: string;
      readonly kind: NodeKind;
      readonly timeoutSeconds?: number;
    }
  | { readonly role: 'reject'; readonly node: string; readonly explanation: string }
  | { readonly role: 'sync'; readonly publish: readonly string[]; readonly wait: readonly string[] }
  /** Before a nested workflow node starts its execution: create the inner workflow job. */
  | { readonly role: 'spawn'; readonly node: string; readonly workflow: string }
  /** An approval whose timeout elapsed: record that it timed out. */
  | { readonly role: 'expire'; readonly node: string }
  /** A resume's kept node, reached: record its kept success (docs/semantics.md §13.11). */
  | { readonly role: 'keep'; readonly node: string }
  /** The workflow job ends: record its status (and, nested, its node's outcome) before the execution ends. */
  | { readonly role: 'finish'; readonly status: 'successful' | 'failed' };

export interface EmitInput {
  readonly workflowName: string;
  readonly graph: WorkflowGraph;
  readonly plan: Plan;
  readonly approvals: ReadonlyMap<string, ApprovalTemplate>;
  readonly target: DeploymentTarget;
  /** Job nodes whose task differs from the runner's own: image, size, Spot, network. */
  readonly placements: ReadonlyMap<string, NodePlacement>;
  /**
   * A resume's kept nodes (docs/semantics.md §13.11): reached, each records its kept job through
   * the record function instead of running its task.
   */
  readonly kept: ReadonlySet<string>;
  /** Seconds without a runner heartbeat after which a job node fails (container died). */
  readonly heartbeatSeconds: number;
}

export interface Emitted {
  readonly definition: StateMachineDefinition;
  readonly tasks: Readonly<Record<string, TaskBinding>>;
  /** Node id → outcome key in `$.o.s` / `$.o.f`. */
  readonly keys: Readonly<Record<string, string>>;
}

export const WORKFLOW_FAILED_ERROR = 'WorkflowFailed';
/** The failure key shared by nodes without failure or always edges. */
const UNHANDLED = 'unhandled';
export const WORKFLOW_FAILED_CAUSE = 'No error handling paths found, marking workflow as failed';
/** A Parallel merges its branches' outcomes with nested States.JsonMerge; AWS allows 10 levels. */
const MAX_BRANCHES = 64;

type Scope = Record<string, State>;

/** Where a node continues: after it succeeded, after it failed, or when it does not run (DNR). */
interface Continuation {
  readonly success: string | null;
  readonly failure: string | null;
  readonly skipped: string | null;
}

function continueAt(next: string | null): Continuation {
  return { success: next, failure: next, skipped: next };
}
/** A step of a sequence: a plan, or (in lanes) a synchronisation with other lanes. */
type Step = Plan | SyncStep;

interface SyncStep {
  readonly kind: 'sync';
  readonly publish: readonly string[];
  readonly wait: readonly string[];
  /** The node after it is an ALL node whose wait ends once one parent did not fire its edge. */
  readonly join?: readonly Edge[];
}

export function emitDefinition(input: EmitInput): Emitted {
  return new Emitter(input).emit();
}

class Emitter {
  private readonly names = new Set<string>();
  private readonly tasks: Record<string, TaskBinding> = {};
  private readonly keys: Record<string, string>;
  private parallelCount = 0;
  private readonly ends = new WeakMap<Scope, string>();
  private readonly selfKey: string;

  constructor(private readonly input: EmitInput) {
    this.keys = Object.fromEntries(input.graph.nodes.map((n) => [n.id, `n${n.index}`]));
    this.selfKey = workflowKey(input.workflowName);
  }

  emit(): Emitted {
    const { graph } = this.input;
    const top: Scope = {};
    const end = this.emitFinalStatus(top);
    const entry = this.emitPlan(this.input.plan, end, top);
    const init = this.name('Init');
    top[init] = { Type: 'Pass', Result: targetConfig(this.input.target), ResultPath: '$.cfg', Next: entry };
    const definition: StateMachineDefinition = {
      Comment: `Towerless workflow '${this.input.workflowName}': ${graph.nodes.length} nodes`,
      QueryLanguage: 'JSONPath',
      StartAt: init,
      States: top,
    };
    return { definition, tasks: this.tasks, keys: this.keys };
  }

  /** Unique state name (≤ 80 characters) built from a role and a node identifier. */
  private name(base: string): string {
    const clean = base.replace(/[^\w .:-]+/g, '_').slice(0, 72);
    let name = clean;
    for (let i = 2; this.names.has(name); i++) name = `${clean} #${i}`;
    this.names.add(name);
    return name;
  }

  /**
   * The workflow job's end, recorded by the machine itself before its execution ends: a nested
   * workflow's node then has its outcome and artifacts before the outer execution moves on
   * (docs/architecture.md). An execution that ends otherwise (stopped, timed out, broken) is
   * recorded from its status change instead.
   */
  private emitFinalStatus(scope: Scope): string {
    const succeed = this.name('Workflow successful');
    scope[succeed] = { Type: 'Succeed' };
    const recordSuccess = this.emitFinish('successful', succeed, scope);
    // Structural rule (docs/semantics.md §2.1): only a failed node without failure/always edges fails
    // the workflow. Such nodes all record their failure under one key (see failureKey).
    const unhandled = this.input.graph.nodes.filter((n) => !this.input.graph.hasFailureHandler(n.id));
    if (unhandled.length === 0) return recordSuccess;
    const fail = this.name('Workflow failed');
    scope[fail] = { Type: 'Fail', Error: WORKFLOW_FAILED_ERROR, Cause: WORKFLOW_FAILED_CAUSE };
    const decide = this.name('Workflow status');
    scope[decide] = {
      Type: 'Choice',
      Choices: [{ ...isPresent(`$.o.f.${UNHANDLED}`), Next: this.emitFinish('failed', fail, scope) }],
      Default: recordSuccess,
    };
    return decide;
  }

  private emitFinish(status: 'successful' | 'failed', next: string, scope: Scope): string {
    const name = this.name(`Record workflow ${status}`);
    this.tasks[name] = { role: 'finish', status };
    scope[name] = this.recordTask({ action: 'finish', 'workflowJob.$': '$.wj.id', status }, next);
    return name;
  }

  /**
   * A call of the record function (lib/jobs/record-requests.ts). Its errors are transient or bugs,
   * never an outcome: retried, then they fail the execution.
   */
  private recordTask(
    payload: Record<string, unknown>,
    next: string | null,
    extra: Record<string, unknown> = {},
  ): State {
    return this.link(
      {
        Type: 'Task',
        Resource: LAMBDA_INVOKE,
        Parameters: { 'FunctionName.$': '$.cfg.recordFunction', Payload: payload },
        ResultPath: null,
        ...extra,
        Retry: INFRASTRUCTURE_RETRY,
      },
      next,
    );
  }

  /** Emits `plan` into `scope`, continuing at `next` (null: the end of a Parallel branch). */
  private emitPlan(plan: Plan, next: string | null, scope: Scope): string {
    switch (plan.kind) {
      case 'node':
        return this.emitNode(plan.id, continueAt(next), scope);
      case 'seq':
        return this.emitSequence(plan.items, next, scope);
      case 'par':
        return this.emitParallel(plan.branches, next, scope, (branch, branchScope) =>
          this.emitPlan(branch, null, branchScope),
        );
      case 'lanes':
        return this.emitLanes(plan.lanes, next, scope);
    }
  }

  /**
   * A sequence, last item first. When a node's only parent is the node just before it, the parent
   * routes straight to it on the outcomes whose edge fires, and past it otherwise: no Choice state,
   * one transition fewer per node on chains.
   */
  private emitSequence(items: readonly Step[], next: string | null, scope: Scope): string {
    let after = next;
    let child:
      { readonly entry: string; readonly kind: EdgeKind; readonly skipped: string | null } | undefined;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item.kind !== 'node') {
        after = item.kind === 'sync' ? this.emitSync(item, after, scope) : this.emitPlan(item, after, scope);
        child = undefined;
        continue;
      }
      const previous = items[i - 1];
      const edge = previous?.kind === 'node' ? this.directEdge(previous.id, item.id) : undefined;
      const then: Continuation = child
        ? {
            success: fires({ kind: child.kind } as Edge, 'success') ? child.entry : child.skipped,
            failure: fires({ kind: child.kind } as Edge, 'failure') ? child.entry : child.skipped,
            skipped: child.skipped,
          }
        : continueAt(after);
      after = this.emitNode(item.id, then, scope, edge !== undefined);
      child = edge ? { entry: after, kind: edge.kind, skipped: then.skipped } : undefined;
    }
    return after ?? this.endOf(scope);
  }

  /**
   * The edge parent→child when it is the child's only incoming edge, the child needs no other check
   * (nested workflows check recursion), and the parent routes each of its outcomes (a nested
   * workflow may be rejected when spawned, a missing template only fails; a kept node only
   * succeeds, and routes its success).
   */
  private directEdge(parent: string, child: string): Edge | undefined {
    const { graph } = this.input;
    const edges = graph.parents(child);
    const simple = (id: string) => !['workflow', 'missing'].includes(graph.node(id).kind);
    // A kept parent never fails: a child only its failure reaches is skipped by a decision.
    const routed = !this.input.kept.has(parent) || edges[0]?.kind !== 'failure';
    return edges.length === 1 && edges[0].parent === parent && simple(child) && simple(parent) && routed
      ? edges[0]
      : undefined;
  }

  /** The one terminal Pass of a branch scope, created when a node there first needs it. */
  private endOf(scope: Scope): string {
    let name = this.ends.get(scope);
    if (!name) {
      name = this.name('Done');
      scope[name] = { Type: 'Pass', End: true };
      this.ends.set(scope, name);
    }
    return name;
  }

  private link(state: State, next: string | null): State {
    return next === null ? { ...state, End: true } : { ...state, Next: next };
  }

  private emitParallel<T>(
    branches: readonly T[],
    next: string | null,
    scope: Scope,
    emitBranch: (branch: T, scope: Scope) => string,
  ): string {
    if (branches.length > MAX_BRANCHES) {
      const groups: T[][] = [];
      for (let i = 0; i < branches.length; i += MAX_BRANCHES)
        groups.push(branches.slice(i, i + MAX_BRANCHES));
      return this.emitParallel(groups, next, scope, (group, groupScope) =>
        this.emitParallel(group, null, groupScope, emitBranch),
      );
    }
    const name = this.name(`Parallel ${++this.parallelCount}`);
    const Branches = branches.map((branch) => {
      const branchScope: Scope = {};
      const StartAt = emitBranch(branch, branchScope);
      return { StartAt, States: branchScope };
    });
    const merge = (field: 's' | 'f', lo: number, hi: number): string => {
      if (lo === hi) return `$[${lo}].o.${field}`;
      const mid = (lo + hi) >>> 1;
      return `States.JsonMerge(${merge(field, lo, mid)}, ${merge(field, mid + 1, hi)}, false)`;
    };
    const last = branches.length - 1;
    scope[name] = this.link(
      {
        Type: 'Parallel',
        Branches,
        ResultSelector: { 's.$': merge('s', 0, last), 'f.$': merge('f', 0, last) },
        ResultPath: '$.o',
      },
      next,
    );
    return name;
  }

  /**
   * Lanes of a prime part: each lane runs its chain. Around a node whose parent is in another lane,
   * a sync task publishes this lane's fresh outcomes that other lanes wait for, then waits for the
   * outcomes this node needs and merges them into `$.o` (so later nodes of the lane reuse them).
   */
  private emitLanes(lanes: readonly (readonly string[])[], next: string | null, scope: Scope): string {
    const { graph } = this.input;
    const laneOf = new Map<string, number>();
    lanes.forEach((lane, i) => lane.forEach((id) => laneOf.set(id, i)));
    const otherLane = (id: string, other: string) =>
      laneOf.has(other) && laneOf.get(other) !== laneOf.get(id);
    return this.emitParallel(lanes, next, scope, (lane, laneScope) => {
      const steps: Step[] = [];
      const fetched = new Set<string>();
      lane.forEach((id, i) => {
        const previous = lane[i - 1];
        const publish =
          previous !== undefined && graph.children(previous).some((e) => otherLane(previous, e.child))
            ? [previous]
            : [];
        const wait = [...new Set(graph.parents(id).map((e) => e.parent))].filter(
          (p) => otherLane(id, p) && !fetched.has(p),
        );
        // A node skipped early (a lane head: plan.ts) may not have heard from every parent, so
        // later nodes ask again.
        const join = skippableEarly(graph, id) ? graph.parents(id) : undefined;
        if (!join) wait.forEach((p) => fetched.add(p));
        if (publish.length > 0 || wait.length > 0) steps.push({ kind: 'sync', publish, wait, join });
        steps.push({ kind: 'node', id });
      });
      const last = lane[lane.length - 1];
      if (graph.children(last).some((e) => otherLane(last, e.child)))
        steps.push({ kind: 'sync', publish: [last], wait: [] });
      return this.emitSequence(steps, null, laneScope);
    });
  }

  private emitSync(step: SyncStep, next: string | null, scope: Scope): string {
    const { publish, wait, join } = step;
    const name = this.name(`Sync ${[...publish, ...wait].join(' ')}`);
    this.tasks[name] = { role: 'sync', publish, wait };
    scope[name] = this.link(
      {
        Type: 'Task',
        Resource: LAMBDA_INVOKE_WAIT,
        Parameters: {
          'FunctionName.$': '$.cfg.syncFunction',
          Payload: {
            'token.$': '$$.Task.Token',
            'execution.$': '$$.Execution.Id',
            publish: publish.map((id) => this.keys[id]),
            wait: wait.map((id) => this.keys[id]),
            ...(join ? { join: join.map((edge) => ({ key: this.keys[edge.parent], kind: edge.kind })) } : {}),
            'outcomes.$': '$.o',
          },
        },
        ResultPath: '$.o',
        Retry: INFRASTRUCTURE_RETRY,
      },
      next,
    );
    return name;
  }

  /**
   * A node: decide (run or skip), run, record the outcome. Roots always run and `routed` nodes are
   * only entered when they run (their single parent routed them), so neither needs a decision.
   */
  private emitNode(id: string, then: Continuation, scope: Scope, routed = false): string {
    const { graph } = this.input;
    const node = graph.node(id);
    // A node that does not run continues as its DNR children would (created only when needed).
    const skip = () => then.skipped ?? this.endOf(scope);
    const condition = routed || graph.isRoot(id) ? undefined : this.runCondition(id);
    if (this.input.kept.has(id)) {
      const keep = this.emitKeep(id, then.success, scope);
      return condition ? this.emitChoice(id, [{ ...condition, Next: keep }], skip(), scope) : keep;
    }
    const failed = this.emitFailed(id, then.failure, scope);
    if (node.kind === 'workflow' && node.template !== null) {
      const recursion = `Workflow Job spawned from workflow could not start because it would result in recursion (workflow '${node.template}')`;
      if (workflowKey(node.template) === this.selfKey) {
        const reject = this.emitReject(id, recursion, failed, scope);
        return condition ? this.emitChoice(id, [{ ...condition, Next: reject }], skip(), scope) : reject;
      }
      const run = this.emitSpawn(id, node.template, this.emitRun(id, then.success, failed, scope), scope);
      const reject = this.emitReject(id, recursion, failed, scope);
      // AWX checks recursion when spawning (§5): is the inner workflow already an enclosing one?
      const recursive: Condition = { Variable: '$.anc', StringMatches: `*|${workflowKey(node.template)}|*` };
      const choices = [{ ...allOf(condition ? [condition, recursive] : [recursive]), Next: reject }];
      return condition
        ? this.emitChoice(id, [...choices, { ...condition, Next: run }], skip(), scope)
        : this.emitChoice(id, choices, run, scope);
    }
    const run =
      node.kind === 'missing'
        ? this.emitReject(
            id,
            'The node has no job template (it was deleted), so it fails without running',
            failed,
            scope,
          )
        : this.emitRun(id, then.success, failed, scope);
    return condition ? this.emitChoice(id, [{ ...condition, Next: run }], skip(), scope) : run;
  }

  private emitChoice(
    id: string,
    choices: readonly Record<string, unknown>[],
    fallback: string,
    scope: Scope,
  ): string {
    const name = this.name(`Decide ${id}`);
    scope[name] = { Type: 'Choice', Choices: choices, Default: fallback };
    return name;
  }

  /**
   * docs/semantics.md §1.4/§1.5 once every parent is resolved: an ANY node runs if some incoming edge
   * fired; an ALL node runs if every incoming edge fired (error/canceled parents count as failed).
   */
  private runCondition(id: string): Condition {
    const fired = this.input.graph.parents(id).map((edge) => {
      const key = this.keys[edge.parent];
      const succeeded = isPresent(`$.o.s.${key}`);
      const failed = isPresent(`$.o.f.${key}`);
      return edge.kind === 'success'
        ? succeeded
        : edge.kind === 'failure'
          ? failed
          : anyOf([succeeded, failed]);
    });
    return this.input.graph.node(id).all ? allOf(fired) : anyOf(fired);
  }

  /**
   * Where a node's failure is recorded. A node without failure or always edges has children that
   * only test its success, so its failure matters only to the final status: all such nodes share
   * one key, and the final status is one test instead of one per node.
   */
  private failureKey(id: string): string {
    return this.input.graph.hasFailureHandler(id) ? this.keys[id] : UNHANDLED;
  }

  /**
   * A kept node, reached: the record function copies its job from the resumed workflow job, with
   * the artifacts it inherits in this one, instead of running it. One transition, as a Pass would
   * be, and its record exists exactly when AWX would have reached it.
   */
  private emitKeep(id: string, next: string | null, scope: Scope): string {
    const name = this.name(`Keep ${id}`);
    this.tasks[name] = { role: 'keep', node: id };
    scope[name] = this.recordTask(
      { action: 'keep', 'workflowJob.$': '$.wj.id', node: id },
      next,
      // Its success marker in `$.o.s`, as a task's output is.
      { ResultSelector: {}, ResultPath: `$.o.s.${this.keys[id]}` },
    );
    return name;
  }

  private emitFailed(id: string, next: string | null, scope: Scope): string {
    const name = this.name(`Failed ${id}`);
    // Replaces the caught error (which can be large) with a marker: the state stays small.
    scope[name] = this.link({ Type: 'Pass', Result: {}, ResultPath: `$.o.f.${this.failureKey(id)}` }, next);
    return name;
  }

  /** The node's task; its error becomes the failure outcome. */
  private emitRun(id: string, next: string | null, failed: string, scope: Scope): string {
    const node = this.input.graph.node(id);
    const name = this.name(id);
    const body = this.taskBody(id);
    const timeoutSeconds = body.TimeoutSeconds as number | undefined;
    this.tasks[name] = {
      role: 'node',
      node: id,
      kind: node.kind,
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
    };
    const key = this.keys[id];
    const failure = `$.o.f.${this.failureKey(id)}`;
    const expiry =
      timeoutSeconds && node.kind === 'approval' ? this.emitExpire(id, failed, scope) : undefined;
    scope[name] = this.link(
      {
        Type: 'Task',
        ...body,
        ResultPath: `$.o.s.${key}`,
        Catch: [
          ...(expiry ? [{ ErrorEquals: ['States.Timeout'], ResultPath: failure, Next: expiry }] : []),
          { ErrorEquals: ['States.ALL'], ResultPath: failure, Next: failed },
        ],
      },
      next,
    );
    return name;
  }

  private taskBody(id: string): Record<string, unknown> {
    const node = this.input.graph.node(id);
    const identity = { 'workflowJob.$': '$.wj.id', node: id };
    if (node.kind === 'approval') {
      const approval = this.input.approvals.get(id);
      return {
        Resource: LAMBDA_INVOKE_WAIT,
        Parameters: {
          'FunctionName.$': '$.cfg.approvalFunction',
          Payload: {
            'token.$': '$$.Task.Token',
            ...identity,
            name: approval?.name ?? id,
            timeout: approval?.timeout ?? 0,
          },
        },
        ...(approval && approval.timeout > 0 ? { TimeoutSeconds: approval.timeout } : {}),
      };
    }
    if (node.kind === 'workflow') {
      const inner = node.template!;
      return {
        Resource: START_EXECUTION_SYNC,
        Parameters: {
          'StateMachineArn.$': `States.Format('{}${stateMachineName(inner)}:${LIVE_ALIAS}', $.cfg.machines)`,
          // The spawned workflow job's id names the execution: a retried start is the same execution.
          'Name.$': `States.Format('${EXECUTION_NAME_PREFIX}{}', $.spawn.id)`,
          Input: {
            wj: { 'id.$': '$.spawn.id', 'parent.$': '$.wj.id', node: id },
            'anc.$': `States.Format('{}${this.selfKey}|', $.anc)`,
            o: { s: {}, f: {} },
            'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
          },
        },
        // The result describes the whole inner execution, output included: keep only its status.
        ResultSelector: { 'status.$': '$.Status' },
      };
    }
    const placement = this.input.placements.get(id);
    return {
      Resource: ECS_RUN_TASK,
      Parameters: {
        'Cluster.$': '$.cfg.c',
        // No launch type: the cluster's default capacity provider strategy (Fargate) applies.
        ...placedTask(this.input.target, placement),
        Overrides: {
          ...(placement?.size
            ? { Cpu: String(placement.size.cpu), Memory: String(placement.size.memory) }
            : {}),
          ContainerOverrides: [
            {
              Name: this.input.target.containerName,
              Environment: [
                { Name: TASK_TOKEN_ENVIRONMENT, 'Value.$': '$$.Task.Token' },
                // `<workflow job id>/<node identifier>`: the job id is a number, so the first `/` splits.
                { Name: NODE_ENVIRONMENT, 'Value.$': `States.Format('{}/${intrinsicString(id)}', $.wj.id)` },
              ],
            },
          ],
        },
      },
      HeartbeatSeconds: this.input.heartbeatSeconds,
      Retry: [...nodeRetry(node), ...LAUNCH_RETRY],
    };
  }

  /** A node AWX creates already failed (recursion, missing template): record why, then fail it. */
  private emitReject(id: string, explanation: string, failed: string, scope: Scope): string {
    const name = this.name(`Reject ${id}`);
    this.tasks[name] = { role: 'reject', node: id, explanation };
    scope[name] = this.recordTask(
      { action: 'reject', 'workflowJob.$': '$.wj.id', node: id, explanation },
      failed,
      {
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: failed }],
      },
    );
    return name;
  }

  /** Before a nested workflow's execution: its workflow job, whose id names that execution. */
  private emitSpawn(id: string, workflow: string, next: string, scope: Scope): string {
    const name = this.name(`Spawn ${id}`);
    this.tasks[name] = { role: 'spawn', node: id, workflow };
    scope[name] = this.recordTask({ action: 'spawn', 'workflowJob.$': '$.wj.id', node: id }, next, {
      ResultSelector: { 'id.$': '$.Payload.id' },
      ResultPath: '$.spawn',
    });
    return name;
  }

  /** An approval's timeout elapsed: the approval is recorded timed out, then the node fails. */
  private emitExpire(id: string, failed: string, scope: Scope): string {
    const name = this.name(`Expire ${id}`);
    this.tasks[name] = { role: 'expire', node: id };
    scope[name] = this.recordTask({ action: 'expire', 'workflowJob.$': '$.wj.id', node: id }, failed);
    return name;
  }
}

/**
 * A literal inside an intrinsic function's single-quoted string: quote and braces are escaped.
 * Backslashes are refused when definitions are validated (asl-validator rejects their escape).
 */
function intrinsicString(text: string): string {
  return text.replace(/['{}]/g, (c) => `\\${c}`);
}

/**
 * A job task's definition, capacity and network: read from `$.cfg` for the runner's own (every
 * node names the same, and a 1,000-node definition must stay under 1 MB), written out for a node
 * placed elsewhere.
 */
function placedTask(target: DeploymentTarget, placement: NodePlacement | undefined): Record<string, unknown> {
  const ownNetwork = placement?.subnets ?? placement?.securityGroups;
  return {
    ...(placement?.image
      ? { TaskDefinition: imageTaskDefinition(target, placement.image) }
      : { 'TaskDefinition.$': '$.cfg.t' }),
    ...(placement?.spot
      ? { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] }
      : {}),
    ...(ownNetwork
      ? { NetworkConfiguration: networkConfiguration(target, placement) }
      : { 'NetworkConfiguration.$': '$.cfg.n' }),
  };
}

/**
 * docs/semantics.md §13.12: a job's own failure runs its task again, as often as the node says:
 * it failed, ended in error, or its runner stopped before reporting (killed, out of memory, a Spot
 * interruption). A cancel or a heartbeat timeout does not; RunTask's own errors have LAUNCH_RETRY.
 */
function nodeRetry(node: GraphNode): Record<string, unknown>[] {
  const { retry } = node;
  if (!retry) return [];
  return [
    {
      ErrorEquals: RETRIED_NODE_ERRORS,
      IntervalSeconds: retry.delaySeconds,
      MaxAttempts: retry.maxRetries,
      BackoffRate: retry.backoffRate,
    },
  ];
}
