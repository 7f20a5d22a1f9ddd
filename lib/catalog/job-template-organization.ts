import { InvalidError } from '../errors';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';

/**
 * A job template's organization is its project's, as AWX keeps it (docs/api.md "Definitions"):
 * set from the project on every save, whatever was sent (AWX shows the field read only), and
 * kept as it was when there is no project (none for a new template). The names of job templates
 * are unique in that organization.
 */
export async function jobTemplateOrganization(
  definitions: DefinitionCatalog,
  values: Record<string, unknown>,
  current: DefinitionRecord | undefined,
): Promise<Record<string, unknown>> {
  const { organization: _sent, ...rest } = values;
  const project = 'project' in values ? values.project : current?.project;
  if (typeof project !== 'number') return current ? rest : { ...rest, organization: null };
  const found = await definitions.store.find<DefinitionRecord>('project', project);
  return { ...rest, organization: found?.organization ?? null };
}

/** So a project used by job templates keeps its organization (AWX refuses the change). */
export async function projectOrganization(
  definitions: DefinitionCatalog,
  values: Record<string, unknown>,
  current: DefinitionRecord | undefined,
): Promise<Record<string, unknown>> {
  if (!current || !('organization' in values) || values.organization === current.organization) return values;
  const templates = await definitions.store.list<DefinitionRecord>('job_template');
  if (templates.some((template) => template.project === current.id))
    throw new InvalidError('project organization in use', {
      organization: ['Organization cannot be changed when in use by job templates.'],
    });
  return values;
}
