import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGraph, compileWorkflow } from '../../lib/compiler/compile';
import { forEachState } from '../../lib/compiler/asl';
import { renderMermaid } from '../../lib/compiler/mermaid';
import { planWorkflow } from '../../lib/compiler/plan';
import { MAX_DEFINITION_BYTES, quotaViolation } from '../../lib/compiler/quotas';
import { validateAsl } from '../../lib/compiler/validate-asl';
import { loadBundle } from '../../lib/model';
import { WorkflowGraph, type GraphNodeSpec } from '../../lib/semantics/graph';
import { sketch } from '../support/dsl';
import { earlyJoinStages } from '../support/early-join-stages';
import { seriesParallel } from '../support/series-parallel';

const guide = loadBundle('examples/guide').bundle;

function states(definition: ReturnType<typeof compileGraph>['definition']) {
  const all: { name: string; type: string; state: Record<string, unknown> }[] = [];
  forEachState(definition, (name, state) => all.push({ name, type: state.Type, state }));
  return all;
}

function chain(n: number): GraphNodeSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `node${i}`,
    kind: 'job' as const,
    success: i + 1 < n ? [`node${i + 1}`] : [],
  }));
}

describe('compiling the guide workflows', () => {
  it.each(guide.workflow_job_templates.map((w) => w.name))('%s compiles to valid ASL', (name) => {
    const compiled = compileWorkflow(guide, name);
    expect(() => validateAsl(compiled.definition)).not.toThrow();
    expect(compiled.definition.QueryLanguage).toBe('JSONPath');
  });

  it('Full Deployment Pipeline is one sequence: Catch for failures, Choice for routing, no Parallel, no sync', () => {
    const compiled = compileWorkflow(guide, 'Full Deployment Pipeline');
    const types = states(compiled.definition).map((s) => s.type);
    expect(types.filter((t) => t === 'Parallel')).toHaveLength(0);
    expect(compiled.stats.syncTasks).toBe(0);
    const deploy = states(compiled.definition).find((s) => s.name === 'deploy')!.state;
    expect(deploy).toMatchObject({
      Resource: 'arn:aws:states:::ecs:runTask.waitForTaskToken',
      Catch: [{ ErrorEquals: ['States.ALL'] }],
    });
  });

  it('Parallel Server Configuration forks three branches and joins without synchronisation', () => {
    const compiled = compileWorkflow(guide, 'Parallel Server Configuration');
    const parallels = states(compiled.definition).filter((s) => s.type === 'Parallel');
    expect(parallels).toHaveLength(1);
    expect((parallels[0].state.Branches as unknown[]).length).toBe(3);
    expect(compiled.stats.syncTasks).toBe(0);
  });

  it('an approval waits for a task token with the approval timeout', () => {
    const compiled = compileWorkflow(guide, 'Production Deployment with Approval');
    const approval = states(compiled.definition).find((s) => s.name === 'approval')!.state;
    expect(approval).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: 3600,
    });
  });

  it('an approval that times out is recorded timed out before its node fails', () => {
    const graph = new WorkflowGraph([{ id: 'gate', kind: 'approval' }]);
    const compiled = compileGraph({
      workflowName: 'w',
      graph,
      approvals: new Map([['gate', { name: 'Gate', description: '', timeout: 60 }]]),
    });
    const gate = states(compiled.definition).find((s) => s.name === 'gate')!.state;
    expect(
      (gate.Catch as { ErrorEquals: string[]; Next: string }[]).map((c) => [c.ErrorEquals, c.Next]),
    ).toEqual([
      [['States.Timeout'], 'Expire gate'],
      [['States.ALL'], 'Failed gate'],
    ]);
    expect(states(compiled.definition).find((s) => s.name === 'Expire gate')!.state).toMatchObject({
      Parameters: { Payload: { action: 'expire', node: 'gate' } },
      Next: 'Failed gate',
    });
  });

  it('an approval with timeout 0 never expires (no TimeoutSeconds)', () => {
    const graph = new WorkflowGraph([{ id: 'gate', kind: 'approval' }]);
    const compiled = compileGraph({
      workflowName: 'w',
      graph,
      approvals: new Map([['gate', { name: 'Gate', description: '', timeout: 0 }]]),
    });
    expect(states(compiled.definition).find((s) => s.name === 'gate')!.state.TimeoutSeconds).toBeUndefined();
  });

  it('nested workflows start the inner machine with startExecution.sync:2 and carry the recursion chain', () => {
    const compiled = compileWorkflow(guide, 'Multi-Region Deployment');
    const us = states(compiled.definition).find((s) => s.name === 'us_region')!.state;
    expect(us.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(JSON.stringify(us.Parameters)).toContain('anc.$');
    // The inner workflow job exists before its execution, which it names.
    const spawn = states(compiled.definition).find((s) => s.name === 'Spawn us_region')!.state;
    expect(spawn).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { action: 'spawn', 'workflowJob.$': '$.wj.id', node: 'us_region' } },
      ResultSelector: { 'id.$': '$.Payload.id' },
      ResultPath: '$.spawn',
      Next: 'us_region',
    });
    expect(us.Parameters).toMatchObject({
      'Name.$': "States.Format('job-{}', $.spawn.id)",
      Input: { wj: { 'id.$': '$.spawn.id' } },
    });
  });

  it("the machine records the workflow job's end before its execution ends", () => {
    const compiled = compileWorkflow(guide, 'Full Deployment Pipeline');
    const finishes = states(compiled.definition).filter((s) => s.name.startsWith('Record workflow'));
    expect(
      finishes.map((s) => [s.name, s.state.Next, (s.state.Parameters as { Payload: unknown }).Payload]),
    ).toEqual([
      [
        'Record workflow successful',
        'Workflow successful',
        { action: 'finish', 'workflowJob.$': '$.wj.id', status: 'successful' },
      ],
      [
        'Record workflow failed',
        'Workflow failed',
        { action: 'finish', 'workflowJob.$': '$.wj.id', status: 'failed' },
      ],
    ]);
  });

  it('job tasks retry ECS launch errors with backoff, never a playbook failure', () => {
    const compiled = compileWorkflow(guide, 'Full Deployment Pipeline');
    const provision = states(compiled.definition).find((s) => s.name === 'provision')!.state;
    const retried = (provision.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
    expect(retried).toEqual(['ECS.AmazonECSException']);
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.TaskFailed');
  });

  it('job tasks carry node identity, never variables, artifacts or secrets', () => {
    const compiled = compileWorkflow(guide, 'Full Deployment Pipeline');
    const provision = states(compiled.definition).find((s) => s.name === 'provision')!.state;
    const environment = (
      provision.Parameters as { Overrides: { ContainerOverrides: { Environment: { Name: string }[] }[] } }
    ).Overrides.ContainerOverrides[0].Environment;
    expect(environment).toEqual([
      { Name: 'TOWERLESS_TASK_TOKEN', 'Value.$': '$$.Task.Token' },
      { Name: 'TOWERLESS_NODE', 'Value.$': "States.Format('{}/provision', $.wj.id)" },
    ]);
    expect(provision.HeartbeatSeconds).toBe(300);
    const text = JSON.stringify(compiled.definition);
    for (const leak of ['production', 'app_version', 'towerless/ssh-key', 'max_retries'])
      expect(text).not.toContain(leak);
  });
});

describe('plans', () => {
  it('a diamond is a sequence around a parallel', () => {
    const graph = new WorkflowGraph(sketch({ edges: ['A -s-> B', 'A -s-> C', 'B -s-> D', 'C -s-> D'] }));
    expect(planWorkflow(graph)).toEqual({
      kind: 'seq',
      items: [
        { kind: 'node', id: 'A' },
        {
          kind: 'par',
          branches: [
            { kind: 'node', id: 'B' },
            { kind: 'node', id: 'C' },
          ],
        },
        { kind: 'node', id: 'D' },
      ],
    });
  });
  it('the N shape (a→c, b→c, b→d) is not series-parallel: lanes with one synchronisation', () => {
    const graph = new WorkflowGraph(sketch({ edges: ['a -s-> c', 'b -s-> c', 'b -s-> d'] }));
    expect(planWorkflow(graph).kind).toBe('lanes');
    expect(compileGraph({ workflowName: 'n', graph }).stats.syncTasks).toBeGreaterThan(0);
  });
  it('series-parallel workflows with ANY joins never need a synchronisation task', () => {
    fc.assert(
      fc.property(seriesParallel(), (specs) => {
        const graph = new WorkflowGraph(specs.map((spec) => ({ ...spec, all: false })));
        expect(compileGraph({ workflowName: 'sp', graph }).stats.syncTasks).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
  it('nor do the guide workflows, whose ALL joins release nothing early', () => {
    for (const workflow of guide.workflow_job_templates) {
      const { stats } = compileWorkflow(guide, workflow.name);
      expect([workflow.name, stats.syncTasks, stats.exactTimingUpTo]).toEqual([workflow.name, 0, null]);
    }
  });
});

describe('quotas', () => {
  it('a 1,000-node workflow fits the 1 MB definition quota', () => {
    const compiled = compileGraph({ workflowName: 'big', graph: new WorkflowGraph(chain(1000)) });
    expect(compiled.stats.definitionBytes).toBeLessThan(MAX_DEFINITION_BYTES);
  });
  it('refuses a workflow whose history could exceed 25,000 events', () => {
    expect(quotaViolation('huge', { definitionBytes: 1000, projectedHistoryEvents: 25_001 })).toBe(
      "workflow 'huge' can write up to 25001 execution history events, over the Step Functions limit of 25000; split it into nested workflows",
    );
    expect(quotaViolation('ok', { definitionBytes: 1000, projectedHistoryEvents: 25_000 })).toBeUndefined();
  });
  it('projects history as an upper bound: every state entered once', () => {
    const compiled = compileGraph({ workflowName: 'chain', graph: new WorkflowGraph(chain(10)) });
    // 10 × (Task 6 + Failed Pass 2) + Init 2 + status Choice 2 + 2 × record Task 6 + Succeed 2
    // + Fail 2 + execution 2.
    expect(compiled.stats.projectedHistoryEvents).toBe(10 * 8 + 22);
  });
  it('keeps AWX timing at ALL joins in the largest parts that fit the quotas, and says where', () => {
    const exact = compileGraph({ workflowName: 'stages', graph: new WorkflowGraph(earlyJoinStages(50)) });
    expect([exact.stats.exactTimingUpTo, exact.stats.syncTasks > 0]).toEqual([null, true]);
    const graph = new WorkflowGraph(earlyJoinStages(200));
    const large = compileGraph({ workflowName: 'stages', graph });
    const upTo = large.stats.exactTimingUpTo!;
    expect(upTo).toBeGreaterThan(1);
    expect(large.stats.syncTasks).toBeGreaterThan(0);
    expect(large.stats.definitionBytes).toBeLessThan(MAX_DEFINITION_BYTES);
    // One node more per part no longer fits; none keeps no lanes at all.
    expect(() => compileGraph({ workflowName: 'stages', graph }, { exactTimingUpTo: upTo + 1 })).toThrow(
      /over the Step Functions limit/,
    );
    expect(compileGraph({ workflowName: 'stages', graph }, { exactTimingUpTo: 0 }).stats.syncTasks).toBe(0);
  });
  it('refuses a workflow with too many nodes for the history quota before planning it', () => {
    const graph = new WorkflowGraph(chain(5000));
    expect(() => compileGraph({ workflowName: 'huge', graph })).toThrow(
      "workflow 'huge' has 5000 nodes, one Task state each at least, so one execution could write more than the Step Functions limit of 25000 history events; split it into nested workflows",
    );
    expect(compileGraph({ workflowName: 'chain', graph: new WorkflowGraph(chain(10)) }).stats.nodes).toBe(10);
  });
  it('refuses a definition over 1 MB, with a clear error', () => {
    expect(() => compileGraph({ workflowName: 'huge', graph: new WorkflowGraph(chain(2000)) })).toThrow(
      /^workflow 'huge' compiles to \d+ bytes of ASL, over the Step Functions limit of 1048576 bytes \(1 MB\); split it into nested workflows$/,
    );
  });
});

describe('mermaid', () => {
  it('draws nodes by kind and edges by outcome', () => {
    const workflow = guide.workflow_job_templates.find((w) => w.name === 'Full Deployment Pipeline')!;
    const text = renderMermaid(WorkflowGraph.fromTemplate(workflow), workflow.name);
    expect(text).toContain('flowchart TD');
    expect(text).toContain('n1 -->|failure| n3');
    expect(text).toContain('n3 -->|always| n4');
    expect(text).toMatch(/linkStyle \d+ stroke:#c62828/);
  });
});

describe('structural check', () => {
  it('finds missing targets and unreachable states', async () => {
    const { structuralProblems } = await import('../../lib/compiler/structure');
    expect(
      structuralProblems({
        StartAt: 'A',
        States: { A: { Type: 'Pass', Next: 'B' }, C: { Type: 'Succeed' } },
      }),
    ).toEqual(["top: transition to missing state 'B'", "top: state 'C' is not reachable"]);
  });
});

describe('node identity in intrinsic strings', () => {
  it('escapes quotes and braces so identifiers reach the runner intact', async () => {
    await import('../../lib/local/polyfills');
    const { StateMachine } = await import('aws-local-stepfunctions');
    const id = "it's {odd} name";
    const compiled = compileGraph({ workflowName: 'w', graph: new WorkflowGraph([{ id, kind: 'job' }]) });
    validateAsl(compiled.definition);
    let received: unknown;
    const state = Object.keys(compiled.tasks).find((name) => compiled.tasks[name].role === 'node')!;
    const finish = Object.keys(compiled.tasks).find((name) => compiled.tasks[name].role === 'finish')!;
    const machine = new StateMachine(compiled.definition as never);
    await machine.run({ wj: { id: 1 }, anc: '|', o: { s: {}, f: {} } } as never, {
      overrides: {
        taskResourceLocalHandlers: {
          [state]: async (input: unknown) => ((received = input), {}),
          [finish]: async () => ({}),
        } as never,
      },
      context: { Task: { Token: 'token' } } as never,
    }).result;
    const environment = (
      received as { Overrides: { ContainerOverrides: { Environment: { Name: string; Value: string }[] }[] } }
    ).Overrides.ContainerOverrides[0].Environment;
    expect(environment).toEqual([
      { Name: 'TOWERLESS_TASK_TOKEN', Value: 'token' },
      { Name: 'TOWERLESS_NODE', Value: `1/${id}` },
    ]);
  });
});
