import { buildBundle, type RawEntry } from '../model/bundle-builder';
import { InvalidError } from '../errors';
import { Diagnostics, formatDiagnostic } from '../model/diagnostics';
import { JOB_TEMPLATE_PROMPT_FLAGS, WORKFLOW_PROMPT_FLAGS } from '../model/launch-prompts';
import { managedCredentialType } from '../model/resources/credential-types';
import type { Bundle, ResourceKind as BundleKind } from '../model/types';
import { validateBundle } from '../model/validate';
import { SourceMap } from '../model/yaml-source';
import type { CatalogStore } from './catalog-store';
import type { DefinitionRecord } from './definition';
import type { ResourceKind } from './kinds';

type Raw = Record<string, unknown>;

/**
 * The typed Bundle the compiler and runner use, projected from the catalog: one workflow and
 * everything it reaches (nested workflows, templates, projects, inventories, credentials, the
 * execution environments and instance groups its templates run in), with
 * the catalog's integer references turned into the names the bundle uses. The bundle is read by
 * the same readers and checks as a file bundle, so a rule is written once (docs/architecture.md).
 */
export function projectWorkflow(catalog: CatalogStore, workflowId: number): Promise<ProjectedBundle> {
  const projection = new Projection(catalog);
  return projection.bundle(() => projection.workflow(workflowId));
}

export interface ProjectedBundle {
  readonly bundle: Bundle;
  readonly workflowName: string;
  readonly diagnostics: Diagnostics;
}

/** A projection whose definitions do not hold together refuses the launch, with the model's words. */
export function requireValid(projected: ProjectedBundle): ProjectedBundle {
  if (projected.diagnostics.hasErrors) {
    const messages = projected.diagnostics.errors.map(formatDiagnostic);
    throw new InvalidError(messages.join('\n'), { detail: messages });
  }
  return projected;
}

/** The kinds a standalone launch runs: a job template's job, a project or inventory update. */
export type StandaloneKind = 'job_template' | 'project' | 'inventory_source';

/** The identifier of a standalone launch's one node. */
export const STANDALONE_NODE = 'job';

/**
 * A job template, project or inventory source launched on its own, projected as a workflow of one
 * node that runs it (named as it is), with the launch's prompts as that node's, given as the
 * catalog's ids of a workflow node (`inventory`, `credentials`, `limit`…). Its launch variables
 * are the workflow job's; the workflow asks for variables, the launch rules of the template
 * having been applied before (docs/architecture.md, standalone jobs).
 */
export function projectStandalone(
  catalog: CatalogStore,
  target: { readonly kind: StandaloneKind; readonly id: number },
  prompts: Readonly<Record<string, unknown>> = {},
): Promise<ProjectedBundle> {
  const projection = new Projection(catalog);
  return projection.bundle(() => projection.standalone(target.kind, target.id, prompts));
}

const UNIFIED_KINDS = [
  'job_template',
  'workflow_job_template',
  'project',
  'inventory_source',
  'workflow_approval_template',
] as const;

class Projection {
  readonly entries: { kind: BundleKind; raw: Raw }[] = [];
  private readonly done = new Map<string, Promise<string>>();
  private nodes?: Promise<DefinitionRecord[]>;

  constructor(private readonly catalog: CatalogStore) {}

  /** The bundle of what `project` reaches, read and checked as a file bundle is. */
  async bundle(project: () => Promise<string>): Promise<ProjectedBundle> {
    const workflowName = await project();
    const diagnostics = new Diagnostics();
    const sourceMap = new SourceMap();
    const entries: RawEntry[] = this.entries.map(({ kind, raw }) => ({
      kind,
      raw,
      sourceMap,
      style: 'native',
    }));
    const bundle = buildBundle(entries, diagnostics);
    validateBundle(bundle, diagnostics);
    return { bundle, workflowName, diagnostics };
  }

  async standalone(
    kind: StandaloneKind,
    id: number,
    prompts: Readonly<Record<string, unknown>>,
  ): Promise<string> {
    const record = await this.catalog.get<DefinitionRecord>(kind, id);
    const node = {
      ...prompts,
      identifier: STANDALONE_NODE,
      unified_job_template: id,
    } as unknown as DefinitionRecord;
    const organization =
      kind === 'inventory_source'
        ? (await this.catalog.get<DefinitionRecord>('inventory', record.inventory as number)).organization
        : record.organization;
    this.entries.push({
      kind: 'workflow_job_templates',
      raw: {
        ...this.base(record, await this.organization(organization)),
        ask_variables_on_launch: true,
        // As AWX runs them: a project's or source's updates one at a time.
        allow_simultaneous: kind === 'job_template' && record.allow_simultaneous === true,
        workflow_nodes: [await this.node(node, new Map())],
      },
    });
    return String(record.name);
  }

  /** Projects a record once, and answers the name the bundle knows it by. */
  private once(
    kind: ResourceKind,
    id: number,
    project: (record: DefinitionRecord) => Promise<Raw | undefined>,
  ): Promise<string> {
    const key = `${kind}#${id}`;
    let name = this.done.get(key);
    if (!name) {
      name = (async () => {
        const record = await this.catalog.get<DefinitionRecord>(kind, id);
        const raw = await project(record);
        if (raw) this.entries.push({ kind: BUNDLE_KINDS[kind]!, raw });
        return String(record.name);
      })();
      this.done.set(key, name);
    }
    return name;
  }

  private async organization(id: unknown): Promise<string> {
    if (typeof id !== 'number') return 'Default';
    return String((await this.catalog.get<DefinitionRecord>('organization', id)).name);
  }

  private base(record: DefinitionRecord, organization: string): Raw {
    return { name: record.name, description: record.description ?? '', organization };
  }

  private optional(id: unknown, name: (id: number) => Promise<string>): Promise<string | null> {
    return typeof id === 'number' ? name(id) : Promise.resolve(null);
  }

  workflow(id: number): Promise<string> {
    return this.once('workflow_job_template', id, async (record) => {
      const nodes = (await this.allNodes()).filter((node) => node.workflow_job_template === id);
      const identifiers = new Map(nodes.map((node) => [node.id, String(node.identifier)]));
      return {
        ...this.base(record, await this.organization(record.organization)),
        ...pick(record, WORKFLOW_FIELDS),
        survey_spec: record.survey_spec ?? null,
        inventory: await this.optional(record.inventory, (inventory) => this.inventory(inventory)),
        workflow_nodes: await Promise.all(nodes.map((node) => this.node(node, identifiers))),
      };
    });
  }

  private allNodes(): Promise<DefinitionRecord[]> {
    return (this.nodes ??= this.catalog.list<DefinitionRecord>('workflow_job_template_node'));
  }

  private async node(node: DefinitionRecord, identifiers: Map<number, string>): Promise<Raw> {
    const edges = (relation: string) =>
      ((node[relation] as number[] | undefined) ?? [])
        .map((id) => identifiers.get(id))
        .filter((id) => id !== undefined);
    const raw: Raw = {
      identifier: node.identifier,
      ...pick(node, NODE_FIELDS),
      extra_data: node.extra_data ?? {},
      success_nodes: edges('success_nodes'),
      failure_nodes: edges('failure_nodes'),
      always_nodes: edges('always_nodes'),
      inventory: await this.optional(node.inventory, (inventory) => this.inventory(inventory)),
      credentials: await Promise.all(((node.credentials as number[]) ?? []).map((id) => this.credential(id))),
    };
    for (const field of NULLABLE_NODE_TEXT) if (raw[field] === '') raw[field] = null;
    const target =
      typeof node.unified_job_template === 'number'
        ? await this.catalog.findAmong<DefinitionRecord>(UNIFIED_KINDS, node.unified_job_template)
        : undefined;
    if (!target) return raw;
    if (target.kind === 'workflow_approval_template') {
      const { name, description, timeout } = target.record;
      return { ...raw, approval_node: { name, description, timeout } };
    }
    const name = await this.template(target.kind, target.record.id);
    return { ...raw, unified_job_template: { name, type: target.kind } };
  }

  private template(kind: ResourceKind, id: number): Promise<string> {
    switch (kind) {
      case 'job_template':
        return this.jobTemplate(id);
      case 'workflow_job_template':
        return this.workflow(id);
      case 'project':
        return this.project(id);
      default:
        return this.inventorySource(id);
    }
  }

  private jobTemplate(id: number): Promise<string> {
    return this.once('job_template', id, async (record) => ({
      ...this.base(record, await this.organization(record.organization)),
      ...pick(record, JOB_TEMPLATE_FIELDS),
      survey_spec: record.survey_spec ?? null,
      project: await this.optional(record.project, (project) => this.project(project)),
      inventory: await this.optional(record.inventory, (inventory) => this.inventory(inventory)),
      credentials: await Promise.all(
        ((record.credentials as number[]) ?? []).map((credential) => this.credential(credential)),
      ),
      execution_environment: await this.optional(record.execution_environment, (environment) =>
        this.executionEnvironment(environment),
      ),
      instance_groups: await Promise.all(
        ((record.instance_groups as number[]) ?? []).map((group) => this.instanceGroup(group)),
      ),
    }));
  }

  private project(id: number): Promise<string> {
    return this.once('project', id, async (record) => ({
      ...this.base(record, await this.organization(record.organization)),
      ...pick(record, PROJECT_FIELDS),
      credential: await this.optional(record.credential, (credential) => this.credential(credential)),
      default_environment: await this.optional(record.default_environment, (environment) =>
        this.executionEnvironment(environment),
      ),
    }));
  }

  private executionEnvironment(id: number): Promise<string> {
    return this.once('execution_environment', id, async (record) => ({
      ...this.base(record, await this.organization(record.organization)),
      ...pick(record, EXECUTION_ENVIRONMENT_FIELDS),
      managed: record.managed === true,
    }));
  }

  private instanceGroup(id: number): Promise<string> {
    return this.once('instance_group', id, (record) =>
      Promise.resolve({ name: record.name, ...pick(record, INSTANCE_GROUP_FIELDS) }),
    );
  }

  private async inventorySource(id: number): Promise<string> {
    const source = await this.catalog.get<DefinitionRecord>('inventory_source', id);
    await this.inventory(source.inventory as number);
    return String(source.name);
  }

  private inventory(id: number): Promise<string> {
    return this.once('inventory', id, async (record) => {
      const children = async (kind: ResourceKind) =>
        (await this.catalog.list<DefinitionRecord>(kind)).filter((child) => child.inventory === id);
      const hosts = await children('host');
      const hostNames = new Map(hosts.map((host) => [host.id, String(host.name)]));
      const groups = await children('group');
      const groupNames = new Map(groups.map((group) => [group.id, String(group.name)]));
      return {
        ...this.base(record, await this.organization(record.organization)),
        variables: record.variables ?? '',
        kind: record.kind ?? '',
        hosts: hosts.map((host) => ({
          name: host.name,
          variables: host.variables ?? '',
          enabled: host.enabled,
        })),
        groups: groups.map((group) => ({
          name: group.name,
          variables: group.variables ?? '',
          hosts: ((group.hosts as number[]) ?? []).map((host) => hostNames.get(host)).filter(Boolean),
          children: ((group.children as number[]) ?? [])
            .map((child) => groupNames.get(child))
            .filter(Boolean),
        })),
        inventory_sources: await Promise.all(
          (await children('inventory_source')).map(async (source) => ({
            name: source.name,
            description: source.description,
            ...pick(source, INVENTORY_SOURCE_FIELDS),
            source_project: await this.optional(source.source_project, (project) => this.project(project)),
            credential: await this.optional(source.credential, (credential) => this.credential(credential)),
          })),
        ),
      };
    });
  }

  private credential(id: number): Promise<string> {
    return this.once('credential', id, async (record) => {
      const type = await this.catalog.get<DefinitionRecord>(
        'credential_type',
        record.credential_type as number,
      );
      const typeName = String(type.name);
      if (!type.managed && !managedCredentialType(typeName))
        await this.once('credential_type', type.id, async () => ({
          name: type.name,
          description: type.description ?? '',
          kind: type.kind,
          inputs: type.inputs ?? {},
          injectors: type.injectors ?? {},
        }));
      return {
        ...this.base(record, await this.organization(record.organization)),
        credential_type: typeName,
        inputs: record.inputs ?? {},
      };
    });
  }
}

const BUNDLE_KINDS: Partial<Record<ResourceKind, BundleKind>> = {
  project: 'projects',
  inventory: 'inventories',
  credential_type: 'credential_types',
  credential: 'credentials',
  job_template: 'job_templates',
  workflow_job_template: 'workflow_job_templates',
  execution_environment: 'execution_environments',
  instance_group: 'instance_groups',
};

/** The fields the model reads as the API stores them (the rest are named above, by reference). */
const PROJECT_FIELDS = [
  'scm_url',
  'scm_branch',
  'scm_refspec',
  'scm_clean',
  'scm_delete_on_update',
  'scm_update_on_launch',
  'scm_update_cache_timeout',
  'allow_override',
  'local_path',
  'scm_type',
];
const JOB_TEMPLATE_FIELDS = [
  ...JOB_TEMPLATE_PROMPT_FLAGS,
  'job_type',
  'playbook',
  'scm_branch',
  'extra_vars',
  'job_tags',
  'skip_tags',
  'limit',
  'forks',
  'verbosity',
  'timeout',
  'become_enabled',
  'diff_mode',
  'job_slice_count',
  'allow_simultaneous',
  'survey_enabled',
];
const WORKFLOW_FIELDS = [
  ...WORKFLOW_PROMPT_FLAGS,
  'extra_vars',
  'survey_enabled',
  'allow_simultaneous',
  'limit',
  'scm_branch',
  'job_tags',
  'skip_tags',
  'webhook_service',
];
const NODE_FIELDS = [
  'all_parents_must_converge',
  'max_retries',
  'retry_delay',
  'retry_backoff_rate',
  'scm_branch',
  'job_type',
  'job_tags',
  'skip_tags',
  'limit',
  'diff_mode',
  'verbosity',
  'forks',
  'job_slice_count',
  'timeout',
];
const EXECUTION_ENVIRONMENT_FIELDS = ['image', 'pull'];
const INSTANCE_GROUP_FIELDS = ['is_container_group', 'max_concurrent_jobs', 'max_forks', 'pod_spec_override'];
const NULLABLE_NODE_TEXT = ['scm_branch', 'job_type', 'job_tags', 'skip_tags', 'limit'];
const INVENTORY_SOURCE_FIELDS = [
  'source',
  'source_path',
  'source_vars',
  'update_on_launch',
  'update_cache_timeout',
  'overwrite',
  'overwrite_vars',
  'enabled_var',
  'host_filter',
];

function pick(record: DefinitionRecord, fields: readonly string[]): Raw {
  const picked: Raw = {};
  for (const field of fields) if (record[field] !== undefined) picked[field] = record[field];
  return picked;
}
