import type { Inventory, JobTemplate, Vars, WorkflowNode } from '../model/types';
import type { NodeJobRecord, WorkflowJobRecord } from '../store/records';
import type { Checkout } from './project';

/**
 * The variables every job gets last, overriding all others (docs/semantics.md §4.2 step 6): the
 * `awx_*` names AWX playbooks use (and their `tower_*` twins), and Towerless' own.
 */
export function metaVars(
  workflowJob: WorkflowJobRecord,
  job: NodeJobRecord,
  node: WorkflowNode,
  template: JobTemplate,
  checkout: Checkout,
  inventory: Inventory,
): Vars {
  const awx: Vars = {
    job_id: job.id,
    job_launch_type: 'workflow',
    job_template_name: template.name,
    workflow_job_id: workflowJob.id,
    workflow_job_name: workflowJob.name,
    workflow_job_launch_type: workflowJob.launch_type,
    inventory_name: inventory.name,
    project_revision: checkout.revision ?? '',
    ...(workflowJob.launched_by ? { user_id: workflowJob.launched_by.id } : {}),
    user_name: workflowJob.launched_by?.username ?? 'towerless',
    ...scheduleVars(workflowJob),
  };
  return {
    ...Object.fromEntries(
      Object.entries(awx).flatMap(([key, value]) => [
        [`awx_${key}`, value],
        [`tower_${key}`, value],
      ]),
    ),
    towerless_workflow_job_id: workflowJob.id,
    towerless_workflow_name: workflowJob.name,
    towerless_node_id: node.identifier,
    towerless_job_id: job.id,
    towerless_job_template_name: template.name,
    towerless_project_revision: checkout.revision ?? '',
  };
}

/**
 * The schedule that launched the job, as AWX names it (its `awx_meta_vars`): `schedule_*` for a
 * job template's job launched on its own, `parent_job_schedule_*` for the jobs of a scheduled
 * workflow job.
 */
function scheduleVars(workflowJob: WorkflowJobRecord): Vars {
  const { schedule } = workflowJob;
  if (!schedule) return {};
  const prefix = workflowJob.standalone ? 'schedule' : 'parent_job_schedule';
  return { [`${prefix}_id`]: schedule.id, [`${prefix}_name`]: schedule.name };
}
