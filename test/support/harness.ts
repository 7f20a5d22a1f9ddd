import { compileGraph, type CompiledWorkflow } from '../../lib/compiler/compile';
import { LocalEngine, type ExecutionStatus } from '../../lib/local/engine';
import {
  forcedAt,
  forcedOutcomeHandlers,
  type ForcedOutcome,
  type ForcedStatus,
} from '../../lib/local/simulate';
import { evaluate, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph, type GraphNodeSpec } from '../../lib/semantics/graph';

/** Runs the same workflows through the oracle and through compiled ASL on the local interpreter. */
export type Workflows = ReadonlyMap<string, readonly GraphNodeSpec[]>;
export type Forced = Readonly<Record<string, ForcedOutcome>>;

export interface Observed {
  readonly status: ExecutionStatus;
  /** Status of every node that ran, by path (`outer/inner` for nested nodes). */
  readonly ran: ReadonlyMap<string, 'successful' | 'failed'>;
  /** Jobs run by each node that ran more than one (it retried), by path. */
  readonly retried: ReadonlyMap<string, number>;
}

export interface OracleObservation extends Observed {
  /** The kept nodes of the top workflow a resume reached, in no particular order. */
  readonly kept: readonly string[];
}

export interface CompiledObservation extends OracleObservation {
  readonly starts: ReadonlyMap<string, number>;
  readonly ends: ReadonlyMap<string, number>;
  readonly compiled: ReadonlyMap<string, CompiledWorkflow>;
}

function jobStatus(forced: ForcedStatus | undefined): JobStatus {
  switch (forced ?? 'successful') {
    case 'approved':
    case 'successful':
      return 'successful';
    case 'denied':
    case 'timed_out':
    case 'failed':
      return 'failed';
    case 'error':
      return 'error';
    default:
      return 'canceled';
  }
}

/** `kept`: a resume's kept nodes of the top workflow (docs/semantics.md §13.11). */
export function oracle(workflows: Workflows, forced: Forced, kept?: ReadonlySet<string>): OracleObservation {
  const ran = new Map<string, 'successful' | 'failed'>();
  const retried = new Map<string, number>();
  const reachedKept: string[] = [];
  const evaluateWorkflow = (
    name: string,
    prefix: string,
    enclosing: readonly string[],
  ): 'successful' | 'failed' => {
    const graph = new WorkflowGraph(workflows.get(name)!);
    const result = evaluate(graph, {
      kept: prefix ? undefined : kept,
      status: (id, attempt) => {
        const node = graph.node(id);
        const path = prefix ? `${prefix}/${id}` : id;
        if (node.kind !== 'workflow') return jobStatus(forcedAt(forced[path], attempt));
        const inner = node.template!;
        // docs/semantics.md §5: spawning a workflow already in the chain of enclosing workflows
        // fails the node.
        if (inner === name || enclosing.includes(inner)) return 'failed';
        return evaluateWorkflow(inner, path, [...enclosing, name]);
      },
    });
    if (!prefix) reachedKept.push(...result.kept);
    for (const id of result.ran) {
      const { status, attempts } = result.nodes.get(id)!;
      const path = prefix ? `${prefix}/${id}` : id;
      ran.set(path, status === 'successful' ? 'successful' : 'failed');
      if (attempts > 1) retried.set(path, attempts);
    }
    return result.status;
  };
  return { status: evaluateWorkflow('top', '', []), ran, retried, kept: reachedKept };
}

export async function runCompiled(
  workflows: Workflows,
  forced: Forced,
  kept?: ReadonlySet<string>,
  exactTimingUpTo?: number,
): Promise<CompiledObservation> {
  const compiled = new Map<string, CompiledWorkflow>();
  const compile = (name: string) => {
    let result = compiled.get(name);
    if (!result) {
      result = compileGraph(
        {
          workflowName: name,
          graph: new WorkflowGraph(workflows.get(name)!),
          kept: name === 'top' ? kept : undefined,
        },
        { exactTimingUpTo },
      );
      compiled.set(name, result);
    }
    return result;
  };
  const ran = new Map<string, 'successful' | 'failed'>();
  const reachedKept: string[] = [];
  const retried = new Map<string, number>();
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  let clock = 0;
  const pathOf = (event: { path: readonly string[]; node: string }) => [...event.path, event.node].join('/');
  const engine = new LocalEngine(compile, forcedOutcomeHandlers(forced), {
    instantRetries: true,
    observer: {
      nodeStarted: (event) => {
        const path = pathOf(event);
        if (starts.has(path)) retried.set(path, (retried.get(path) ?? 1) + 1);
        else starts.set(path, ++clock);
      },
      nodeKept: (event) => reachedKept.push(pathOf(event)),
      nodeFinished: (event) => {
        ends.set(pathOf(event), ++clock);
        ran.set(pathOf(event), event.status);
      },
    },
  });
  const { status } = await engine.run({ workflowName: 'top' });
  return { status, ran, retried, kept: reachedKept, starts, ends, compiled };
}
