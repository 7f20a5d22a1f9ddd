import { describe, expect, it } from 'vitest';
import { evaluate, type JobStatus } from '../../lib/semantics/evaluator';
import { WorkflowGraph, type GraphNodeSpec } from '../../lib/semantics/graph';

/** docs/semantics.md §13.12 in the reference evaluator: which jobs run again, when, and the outcome. */
const RETRY = { maxRetries: 2, delaySeconds: 10, backoffRate: 3 };

function run(specs: GraphNodeSpec[], attempts: Record<string, JobStatus[]>) {
  const graph = new WorkflowGraph(specs);
  return evaluate(graph, {
    status: (id, attempt) => {
      const list = attempts[id] ?? ['successful'];
      return list[Math.min(attempt, list.length) - 1];
    },
  });
}

describe('node retries', () => {
  it('runs a failed job again after each delay, growing by the backoff rate, until it succeeds', () => {
    const result = run(
      [
        { id: 'deploy', kind: 'job', retry: RETRY, success: ['after'] },
        { id: 'after', kind: 'job' },
      ],
      { deploy: ['failed', 'error', 'successful'] },
    );
    expect(result.nodes.get('deploy')).toMatchObject({
      status: 'successful',
      attempts: 3,
      finished: 1 + 10 + 1 + 30 + 1,
    });
    expect(result.nodes.get('after')).toMatchObject({ status: 'successful', started: 43 });
    expect(result.status).toBe('successful');
  });

  it('ends with the last attempt when the retries run out; the failure edge then fires', () => {
    const result = run(
      [
        { id: 'deploy', kind: 'job', retry: RETRY, failure: ['rollback'] },
        { id: 'rollback', kind: 'job' },
      ],
      { deploy: ['failed'] },
    );
    expect(result.nodes.get('deploy')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(result.ran).toEqual(['deploy', 'rollback']);
  });

  it('never retries a cancel, an approval, a nested workflow or a node without a template', () => {
    const result = run(
      [
        { id: 'canceled', kind: 'job', retry: RETRY },
        { id: 'gate', kind: 'approval', retry: RETRY },
        { id: 'inner', kind: 'workflow', retry: RETRY },
        { id: 'gone', kind: 'missing', retry: RETRY },
      ],
      { canceled: ['canceled'], gate: ['failed'], inner: ['failed'] },
    );
    expect(
      Object.fromEntries([...result.nodes].map(([id, node]) => [id, [node.status, node.attempts]])),
    ).toEqual({
      canceled: ['canceled', 1],
      gate: ['failed', 1],
      inner: ['failed', 1],
      gone: ['failed', 0],
    });
  });

  it('a node with no retries runs once whatever it ends as', () => {
    const result = run([{ id: 'once', kind: 'job' }], { once: ['failed', 'successful'] });
    expect(result.nodes.get('once')).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
