import type { Definition } from '../catalog/definition';
import type { ResourceKind } from '../catalog/kinds';
import { CREDENTIAL, CREDENTIAL_TYPE } from '../catalog/resources/credential';
import { GROUP, HOST, INVENTORY, INVENTORY_SOURCE } from '../catalog/resources/inventory';
import {
  EXECUTION_ENVIRONMENT,
  INSTANCE_GROUP,
  NOTIFICATION_TEMPLATE,
  SCHEDULE,
} from '../catalog/resources/others';
import { PROJECT } from '../catalog/resources/project';
import {
  JOB_TEMPLATE,
  WORKFLOW_APPROVAL_TEMPLATE,
  WORKFLOW_JOB_TEMPLATE,
  WORKFLOW_JOB_TEMPLATE_NODE,
} from '../catalog/resources/templates';
import { buildBundle, type RawEntry } from '../model/bundle-builder';
import { Diagnostics } from '../model/diagnostics';
import type { CredentialType } from '../model/types';
import { parseYamlValue } from '../model/yaml-construct';
import { SourceMap } from '../model/yaml-source';

/**
 * How each kind of the typed Bundle maps to its AWX API collection, for `apply` (Bundle → API) and
 * `export` (API → native bundle) alike. The Bundle's field names are AWX's, so most of the mapping
 * comes from the API's own field tables (lib/catalog/resources): a field the table calls a
 * reference holds a name in the Bundle and an id in the API, an association list holds names and
 * ids, variables are a mapping and YAML/JSON text. Only what no table says is written here: the
 * fields each side handles itself (`special`) and the words for messages.
 */
export interface KindMapping {
  readonly label: string;
  readonly definition: Definition;
  /**
   * Fields apply and export handle themselves: nested resources and the parent they belong to,
   * surveys, node templates and edges.
   */
  readonly special?: readonly string[];
  /**
   * Association lists whose order AWX keeps (an ordered many-to-many, appended to as ids are
   * associated): a job template's instance groups, first choice first.
   */
  readonly ordered?: readonly string[];
  /** The value the API is sent for a field, when it is not the Bundle's value as it is. */
  readonly toApi?: Readonly<Record<string, (value: never) => unknown>>;
}

export const MAPPINGS = {
  projects: { label: 'project', definition: PROJECT },
  inventories: {
    label: 'inventory',
    definition: INVENTORY,
    special: ['hosts', 'groups', 'inventory_sources'],
  },
  hosts: { label: 'host', definition: HOST },
  groups: { label: 'group', definition: GROUP, special: ['hosts', 'children'] },
  inventory_sources: { label: 'inventory source', definition: INVENTORY_SOURCE, special: ['inventory'] },
  credential_types: {
    label: 'credential type',
    definition: CREDENTIAL_TYPE,
    toApi: { inputs: compactInputs },
  },
  credentials: { label: 'credential', definition: CREDENTIAL },
  job_templates: {
    label: 'job template',
    definition: JOB_TEMPLATE,
    special: ['survey_spec'],
    ordered: ['instance_groups'],
  },
  workflow_job_templates: {
    label: 'workflow job template',
    definition: WORKFLOW_JOB_TEMPLATE,
    special: ['survey_spec', 'workflow_nodes'],
  },
  workflow_nodes: {
    label: 'node',
    definition: WORKFLOW_JOB_TEMPLATE_NODE,
    special: ['unified_job_template', 'approval', 'success_nodes', 'failure_nodes', 'always_nodes'],
  },
  approvals: { label: 'approval template', definition: WORKFLOW_APPROVAL_TEMPLATE },
  notification_templates: { label: 'notification template', definition: NOTIFICATION_TEMPLATE },
  schedules: { label: 'schedule', definition: SCHEDULE, special: ['unified_job_template'] },
  execution_environments: { label: 'execution environment', definition: EXECUTION_ENVIRONMENT },
  instance_groups: { label: 'instance group', definition: INSTANCE_GROUP },
} as const satisfies Record<string, KindMapping>;

export type MappedKind = keyof typeof MAPPINGS;

/** A Bundle field as the API holds it. */
export type FieldRole =
  /** The same value on both sides; `emptyText` when the API keeps '' where the Bundle has null. */
  | { readonly role: 'value'; readonly emptyText: boolean }
  /** A mapping in the Bundle, YAML or JSON text in the API. */
  | { readonly role: 'vars' }
  /** A name in the Bundle, the id of a `kind` object in the API. */
  | { readonly role: 'reference'; readonly kind: ResourceKind }
  /** Names in the Bundle, an association list of `kind` ids in the API. */
  | { readonly role: 'list'; readonly kind: ResourceKind }
  /** Handled by apply and export themselves. */
  | { readonly role: 'special' }
  /** Only the Bundle has it (`origin`, the organization of a schedule): not sent, not exported. */
  | { readonly role: 'none' };

export function roleOf(mapping: KindMapping, field: string): FieldRole {
  if (mapping.special?.includes(field)) return { role: 'special' };
  const spec = mapping.definition.fields[field];
  const listed = mapping.definition.associations?.[field];
  if (listed) return { role: 'list', kind: listed };
  if (!spec || field === 'origin') return { role: 'none' };
  if (spec.type === 'reference') return { role: 'reference', kind: spec.kinds[0] };
  if (spec.type === 'vars') return { role: 'vars' };
  return { role: 'value', emptyText: spec.type === 'string' && !spec.nullable };
}

/** Variables as the API keeps them (YAML or JSON text, or empty), as a mapping. */
export function parseVars(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? {};
  if (text.trim() === '') return {};
  try {
    return parseYamlValue(text) ?? {};
  } catch {
    return text; // Not YAML: compared and exported as the text it is.
  }
}

/**
 * The inputs of a custom credential type as its author writes them: the loader fills in `secret`,
 * `multiline`, `format`, `choices` and `help_text` for every field, and refuses some of them on a
 * boolean field, so the API is sent only what was given (and export writes back the same).
 */
export function compactInputs(inputs: CredentialType['inputs']): unknown {
  const given = (key: string, value: unknown) =>
    key === 'default' || (value !== null && value !== false && value !== '');
  return {
    fields: inputs.fields.map((field) =>
      Object.fromEntries(Object.entries(field).filter(([key, value]) => given(key, value))),
    ),
    ...(inputs.required.length > 0 ? { required: inputs.required } : {}),
  };
}

type Fields = Readonly<Record<string, unknown>>;

/**
 * What the loader fills in for each field a resource leaves out, per kind: read by the model's own
 * readers from resources that give nothing, so that export writes only what differs (and the
 * Bundle's list of fields is the model's, not a copy of it).
 */
export const LOADED_DEFAULTS: Readonly<Record<MappedKind, Fields>> = (() => {
  const sourceMap = new SourceMap();
  const entry = (kind: RawEntry['kind'], raw: Record<string, unknown>): RawEntry => ({
    kind,
    raw,
    sourceMap,
    style: 'native',
  });
  const bundle = buildBundle(
    [
      entry('projects', {}),
      entry('inventories', { hosts: [{}], groups: [{}], inventory_sources: [{}] }),
      entry('credential_types', {}),
      entry('credentials', {}),
      entry('job_templates', {}),
      entry('workflow_job_templates', { workflow_nodes: [{}, { approval_node: {} }] }),
      entry('notification_templates', {}),
      entry('schedules', {}),
      entry('execution_environments', {}),
      entry('instance_groups', {}),
    ],
    new Diagnostics(),
  );
  const [inventory] = bundle.inventories;
  const [workflow] = bundle.workflow_job_templates;
  return {
    projects: bundle.projects[0],
    inventories: inventory,
    hosts: inventory.hosts[0],
    groups: inventory.groups[0],
    inventory_sources: inventory.inventory_sources[0],
    credential_types: bundle.credential_types[0],
    credentials: bundle.credentials[0],
    job_templates: bundle.job_templates[0],
    workflow_job_templates: workflow,
    workflow_nodes: workflow.workflow_nodes[0],
    approvals: workflow.workflow_nodes[1].approval!,
    notification_templates: bundle.notification_templates[0],
    schedules: bundle.schedules[0],
    execution_environments: bundle.execution_environments[0],
    instance_groups: bundle.instance_groups[0],
  } as unknown as Record<MappedKind, Fields>;
})();
