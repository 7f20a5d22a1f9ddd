import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachState, LAMBDA_INVOKE } from '../../lib/compiler/asl';
import { validateAsl } from '../../lib/compiler/validate-asl';
import { WorkflowGraph } from '../../lib/semantics/graph';
import type { ForcedOutcome } from '../../lib/local/simulate';
import { keptNodes } from '../../lib/semantics/resume';
import { oracle, runCompiled, type CompiledObservation, type Workflows } from '../support/harness';
import { randomCase } from '../support/random-workflows';

/**
 * docs/architecture.md §4 "Exactness": for random graphs and outcomes, the compiled state
 * machine, executed by the local interpreter, runs exactly the nodes the oracle runs (with the same
 * outcomes), retries each job as often as the oracle (docs/semantics.md §13.12), skips the rest,
 * never starts a node before its parents are resolved, and ends in the oracle's status. 2,000
 * cases per run.
 */
describe('compiled ASL agrees with the AWX reference evaluator', () => {
  it('on 2,000 random workflows with random outcomes', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(randomCase(), async ({ workflows, forced }) => {
        const expected = oracle(workflows, forced);
        const actual = await runCompiled(workflows, forced);
        expect(Object.fromEntries(actual.ran)).toEqual(Object.fromEntries(expected.ran));
        expect(Object.fromEntries(actual.retried)).toEqual(Object.fromEntries(expected.retried));
        expect(actual.status).toBe(expected.status);
        expectParentsResolvedFirst(workflows, actual);
        // asl-validator costs ~100 ms a definition: check a sample (the examples are all checked elsewhere).
        if (cases++ % 50 === 0)
          for (const compiled of actual.compiled.values()) validateAsl(compiled.definition);
      }),
      { numRuns: 2000 },
    );
  }, 600_000);

  it('on 500 more, planned with AWX timing at ALL joins only in parts of a few nodes (as a very large workflow may be)', async () => {
    await fc.assert(
      fc.asyncProperty(randomCase(), fc.nat({ max: 8 }), async ({ workflows, forced }, exactTimingUpTo) => {
        const expected = oracle(workflows, forced);
        const actual = await runCompiled(workflows, forced, undefined, exactTimingUpTo);
        expect(Object.fromEntries(actual.ran)).toEqual(Object.fromEntries(expected.ran));
        expect(actual.status).toBe(expected.status);
        expectParentsResolvedFirst(workflows, actual);
      }),
      { numRuns: 500 },
    );
  }, 300_000);
});

/** A node starts only after each parent that ran has finished (and DNR parents ran nothing). */
function expectParentsResolvedFirst(workflows: Workflows, observed: CompiledObservation): void {
  for (const [path, start] of observed.starts) {
    const parts = path.split('/');
    const node = parts.pop()!;
    const workflowName = parts.length === 0 ? 'top' : workflowOf(workflows, parts);
    const graph = new WorkflowGraph(workflows.get(workflowName)!);
    for (const edge of graph.parents(node)) {
      const parentPath = [...parts, edge.parent].join('/');
      const end = observed.ends.get(parentPath);
      if (observed.starts.has(parentPath))
        expect(end, `${parentPath} must end before ${path} starts`).toBeLessThan(start);
    }
  }
}

function isApproval(outcome: ForcedOutcome): boolean {
  return [outcome].flat().every((status) => ['approved', 'denied', 'timed_out'].includes(status));
}

function workflowOf(workflows: Workflows, path: readonly string[]): string {
  let name = 'top';
  for (const id of path) name = new WorkflowGraph(workflows.get(name)!).node(id).template!;
  return name;
}

/**
 * docs/semantics.md §13.11: a resume compiled with its kept nodes runs what the oracle runs for the
 * same kept nodes and new outcomes, reaches the kept nodes it reaches, ends as it ends, and runs no
 * kept node: each is one record task in place of its own.
 */
describe('compiled resumes agree with the reference evaluator', () => {
  it('on 1,000 random workflows, each failed once and resumed with new outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomCase(),
        randomCase(),
        fc.array(fc.nat(), { maxLength: 2 }),
        async ({ workflows, forced }, { forced: again }, picks) => {
          const top = new WorkflowGraph(workflows.get('top')!);
          const first = oracle(workflows, forced);
          const succeeded = top.nodes.map((n) => n.id).filter((id) => first.ran.get(id) === 'successful');
          const kept = keptNodes(
            top,
            succeeded,
            picks.map((i) => top.nodes[i % top.nodes.length].id),
          );
          // New outcomes for the same node paths, drawn independently of the first run's (an
          // approval's for an approval, a job's for a job).
          const outcomes = Object.fromEntries(
            Object.keys(forced).map((path) => [
              path,
              again[path] !== undefined && isApproval(again[path]) === isApproval(forced[path])
                ? again[path]
                : forced[path],
            ]),
          );
          const expected = oracle(workflows, outcomes, kept);
          const actual = await runCompiled(workflows, outcomes, kept);
          expect(Object.fromEntries(actual.ran)).toEqual(Object.fromEntries(expected.ran));
          expect(Object.fromEntries(actual.retried)).toEqual(Object.fromEntries(expected.retried));
          expect(actual.status).toBe(expected.status);
          expect([...actual.kept].sort()).toEqual([...expected.kept].sort());
          expect([...actual.ran.keys()].filter((path) => kept.has(path))).toEqual([]);
          // Each kept node is one record task, its Keep, in place of its own: one transition when reached.
          const states = new Map<string, Record<string, unknown>>();
          forEachState(actual.compiled.get('top')!.definition, (name, state) => states.set(name, state));
          const tasks = Object.values(actual.compiled.get('top')!.tasks);
          for (const id of kept) {
            expect(states.get(`Keep ${id}`)).toMatchObject({ Type: 'Task', Resource: LAMBDA_INVOKE });
            expect(tasks.filter((task) => 'node' in task && task.node === id)).toEqual([
              { role: 'keep', node: id },
            ]);
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 600_000);
});
