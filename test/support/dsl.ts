import { expect } from 'vitest';
import type { EdgeKind } from '../../lib/model/types';
import type { ForcedStatus } from '../../lib/local/simulate';
import { evaluate, type Evaluation, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph, type GraphNodeSpec, type NodeKind } from '../../lib/semantics/graph';
import { oracle, runCompiled } from './harness';

/**
 * Workflows written the way AWX-SEMANTICS writes them: `A -s-> B`, `A -f-> C`, `A -a-> D`.
 * Nodes are declared in order of first appearance (or `nodes`), which is also their id order.
 */
export interface WorkflowSketch {
  readonly edges?: readonly string[];
  readonly nodes?: readonly string[];
  readonly all?: readonly string[];
  readonly kinds?: Readonly<Record<string, NodeKind>>;
  /** Nested workflow nodes: node → workflow name. */
  readonly nested?: Readonly<Record<string, string>>;
}

const KINDS: Record<string, EdgeKind> = { s: 'success', f: 'failure', a: 'always' };

export function sketch(definition: WorkflowSketch): GraphNodeSpec[] {
  const order: string[] = [...(definition.nodes ?? [])];
  const edges = (definition.edges ?? []).map((text) => {
    const match = /^\s*(\S+)\s+-([sfa])->\s+(\S+)\s*$/.exec(text);
    if (!match) throw new Error(`bad edge '${text}'`);
    for (const id of [match[1], match[3]]) if (!order.includes(id)) order.push(id);
    return { parent: match[1], kind: KINDS[match[2]], child: match[3] };
  });
  return order.map((id) => {
    const kind = definition.nested?.[id] ? 'workflow' : (definition.kinds?.[id] ?? 'job');
    const out = (k: EdgeKind) => edges.filter((e) => e.parent === id && e.kind === k).map((e) => e.child);
    return {
      id,
      kind,
      all: definition.all?.includes(id) ?? false,
      template: kind === 'missing' ? null : (definition.nested?.[id] ?? id),
      success: out('success'),
      failure: out('failure'),
      always: out('always'),
    };
  });
}

const STATUS: Record<string, JobStatus> = {
  S: 'successful',
  F: 'failed',
  E: 'error',
  C: 'canceled',
  approved: 'successful',
  denied: 'failed',
  timed_out: 'failed',
};

/** `{A: 'S', B: 'F'}` (S successful, F failed, E error, C canceled; approvals approved, denied, timed_out); unlisted nodes succeed. */
export function statuses(outcomes: Readonly<Record<string, string>>): (id: string) => JobStatus {
  return (id) => STATUS[outcomes[id] ?? 'S'];
}

export function run(
  definition: WorkflowSketch,
  outcomes: Readonly<Record<string, string>> = {},
  durations: Readonly<Record<string, number>> = {},
): Evaluation {
  return evaluate(new WorkflowGraph(sketch(definition)), {
    status: statuses(outcomes),
    duration: (id) => durations[id] ?? 1,
  });
}

export interface Expected {
  /** Nodes that run, in start order (ties in declaration order). */
  readonly ran: readonly string[];
  readonly status: 'successful' | 'failed';
}

const FORCED: Record<string, ForcedStatus> = {
  S: 'successful',
  F: 'failed',
  E: 'error',
  C: 'canceled',
  approved: 'approved',
  denied: 'denied',
  timed_out: 'timed_out',
};

/**
 * Checks a scenario on the oracle (run order, DNR set, status) and on the compiled state machine
 * executed locally (same nodes, same outcomes, same status).
 */
export async function expectScenario(
  definition: WorkflowSketch,
  outcomes: Readonly<Record<string, string>>,
  expected: Expected,
  inner: Readonly<Record<string, WorkflowSketch>> = {},
): Promise<void> {
  const specs = sketch(definition);
  const evaluation = evaluate(new WorkflowGraph(specs), { status: statuses(outcomes) });
  if (!specs.some((spec) => spec.kind === 'workflow')) {
    expect(evaluation.ran).toEqual(expected.ran);
    expect(evaluation.dnr).toEqual(specs.map((s) => s.id).filter((id) => !expected.ran.includes(id)));
    expect(evaluation.status).toBe(expected.status);
  }
  const workflows = new Map([
    ['top', specs],
    ...Object.entries(inner).map(([name, w]) => [name, sketch(w)] as const),
  ]);
  const forced = Object.fromEntries(Object.entries(outcomes).map(([id, o]) => [id, FORCED[o]]));
  const reference = oracle(workflows, forced);
  const compiled = await runCompiled(workflows, forced);
  expect(Object.fromEntries(compiled.ran)).toEqual(Object.fromEntries(reference.ran));
  expect(compiled.status).toBe(expected.status);
  expect(reference.status).toBe(expected.status);
  expect([...compiled.ran.keys()].filter((path) => !path.includes('/')).sort()).toEqual(
    [...expected.ran].sort(),
  );
}
