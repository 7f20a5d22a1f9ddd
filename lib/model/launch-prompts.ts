/**
 * AWX's launch prompts, in one table: each `ask_*_on_launch` flag, the field it lets a launch (or
 * a workflow node) set, and whether a workflow job template can prompt for it too. The flag types
 * of templates, the readers, validation of node prompts, the workflow job's prompts and the job
 * options all derive from it (docs/semantics.md §4.2, §4.4).
 */
export const LAUNCH_PROMPTS = [
  { flag: 'ask_variables_on_launch', field: 'extra_vars', workflow: true },
  { flag: 'ask_inventory_on_launch', field: 'inventory', workflow: true },
  { flag: 'ask_limit_on_launch', field: 'limit', workflow: true },
  { flag: 'ask_scm_branch_on_launch', field: 'scm_branch', workflow: true },
  { flag: 'ask_tags_on_launch', field: 'job_tags', workflow: true },
  { flag: 'ask_skip_tags_on_launch', field: 'skip_tags', workflow: true },
  { flag: 'ask_labels_on_launch', field: 'labels', workflow: true },
  { flag: 'ask_diff_mode_on_launch', field: 'diff_mode', workflow: false },
  { flag: 'ask_job_type_on_launch', field: 'job_type', workflow: false },
  { flag: 'ask_verbosity_on_launch', field: 'verbosity', workflow: false },
  { flag: 'ask_credential_on_launch', field: 'credentials', workflow: false },
  { flag: 'ask_execution_environment_on_launch', field: 'execution_environment', workflow: false },
  { flag: 'ask_forks_on_launch', field: 'forks', workflow: false },
  { flag: 'ask_job_slice_count_on_launch', field: 'job_slice_count', workflow: false },
  { flag: 'ask_timeout_on_launch', field: 'timeout', workflow: false },
  { flag: 'ask_instance_groups_on_launch', field: 'instance_groups', workflow: false },
] as const;

type Prompt = (typeof LAUNCH_PROMPTS)[number];
type WorkflowPrompt = Extract<Prompt, { workflow: true }>;

export type PromptFlag = Prompt['flag'];
export type PromptField = Prompt['field'];
export type WorkflowPromptField = WorkflowPrompt['field'];

/** The flags a workflow job template has (those a job template has too). */
export type PromptFlags = { readonly [P in WorkflowPrompt as P['flag']]: boolean };
/** Every flag: a job template has them all. */
export type JobTemplatePromptFlags = { readonly [P in Prompt as P['flag']]: boolean };

export const JOB_TEMPLATE_PROMPT_FLAGS: readonly PromptFlag[] = LAUNCH_PROMPTS.map((prompt) => prompt.flag);
export const WORKFLOW_PROMPT_FLAGS = LAUNCH_PROMPTS.filter(
  (prompt): prompt is WorkflowPrompt => prompt.workflow,
).map((prompt) => prompt.flag);

/** The flag that lets a launch or node set `field`. */
export function flagOf(field: PromptField): PromptFlag {
  return LAUNCH_PROMPTS.find((prompt) => prompt.field === field)!.flag;
}

/** Whether a workflow job template can prompt for `field` at all. */
export function isWorkflowPrompt(field: PromptField): field is WorkflowPromptField {
  return LAUNCH_PROMPTS.some((prompt) => prompt.field === field && prompt.workflow);
}
