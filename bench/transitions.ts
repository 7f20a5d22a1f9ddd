import { compileWorkflow } from '../lib/compiler/compile';
import { LocalEngine } from '../lib/local/engine';
import { forcedOutcomeHandlers, type ForcedStatus } from '../lib/local/simulate';
import { workflowCompiler } from '../lib/local/workflow-compiler';
import { loadBundle } from '../lib/model';
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
  const compiled = compileWorkflow(bundle, 'Full Deployment Pipeline');
  print({
    name: 'history_events_upper_bound_full_pipeline',
    value: compiled.stats.projectedHistoryEvents,
    unit: 'events',
  });
}
