import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import { projectWorkflow, requireValid } from '../catalog/projection';
import type { Actor, LaunchType, ScheduleRef, WorkflowJobRecord } from '../store/records';
import { launchWorkflow, type LaunchReferences, type LaunchServices } from './launch-workflow';

export interface TemplateLaunch {
  /** The workflow job template's catalog id. */
  readonly workflowJobTemplate: number;
  /** The request body as an AWX client posts it. */
  readonly body?: unknown;
  readonly launchType?: LaunchType;
  readonly launchedBy?: Actor | null;
  readonly schedule?: ScheduleRef;
}

/**
 * Launches a workflow job template of the catalog (the API's launch, a schedule): the workflow
 * and everything it reaches are projected to the bundle the job keeps (docs/architecture.md), and
 * launched through the one launch path. Definitions that do not hold together (a node's template
 * deleted, a playbook missing from a job template) refuse the launch with the model's words.
 */
export async function launchTemplate(
  catalog: CatalogStore,
  services: Omit<LaunchServices, 'references'>,
  projectsRoot: string,
  launch: TemplateLaunch,
): Promise<WorkflowJobRecord> {
  await catalog.get('workflow_job_template', launch.workflowJobTemplate);
  const { bundle, workflowName } = requireValid(await projectWorkflow(catalog, launch.workflowJobTemplate));
  return launchWorkflow(
    { ...services, references: catalogReferences(catalog) },
    {
      bundle,
      baseDir: projectsRoot,
      workflow: workflowName,
      body: launch.body,
      launchType: launch.launchType,
      launchedBy: launch.launchedBy,
      schedule: launch.schedule,
      workflowJobTemplate: launch.workflowJobTemplate,
    },
  );
}

/** Inventory, label and credential ids of a launch body, named as the catalog names them. */
export function catalogReferences(catalog: CatalogStore): LaunchReferences {
  const nameOf = async (kind: 'inventory' | 'label' | 'credential', id: number) =>
    (await catalog.find<DefinitionRecord>(kind, id))?.name as string | undefined;
  return {
    inventoryName: (id) => nameOf('inventory', id),
    labelName: (id) => nameOf('label', id),
    credentialName: (id) => nameOf('credential', id),
  };
}
