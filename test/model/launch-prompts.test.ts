import { describe, expect, it } from 'vitest';
import { JOB_TEMPLATE_PROMPTS, WORKFLOW_PROMPTS } from '../../lib/model/prompts';
import {
  JOB_TEMPLATE_PROMPT_FLAGS,
  LAUNCH_PROMPTS,
  WORKFLOW_PROMPT_FLAGS,
} from '../../lib/model/launch-prompts';
import { promptedValue } from '../../lib/semantics/prompts';

describe('the launch prompt table', () => {
  it("gives each flag AWX's field, and workflow templates only AWX's workflow prompts", () => {
    expect(new Set(LAUNCH_PROMPTS.map((p) => p.flag)).size).toBe(LAUNCH_PROMPTS.length);
    expect(WORKFLOW_PROMPT_FLAGS).toEqual([
      'ask_variables_on_launch',
      'ask_inventory_on_launch',
      'ask_limit_on_launch',
      'ask_scm_branch_on_launch',
      'ask_tags_on_launch',
      'ask_skip_tags_on_launch',
      'ask_labels_on_launch',
    ]);
    expect(JOB_TEMPLATE_PROMPT_FLAGS).toHaveLength(16);
    expect(JOB_TEMPLATE_PROMPTS).toMatchObject({
      job_tags: 'ask_tags_on_launch',
      credentials: 'ask_credential_on_launch',
    });
    expect(Object.keys(WORKFLOW_PROMPTS).sort()).toEqual([
      'inventory',
      'job_tags',
      'limit',
      'scm_branch',
      'skip_tags',
    ]);
  });

  it('applies a prompted value as AWX does: workflow over node, only where the template asks', () => {
    expect(promptedValue(true, { workflow: 'w', node: 'n', template: 't' })).toBe('w');
    expect(promptedValue(true, { node: 'n', template: 't' })).toBe('n');
    expect(promptedValue(true, { node: null, template: 't' })).toBe('t');
    expect(promptedValue(false, { workflow: 'w', node: 'n', template: 't' })).toBe('t');
  });
});
