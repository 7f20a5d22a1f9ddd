import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import { projectStandalone, projectWorkflow } from '../catalog/projection';
import { InvalidError } from '../errors';
import { LAUNCH_PROMPTS } from '../model/launch-prompts';
import type { Launchable } from './launch-rules';
import { acceptLaunch } from './launch-rules';
import { readLaunchBody, summarize } from './launch-body';
import { catalogReferences } from './launch-template';
import { resolveReferences } from './launch-workflow';

/** The prompts a schedule keeps as fields (its lists are associations, checked apart). */
const SAVED_PROMPTS: readonly string[] = LAUNCH_PROMPTS.map((prompt) => prompt.field).filter(
  (field) =>
    !['extra_vars', 'labels', 'credentials', 'instance_groups', 'execution_environment'].includes(field),
);

/**
 * AWX's check of a saved launch (a schedule) as it is saved (its LaunchConfigurationBaseSerializer;
 * docs/semantics.md §4.4): the prompts it gives, read as a launch of its template reads them and
 * as strictly as a workflow launch (what the template does not prompt for is refused, survey
 * answers checked), AWX's 400 naming `extra_data` where a launch names `extra_vars`. A prompt is
 * given when set (not null, empty or false); a project or inventory source takes none.
 */
export async function checkSavedLaunch(
  catalog: CatalogStore,
  saved: Readonly<Record<string, unknown>>,
  /** The fields a change sets: AWX checks only when it sets a prompt (a create: every field). */
  changed?: readonly string[],
): Promise<void> {
  if (changed && !changed.some((field) => field === 'extra_data' || SAVED_PROMPTS.includes(field))) return;
  const found = await catalog.findAmong<DefinitionRecord>(
    ['job_template', 'workflow_job_template', 'project', 'inventory_source'],
    saved.unified_job_template as number,
  );
  if (!found) return;
  const body = savedLaunchBody(saved);
  if (Object.keys(body).length === 0) return;
  if (found.kind === 'project' || found.kind === 'inventory_source')
    throw refusal(
      Object.fromEntries(Object.keys(body).map((field) => [field, ['Field is not allowed on launch.']])),
    );
  const launchable = await launchableOf(catalog, found.kind, found.record.id);
  if (!launchable) return;
  const values = await resolveReferences(readLaunchBody(body, launchable.kind), catalogReferences(catalog));
  const { errors } = acceptLaunch(launchable, values, { saved: true });
  if (Object.keys(errors).length > 0) throw refusal(errors);
}

/**
 * A saved launch's prompts as a launch body: the prompt fields it sets (not null, empty or
 * false), its `extra_data` as `extra_vars`.
 */
export function savedLaunchBody(saved: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = Object.fromEntries(
    SAVED_PROMPTS.filter((field) => ![undefined, null, '', false].includes(saved[field] as never)).map(
      (field) => [field, saved[field]],
    ),
  );
  const extra = saved.extra_data as Record<string, unknown> | null | undefined;
  if (extra && Object.keys(extra).length > 0) body.extra_vars = extra;
  return body;
}

/** The template as the launch rules read it, projected from the catalog (none if it cannot be). */
async function launchableOf(
  catalog: CatalogStore,
  kind: string,
  id: number,
): Promise<Launchable | undefined> {
  if (kind === 'workflow_job_template') {
    const { bundle, workflowName } = await projectWorkflow(catalog, id);
    const template = bundle.workflow_job_templates.find((workflow) => workflow.name === workflowName);
    return template && { kind, template };
  }
  const { bundle } = await projectStandalone(catalog, { kind: 'job_template', id });
  const name = bundle.workflow_job_templates[0]?.workflow_nodes[0]?.unified_job_template?.name;
  const template = bundle.job_templates.find((candidate) => candidate.name === name);
  return template && { kind: 'job_template', template };
}

/** AWX's 400 of a saved launch: variables are its `extra_data`. */
function refusal(errors: Readonly<Record<string, string[]>>): InvalidError {
  const { extra_vars: variables, ...rest } = errors;
  const named = variables ? { ...rest, extra_data: variables } : rest;
  return new InvalidError(summarize(named), named);
}
