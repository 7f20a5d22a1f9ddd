import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import type { ResourceKind } from '../catalog/kinds';
import type { JobStore } from '../store/job-store';
import type { WorkflowJobRecord } from '../store/records';

/** AWX's template lists: `notification_templates_<list>`. */
export type TemplateList = 'started' | 'success' | 'error' | 'approvals';

const JOB_KINDS: readonly ResourceKind[] = [
  'job_template',
  'project',
  'inventory_source',
  'workflow_job_template',
];

/**
 * Which notification templates a job's event goes to, as AWX's `notification_templates`
 * properties gather them (awx/main/models/jobs.py, workflow.py): the list on the job's own
 * template, on a job template's project, and on the template's organization, each template once.
 */
export async function notificationTemplatesOf(
  catalog: CatalogStore,
  template: DefinitionRecord | undefined,
  list: TemplateList,
): Promise<DefinitionRecord[]> {
  if (!template) return [];
  const holders: (DefinitionRecord | undefined)[] = [template];
  if (typeof template.project === 'number') holders.push(await catalog.find('project', template.project));
  if (typeof template.organization === 'number')
    holders.push(await catalog.find('organization', template.organization));
  const ids = new Set(
    holders.flatMap((holder) => (holder?.[`notification_templates_${list}`] as number[]) ?? []),
  );
  const found = await Promise.all(
    [...ids].map((id) => catalog.find<DefinitionRecord>('notification_template', id)),
  );
  return found.filter((record) => record !== undefined);
}

/**
 * The catalog templates jobs ran from, found through the records: a workflow job names its
 * template (a nested one through the outer node), a node's job is what the template's node of
 * that identifier runs, a standalone job names its template.
 */
export class JobTemplates {
  constructor(
    private readonly catalog: CatalogStore,
    private readonly jobs: JobStore,
  ) {}

  /** The workflow job template of a workflow job. */
  async ofWorkflowJob(job: WorkflowJobRecord): Promise<DefinitionRecord | undefined> {
    const id = await this.workflowTemplateId(job);
    return id === undefined ? undefined : this.catalog.find<DefinitionRecord>('workflow_job_template', id);
  }

  /** The job template, project or inventory source a node's job ran. */
  async ofNode(workflowJob: number, node: string): Promise<DefinitionRecord | undefined> {
    const id = await this.nodeTemplateId(workflowJob, node);
    return id === undefined
      ? undefined
      : (await this.catalog.findAmong<DefinitionRecord>(JOB_KINDS, id))?.record;
  }

  private async workflowTemplateId(job: WorkflowJobRecord): Promise<number | undefined> {
    if (typeof job.workflow_job_template === 'number') return job.workflow_job_template;
    return job.parent ? this.nodeTemplateId(job.parent.workflowJob, job.parent.node) : undefined;
  }

  private async nodeTemplateId(workflowJob: number, node: string): Promise<number | undefined> {
    const job = await this.jobs.getWorkflowJob(workflowJob);
    if (!job) return undefined;
    if (job.standalone) return job.standalone.unified_job_template;
    const template = await this.workflowTemplateId(job);
    if (template === undefined) return undefined;
    const nodes = await this.catalog.list<DefinitionRecord>('workflow_job_template_node');
    const found = nodes.find(
      (record) => record.workflow_job_template === template && record.identifier === node,
    );
    return typeof found?.unified_job_template === 'number' ? found.unified_job_template : undefined;
  }
}
