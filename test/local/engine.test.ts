import { describe, expect, it } from 'vitest';
import { compileGraph, type CompiledWorkflow } from '../../lib/compiler/compile';
import { LocalEngine, NodeFailure, type NodeContext } from '../../lib/local/engine';
import { simulate } from '../../lib/local/simulate';
import { loadBundle } from '../../lib/model';
import { WorkflowGraph } from '../../lib/semantics/graph';
import { sketch, type WorkflowSketch } from '../support/dsl';

function engineFor(
  definition: WorkflowSketch,
  run: (context: NodeContext) => Promise<void>,
  approvalTimeout = 0,
) {
  const graph = new WorkflowGraph(sketch(definition));
  const approvals = new Map(
    graph.nodes
      .filter((n) => n.kind === 'approval')
      .map((n) => [n.id, { name: n.id, description: '', timeout: approvalTimeout }]),
  );
  const compiled: CompiledWorkflow = compileGraph({ workflowName: 'w', graph, approvals });
  const events: string[] = [];
  const engine = new LocalEngine(
    () => compiled,
    { run },
    {
      observer: {
        nodeStarted: (e) => events.push(`start ${e.node}`),
        nodeFinished: (e) => events.push(`${e.status} ${e.node}`),
      },
    },
  );
  return { engine, events };
}

const never = (signal: AbortSignal) =>
  new Promise<void>((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new NodeFailure('canceled', 'NodeCanceled'))),
  );

describe('local engine', () => {
  it('an approval times out on time through the ASL TimeoutSeconds, taking the failure path', async () => {
    const { engine, events } = engineFor(
      { edges: ['Gate -s-> Deploy', 'Gate -f-> Denied'], kinds: { Gate: 'approval' } },
      (context) => (context.kind === 'approval' ? never(context.signal) : Promise.resolve()),
      1,
    );
    const started = Date.now();
    const result = await engine.run({ workflowName: 'w' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.status).toBe('successful');
    expect(events).toEqual(['start Gate', 'failed Gate', 'start Denied', 'successful Denied']);
  });

  it('tasks without a timeout are not cut at the local interpreter default of 60 s', () => {
    const graph = new WorkflowGraph(sketch({ nodes: ['A'] }));
    const compiled = compileGraph({ workflowName: 'w', graph });
    expect(compiled.definition.States.A.TimeoutSeconds).toBeUndefined();
    // The engine raises the local timeout only; the deployed definition is left as compiled.
    const engine = new LocalEngine(() => compiled, { run: async () => {} });
    expect(engine).toBeDefined();
  });

  it('cancelling a running workflow cancels running nodes and ends canceled, starting nothing more', async () => {
    const controller = new AbortController();
    const { engine, events } = engineFor({ edges: ['A -a-> B'] }, async (context) => {
      setTimeout(() => controller.abort(), 20);
      await never(context.signal);
    });
    const result = await engine.run({ workflowName: 'w', signal: controller.signal });
    expect(result.status).toBe('canceled');
    expect(events[0]).toBe('start A');
    expect(events).not.toContain('start B');
  });

  it('a handler failure message becomes the node explanation', async () => {
    const { engine } = engineFor({ nodes: ['A'] }, async () => {
      throw new NodeFailure('playbook exited with rc 2');
    });
    expect((await engine.run({ workflowName: 'w' })).status).toBe('failed');
  });
});

describe('simulate on bundles', () => {
  const guide = loadBundle('examples/guide').bundle;

  it('Multi-Region Deployment runs both regions through the nested pipeline', async () => {
    const report = await simulate(guide, 'Multi-Region Deployment', { 'eu_region/deploy': 'failed' });
    const status = Object.fromEntries(report.nodes.map((n) => [n.id, n.status]));
    expect(report.status).toBe('successful');
    expect(status).toMatchObject({
      us_region: 'successful',
      eu_region: 'successful',
      'eu_region/rollback': 'successful',
      'us_region/rollback': 'dnr',
    });
  });

  it('recursion through the bundle fails the node with AWX explanation', async () => {
    const bundle = structuredClone(guide);
    const pipeline = bundle.workflow_job_templates.find((w) => w.name === 'Backup Workflow')!;
    (pipeline.workflow_nodes as unknown[]).push({
      ...pipeline.workflow_nodes[0],
      identifier: 'again',
      unified_job_template: { type: 'workflow_job_template', name: 'Backup Workflow' },
      success_nodes: [],
      failure_nodes: [],
      always_nodes: [],
    });
    const report = await simulate(bundle, 'Backup Workflow');
    const again = report.nodes.find((n) => n.id === 'again')!;
    expect(again).toMatchObject({ status: 'failed' });
    expect(again.explanation).toMatch(/would result in recursion/);
    expect(report.status).toBe('failed');
  });

  it('refuses an --outcome for a node that does not exist', async () => {
    await expect(simulate(guide, 'Full Deployment Pipeline', { deplyo: 'failed' })).rejects.toThrow(
      "--outcome deplyo=failed: workflow 'Full Deployment Pipeline' has no node 'deplyo'",
    );
  });
});

describe('cancelling lanes', () => {
  it('a workflow that is not series-parallel (lanes with sync tasks) cancels without hanging', async () => {
    const controller = new AbortController();
    const { engine } = engineFor({ edges: ['a -s-> c', 'b -s-> c', 'b -s-> d'] }, async (context) => {
      if (context.node === 'b') {
        setTimeout(() => controller.abort(), 20);
        await never(context.signal);
      }
    });
    expect((await engine.run({ workflowName: 'w', signal: controller.signal })).status).toBe('canceled');
  });
});
