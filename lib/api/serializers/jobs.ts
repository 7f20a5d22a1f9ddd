import type { CatalogStore } from '../../catalog/catalog-store';
import type { DefinitionRecord } from '../../catalog/definition';
import type { ResourceKind } from '../../catalog/kinds';
import { elapsedSeconds, isFailed } from '../../jobs/job-status';
import { pythonJson } from '../../model/python-json';
import type { JobStore } from '../../store/job-store';
import {
  nodeJobType,
  type NodeJobType,
  type Actor,
  type ApprovalRecord,
  type NodeJobRecord,
  type WorkflowJobNodeRecord,
  type WorkflowJobRecord,
} from '../../store/records';
import { API_PREFIX } from '../version';
import { collectionOf } from './definition';

type Serialized = Record<string, unknown>;
const link = (path: string) => `${API_PREFIX}/${path}/`;
const JOB_PATHS = {
  job: 'jobs',
  project_update: 'project_updates',
  inventory_update: 'inventory_updates',
} as const;
/** The sub-path of a job's events: AWX names it `job_events` for playbook jobs only. */
export const EVENT_LISTS: Readonly<Record<NodeJobType, string>> = {
  job: 'job_events',
  project_update: 'events',
  inventory_update: 'events',
};

function launchedBy(actor: Actor | null): Serialized {
  return actor ? { id: actor.id, name: actor.username, type: 'user', url: link(`users/${actor.id}`) } : {};
}

/** AWX's fields of any unified job: status, `failed`, times and `elapsed`. */
function unifiedJob(record: {
  status: string;
  created?: string;
  started?: string;
  finished?: string;
  job_explanation?: string;
}): Serialized {
  return {
    created: record.created ?? record.started ?? null,
    modified: record.finished ?? record.started ?? record.created ?? null,
    status: record.status,
    failed: isFailed(record.status),
    started: record.started ?? null,
    finished: record.finished ?? null,
    elapsed: Number(elapsedSeconds(record).toFixed(3)),
    job_explanation: record.job_explanation ?? '',
  };
}

/**
 * Shows the jobs of the store as AWX does. Templates are named in job records; their catalog ids
 * are looked up once per request (a job of a file bundle has none).
 */
export class JobSerializer {
  private readonly templateIds = new Map<string, Promise<number | null>>();

  constructor(
    private readonly jobs: JobStore,
    private readonly catalog: CatalogStore,
  ) {}

  async workflowJob(job: WorkflowJobRecord): Promise<Serialized> {
    const url = link(`workflow_jobs/${job.id}`);
    const template = job.workflow_job_template;
    return {
      id: job.id,
      type: 'workflow_job',
      url,
      related: {
        workflow_nodes: `${url}workflow_nodes/`,
        cancel: `${url}cancel/`,
        relaunch: `${url}relaunch/`,
        labels: `${url}labels/`,
        activity_stream: `${url}activity_stream/`,
        ...(template
          ? {
              workflow_job_template: link(`workflow_job_templates/${template}`),
              unified_job_template: link(`workflow_job_templates/${template}`),
            }
          : {}),
        ...(job.launched_by ? { created_by: link(`users/${job.launched_by.id}`) } : {}),
        // Towerless's resumes (docs/semantics.md §13.11), both ways.
        ...(job.resumes ? { resumed_from: link(`workflow_jobs/${job.resumes.workflowJob}`) } : {}),
        ...(job.resumed_by !== undefined ? { resumed_by: link(`workflow_jobs/${job.resumed_by}`) } : {}),
      },
      summary_fields: {
        ...(template
          ? {
              workflow_job_template: { id: template, name: job.name, description: '' },
              unified_job_template: {
                id: template,
                name: job.name,
                description: '',
                unified_job_type: 'workflow_job',
              },
            }
          : {}),
        launched_by: launchedBy(job.launched_by),
        labels: { count: job.labels?.length ?? 0, results: job.labels ?? [] },
        user_capabilities: { delete: true, start: true },
      },
      name: job.name,
      description: '',
      unified_job_template: template,
      launch_type: job.launch_type,
      schedule: job.schedule?.id ?? null,
      ...unifiedJob(job),
      created: job.created,
      canceled_on: job.canceled_on ?? null,
      launched_by: launchedBy(job.launched_by),
      workflow_job_template: template,
      extra_vars: pythonJson(job.extra_vars),
      allow_simultaneous: job.allow_simultaneous,
      is_sliced_job: false,
      inventory: null,
      limit: job.prompts?.limit ?? null,
      scm_branch: job.prompts?.scm_branch ?? null,
      job_tags: job.prompts?.job_tags ?? null,
      skip_tags: job.prompts?.skip_tags ?? null,
      webhook_service: '',
      webhook_credential: null,
      webhook_guid: '',
      resumed_from: job.resumes?.workflowJob ?? null,
      resumed_by: job.resumed_by ?? null,
    };
  }

  async workflowJobNode(
    node: WorkflowJobNodeRecord,
    siblings: readonly WorkflowJobNodeRecord[],
  ): Promise<Serialized> {
    const url = link(`workflow_job_nodes/${node.id}`);
    const ids = (identifiers: readonly string[]) =>
      identifiers
        .map((identifier) => siblings.find((other) => other.identifier === identifier)?.id)
        .filter((id) => id !== undefined);
    const target = node.unified_job_template;
    const templateId = target
      ? await this.templateId(
          target.type === 'workflow_approval' ? 'workflow_approval_template' : target.type,
          target.name,
        )
      : null;
    const job = node.job === null ? undefined : await this.jobSummary(node);
    return {
      id: node.id,
      type: 'workflow_job_node',
      url,
      related: {
        success_nodes: `${url}success_nodes/`,
        failure_nodes: `${url}failure_nodes/`,
        always_nodes: `${url}always_nodes/`,
        workflow_job: link(`workflow_jobs/${node.workflowJob}`),
        ...(job ? { job: job.url } : {}),
        ...(templateId !== null && target
          ? {
              unified_job_template: link(
                `${collectionOf(target.type === 'workflow_approval' ? 'workflow_approval_template' : target.type)}/${templateId}`,
              ),
            }
          : {}),
      },
      summary_fields: {
        workflow_job: { id: node.workflowJob },
        ...(job ? { job: job.summary } : {}),
        ...(target
          ? {
              unified_job_template: {
                id: templateId,
                name: target.name,
                description: '',
                unified_job_type:
                  target.type === 'workflow_job_template'
                    ? 'workflow_job'
                    : target.type === 'job_template'
                      ? 'job'
                      : target.type.replace('_template', ''),
              },
            }
          : {}),
      },
      created: node.created,
      modified: node.created,
      extra_data: {},
      job: node.job,
      workflow_job: node.workflowJob,
      unified_job_template: templateId,
      success_nodes: ids(node.success_nodes),
      failure_nodes: ids(node.failure_nodes),
      always_nodes: ids(node.always_nodes),
      all_parents_must_converge: node.all_parents_must_converge,
      do_not_run: node.do_not_run,
      identifier: node.identifier,
    };
  }

  /**
   * A node job (playbook run, project or inventory update) as its AWX kind shows it: in its
   * workflow job, or standalone (launched on its own: how and by whom come from its carrier).
   */
  async nodeJob(record: NodeJobRecord): Promise<Serialized> {
    const type = nodeJobType(record.kind) ?? 'job';
    const url = link(`${JOB_PATHS[type]}/${record.id}`);
    const carrier = record.standalone ? await this.jobs.getWorkflowJob(record.workflowJob) : undefined;
    const counts = Object.values(record.host_summary ?? {}).reduce(
      (sum, host) => ({
        ok: sum.ok + host.ok,
        changed: sum.changed + host.changed,
        failures: sum.failures + host.failures,
        dark: sum.dark + host.unreachable,
        skipped: sum.skipped + host.skipped,
      }),
      { ok: 0, changed: 0, failures: 0, dark: 0, skipped: 0 },
    );
    return {
      id: record.id,
      type,
      url,
      related: {
        stdout: `${url}stdout/`,
        [EVENT_LISTS[type]]: `${url}${EVENT_LISTS[type]}/`,
        ...(carrier
          ? { cancel: `${url}cancel/`, relaunch: `${url}relaunch/` }
          : { source_workflow_job: link(`workflow_jobs/${record.workflowJob}`) }),
      },
      summary_fields: {
        ...(carrier ? {} : { source_workflow_job: { id: record.workflowJob } }),
        unified_job_template: { name: record.template },
        ...(carrier ? { launched_by: launchedBy(carrier.launched_by) } : {}),
        user_capabilities: { delete: true, start: carrier !== undefined },
      },
      name: record.template,
      description: '',
      launch_type: carrier?.launch_type ?? 'workflow',
      ...(carrier ? { schedule: carrier.schedule?.id ?? null } : {}),
      ...(carrier
        ? {
            launched_by: launchedBy(carrier.launched_by),
            unified_job_template: carrier.standalone!.unified_job_template,
            extra_vars: pythonJson(carrier.extra_vars),
          }
        : {}),
      ...unifiedJob(record),
      artifacts: record.artifacts,
      scm_revision: record.scm_revision ?? '',
      result_traceback: '',
      host_status_counts: counts,
      ...(record.rc === undefined ? {} : { rc: record.rc }),
    };
  }

  approval(record: ApprovalRecord): Serialized {
    const url = link(`workflow_approvals/${record.id}`);
    return {
      id: record.id,
      type: 'workflow_approval',
      url,
      related: {
        approve: `${url}approve/`,
        deny: `${url}deny/`,
        source_workflow_job: link(`workflow_jobs/${record.workflowJob}`),
      },
      summary_fields: {
        source_workflow_job: { id: record.workflowJob },
        approved_or_denied_by: record.decided_by ? launchedBy(record.decided_by) : undefined,
        user_capabilities: { delete: true, start: false },
      },
      name: record.name,
      description: record.description,
      launch_type: 'workflow',
      ...unifiedJob({
        status: approvalStatus(record),
        created: record.created,
        started: record.created,
        finished: record.decided,
      }),
      can_approve_or_deny: record.status === 'pending',
      approval_expiration: record.expires,
      timed_out: record.status === 'timed_out',
    };
  }

  private async jobSummary(
    node: WorkflowJobNodeRecord,
  ): Promise<{ url: string; summary: Serialized } | undefined> {
    const id = node.job!;
    const kind = node.unified_job_template?.type;
    if (kind === 'workflow_approval') {
      const approval = await this.jobs.getApproval(id);
      if (!approval) return undefined;
      const shown = this.approval(approval);
      return { url: shown.url as string, summary: summaryOf(shown) };
    }
    if (kind === 'workflow_job_template') {
      const inner = await this.jobs.getWorkflowJob(id);
      if (!inner) return undefined;
      const shown = await this.workflowJob(inner);
      return { url: shown.url as string, summary: summaryOf(shown) };
    }
    const record = await this.jobs.findNodeJob(id);
    if (!record) return undefined;
    const shown = await this.nodeJob(record);
    return { url: shown.url as string, summary: summaryOf(shown) };
  }

  private templateId(kind: ResourceKind, name: string): Promise<number | null> {
    const key = `${kind}#${name}`;
    let id = this.templateIds.get(key);
    if (!id) {
      id = this.catalog
        .list<DefinitionRecord>(kind)
        .then((records) => records.find((record) => record.name === name)?.id ?? null);
      this.templateIds.set(key, id);
    }
    return id;
  }
}

/** An approval's status as AWX names it: pending, then successful (approved) or failed. */
function approvalStatus(record: ApprovalRecord): string {
  if (record.status === 'pending') return 'pending';
  if (record.status === 'approved') return 'successful';
  return record.status === 'canceled' ? 'canceled' : 'failed';
}

/** A job as AWX summarises it in the objects that refer to it. */
export function summaryOf(shown: Serialized): Serialized {
  const { id, name, description, status, failed, elapsed, type } = shown;
  return { id, name, description, status, failed, elapsed, type };
}
