import type { JobTemplate, WorkflowNode, WorkflowPrompts } from '../model/types';
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
  // The workflow job's value wins over the node's; either applies only where the template asks.
  const prompted = <T>(
    flag: keyof JobTemplate,
    nodeValue: T | null,
    templateValue: T,
    workflowValue?: T,
  ): T => (template[flag] === true ? (workflowValue ?? nodeValue ?? templateValue) : templateValue);
  const options = {
    inventory: prompted('ask_inventory_on_launch', node.inventory, template.inventory, workflow.inventory),
    scmBranch: prompted(
      'ask_scm_branch_on_launch',
      node.scm_branch,
      template.scm_branch,
      workflow.scm_branch,
    ),
    limit: prompted('ask_limit_on_launch', node.limit, template.limit, workflow.limit),
    jobTags: prompted('ask_tags_on_launch', node.job_tags, template.job_tags, workflow.job_tags),
    skipTags: prompted('ask_skip_tags_on_launch', node.skip_tags, template.skip_tags, workflow.skip_tags),
    forks: prompted('ask_forks_on_launch', node.forks, template.forks),
    verbosity: prompted('ask_verbosity_on_launch', node.verbosity, template.verbosity),
    timeout: prompted('ask_timeout_on_launch', node.timeout, template.timeout),
    check: prompted('ask_job_type_on_launch', node.job_type, template.job_type) === 'check',
    diff: prompted('ask_diff_mode_on_launch', node.diff_mode, template.diff_mode),
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
