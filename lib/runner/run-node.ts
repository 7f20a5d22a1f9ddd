import { flagOf } from '../model/launch-prompts';
import type { Credential, Bundle, Inventory, JobTemplate, Project, Vars, WorkflowNode } from '../model/types';
import { jobNodeVars, passwordVariables } from '../semantics/variables';
import type { JobStore } from '../store/job-store';
import type { NodeJobRecord, WorkflowJobRecord } from '../store/records';
import { runAnsible, type RunnerEvent } from './ansible-runner';
import { injectCredentials, type InjectionSources } from './credentials';
import { gitAccess } from './git-credentials';
import { NodeRunFailure } from './failure';
import { evaluateSource, sourceArgument, staticInventory, type InventoryDocument } from './inventory';
import { jobOptions } from './job-options';
import { metaVars } from './meta-vars';
import { checkoutProject, playbookPath, type Checkout } from './project';
import { Redactor } from './redact';
import { TempFiles } from './temp-files';
import type { SecretProvider } from './secrets';
import { openedVars } from '../jobs/workflow-jobs';

/** The largest `set_stats` artifacts a job may pass on (the execution state holds none of it). */
export const MAX_ARTIFACT_BYTES = 256 * 1024;
/** stdout kept on the job record (the store splits large records); the full output is in the event log. */
const MAX_STORED_STDOUT = 1024 * 1024;

export interface NodeRunContext {
  readonly bundle: Bundle;
  /** The projects root: manual projects and source files without a project are inside it. */
  readonly baseDir: string;
  /** A private folder for the run's scratch files (private data dirs, keys), swept at start. */
  readonly scratchDir: string;
  readonly store: JobStore;
  readonly secrets: SecretProvider;
  /** Folder of git checkouts, reused across nodes and runs. */
  readonly cacheDir: string;
  /** The workflow job the node belongs to, its sealed values opened. */
  readonly workflowJob: WorkflowJobRecord;
  /** The node's job, spawned before (lib/jobs: its id and inherited artifacts are recorded). */
  readonly job: NodeJobRecord;
  readonly signal: AbortSignal;
  /**
   * Sanitised events, one JSON object each (secrets scrubbed, never the environment). When it
   * throws (the event log cannot be written), the playbook is stopped and the node fails with
   * the error's message.
   */
  readonly onEvent?: (event: Record<string, unknown>) => void;
}

/**
 * One node run (docs/architecture.md §5): resolve the template, check out the project, write the inventory,
 * compute extra vars, inject credentials, run ansible-runner, store artifacts and the job record.
 * The caller spawned the node's job; this runs it. Resolves with the successful record; throws a
 * NodeRunFailure (after recording it) otherwise.
 */
export async function runNode(context: NodeRunContext): Promise<NodeJobRecord> {
  const { workflowJob } = context;
  const workflow = find(context.bundle.workflow_job_templates, workflowJob.name, 'workflow job template');
  const node = workflow.workflow_nodes.find((n) => n.identifier === context.job.node);
  if (!node?.unified_job_template)
    throw new NodeRunFailure(
      `workflow '${workflow.name}' has no runnable node '${context.job.node}'`,
      'error',
    );
  const siblings = await context.store.nodeJobs(workflowJob.id);
  const started = new Date();
  const base: NodeJobRecord = { ...context.job, status: 'running', started: started.toISOString() };
  await context.store.putNodeJob(base);
  const redactor = new Redactor();
  const finish = async (update: Partial<NodeJobRecord>): Promise<NodeJobRecord> => {
    const finished = new Date();
    const elapsed = (finished.getTime() - started.getTime()) / 1000;
    const record = redactor.deep({ ...base, ...update, finished: finished.toISOString(), elapsed });
    await context.store.putNodeJob(record);
    return record;
  };
  let failure: NodeRunFailure;
  try {
    const update = await new NodeRun(context, workflowJob, node, siblings, base, redactor).execute();
    const record = await finish({ ...update, status: update.status ?? 'successful' });
    if (record.status === 'successful') return record;
    failure = new NodeRunFailure(
      record.job_explanation ?? `job ${record.status}`,
      record.status === 'running' || record.status === 'pending' ? 'failed' : record.status,
    );
  } catch (error) {
    // Anything unexpected (a store or file system error, a missing program) still ends the node:
    // as an error, recorded, with its message scrubbed like everything else.
    failure =
      error instanceof NodeRunFailure
        ? new NodeRunFailure(redactor.text(error.message), error.status)
        : new NodeRunFailure(`runner error: ${redactor.text((error as Error).message)}`, 'error');
    const stored = await context.store.getNodeJob(workflowJob.id, node.identifier).catch(() => undefined);
    if (stored?.status === 'running')
      await finish({ status: failure.status, job_explanation: failure.message }).catch(() => undefined);
  }
  throw failure;
}

function find<T extends { readonly name: string }>(
  resources: readonly T[],
  name: string | null,
  label: string,
): T {
  const resource = resources.find((r) => r.name === name);
  if (!resource) throw new NodeRunFailure(`${label} '${name}' is not defined`, 'error');
  return resource;
}

class NodeRun {
  private readonly files: TempFiles;

  constructor(
    private readonly context: NodeRunContext,
    private readonly workflowJob: WorkflowJobRecord,
    private readonly node: WorkflowNode,
    private readonly siblings: readonly NodeJobRecord[],
    private readonly base: NodeJobRecord,
    private readonly redactor: Redactor,
  ) {
    this.files = new TempFiles(context.scratchDir);
    // Survey password answers are secrets of every job of the workflow job (docs/secrets.md).
    this.redactor.add(secretValues(workflowJob.secret_vars ?? {}));
  }

  async execute(): Promise<Partial<NodeJobRecord>> {
    try {
      return await this.executeTarget();
    } finally {
      this.files.removeAll();
    }
  }

  private async executeTarget(): Promise<Partial<NodeJobRecord>> {
    const target = this.node.unified_job_template!;
    const { bundle } = this.context;
    switch (target.type) {
      case 'project': {
        const checkout = await this.checkout(find(bundle.projects, target.name, 'project'), undefined);
        return { scm_revision: checkout.revision };
      }
      case 'inventory_source': {
        const inventory = bundle.inventories.find((i) =>
          i.inventory_sources.some((s) => s.name === target.name),
        )!;
        return { inventory: { ...(await this.syncSource(inventory, target.name)) } };
      }
      case 'job_template':
        return this.runJob(find(bundle.job_templates, target.name, 'job template'));
      default:
        throw new NodeRunFailure(`a ${target.type} node is not run by the runner`, 'error');
    }
  }

  /** What credential injection reads: the secret store, the bundle's credential types, this run's files. */
  private get injectionSources(): InjectionSources {
    const { secrets, bundle } = this.context;
    return { secrets, credentialTypes: bundle.credential_types, files: this.files };
  }

  private async runJob(template: JobTemplate): Promise<Partial<NodeJobRecord>> {
    const { bundle } = this.context;
    const options = jobOptions(template, this.node, this.workflowJob.prompts);
    // docs/semantics.md §1.7: checked after prompts are applied (a node may supply the inventory).
    if (!template.project || !options.inventory) {
      throw new NodeRunFailure(
        'Job spawned from workflow could not start because it was missing a related resource such as project or inventory',
      );
    }
    const project = find(bundle.projects, template.project, 'project');
    const checkout = await this.checkout(
      project,
      project.allow_override ? options.scmBranch || undefined : undefined,
    );
    const playbook = playbookPath(checkout, template.playbook);
    const inventory = find(bundle.inventories, options.inventory, 'inventory');
    const credentials = mergeCredentials(
      template.credentials.map((name) => find(bundle.credentials, name, 'credential')),
      template[flagOf('credentials')]
        ? this.node.credentials.map((name) => find(bundle.credentials, name, 'credential'))
        : [],
    );
    const injection = await injectCredentials(credentials, this.injectionSources);
    this.redactor.add(injection.secrets);
    const { vars } = jobNodeVars({
      template,
      nodeExtraData: this.node.extra_data,
      ancestorArtifacts: this.base.ancestor_artifacts,
      workflowVars: openedVars(this.workflowJob),
    });
    // The template's own survey passwords (defaults, node answers) are secrets too.
    this.redactor.add(
      secretValues(Object.fromEntries(passwordVariables(template).map((key) => [key, vars[key]]))),
    );
    let stdout = '';
    let lastError = '';
    let omitted = 0;
    const stopped = new AbortController();
    let eventFailure: Error | undefined;
    const emit = (event: Record<string, unknown>) => {
      if (eventFailure) return;
      try {
        this.context.onEvent?.(event);
      } catch (error) {
        eventFailure = error as Error;
        stopped.abort();
      }
    };
    const result = await runAnsible({
      scratchDir: this.context.scratchDir,
      privateFiles: this.files.folders,
      projectDir: checkout.directory,
      playbook,
      inventory: await this.inventoryFor(inventory),
      // Credential extra vars come first: everything else overrides them (as in AWX).
      extraVars: {
        ...injection.extraVars,
        ...vars,
        ...metaVars(this.workflowJob, this.base, this.node, template, checkout, inventory),
      },
      trustedVars: template.extra_vars,
      limit: options.limit || undefined,
      forks: options.forks || undefined,
      verbosity: options.verbosity,
      timeout: options.timeout,
      cmdline: [...options.cmdline, ...injection.cmdline],
      envvars: injection.envvars,
      passwords: injection.passwords,
      sshKey: injection.sshKey,
      signal: AbortSignal.any([this.context.signal, stopped.signal]),
      onEvent: (raw: RunnerEvent) => {
        // Scrubbed first: everything below may cut text, and a cut secret is no longer recognised.
        const event = this.redactor.deep(raw);
        // stdout is kept up to its cap (the event log has it all); beyond, only counted.
        if (typeof event.stdout === 'string' && event.stdout) {
          if (stdout.length < MAX_STORED_STDOUT) stdout += `${event.stdout}\n`;
          else omitted += event.stdout.length + 1;
        }
        if (event.event === 'runner_on_failed' || event.event === 'runner_on_unreachable')
          lastError = taskError(event);
        else if (event.event === 'verbose' && !lastError && /^\s*ERROR!/.test(String(event.stdout)))
          lastError = String(event.stdout).trim().slice(0, 500); // Ansible refused the playbook
        emit({ workflow_job: this.workflowJob.id, job: this.base.id, node: this.node.identifier, ...event });
      },
    });
    // How long ansible-runner itself ran, for the event log (and for measuring what surrounds it).
    emit({
      workflow_job: this.workflowJob.id,
      job: this.base.id,
      node: this.node.identifier,
      event: 'towerless_ansible_runner_exit',
      rc: result.rc,
      status: result.status,
      elapsed: result.elapsed,
    });
    const artifactBytes = Buffer.byteLength(JSON.stringify(result.artifacts));
    const stored = omitted > 0 ? `${stdout}[${omitted} more characters in the job's event log]\n` : stdout;
    const outcome: Partial<NodeJobRecord> = {
      rc: result.rc,
      host_summary: result.hostSummary,
      scm_revision: checkout.revision,
      stdout: stored,
      artifacts: result.artifacts,
    };
    if (eventFailure) return { ...outcome, status: 'failed', job_explanation: eventFailure.message };
    if (artifactBytes > MAX_ARTIFACT_BYTES) {
      return {
        ...outcome,
        artifacts: {},
        status: 'failed',
        job_explanation: `set_stats artifacts are ${artifactBytes} bytes, over the ${MAX_ARTIFACT_BYTES}-byte limit; nothing was passed on`,
      };
    }
    switch (result.status) {
      case 'successful':
        return outcome;
      case 'timeout':
        return {
          ...outcome,
          status: 'failed',
          job_explanation: `Job terminated due to timeout (${options.timeout} seconds)`,
        };
      case 'canceled':
        return { ...outcome, status: 'canceled', job_explanation: 'Job was canceled' };
      default:
        return {
          ...outcome,
          status: 'failed',
          job_explanation: failureExplanation(result.rc, result.hostSummary, lastError),
        };
    }
  }

  private async checkout(project: Project, ref: string | undefined): Promise<Checkout> {
    // A project sync node earlier in this workflow job fixes the commit its descendants use.
    const synced = this.siblings.find(
      (r) =>
        r.kind === 'project' && r.template === project.name && r.status === 'successful' && r.scm_revision,
    );
    const credential = project.credential
      ? find(this.context.bundle.credentials, project.credential, 'credential')
      : undefined;
    const access = await gitAccess(credential, this.context.secrets, this.files);
    this.redactor.add(access.secrets);
    return checkoutProject(project, {
      cacheDir: this.context.cacheDir,
      baseDir: this.context.baseDir,
      ref,
      revision: ref ? undefined : synced?.scm_revision,
      environment: access.environment,
      signal: this.context.signal,
      privateFiles: this.files.folders,
    });
  }

  /** The inventory's static hosts, plus what its sources produced (synced earlier, or now when they update on launch). */
  private async inventoryFor(inventory: Inventory): Promise<InventoryDocument> {
    const document = staticInventory(inventory);
    for (const source of inventory.inventory_sources) {
      const synced = this.siblings.find(
        (r) => r.kind === 'inventory_source' && r.template === source.name && r.status === 'successful',
      );
      const produced =
        (synced?.inventory as InventoryDocument | undefined) ??
        (source.update_on_launch ? await this.syncSource(inventory, source.name) : undefined);
      if (produced) mergeInventory(document, produced);
    }
    return document;
  }

  private async syncSource(inventory: Inventory, sourceName: string): Promise<InventoryDocument> {
    const source = inventory.inventory_sources.find((s) => s.name === sourceName)!;
    const project = source.source_project
      ? await this.checkout(find(this.context.bundle.projects, source.source_project, 'project'), undefined)
      : undefined;
    const credentials = source.credential
      ? [find(this.context.bundle.credentials, source.credential, 'credential')]
      : [];
    const injection = await injectCredentials(credentials, this.injectionSources);
    this.redactor.add(injection.secrets);
    const argument = sourceArgument(source, project?.directory, this.context.baseDir);
    // Inventory plugins pick their config files by name: aws_ec2.yml for amazon.aws.aws_ec2.
    const path =
      argument.path ??
      this.files.write(
        source.source === 'ec2' ? 'aws_ec2.yml' : `${source.source}.yml`,
        JSON.stringify(argument.config),
      );
    return evaluateSource(
      path,
      { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...injection.envvars },
      project?.directory ?? this.context.baseDir,
      this.context.signal,
    );
  }
}

/** The string forms of secret values (numbers too: a numeric password is still a password). */
function secretValues(vars: Vars): string[] {
  return Object.values(vars).flatMap((value) =>
    typeof value === 'string' || typeof value === 'number' ? [String(value)] : [],
  );
}

/** Prompted credentials replace the template's of the same type, and add the others (as AWX does). */
function mergeCredentials(template: readonly Credential[], prompted: readonly Credential[]): Credential[] {
  const byType = new Map(template.map((credential) => [credential.credential_type, credential]));
  for (const credential of prompted) byType.set(credential.credential_type, credential);
  return [...byType.values()];
}

function mergeInventory(into: InventoryDocument, from: InventoryDocument): void {
  Object.assign(into.all.hosts, from.all.hosts);
  Object.assign(into.all.vars, from.all.vars);
  Object.assign(into.all.children, from.all.children);
}

/** `task name: message` of a failed or unreachable task event. */
function taskError(event: RunnerEvent): string {
  const data = event.event_data ?? {};
  const res = (data.res ?? {}) as { msg?: unknown };
  return `${String(data.task ?? 'task')}: ${typeof res.msg === 'string' ? res.msg : 'failed'}`.slice(0, 500);
}

function failureExplanation(
  rc: number,
  summary: Record<string, { failures: number; unreachable: number }>,
  lastError: string,
): string {
  const failed = Object.entries(summary)
    .filter(([, s]) => s.failures > 0)
    .map(([host]) => host);
  const unreachable = Object.entries(summary)
    .filter(([, s]) => s.unreachable > 0)
    .map(([host]) => host);
  const parts = [
    failed.length ? `failed on ${failed.join(', ')}` : '',
    unreachable.length ? `unreachable: ${unreachable.join(', ')}` : '',
  ].filter(Boolean);
  if (lastError) parts.push(lastError);
  return `Playbook run failed (rc ${rc})${parts.length ? `: ${parts.join('; ')}` : ''}`;
}
