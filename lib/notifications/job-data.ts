import type { JobTemplate } from '../model/types';
import {
  nodeJobType,
  type Actor,
  type ApprovalRecord,
  type NodeJobRecord,
  type WorkflowJobNodeRecord,
  type WorkflowJobRecord,
} from '../store/records';

/**
 * What a message may say of a job: AWX's `context()` (awx/main/models/notifications.py) as
 * Towerless's records know it (docs/notifications.md "Messages and variables"): `job.*` (AWX's
 * allowed fields plus `extra_vars`), `job_friendly_name`, `url`, and `job_metadata`, the job's
 * `notification_data()` as indented JSON. An approval's is AWX's approval context:
 * `approval_status`, `approval_node_name`, `workflow_url`, `job_metadata`, and the links to
 * approve and deny it.
 */
export type MessageContext = Record<string, unknown>;

/** A job's facts for messages: the context, and the `notification_data()` webhooks post. */
export interface JobFacts {
  readonly context: MessageContext;
  readonly data: Record<string, unknown>;
}

/**
 * Where a job is shown. AWX links its UI (`TOWER_URL_BASE/jobs/playbook/N`); Towerless has no such
 * pages, so links name the job's API object, which a browser shows too.
 */
export function apiUrl(baseUrl: string, path: string, id: number): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v2/${path}/${id}/`;
}

const FRIENDLY_NAMES: Partial<Record<NodeJobRecord['kind'], string>> = {
  job_template: 'Job',
  project: 'Project Update',
  inventory_source: 'Inventory Update',
};

const NODE_JOB_PATHS = {
  job: 'jobs',
  project_update: 'project_updates',
  inventory_update: 'inventory_updates',
};

export function workflowJobFacts(
  job: WorkflowJobRecord,
  nodes: readonly { readonly node: WorkflowJobNodeRecord; readonly job?: NodeJobRecord }[],
  baseUrl: string,
): JobFacts {
  const url = apiUrl(baseUrl, 'workflow_jobs', job.id);
  const summary = nodes.map(({ node, job: spawned }) =>
    spawned?.id
      ? `- node #${node.id} spawns job #${spawned.id}, "${spawned.template ?? node.identifier}", which finished with status ${spawned.status}.`
      : `- node #${node.id} spawns no job.`,
  );
  const data = {
    ...baseData(job, url),
    body: ['Workflow job summary:', '', ...summary].join('\n'),
    inventory: job.prompts?.inventory ?? null,
    limit: job.prompts?.limit ?? null,
    extra_vars: job.extra_vars,
  };
  return facts('Workflow Job', url, data, {
    ...jobFields(job, url, 'workflow_job'),
    launch_type: job.launch_type,
    allow_simultaneous: job.allow_simultaneous,
    extra_vars: job.extra_vars,
  });
}

export function nodeJobFacts(
  job: NodeJobRecord & { readonly id: number },
  workflowJob: WorkflowJobRecord,
  template: JobTemplate | undefined,
  baseUrl: string,
): JobFacts {
  const type = nodeJobType(job.kind) ?? 'job';
  const url = apiUrl(baseUrl, NODE_JOB_PATHS[type], job.id);
  const record = { ...job, name: job.template ?? job.node, launched_by: workflowJob.launched_by };
  const hosts = job.host_summary ?? {};
  const data = {
    ...baseData(record, url),
    inventory: template?.inventory ?? null,
    project: template?.project ?? null,
    playbook: template?.playbook ?? null,
    credential: template?.credentials[0] ?? null,
    limit: template?.limit ?? null,
    extra_vars: workflowJob.extra_vars,
    hosts: Object.fromEntries(
      Object.entries(hosts).map(([host, s]) => [
        host,
        { ...s, dark: s.unreachable, failed: s.failures > 0 || s.unreachable > 0, processed: 1 },
      ]),
    ),
  };
  const totals = Object.values(hosts);
  const sum = (key: 'ok' | 'changed' | 'failures' | 'unreachable' | 'skipped' | 'rescued' | 'ignored') =>
    totals.reduce((total, s) => total + s[key], 0);
  return facts(FRIENDLY_NAMES[job.kind] ?? 'Job', url, data, {
    ...jobFields(record, url, type),
    launch_type: job.standalone ? workflowJob.launch_type : 'workflow',
    job_type: 'run',
    playbook: template?.playbook ?? '',
    limit: template?.limit ?? '',
    elapsed: job.elapsed ?? 0,
    scm_revision: job.scm_revision ?? '',
    artifacts: job.artifacts,
    extra_vars: workflowJob.extra_vars,
    host_status_counts: {
      ok: sum('ok'),
      changed: sum('changed'),
      failures: sum('failures'),
      dark: sum('unreachable'),
      skipped: sum('skipped'),
      rescued: sum('rescued'),
      ignored: sum('ignored'),
      processed: totals.length,
      failed: sum('failures') + sum('unreachable') > 0,
    },
  });
}

/** An approval's context; `links` (approve_url, deny_url) only while it waits. */
export function approvalFacts(
  approval: ApprovalRecord,
  workflowJob: WorkflowJobRecord,
  baseUrl: string,
  links: { readonly approve_url: string; readonly deny_url: string } | undefined,
): JobFacts {
  const url = apiUrl(baseUrl, 'workflow_approvals', approval.id);
  const shownStatus =
    approval.status === 'approved' ? 'successful' : approval.status === 'pending' ? 'pending' : 'failed';
  const data = {
    ...baseData(
      {
        ...approval,
        status: shownStatus,
        started: approval.created,
        finished: approval.decided,
        launched_by: workflowJob.launched_by,
      },
      url,
    ),
    extra_vars: workflowJob.extra_vars,
  };
  return {
    data,
    context: {
      approval_status: approval.status,
      approval_node_name: approval.name,
      workflow_url: apiUrl(baseUrl, 'workflow_jobs', workflowJob.id),
      job_metadata: JSON.stringify(data, null, 4),
      ...links,
    },
  };
}

interface JobLike {
  readonly id: number | null;
  readonly name: string;
  readonly status: string;
  readonly created?: string;
  readonly started?: string;
  readonly finished?: string;
  readonly job_explanation?: string;
  readonly launched_by?: Actor | null;
}

/** AWX's UnifiedJob.notification_data(). */
function baseData(job: JobLike, url: string): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    url,
    created_by: job.launched_by?.username ?? null,
    started: job.started ?? null,
    finished: job.finished ?? null,
    status: job.status,
    traceback: '',
  };
}

/** The serialized job fields every unified job has, as AWX's allowed list names them. */
function jobFields(job: JobLike, url: string, type: string): Record<string, unknown> {
  return {
    id: job.id,
    type,
    url,
    name: job.name,
    description: '',
    created: job.created ?? null,
    modified: job.finished ?? job.started ?? job.created ?? null,
    status: job.status,
    failed: job.status === 'failed' || job.status === 'error',
    started: job.started ?? null,
    finished: job.finished ?? null,
    job_explanation: job.job_explanation ?? '',
    summary_fields: job.launched_by
      ? { created_by: { id: job.launched_by.id, username: job.launched_by.username } }
      : {},
  };
}

function facts(
  friendlyName: string,
  url: string,
  data: Record<string, unknown>,
  job: Record<string, unknown>,
): JobFacts {
  return {
    data,
    context: {
      job,
      job_friendly_name: friendlyName,
      url,
      job_metadata: JSON.stringify(data, null, 4),
    },
  };
}
