import { flagOf, isWorkflowPrompt, type PromptField } from '../model/launch-prompts';
import type { JobTemplate, NodePrompts, WorkflowNode, WorkflowPrompts } from '../model/types';
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
  // docs/semantics.md §4.2: the workflow job's value (for the fields a workflow prompts for) wins
  // over the node's, and either applies only where the template asks.
  const prompted = <F extends keyof NodePrompts & keyof JobTemplate & PromptField>(
    field: F,
  ): JobTemplate[F] =>
    promptedValue(template[flagOf(field)], {
      workflow: isWorkflowPrompt(field)
        ? (workflow[field as keyof WorkflowPrompts] as JobTemplate[F])
        : undefined,
      node: node[field] as JobTemplate[F] | null,
      template: template[field],
    });
  const options = {
    inventory: prompted('inventory'),
    scmBranch: prompted('scm_branch'),
    limit: prompted('limit'),
    jobTags: prompted('job_tags'),
    skipTags: prompted('skip_tags'),
    forks: prompted('forks'),
    verbosity: prompted('verbosity'),
    timeout: prompted('timeout'),
    check: prompted('job_type') === 'check',
    diff: prompted('diff_mode'),
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
