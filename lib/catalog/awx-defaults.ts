import {
  AWX_DEFAULT_OBJECTS,
  DEFAULT_ORGANIZATION,
  DEFAULT_SUPERUSER,
  DEMO_PROJECT,
  GALAXY_CREDENTIAL,
  LOCALHOST_VARIABLES,
} from '../model/awx-defaults';
import { managedCredentialType } from '../model/resources/credential-types';
import type { Definition, DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';
import { defaultValue } from './fields';
import { CREDENTIAL } from './resources/credential';
import { HOST, INVENTORY } from './resources/inventory';
import { EXECUTION_ENVIRONMENT, INSTANCE_GROUP, ORGANIZATION_DEFINITION } from './resources/others';
import { PROJECT } from './resources/project';
import { JOB_TEMPLATE } from './resources/templates';

const [DEMO_CREDENTIAL] = AWX_DEFAULT_OBJECTS.credentials;
const [DEMO_INVENTORY] = AWX_DEFAULT_OBJECTS.inventories;
const [DEMO_JOB_TEMPLATE] = AWX_DEFAULT_OBJECTS.job_templates;

/**
 * What AWX's install makes (lib/model/awx-defaults.ts), made as AWX's `create_preload_data` makes
 * it: only on a catalog with no organization at all, so on a fresh data folder, and never again
 * once a person has changed or deleted them. The managed credential types must be in place.
 */
export async function createAwxDefaults(definitions: DefinitionCatalog): Promise<void> {
  if ((await definitions.store.count('organization')) > 0) return;
  const create = (definition: Definition, values: Record<string, unknown>) =>
    definitions.create(definition, { ...fieldDefaults(definition), ...values });
  const organization = await create(ORGANIZATION_DEFINITION, { name: DEFAULT_ORGANIZATION });
  // The commit AWX records without updating the project, as its install does not reach GitHub.
  const project = await create(PROJECT, {
    name: DEMO_PROJECT.name,
    organization: organization.id,
    scm_type: 'git',
    scm_url: DEMO_PROJECT.scm_url,
    scm_revision: DEMO_PROJECT.scm_revision,
  });
  const credential = await create(CREDENTIAL, {
    name: DEMO_CREDENTIAL.name,
    credential_type: await managedTypeId(definitions, DEMO_CREDENTIAL.credential_type),
    inputs: { username: DEFAULT_SUPERUSER },
  });
  const galaxy = await create(CREDENTIAL, {
    name: GALAXY_CREDENTIAL.name,
    credential_type: await managedTypeId(definitions, GALAXY_CREDENTIAL.credential_type),
    inputs: { url: GALAXY_CREDENTIAL.url },
    managed: true,
  });
  await definitions.associate(ORGANIZATION_DEFINITION, organization.id, 'galaxy_credentials', galaxy.id);
  const inventory = await create(INVENTORY, { name: DEMO_INVENTORY.name, organization: organization.id });
  await create(HOST, { name: 'localhost', inventory: inventory.id, variables: LOCALHOST_VARIABLES });
  const template = await create(JOB_TEMPLATE, {
    name: DEMO_JOB_TEMPLATE.name,
    project: project.id,
    inventory: inventory.id,
    playbook: DEMO_JOB_TEMPLATE.playbook,
  });
  await definitions.associate(JOB_TEMPLATE, template.id, 'credentials', credential.id);
  for (const environment of AWX_DEFAULT_OBJECTS.execution_environments)
    await create(EXECUTION_ENVIRONMENT, environment);
  for (const group of AWX_DEFAULT_OBJECTS.instance_groups) await create(INSTANCE_GROUP, group);
}

/** A create's values for the fields it leaves out, as the API fills them. */
function fieldDefaults(definition: Definition): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(definition.fields).map(([name, spec]) => [name, defaultValue(spec)]),
  );
}

async function managedTypeId(definitions: DefinitionCatalog, name: string): Promise<number> {
  const type = managedCredentialType(name)!;
  const record = await definitions.store.findByName<DefinitionRecord>('credential_type', type.name, {
    kind: type.kind,
  });
  return record!.id;
}
