import type { Definition } from '../definition';
import type { ResourceKind } from '../kinds';
import { CREDENTIAL, CREDENTIAL_INPUT_SOURCE, CREDENTIAL_TYPE } from './credential';
import { GROUP, HOST, INVENTORY, INVENTORY_SOURCE } from './inventory';
import {
  EXECUTION_ENVIRONMENT,
  INSTANCE_GROUP,
  LABEL,
  NOTIFICATION_TEMPLATE,
  ORGANIZATION_DEFINITION,
  SCHEDULE,
  TEAM,
} from './others';
import { PROJECT } from './project';
import {
  JOB_TEMPLATE,
  WORKFLOW_APPROVAL_TEMPLATE,
  WORKFLOW_JOB_TEMPLATE,
  WORKFLOW_JOB_TEMPLATE_NODE,
} from './templates';

/** Every definition kind the API serves from its field table, in AWX's order of the API root. */
export const DEFINITIONS: readonly Definition[] = [
  ORGANIZATION_DEFINITION,
  TEAM,
  PROJECT,
  INVENTORY,
  HOST,
  GROUP,
  INVENTORY_SOURCE,
  CREDENTIAL_TYPE,
  CREDENTIAL,
  CREDENTIAL_INPUT_SOURCE,
  JOB_TEMPLATE,
  WORKFLOW_JOB_TEMPLATE,
  WORKFLOW_JOB_TEMPLATE_NODE,
  WORKFLOW_APPROVAL_TEMPLATE,
  LABEL,
  NOTIFICATION_TEMPLATE,
  SCHEDULE,
  EXECUTION_ENVIRONMENT,
  INSTANCE_GROUP,
];

export function definitionOf(kind: ResourceKind): Definition | undefined {
  return DEFINITIONS.find((definition) => definition.kind === kind);
}
