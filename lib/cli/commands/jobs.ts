import type { AwxClient } from '../../client/awx-client';
import {
  cancelWorkflowJob,
  decideApproval,
  findWorkflowTemplate,
  launchWorkflow,
  monitorWorkflowJob,
  nodeStatus,
  relaunchWorkflowJob,
  resumeWorkflowJob,
  workflowJob,
  workflowJobNodes,
  type WorkflowJobNode,
} from '../../client/jobs';
import { resumeWorkflowJob as resumeLocally } from '../../launch/resume-workflow';
import { openLocalSession } from '../../local/local-session';
import { UsageError, type ParsedArgs } from '../args';
import { checkLocalJobArgs, runLocalJob } from '../local-job';
import { parseLaunchVars } from '../launch-vars';
import { table, type Io } from '../output';
import { idArgument, serverClient } from '../server';

/** `towerless launch NAME`: prints the new workflow job's id; `--monitor` follows it to its end. */
export async function launchCommand(args: ParsedArgs, io: Io): Promise<number> {
  const vars = parseLaunchVars(args);
  const client = serverClient(args);
  const template = await findWorkflowTemplate(client, args.positionals[0]);
  const id = await launchWorkflow(client, template, vars);
  io.out(String(id));
  return args.monitor ? monitor(client, id, io) : 0;
}

/** `towerless relaunch ID`: prints the new workflow job's id; `--monitor` follows it to its end. */
export async function relaunchCommand(args: ParsedArgs, io: Io): Promise<number> {
  const previous = idArgument(args);
  const client = serverClient(args);
  const id = await relaunchWorkflowJob(client, previous);
  io.out(String(id));
  return args.monitor ? monitor(client, id, io) : 0;
}

/**
 * `towerless resume ID [--from NODE]...`: with `--data`, on this machine, followed as `run`
 * follows a job; otherwise on the server, as `relaunch` (docs/semantics.md §13.11).
 */
export async function resumeCommand(args: ParsedArgs, io: Io): Promise<number> {
  const previous = idArgument(args);
  const from = args.from ?? [];
  if (args.data !== undefined) {
    if (args.url !== undefined)
      throw new UsageError('give --data (this machine) or --url (a server), not both');
    checkLocalJobArgs(args);
    if (args.monitor)
      throw new UsageError('--monitor follows a resume on a server: on this machine it is followed anyway');
    const session = await openLocalSession(args.data);
    try {
      return await runLocalJob(args, io, session, (services) => resumeLocally(services, previous, { from }));
    } finally {
      await session.close();
    }
  }
  // Options of a resume on this machine mean nothing to a server's: refused, not ignored.
  const local = (['secrets', 'approve', 'deny', 'json'] as const).find((option) => args[option]);
  if (local) throw new UsageError(`--${local} applies to a resume on this machine (with --data DIR)`);
  const client = serverClient(args);
  const id = await resumeWorkflowJob(client, previous, from);
  io.out(String(id));
  return args.monitor ? monitor(client, id, io) : 0;
}

/** Node progress as it changes, then the workflow's status; exit 0 iff successful. */
async function monitor(client: AwxClient, id: number, io: Io): Promise<number> {
  const job = await monitorWorkflowJob(client, id, (node, status) => io.out(progressLine(node, status)));
  io.out(`workflow job ${job.id} (${job.name}): ${job.status}`);
  return job.status === 'successful' ? 0 : 1;
}

function progressLine(node: WorkflowJobNode, status: string): string {
  const line = `  ${node.identifier} (${templateName(node)}): ${status}`;
  const waiting = node.summary_fields?.job?.type === 'workflow_approval' && status === 'pending';
  return waiting ? `${line}: towerless approve ${node.job} (or deny ${node.job})` : line;
}

function templateName(node: WorkflowJobNode): string {
  return node.summary_fields?.unified_job_template?.name ?? '-';
}

/** `towerless status ID`: the workflow job's state; `--json` prints the API's object. */
export async function statusCommand(args: ParsedArgs, io: Io): Promise<number> {
  const id = idArgument(args);
  const job = await workflowJob(serverClient(args), id);
  if (args.json) io.out(JSON.stringify(job));
  else {
    const rows = (['id', 'name', 'status', 'failed', 'started', 'finished', 'elapsed'] as const).map(
      (field) => [field, String(job[field] ?? '-')],
    );
    io.out(table(['field', 'value'], rows));
  }
  return 0;
}

/** `towerless nodes ID`: each node of the workflow job, its template, job and status. */
export async function nodesCommand(args: ParsedArgs, io: Io): Promise<number> {
  const id = idArgument(args);
  const nodes = await workflowJobNodes(serverClient(args), id);
  if (args.json) io.out(JSON.stringify(nodes));
  else {
    const rows = nodes.map((node) => [
      node.identifier,
      templateName(node),
      node.job === null ? '-' : String(node.job),
      nodeStatus(node) ?? 'not started',
    ]);
    io.out(table(['node', 'template', 'job', 'status'], rows));
  }
  return 0;
}

export async function approveCommand(args: ParsedArgs, io: Io): Promise<number> {
  const id = idArgument(args);
  await decideApproval(serverClient(args), id, 'approve');
  io.out(`workflow approval ${id}: approved`);
  return 0;
}

export async function denyCommand(args: ParsedArgs, io: Io): Promise<number> {
  const id = idArgument(args);
  await decideApproval(serverClient(args), id, 'deny');
  io.out(`workflow approval ${id}: denied`);
  return 0;
}

export async function cancelCommand(args: ParsedArgs, io: Io): Promise<number> {
  const id = idArgument(args);
  await cancelWorkflowJob(serverClient(args), id);
  io.out(`workflow job ${id}: cancel requested`);
  return 0;
}
