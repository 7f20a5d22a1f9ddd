import { flagOf, type PromptField } from '../model/launch-prompts';
import type { JobTemplate, WorkflowNode, WorkflowPrompts } from '../model/types';
import { promptedValue } from '../semantics/prompts';
import { NodeRunFailure } from './failure';

/**
 * The ansible options of a job: the template's values, replaced by the workflow job's or else the
 * node's prompted values where the template asks for them (docs/semantics.md §4.2; unprompted values
 * are dropped).
 * Values that reach ansible-playbook's command line are checked: nothing goes through a shell,
 * and shell metacharacters in a host pattern or tag are refused rather than guessed at.
 */
export interface JobOptions {
  readonly inventory: string | null;
  /** Branch, tag or commit to check out, when the project allows overrides. */
  readonly scmBranch: string;
  readonly limit: string;
  readonly jobTags: string;
  readonly skipTags: string;
  readonly forks: number;
  readonly verbosity: number;
  readonly timeout: number;
  readonly check: boolean;
  readonly diff: boolean;
  readonly cmdline: string[];
}

const HOST_PATTERN = /^[\w.:,!&*?[\]@~^$-]*$/;
const TAGS = /^[\w.,-]*$/;

export function jobOptions(
  template: JobTemplate,
  node: WorkflowNode,
  workflow: WorkflowPrompts = {},
): JobOptions {
  const asks = (field: PromptField) => template[flagOf(field)];
  const options = {
    inventory: promptedValue(asks('inventory'), {
      workflow: workflow.inventory,
      node: node.inventory,
      template: template.inventory,
    }),
    scmBranch: promptedValue(asks('scm_branch'), {
      workflow: workflow.scm_branch,
      node: node.scm_branch,
      template: template.scm_branch,
    }),
    limit: promptedValue(asks('limit'), {
      workflow: workflow.limit,
      node: node.limit,
      template: template.limit,
    }),
    jobTags: promptedValue(asks('job_tags'), {
      workflow: workflow.job_tags,
      node: node.job_tags,
      template: template.job_tags,
    }),
    skipTags: promptedValue(asks('skip_tags'), {
      workflow: workflow.skip_tags,
      node: node.skip_tags,
      template: template.skip_tags,
    }),
    forks: promptedValue(asks('forks'), { node: node.forks, template: template.forks }),
    verbosity: promptedValue(asks('verbosity'), { node: node.verbosity, template: template.verbosity }),
    timeout: promptedValue(asks('timeout'), { node: node.timeout, template: template.timeout }),
    check: promptedValue(asks('job_type'), { node: node.job_type, template: template.job_type }) === 'check',
    diff: promptedValue(asks('diff_mode'), { node: node.diff_mode, template: template.diff_mode }),
  };
  if (!HOST_PATTERN.test(options.limit)) {
    throw new NodeRunFailure(
      `limit '${options.limit}' is not a host pattern (letters, digits and . : , ! & * ? [ ] @ ~ ^ - only)`,
    );
  }
  for (const [field, tags] of [
    ['job_tags', options.jobTags],
    ['skip_tags', options.skipTags],
  ] as const) {
    if (!TAGS.test(tags))
      throw new NodeRunFailure(
        `${field} '${tags}' must be comma-separated tag names (letters, digits, . _ -)`,
      );
  }
  const cmdline: string[] = [];
  if (options.jobTags) cmdline.push(`--tags=${options.jobTags}`);
  if (options.skipTags) cmdline.push(`--skip-tags=${options.skipTags}`);
  if (template.become_enabled) cmdline.push('--become');
  if (options.check) cmdline.push('--check');
  if (options.diff) cmdline.push('--diff');
  return { ...options, cmdline };
}
