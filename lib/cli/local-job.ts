import { resolve } from 'node:path';
import { InvalidError } from '../errors';
import type { ApprovalPolicy } from '../jobs/approvals';
import { endUnfinishedJobs } from '../jobs/unfinished-jobs';
import type { LaunchServices } from '../launch/launch-workflow';
import { fixedApproval, terminalApproval } from '../local/approvals';
import type { EngineObserver } from '../local/engine';
import type { LocalSession } from '../local/local-session';
import { runLocally } from '../local/run-locally';
import { RunRecorder } from '../local/run-report';
import { workflowCompiler } from '../local/workflow-compiler';
import { FileSecretProvider } from '../runner/secrets';
import type { WorkflowJobRecord } from '../store/records';
import { UsageError, type ParsedArgs } from './args';
import { handleInterrupts } from './interrupts';
import { table, type Io } from './output';
import { RunProgress } from './progress';

/**
 * What `run` and `resume --data` share: a workflow job on this machine, in the session's data
 * folder, its approvals asked on the terminal (or answered by --approve/--deny), live progress,
 * then the summary table (or the report as JSON). Ctrl-C cancels it. Exit 0 iff successful.
 */
export async function runLocalJob(
  args: ParsedArgs,
  io: Io,
  session: LocalSession,
  start: (services: LaunchServices) => Promise<WorkflowJobRecord>,
): Promise<number> {
  const interrupts = handleInterrupts(io, () =>
    endUnfinishedJobs(
      session.store,
      'canceled',
      'The workflow job was canceled (towerless was stopped at once)',
    ),
  );
  const recorder = new RunRecorder();
  const progress = new RunProgress(args.json ? io.err : io.out, session.store);
  try {
    const secrets = new FileSecretProvider(resolve(args.secrets ?? session.data.secrets));
    // An unusable secrets file refuses the job once, before any node starts (not node by node).
    await secrets.check().catch((error: Error) => {
      throw new InvalidError(error.message);
    });
    const ended = await runLocally(
      {
        store: session.store,
        secrets,
        data: session.data,
        approvals: approvalPolicy(args),
        observer: combine(recorder, progress),
        onEvent: (event) => session.eventLog.write(event),
      },
      start,
      interrupts.signal,
    );
    if (ended.status === 'error') throw new Error(ended.job_explanation);
    const status = ended.status as 'successful' | 'failed' | 'canceled';
    await progress.flushed();
    const compile = workflowCompiler((await session.store.getDefinitions(ended.id))!);
    const report = recorder.report(ended.id, status, compile(ended.name), compile);
    const details = await progress.details(report);
    if (args.json) io.out(JSON.stringify({ ...report, nodes: details }));
    else {
      const rows = details.map((n) => [
        n.started === null ? '-' : String(n.started),
        n.id,
        n.status,
        n.elapsed === undefined ? '' : `${n.elapsed.toFixed(1)}s`,
        (n.changed ?? []).join(','),
        n.explanation ?? '',
      ]);
      io.out(
        `\n${table(['#', 'node', 'status', 'time', 'changed', 'note'], rows)}\nworkflow ${ended.name} (job ${ended.id}): ${status}`,
      );
    }
    return status === 'successful' ? 0 : 1;
  } finally {
    interrupts.dispose();
  }
}

/** Refuses what no local job can do, before anything is opened. */
export function checkLocalJobArgs(args: ParsedArgs): void {
  if (args.approve && args.deny) throw new UsageError('give --approve or --deny, not both');
}

function approvalPolicy(args: ParsedArgs): ApprovalPolicy {
  if (args.approve) return fixedApproval('approved');
  if (args.deny) return fixedApproval('denied');
  if (process.stdin.isTTY) return terminalApproval(process.stdin, process.stderr);
  return {
    decide: async (request) => {
      process.stderr.write(
        `approval '${request.approval.name}': no terminal to ask on and neither --approve nor --deny given: denied\n`,
      );
      return 'denied';
    },
  };
}

/** One observer that tells several. */
function combine(...observers: EngineObserver[]): EngineObserver {
  return {
    executionStarted: (execution) => observers.forEach((o) => o.executionStarted?.(execution)),
    nodeStarted: (event) => observers.forEach((o) => o.nodeStarted?.(event)),
    nodeKept: (event) => observers.forEach((o) => o.nodeKept?.(event)),
    nodeFinished: (event) => observers.forEach((o) => o.nodeFinished?.(event)),
  };
}
