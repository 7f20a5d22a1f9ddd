import { InvalidError, NotFoundError } from '../errors';
import type { Bundle, WorkflowJobTemplate } from '../model/types';
import { workflowJobPrompts } from '../semantics/prompts';
import { createWorkflowJob } from '../jobs/workflow-jobs';
import type { ExecutionPort } from '../execution/execution-port';
import type { JobStore } from '../store/job-store';
import type { Actor, LaunchType, ScheduleRef, WorkflowJobRecord } from '../store/records';
import { readLaunchBody, summarize, type LaunchBody } from './launch-body';
import { acceptLaunch, type LaunchAcceptance, type LaunchValues } from './launch-rules';

/**
 * The one launch path (docs/architecture.md §2): the API, schedules and `towerless run` all
 * launch through it. AWX's launch rules → the workflow job record (`pending`, with its nodes) →
 * the definitions it runs with → started through the execution port. A refused launch throws an
 * InvalidError carrying AWX's 400 body and creates nothing.
 */
export interface LaunchServices {
  readonly store: JobStore;
  readonly execution: ExecutionPort;
  /** Resolves the ids a client posts; without it no inventory or label id resolves. */
  readonly references?: LaunchReferences;
}

/** The catalog's answer to ids in a launch body: the names the definitions use. */
export interface LaunchReferences {
  inventoryName(id: number): Promise<string | undefined>;
  labelName(id: number): Promise<string | undefined>;
  credentialName(id: number): Promise<string | undefined>;
}

export interface LaunchRequest {
  readonly bundle: Bundle;
  /** The folder relative project paths of the bundle are relative to. */
  readonly baseDir: string;
  /** The workflow job template's name. */
  readonly workflow: string;
  /** The request body as an AWX client posts it (docs/semantics.md §7). */
  readonly body?: unknown;
  /** Default `manual`. */
  readonly launchType?: LaunchType;
  readonly launchedBy?: Actor | null;
  /** The schedule launching it (launch type `scheduled`). */
  readonly schedule?: ScheduleRef;
  /** The template's catalog id, when the launcher knows it. */
  readonly workflowJobTemplate?: number | null;
}

export async function launchWorkflow(
  services: LaunchServices,
  request: LaunchRequest,
): Promise<WorkflowJobRecord> {
  const { store, execution } = services;
  const { workflow, accepted } = await checkLaunch(request, services.references);
  const id = await store.nextJobId();
  await store.putDefinitions(id, request.bundle);
  const { labels, ...prompts } = accepted.fields;
  const job = await createWorkflowJob(store, {
    id,
    bundle: request.bundle,
    workflow,
    launchVars: accepted.variables,
    prompts: workflowJobPrompts(workflow, prompts),
    labels,
    status: 'pending',
    launchType: request.launchType ?? 'manual',
    launchedBy: request.launchedBy ?? null,
    schedule: request.schedule,
    workflowJobTemplate: request.workflowJobTemplate ?? null,
    baseDir: request.baseDir,
  });
  await execution.start(id);
  return job;
}

/**
 * AWX's launch rules alone: what the launch would accept, or the InvalidError it gets. Creates
 * nothing, so a caller can refuse a launch before it opens anything.
 */
export async function checkLaunch(
  request: LaunchRequest,
  references?: LaunchReferences,
): Promise<{ workflow: WorkflowJobTemplate; accepted: LaunchAcceptance }> {
  const workflow = request.bundle.workflow_job_templates.find((w) => w.name === request.workflow);
  if (!workflow) throw new NotFoundError(`workflow job template '${request.workflow}' not found`);
  const values = await resolveReferences(readLaunchBody(request.body), references);
  const accepted = acceptLaunch({ kind: 'workflow_job_template', template: workflow }, values);
  // A person's launch is refused; saved launches (schedules, relaunches) drop what is refused, as AWX does.
  if ((request.launchType ?? 'manual') === 'manual' && Object.keys(accepted.errors).length > 0)
    throw new InvalidError(summarize(accepted.errors), accepted.errors);
  return { workflow, accepted };
}

/**
 * Inventory, label and credential ids to what the definitions name, with Django REST framework's
 * answer for unknown ids.
 */
export async function resolveReferences(
  body: LaunchBody,
  references: LaunchReferences | undefined,
): Promise<LaunchValues> {
  const errors: Record<string, string[]> = {};
  const unknown = (id: number) => `Invalid pk "${id}" - object does not exist.`;
  const { inventory: inventoryId, labels: labelIds, credentials: credentialIds, ...rest } = body;
  const values: { -readonly [K in keyof LaunchValues]: LaunchValues[K] } = rest;
  if (inventoryId !== undefined) {
    const name = await references?.inventoryName(inventoryId);
    if (name === undefined) errors.inventory = [unknown(inventoryId)];
    else values.inventory = name;
  }
  if (labelIds !== undefined) {
    const labels = await Promise.all(
      labelIds.map(async (id) => ({ id, name: await references?.labelName(id) })),
    );
    const missing = labels.find((label) => label.name === undefined);
    if (missing) errors.labels = [unknown(missing.id)];
    else values.labels = labels as { id: number; name: string }[];
  }
  if (credentialIds !== undefined) {
    const names = await Promise.all(credentialIds.map((id) => references?.credentialName(id)));
    const missing = names.findIndex((name) => name === undefined);
    if (missing >= 0) errors.credentials = [unknown(credentialIds[missing])];
    else values.credentials = names as string[];
  }
  if (Object.keys(errors).length > 0) throw new InvalidError(summarize(errors), errors);
  return values;
}
