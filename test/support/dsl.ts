import { expect } from 'vitest';
import type { ForcedStatus } from '../../lib/local/simulate';
import { evaluate, type Evaluation, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph } from '../../lib/semantics/graph';
import { sketch, type WorkflowSketch } from './sketch';

export { sketch, type WorkflowSketch };
import { oracle, runCompiled } from './harness';

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
