/**
 * The kinds of resource the catalog stores, with what AWX decides per kind: the id space the id
 * comes from, and what makes a record's name unique (AWX's `unique_together`).
 */
export interface KindSpec {
  /** Words for messages (AWX's verbose name). */
  readonly label: string;
  /** Kinds that share a sequence share one id space, as AWX's unified models do. */
  readonly sequence: string;
  /** The field that names a record (`identifier` for workflow nodes); absent: nothing is unique. */
  readonly nameField?: string;
  /** Fields that, with the name, must be unique together (a name is unique per organization...). */
  readonly unique?: readonly string[];
  /** AWX's answer to a name taken: the field it names (`__all__` for name and scope) and why. */
  readonly duplicate?: { readonly field: string; readonly message: string };
}

/** AWX's message for a name taken within its scope. */
const taken = (message: string) => ({ field: '__all__', message });

const KINDS = {
  organization: {
    label: 'Organization',
    sequence: 'organization',
    nameField: 'name',
    duplicate: { field: 'name', message: 'Organization with this Name already exists.' },
  },
  user: {
    label: 'User',
    sequence: 'user',
    nameField: 'name',
    duplicate: { field: 'username', message: 'A user with that username already exists.' },
  },
  token: { label: 'Token', sequence: 'token' },
  team: {
    label: 'Team',
    sequence: 'team',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Team with this Organization and Name already exists.'),
  },
  project: {
    label: 'Project',
    sequence: 'unified_job_template',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Project with this Name and Organization already exists.'),
  },
  inventory: {
    label: 'Inventory',
    sequence: 'inventory',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Inventory with this Name and Organization already exists.'),
  },
  host: {
    label: 'Host',
    sequence: 'host',
    nameField: 'name',
    unique: ['inventory'],
    duplicate: taken('Host with this Name and Inventory already exists.'),
  },
  group: {
    label: 'Group',
    sequence: 'group',
    nameField: 'name',
    unique: ['inventory'],
    duplicate: taken('Group with this Name and Inventory already exists.'),
  },
  inventory_source: {
    label: 'Inventory source',
    sequence: 'unified_job_template',
    nameField: 'name',
    unique: ['inventory'],
    duplicate: taken('Inventory source with this Name and Inventory already exists.'),
  },
  credential_type: {
    label: 'Credential type',
    sequence: 'credential_type',
    nameField: 'name',
    unique: ['kind'],
    duplicate: taken('Credential type with this Name and Kind already exists.'),
  },
  credential: {
    label: 'Credential',
    sequence: 'credential',
    nameField: 'name',
    unique: ['organization', 'credential_type'],
    duplicate: taken('Credential with this Organization, Name and Credential type already exists.'),
  },
  // One input of a target credential has one source.
  credential_input_source: {
    label: 'Credential input source',
    sequence: 'credential_input_source',
    nameField: 'input_field_name',
    unique: ['target_credential'],
    duplicate: taken(
      'Credential input source with this Target credential and Input field name already exists.',
    ),
  },
  job_template: {
    label: 'Job template',
    sequence: 'unified_job_template',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Job template with this Name and Organization already exists.'),
  },
  workflow_job_template: {
    label: 'Workflow job template',
    sequence: 'unified_job_template',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Workflow job template with this Name and Organization already exists.'),
  },
  workflow_job_template_node: {
    label: 'Workflow job template node',
    sequence: 'workflow_job_template_node',
    nameField: 'identifier',
    unique: ['workflow_job_template'],
    duplicate: taken(
      'Workflow job template node with this Workflow job template and Identifier already exists.',
    ),
  },
  // AWX keeps no name unique for approval templates (their organization is always null).
  workflow_approval_template: { label: 'Workflow approval template', sequence: 'unified_job_template' },
  label: {
    label: 'Label',
    sequence: 'label',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Label with this Name and Organization already exists.'),
  },
  notification_template: {
    label: 'Notification template',
    sequence: 'notification_template',
    nameField: 'name',
    unique: ['organization'],
    duplicate: taken('Notification template with this Organization and Name already exists.'),
  },
  schedule: {
    label: 'Schedule',
    sequence: 'schedule',
    nameField: 'name',
    unique: ['unified_job_template'],
    duplicate: taken('Schedule with this Unified job template and Name already exists.'),
  },
  execution_environment: {
    label: 'Execution environment',
    sequence: 'execution_environment',
    nameField: 'name',
    duplicate: { field: 'name', message: 'Execution environment with this Name already exists.' },
  },
  instance_group: {
    label: 'Instance group',
    sequence: 'instance_group',
    nameField: 'name',
    duplicate: { field: 'name', message: 'Instance group with this Name already exists.' },
  },
} as const satisfies Record<string, KindSpec>;

export type ResourceKind = keyof typeof KINDS;

export function kindOf(kind: ResourceKind): KindSpec {
  return KINDS[kind];
}
