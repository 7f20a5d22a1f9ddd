import { didYouMean } from '../model/diagnostics';
import type { Bundle, WorkflowJobTemplate } from '../model/types';
import { UserError } from '../errors';
import { requireOption, type ParsedArgs } from './args';
import { bundlePath } from './bundle';

/**
 * The workflow job template `--workflow NAME` names. Naming one the bundle lacks is invalid input
 * (exit 1), as any other reference the bundle does not resolve, not a usage error.
 */
export function selectWorkflow(bundle: Bundle, args: ParsedArgs): WorkflowJobTemplate {
  const name = requireOption(args, 'workflow');
  const workflow = bundle.workflow_job_templates.find((w) => w.name === name);
  if (workflow) return workflow;
  const names = bundle.workflow_job_templates.map((w) => w.name);
  const there = names.length
    ? `its workflow job templates: ${names.map((n) => `'${n}'`).join(', ')}`
    : 'the bundle has no workflow job templates';
  throw new UserError(
    `no workflow job template named '${name}' in ${bundlePath(args)}${didYouMean(name, names)}; ${there}`,
  );
}
