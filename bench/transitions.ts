import { compileWorkflow } from '../lib/compiler/compile';
import { LocalEngine } from '../lib/local/engine';
import { forcedOutcomeHandlers, type ForcedStatus } from '../lib/local/simulate';
import { workflowCompiler } from '../lib/local/workflow-compiler';
import { loadBundle } from '../lib/model';
import type { Bundle } from '../lib/model/types';
import { print } from './support/report';

/** History events each state type writes when entered (Standard workflows). */
const EVENTS: Record<string, number> = { Task: 5, Parallel: 4, Pass: 2, Choice: 2, Succeed: 2, Fail: 2 };

/**
 * State transitions and history events per executed job node, counted from the interpreter's own
 * event log while the Full Deployment Pipeline runs (all successful, and with a deploy failure).
 */
export async function transitionBenchmarks(): Promise<void> {
  const { bundle } = loadBundle('examples/guide');
  const scenarios: [string, Record<string, ForcedStatus>][] = [
    ['', {}],
    ['_with_failure', { deploy: 'failed' }],
  ];
  for (const [suffix, forced] of scenarios) {
    let transitions = 0;
    let events = 2; // ExecutionStarted, ExecutionSucceeded
    let jobs = 0;
    const engine = new LocalEngine(workflowCompiler(bundle), forcedOutcomeHandlers(forced), {
      observer: {
        stateEntered: (event) => {
          transitions++;
          events += EVENTS[event.type] ?? 2;
        },
        nodeStarted: () => jobs++,
      },
    });
    await engine.run({ workflowName: 'Full Deployment Pipeline' });
    await new Promise((resolve) => setImmediate(resolve)); // let the event log drain
    print({ name: `transitions_per_job_node${suffix}`, value: transitions / jobs, unit: 'transitions' });
    print({ name: `history_events_per_job_node${suffix}`, value: events / jobs, unit: 'events' });
  }
  await resumeBenchmarks(bundle);
  const compiled = compileWorkflow(bundle, 'Full Deployment Pipeline');
  print({
    name: 'history_events_upper_bound_full_pipeline',
    value: compiled.stats.projectedHistoryEvents,
    unit: 'events',
  });
}

/**
 * What a resume costs (docs/semantics.md §13.11): the pipeline failed at `deploy`, resumed with
 * every node that succeeded kept (one of them, a failure handler, is not reached again). Each kept
 * node reached should cost one transition, its Keep, as its task did in a launch: the resume takes
 * as many transitions as a successful launch.
 */
async function resumeBenchmarks(bundle: Bundle): Promise<void> {
  const workflow = 'Full Deployment Pipeline';
  const count = async (
    compile: ReturnType<typeof workflowCompiler>,
    forced: Record<string, ForcedStatus>,
  ) => {
    const entered: string[] = [];
    const succeeded: string[] = [];
    const engine = new LocalEngine(compile, forcedOutcomeHandlers(forced), {
      observer: {
        stateEntered: (event) => entered.push(event.state),
        nodeFinished: (event) => {
          if (event.path.length === 0 && event.status === 'successful') succeeded.push(event.node);
        },
      },
    });
    await engine.run({ workflowName: workflow });
    await new Promise((resolve) => setImmediate(resolve)); // let the event log drain
    return { entered, succeeded };
  };
  const launch = await count(workflowCompiler(bundle), {});
  const failed = await count(workflowCompiler(bundle), { deploy: 'failed' });
  const kept = failed.succeeded;
  const resumed = await count(workflowCompiler(bundle, { workflow, kept }), {});
  const keeps = resumed.entered.filter((state) => state.startsWith('Keep ')).length;
  const beyond = resumed.entered.length - launch.entered.length;
  // A kept node reached costs its Keep, and whatever the resume takes beyond a launch.
  print({
    name: 'resume_transitions_per_kept_node',
    value: (keeps + beyond) / keeps,
    unit: `transitions (${keeps} of ${kept.length} kept nodes reached)`,
  });
  print({ name: 'resume_transitions_beyond_a_launch', value: beyond, unit: 'transitions' });
}
