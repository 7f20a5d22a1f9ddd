import fc from 'fast-check';
import { compileGraph } from '../lib/compiler/compile';
import { emitDefinition } from '../lib/compiler/emit';
import { planWorkflow } from '../lib/compiler/plan';
import { definitionBytes } from '../lib/compiler/quotas';
import { PLACEHOLDER_TARGET } from '../lib/compiler/target';
import { WorkflowGraph, type GraphNodeSpec } from '../lib/semantics/graph';
import { earlyJoinStages } from '../test/support/early-join-stages';
import { randomCase } from '../test/support/random-workflows';
import { print, timeMedian } from './support/report';

/**
 * A 1,000-node deployment pipeline shaped like the guide's workflows, at scale: stages that fork
 * into parallel jobs, join on an ALL node, and send any failure to the stage's rollback, which
 * always notifies.
 */
export function pipelineOf(size: number): GraphNodeSpec[] {
  const specs: {
    id: string;
    kind: 'job';
    all?: boolean;
    success: string[];
    failure: string[];
    always: string[];
  }[] = [];
  const add = (id: string, all = false) => {
    const spec = {
      id,
      kind: 'job' as const,
      all,
      success: [] as string[],
      failure: [] as string[],
      always: [] as string[],
    };
    specs.push(spec);
    return spec;
  };
  let gate = add('start');
  for (let stage = 0; specs.length < size; stage++) {
    const width = Math.min(1 + (stage % 8), size - specs.length - 3);
    if (width < 1) break;
    const jobs = Array.from({ length: width }, (_, j) => add(`stage${stage}-job${j}`));
    const join = add(`stage${stage}-done`, true);
    const rollback = add(`stage${stage}-rollback`);
    const notify = add(`stage${stage}-notify`);
    for (const job of jobs) {
      gate.success.push(job.id);
      job.success.push(join.id);
      job.failure.push(rollback.id);
    }
    rollback.always.push(notify.id);
    gate = join;
  }
  while (specs.length < size) add(`tail${specs.length}`);
  return specs;
}

function chainOf(size: number): GraphNodeSpec[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `step-${i}`,
    kind: 'job' as const,
    success: i + 1 < size ? [`step-${i + 1}`] : [],
  }));
}

function randomDagOf(size: number): GraphNodeSpec[] {
  const [sample] = fc.sample(
    randomCase(size).filter((c) => c.workflows.get('top')!.length === size),
    { numRuns: 1, seed: 11 },
  );
  return sample.workflows.get('top')!.map((spec) => ({ ...spec, kind: 'job', template: spec.id }));
}

export async function compileBenchmarks(): Promise<void> {
  const shapes: [string, GraphNodeSpec[]][] = [
    ['1000_nodes', pipelineOf(1000)],
    ['1000_nodes_chain', chainOf(1000)],
    // Exact timing at ALL joins that release the next stage early costs lanes: at 500 nodes it
    // fits; at 1,000 it does not, and the workflow compiles with delayed timing.
    ['500_nodes_early_joins', earlyJoinStages(100)],
    ['1000_nodes_early_joins', earlyJoinStages(200)],
  ];
  for (const [suffix, specs] of shapes) {
    const graph = new WorkflowGraph(specs);
    const ms = await timeMedian(5, () => compileGraph({ workflowName: suffix, graph }));
    const compiled = compileGraph({ workflowName: suffix, graph });
    print({ name: `compile_ms_${suffix}`, value: ms, unit: 'ms' });
    print({ name: `asl_bytes_${suffix}`, value: compiled.stats.definitionBytes, unit: 'bytes' });
    print({ name: `sync_tasks_${suffix}`, value: compiled.stats.syncTasks, unit: 'tasks' });
  }
  // A random DAG (up to 3 parents picked anywhere before) is far from series-parallel: every
  // parent in another lane costs a sync task. Measured without the quota check.
  for (const size of [200, 1000]) {
    const graph = new WorkflowGraph(randomDagOf(size));
    const emit = () =>
      emitDefinition({
        workflowName: 'random',
        graph,
        plan: planWorkflow(graph),
        approvals: new Map(),
        placements: new Map(),
        kept: new Set(),
        target: PLACEHOLDER_TARGET,
        heartbeatSeconds: 300,
      });
    print({ name: `compile_ms_random_dag_${size}_nodes`, value: await timeMedian(3, emit), unit: 'ms' });
    print({
      name: `asl_bytes_random_dag_${size}_nodes`,
      value: definitionBytes(emit().definition),
      unit: 'bytes',
    });
  }
}
