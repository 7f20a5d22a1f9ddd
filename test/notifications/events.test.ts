import { describe, expect, it } from 'vitest';
import { notificationEvents } from '../../lib/notifications/events';
import type { ApprovalRecord, NodeJobRecord, WorkflowJobRecord } from '../../lib/store/records';

const workflowJob = (
  status: WorkflowJobRecord['status'],
  extra: Partial<WorkflowJobRecord> = {},
): WorkflowJobRecord => ({
  id: 10,
  name: 'Deploy',
  workflow_job_template: 3,
  status,
  launch_type: 'manual',
  launched_by: null,
  extra_vars: {},
  allow_simultaneous: false,
  base_dir: '/tmp',
  created: '2026-01-01T00:00:00Z',
  ...extra,
});
const nodeJob = (
  status: NodeJobRecord['status'],
  kind: NodeJobRecord['kind'] = 'job_template',
): NodeJobRecord => ({
  id: 12,
  workflowJob: 10,
  node: 'build',
  kind,
  template: 'Build',
  status,
  artifacts: {},
  ancestor_artifacts: {},
});
const approval = (status: ApprovalRecord['status']): ApprovalRecord => ({
  id: 13,
  workflowJob: 10,
  node: 'gate',
  name: 'Gate',
  description: '',
  timeout: 0,
  created: '2026-01-01T00:00:00Z',
  expires: null,
  status,
  decided_by: null,
});

describe('notificationEvents', () => {
  it('tells of a workflow job starting and ending, once each', () => {
    const change = (before: WorkflowJobRecord | undefined, after: WorkflowJobRecord) =>
      notificationEvents({ type: 'workflow_job', before, after }).map((e) => e.event);
    expect(change(workflowJob('pending'), workflowJob('running'))).toEqual(['started']);
    expect(change(workflowJob('running'), workflowJob('successful'))).toEqual(['success']);
    expect(change(workflowJob('running'), workflowJob('failed'))).toEqual(['error']);
    expect(change(workflowJob('running'), workflowJob('canceled'))).toEqual(['error']);
    expect(change(workflowJob('pending'), workflowJob('error'))).toEqual(['error']);
    expect(change(workflowJob('failed'), workflowJob('failed'))).toEqual([]);
    expect(change(workflowJob('running'), workflowJob('running'))).toEqual([]);
  });

  it("leaves a standalone launch's carrier workflow job to its node's job", () => {
    const standalone = { standalone: { job: 12, unified_job_template: 5 } };
    expect(
      notificationEvents({
        type: 'workflow_job',
        before: workflowJob('pending', standalone),
        after: workflowJob('running', standalone),
      }),
    ).toEqual([]);
  });

  it("tells of jobs a node runs, not of nested workflows' or approvals' node records", () => {
    expect(
      notificationEvents({ type: 'node_job', before: nodeJob('pending'), after: nodeJob('running') }),
    ).toEqual([{ subject: 'job', event: 'started', workflowJob: 10, record: nodeJob('running') }]);
    expect(notificationEvents({ type: 'node_job', after: nodeJob('failed') }).map((e) => e.event)).toEqual([
      'error',
    ]);
    expect(
      notificationEvents({
        type: 'node_job',
        before: nodeJob('running'),
        after: nodeJob('successful', 'project'),
      }),
    ).toEqual([
      { subject: 'job', event: 'success', workflowJob: 10, record: nodeJob('successful', 'project') },
    ]);
    expect(
      notificationEvents({ type: 'node_job', after: nodeJob('running', 'workflow_job_template') }),
    ).toEqual([]);
    expect(notificationEvents({ type: 'node_job', after: nodeJob('pending', 'workflow_approval') })).toEqual(
      [],
    );
  });

  it('tells nothing of a node a resume kept: its job notified when it ran', () => {
    expect(
      notificationEvents({ type: 'node_job', after: { ...nodeJob('successful'), kept_from: 9 } }),
    ).toEqual([]);
  });

  it('tells of an approval requested and decided, never of one canceled', () => {
    const events = (before: ApprovalRecord | undefined, after: ApprovalRecord) =>
      notificationEvents({ type: 'approval', before, after }).map((e) => e.event);
    expect(events(undefined, approval('pending'))).toEqual(['running']);
    expect(events(approval('pending'), approval('approved'))).toEqual(['approved']);
    expect(events(approval('pending'), approval('denied'))).toEqual(['denied']);
    expect(events(approval('pending'), approval('timed_out'))).toEqual(['timed_out']);
    expect(events(approval('pending'), approval('canceled'))).toEqual([]);
    expect(events(approval('approved'), approval('approved'))).toEqual([]);
  });
});
