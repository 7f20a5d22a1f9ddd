import { describe, expect, it } from 'vitest';
import type { JobTemplate, WorkflowJobTemplate, WorkflowNode } from '../../lib/model/types';
import { jobOptions } from '../../lib/runner/job-options';
import { nestedWorkflowPrompts, workflowJobPrompts } from '../../lib/semantics/prompts';

const node = (fields: Partial<WorkflowNode> = {}) =>
  ({
    inventory: null,
    limit: null,
    scm_branch: null,
    job_tags: null,
    skip_tags: null,
    job_type: null,
    diff_mode: null,
    verbosity: null,
    forks: null,
    timeout: null,
    credentials: [],
    ...fields,
  }) as unknown as WorkflowNode;
const template = (fields: Partial<JobTemplate> = {}) =>
  ({
    inventory: 'T-inv',
    limit: 'T-limit',
    scm_branch: '',
    job_tags: '',
    skip_tags: '',
    forks: 0,
    verbosity: 0,
    timeout: 0,
    job_type: 'run',
    diff_mode: false,
    become_enabled: false,
    ...fields,
  }) as JobTemplate;
const workflow = (fields: Partial<WorkflowJobTemplate> = {}) =>
  ({
    inventory: null,
    limit: '',
    scm_branch: '',
    job_tags: '',
    skip_tags: '',
    ...fields,
  }) as WorkflowJobTemplate;

describe('docs/semantics.md §4.2 non-variable prompts', () => {
  it('the workflow job value wins over the node value, for templates that prompt', () => {
    const options = jobOptions(
      template({ ask_limit_on_launch: true, ask_inventory_on_launch: true }),
      node({ limit: 'node', inventory: 'N-inv' }),
      { limit: 'wf' },
    );
    expect([options.limit, options.inventory]).toEqual(['wf', 'N-inv']);
  });
  it('templates that do not prompt keep their own values', () => {
    expect(
      jobOptions(template(), node({ limit: 'node' }), { limit: 'wf', inventory: 'W-inv' }),
    ).toMatchObject({ limit: 'T-limit', inventory: 'T-inv' });
  });
  it('a workflow job carries its template values, replaced by launch prompts', () => {
    expect(workflowJobPrompts(workflow({ limit: 'web', job_tags: 'deploy' }), { limit: 'db' })).toEqual({
      limit: 'db',
      job_tags: 'deploy',
    });
  });
  it('§5: outer values reach a nested workflow only where it prompts; node values under the outer ones', () => {
    const inner = workflow({ ask_limit_on_launch: true, skip_tags: 'slow' } as Partial<WorkflowJobTemplate>);
    expect(
      nestedWorkflowPrompts(inner, node({ limit: 'node', inventory: 'N-inv' }), {
        limit: 'outer',
        inventory: 'O-inv',
      }),
    ).toEqual({ limit: 'outer', skip_tags: 'slow' });
    expect(nestedWorkflowPrompts(inner, node({ limit: 'node' }), {})).toEqual({
      limit: 'node',
      skip_tags: 'slow',
    });
  });
});
