import type { Edge, WorkflowGraph } from './graph';
import { retriesAfter, retryDelay } from './retries';

/**
 * The AWX reference evaluator (docs/semantics.md §1 and §2, with the divergences of its §13): the
 * oracle every compiled state machine is checked against. It replays AWX's workflow manager tick
 * by tick (DNR pass, done check, spawn pass) over simulated time, given each node's job status
 * and duration. Pure: no AWS, no ASL.
 */

/** Terminal status of a node's job (approvals: approved = successful; denied or timed out = failed). */
export type JobStatus = 'successful' | 'failed' | 'error' | 'canceled';
export type Outcome = 'success' | 'failure';
export type WorkflowStatus = 'successful' | 'failed';

export interface NodeResult {
  readonly id: string;
  /** The job's terminal status, or `dnr` for a node that never ran. */
  readonly status: JobStatus | 'dnr';
  /** Simulated start and finish times (null when DNR). */
  readonly started: number | null;
  readonly finished: number | null;
  /** Simulated time at which the node was decided: started, or marked DNR. */
  readonly decided: number;
  /** Its success was kept from the job a resume continues: it ran no job (docs/semantics.md §13.11). */
  readonly kept: boolean;
  /** Jobs it ran: 1, more when it retried (docs/semantics.md §13.12), 0 when it ran none. */
  readonly attempts: number;
}

export interface Evaluation {
  readonly nodes: ReadonlyMap<string, NodeResult>;
  /** Nodes that ran a job, by start time then declaration order (kept nodes did not). */
  readonly ran: readonly string[];
  /** Nodes reached whose success was kept from the resumed job. */
  readonly kept: readonly string[];
  readonly dnr: readonly string[];
  readonly status: WorkflowStatus;
  /** Failed nodes with no failure or always edge: why the workflow failed. */
  readonly unhandled: readonly string[];
  readonly makespan: number;
}

export interface EvaluationInput {
  /**
   * Status of the job a node runs, at its `attempt` (1, then 2 and on when it retries); a node
   * with a missing template fails without a job.
   */
  readonly status: (id: string, attempt: number) => JobStatus;
  /** How long each of the node's jobs runs (default 1). */
  readonly duration?: (id: string) => number;
  /**
   * A resume's kept nodes (docs/semantics.md §13.11): those that succeeded in the job it continues.
   * Reached again by AWX's rules, one succeeds at once without a job; one not reached is DNR.
   */
  readonly kept?: ReadonlySet<string>;
}

export function outcomeOf(status: JobStatus): Outcome {
  return status === 'successful' ? 'success' : 'failure';
}

/** Does an edge fire for its parent's outcome (docs/semantics.md §1.2)? */
export function fires(edge: Pick<Edge, 'kind'>, parent: Outcome): boolean {
  return edge.kind === 'always' || (edge.kind === 'success') === (parent === 'success');
}

interface NodeState {
  dnr: boolean;
  /** Jobs started so far. */
  attempts: number;
  started?: number;
  finished?: number;
  status?: JobStatus;
  decided?: number;
}

export function evaluate(graph: WorkflowGraph, input: EvaluationInput): Evaluation {
  const state = new Map<string, NodeState>(graph.nodes.map((n) => [n.id, { dnr: false, attempts: 0 }]));
  const duration = input.duration ?? (() => 1);
  const kept = input.kept ?? new Set<string>();
  const get = (id: string) => state.get(id)!;
  const terminal = (s: NodeState) => s.status !== undefined;
  const resolved = (id: string) => get(id).dnr || terminal(get(id));
  const fired = (edge: Edge) => {
    const parent = get(edge.parent);
    return !parent.dnr && parent.status !== undefined && fires(edge, outcomeOf(parent.status));
  };

  let now = 0;
  for (;;) {
    // DNR pass, in topological order so that DNR cascades within one tick (§1.6).
    for (const id of graph.order) {
      const node = get(id);
      if (node.dnr || node.started !== undefined || graph.isRoot(id)) continue;
      const parents = graph.parents(id);
      const dnr = graph.node(id).all
        ? // ALL: eagerly DNR once a parent is DNR or a finished parent's edge did not fire (§1.5).
          // Divergence (docs/semantics.md §13.1): error and canceled count as failed here, so nothing hangs.
          parents.some((e) => get(e.parent).dnr || (terminal(get(e.parent)) && !fired(e)))
        : // ANY: DNR once every parent is resolved and no edge fired (§1.4).
          parents.every((e) => resolved(e.parent)) && !parents.some(fired);
      if (dnr) {
        node.dnr = true;
        node.decided = now;
      }
    }
    // Spawn pass: every node whose parents are resolved and whose edges fired as its rule needs.
    for (const id of graph.order) {
      const node = get(id);
      if (node.dnr || node.started !== undefined) continue;
      const parents = graph.parents(id);
      const ready =
        parents.length === 0 ||
        (parents.every((e) => resolved(e.parent)) &&
          (graph.node(id).all ? parents.every(fired) : parents.some(fired)));
      if (!ready) continue;
      node.started = now;
      node.decided = now;
      // A node without a template fails the moment it is reached, with no job (§1.2); a kept node
      // succeeds the moment it is reached, with no job either.
      const runsJob = graph.node(id).kind !== 'missing' && !kept.has(id);
      node.finished = runsJob ? now + duration(id) : now;
      node.attempts = runsJob ? 1 : 0;
    }
    const running = graph.nodes.map((n) => get(n.id)).filter((s) => s.started !== undefined && !terminal(s));
    if (running.length === 0) break;
    now = Math.min(...running.map((s) => s.finished!));
    for (const node of graph.nodes) {
      const s = get(node.id);
      if (s.started === undefined || terminal(s) || s.finished !== now) continue;
      const status = kept.has(node.id)
        ? 'successful'
        : node.kind === 'missing'
          ? 'failed'
          : input.status(node.id, s.attempts);
      // §13.12: a job that failed with retries left runs again after the retry's delay.
      const retry = node.retry;
      if (retry && retriesAfter(status) && s.attempts <= retry.maxRetries) {
        s.finished = now + retryDelay(retry, s.attempts) + duration(node.id);
        s.attempts++;
      } else s.status = status;
    }
  }

  const results = new Map<string, NodeResult>();
  for (const node of graph.nodes) {
    const s = get(node.id);
    if (!s.dnr && s.started === undefined) throw new Error(`evaluator left node '${node.id}' undecided`);
    results.set(node.id, {
      id: node.id,
      status: s.dnr ? 'dnr' : s.status!,
      started: s.started ?? null,
      finished: s.finished ?? null,
      decided: s.decided!,
      kept: !s.dnr && kept.has(node.id),
      attempts: s.attempts,
    });
  }
  const reached = graph.nodes
    .filter((n) => !get(n.id).dnr)
    .sort((a, b) => get(a.id).started! - get(b.id).started! || a.index - b.index)
    .map((n) => n.id);
  const ran = reached.filter((id) => !kept.has(id));
  const unhandled = ran.filter(
    (id) => results.get(id)!.status !== 'successful' && !graph.hasFailureHandler(id),
  );
  return {
    nodes: results,
    ran,
    kept: reached.filter((id) => kept.has(id)),
    dnr: graph.nodes.filter((n) => get(n.id).dnr).map((n) => n.id),
    status: unhandled.length > 0 ? 'failed' : 'successful',
    unhandled,
    makespan: Math.max(0, ...ran.map((id) => results.get(id)!.finished!)),
  };
}
