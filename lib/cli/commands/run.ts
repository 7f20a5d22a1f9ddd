import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fixedApproval, terminalApproval, type ApprovalPolicy } from '../../local/approvals';
import type { EngineObserver } from '../../local/engine';
import { endUnfinishedJobs, openLocalSession } from '../../local/local-session';
import { RunRecorder } from '../../local/run-report';
import { acceptLaunchVars, runWorkflowLocally } from '../../local/run-workflow';
import { workflowCompiler } from '../../local/workflow-compiler';
import type { Vars } from '../../model/types';
import { FileSecretProvider } from '../../runner/secrets';
import { UsageError, type ParsedArgs } from '../args';
import { bundlePath, loadValidBundle } from '../bundle';
import { handleInterrupts } from '../interrupts';
import { table, type Io } from '../output';
import { RunProgress } from '../progress';
import { selectWorkflow } from '../workflow';

/** `towerless run`: the workflow, for real, on this machine. Exit 0 iff successful. */
export async function runCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.approve && args.deny) throw new UsageError('give --approve or --deny, not both');
  const launchVars = parseLaunchVars(args);
  const { bundle } = loadValidBundle(args, io, { quietWarnings: true });
  const workflow = selectWorkflow(bundle, args);
  const name = workflow.name;
  const accepted = acceptLaunchVars(workflow, launchVars);
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
    const path = bundlePath(args);
    const result = await runWorkflowLocally({
      bundle,
      baseDir: resolve(isFolder(path) ? path : dirname(path)),
      workflowName: name,
      launchVars: accepted,
      store: session.store,
      secrets: new FileSecretProvider(resolve(args.secrets ?? session.data.secrets)),
      data: session.data,
      approvals: approvalPolicy(args),
      signal: interrupts.signal,
      observer: combine(recorder, progress),
      compile,
      onEvent: (event) => session.eventLog.write(event),
    });
    await progress.flushed();
    const report = recorder.report(result.workflowJob, result.status, compile(name), compile);
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
        `\n${table(['#', 'node', 'status', 'time', 'changed', 'note'], rows)}\nworkflow ${name} (job ${result.workflowJob}): ${result.status}`,
      );
    }
    return result.status === 'successful' ? 0 : 1;
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

function parseLaunchVars(args: ParsedArgs): Vars {
  let vars: Vars = {};
  if (args.extraVars !== undefined) {
    const text = args.extraVars.startsWith('@') ? readFile(args.extraVars.slice(1)) : args.extraVars;
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new UsageError(
        `--extra-vars is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new UsageError('--extra-vars must be a mapping of variable names to values');
    vars = parsed as Vars;
  }
  for (const pair of args.extraVar) {
    const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(pair);
    if (!match) throw new UsageError(`-e ${pair}: expected key=value`);
    vars[match[1]] = match[2];
  }
  return vars;
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--extra-vars @${path}: ${(error as Error).message}`);
  }
}

/** One observer that tells several. */
function combine(...observers: EngineObserver[]): EngineObserver {
  return {
    executionStarted: (execution) => observers.forEach((o) => o.executionStarted?.(execution)),
    nodeStarted: (event) => observers.forEach((o) => o.nodeStarted?.(event)),
    nodeFinished: (event) => observers.forEach((o) => o.nodeFinished?.(event)),
  };
}
