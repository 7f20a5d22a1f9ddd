import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidError } from '../../errors';
import type { ApprovalPolicy } from '../../jobs/approvals';
import { endUnfinishedJobs } from '../../jobs/unfinished-jobs';
import { checkLaunch, type LaunchRequest } from '../../launch/launch-workflow';
import { withSurveyDefaults } from '../../launch/survey-form';
import { fixedApproval, terminalApproval } from '../../local/approvals';
import type { EngineObserver } from '../../local/engine';
import { openLocalSession } from '../../local/local-session';
import { runWorkflowLocally } from '../../local/run-locally';
import { RunRecorder } from '../../local/run-report';
import { workflowCompiler } from '../../local/workflow-compiler';
import { FileSecretProvider } from '../../runner/secrets';
import { UsageError, type ParsedArgs } from '../args';
import { bundlePath } from '../bundle';
import { readValidBundle } from '../reading';
import { parseLaunchVars } from '../launch-vars';
import { handleInterrupts } from '../interrupts';
import { table, type Io } from '../output';
import { RunProgress } from '../progress';
import { selectWorkflow } from '../workflow';

/** `towerless run`: the workflow, for real, on this machine. Exit 0 iff successful. */
export async function runCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.approve && args.deny) throw new UsageError('give --approve or --deny, not both');
  const launchVars = parseLaunchVars(args);
  const { bundle } = await readValidBundle(args, io, { quietWarnings: true, needs: 'objects' });
  const workflow = selectWorkflow(bundle, args);
  const name = workflow.name;
  const path = bundlePath(args);
  const request: LaunchRequest = {
    bundle,
    baseDir: resolve(isFolder(path) ? path : dirname(path)),
    workflow: name,
    // As AWX's launch form sends it for a person (docs/semantics.md §13.7).
    body: { extra_vars: withSurveyDefaults(workflow, launchVars) },
  };
  // A refused launch opens nothing.
  await checkLaunch(request);
  const session = await openLocalSession(args.data ?? '.towerless');
  const interrupts = handleInterrupts(io, () =>
    endUnfinishedJobs(
      session.store,
      'canceled',
      'The workflow job was canceled (towerless was stopped at once)',
    ),
  );
  const compile = workflowCompiler(bundle);
  const recorder = new RunRecorder();
  const progress = new RunProgress(args.json ? io.err : io.out, session.store);
  try {
    const secrets = new FileSecretProvider(resolve(args.secrets ?? session.data.secrets));
    // An unusable secrets file refuses the launch once, before any node starts (not node by node).
    await secrets.check().catch((error: Error) => {
      throw new InvalidError(error.message);
    });
    const ended = await runWorkflowLocally(
      {
        store: session.store,
        secrets,
        data: session.data,
        approvals: approvalPolicy(args),
        observer: combine(recorder, progress),
        onEvent: (event) => session.eventLog.write(event),
      },
      request,
      interrupts.signal,
    );
    if (ended.status === 'error') throw new Error(ended.job_explanation);
    const status = ended.status as 'successful' | 'failed' | 'canceled';
    await progress.flushed();
    const report = recorder.report(ended.id, status, compile(name), compile);
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
        `\n${table(['#', 'node', 'status', 'time', 'changed', 'note'], rows)}\nworkflow ${name} (job ${ended.id}): ${status}`,
      );
    }
    return status === 'successful' ? 0 : 1;
  } finally {
    interrupts.dispose();
    await session.close();
  }
}

function isFolder(path: string): boolean {
  return statSync(path).isDirectory();
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
    nodeFinished: (event) => observers.forEach((o) => o.nodeFinished?.(event)),
  };
}
