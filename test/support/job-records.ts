import type { NodeJobRecord, WorkflowJobRecord } from '../../lib/store/records';

/** A complete workflow job record for store tests; `fields` say what the test is about. */
export function workflowJobRecord(
  fields: Partial<WorkflowJobRecord> & Pick<WorkflowJobRecord, 'id'>,
): WorkflowJobRecord {
  const now = new Date().toISOString();
  return {
    name: 'W',
    workflow_job_template: null,
    status: 'running',
    launch_type: 'manual',
    launched_by: null,
    extra_vars: {},
    allow_simultaneous: false,
    base_dir: '/tmp',
    created: now,
    started: now,
    ...fields,
  };
}

/** A complete node job record for store tests. */
export function nodeJobRecord(
  fields: Partial<NodeJobRecord> & Pick<NodeJobRecord, 'workflowJob' | 'node'>,
): NodeJobRecord {
  return {
    id: null,
    kind: 'job_template',
    template: 'T',
    status: 'successful',
    started: new Date().toISOString(),
    artifacts: {},
    ancestor_artifacts: {},
    ...fields,
  };
}
