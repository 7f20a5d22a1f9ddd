import { UserError } from '../errors';
import {
  EXPORT_KINDS,
  EXPORT_LISTS,
  UNMODELLED_LISTS,
  type ExportKind,
  type ExportType,
} from '../model/awx-export-format';
import {
  credentialKey,
  credentialTypeKey,
  executionEnvironmentKey,
  inventoryPartKey,
  nodeKey,
  organizationKey,
  ownedKey,
  scheduleKey,
  type NaturalKey,
} from '../model/awx-export-keys';
import { isInstallationDefault } from '../model/awx-defaults';
import { buildBundle } from '../model/bundle-builder';
import { Diagnostics, formatDiagnostic } from '../model/diagnostics';
import { nativeEntries } from '../model/native-loader';
import { isSecretRef } from '../model/resources/credential';
import { managedCredentialType } from '../model/resources/credential-types';
import type {
  Bundle,
  CredentialType,
  Inventory,
  InventorySource,
  JobTemplate,
  Schedule,
  SurveySpec,
  Vars,
  WorkflowJobTemplate,
  WorkflowNode,
} from '../model/types';
import { validateBundle } from '../model/validate';
import { SourceMap } from '../model/yaml-source';
import type { AwxClient } from './awx-client';
import { compactInputs } from './bundle-mapping';
import { exportDocument } from './export';
import { pythonJson } from '../model/python-json';

type Raw = Record<string, unknown>;

/**
 * The server's definitions as `awx export` writes them (docs/api.md "export", docs/formats.md
 * "AWX exports"): read as the native export reads them, checked as the model checks any bundle,
 * and written in awxkit's format. Definitions the model refuses are refused, with its reasons.
 */
export async function exportAwx(
  client: AwxClient,
  origin = client.connection.url,
): Promise<{ readonly json: string; readonly warnings: readonly string[] }> {
  // The native export's warnings name the references it writes for secrets the server does not
  // show; an AWX export writes no secret at all.
  const { document } = await exportDocument(client);
  const diagnostics = new Diagnostics();
  const bundle = buildBundle(nativeEntries(document, new SourceMap(), diagnostics), diagnostics);
  validateBundle(bundle, diagnostics);
  if (diagnostics.hasErrors)
    throw new UserError(
      [
        `the definitions of ${origin} do not all hold together as Towerless reads them; not exported:`,
        ...diagnostics.errors.map((error) => formatDiagnostic({ ...error, source: { file: origin } })),
      ].join('\n'),
    );
  return { json: `${pythonJson(awxExportOf(bundle), 5)}\n`, warnings: leftOutOfAwxFormat(bundle) };
}

/**
 * What the server has that AWX's export format has no place for: awxkit exports no instance
 * groups, nor a template's list of them, and AWX's nodes have no retries. Said, so that nobody
 * takes the file for the whole.
 */
function leftOutOfAwxFormat(bundle: Bundle): string[] {
  const warnings: string[] = [];
  const groups = bundle.instance_groups.filter(
    (group) => !isInstallationDefault('instance_groups', group.name),
  );
  const templates = bundle.job_templates.filter((template) => template.instance_groups.length > 0);
  if (groups.length > 0 || templates.length > 0)
    warnings.push(
      `AWX's export format has no instance groups: ${groups.length} instance group(s) and the instance_groups of ${templates.length} job template(s) are left out (--format native keeps them)`,
    );
  const retrying = bundle.workflow_job_templates.flatMap((workflow) =>
    workflow.workflow_nodes.filter((node) => node.max_retries > 0),
  );
  if (retrying.length > 0)
    warnings.push(
      `AWX's workflow nodes have no retries: the max_retries of ${retrying.length} node(s) are left out (--format native keeps them)`,
    );
  return warnings;
}

/**
 * A valid Bundle as an AWX export: every list of awxkit's the Bundle has a place for, each object
 * with AWX's fields (those the Bundle lacks at AWX's default), natural keys for references,
 * awxkit's `related` lists, and secrets left out ('').
 */
export function awxExportOf(bundle: Bundle): Record<string, unknown[]> {
  return new ExportWriter(bundle).document();
}

/** The kinds whose natural keys the writer finds by name (an execution environment's is its name). */
type NamedKind = Exclude<keyof Bundle, 'schedules' | 'execution_environments' | 'instance_groups'>;

class ExportWriter {
  private readonly byName: { readonly [K in NamedKind]: Map<string, Bundle[K][number]> };
  private readonly sources = new Map<string, { source: InventorySource; inventory: Inventory }>();

  constructor(private readonly bundle: Bundle) {
    const index = <T extends { name: string }>(items: readonly T[]) =>
      new Map(items.map((item) => [item.name, item]));
    this.byName = {
      projects: index(bundle.projects),
      inventories: index(bundle.inventories),
      credential_types: index(bundle.credential_types),
      credentials: index(bundle.credentials),
      job_templates: index(bundle.job_templates),
      workflow_job_templates: index(bundle.workflow_job_templates),
      notification_templates: index(bundle.notification_templates),
    };
    for (const inventory of bundle.inventories)
      for (const source of inventory.inventory_sources) this.sources.set(source.name, { source, inventory });
  }

  document(): Record<string, unknown[]> {
    const lists: Record<string, unknown[]> = {
      credential_types: this.bundle.credential_types.map((type) => this.credentialType(type)),
      credentials: this.bundle.credentials.map((credential) =>
        this.object(EXPORT_KINDS.credential, credential, {
          fields: { inputs: withoutSecrets(credential.inputs) },
        }),
      ),
      notification_templates: this.bundle.notification_templates.map((template) =>
        this.object(EXPORT_KINDS.notification_template, template, {
          fields: { notification_configuration: withoutSecrets(template.notification_configuration) },
        }),
      ),
      projects: this.bundle.projects.map((project) => this.object(EXPORT_KINDS.project, project)),
      inventory: this.bundle.inventories.map((inventory) => this.inventory(inventory)),
      inventory_sources: [...this.sources.values()].map(({ source, inventory }) =>
        this.inventorySource(source, inventory),
      ),
      job_templates: this.bundle.job_templates.map((template) =>
        this.template(EXPORT_KINDS.job_template, template),
      ),
      workflow_job_templates: this.bundle.workflow_job_templates.map((workflow) => this.workflow(workflow)),
      schedules: this.bundle.schedules.map((schedule) => this.schedule(schedule)),
      execution_environments: this.bundle.execution_environments
        .filter((environment) => !isInstallationDefault('execution_environments', environment.name))
        .map((environment) => this.object(EXPORT_KINDS.execution_environment, environment)),
    };
    // In awxkit's order, as `awx export` with the flag of each of these lists writes them; the
    // execution environments' only when there are any, so that an export of definitions that run
    // in AWX's own images is the nine lists it always was.
    return Object.fromEntries(
      EXPORT_LISTS.filter(
        (list) =>
          !UNMODELLED_LISTS.includes(list) && (list !== 'execution_environments' || lists[list].length > 0),
      ).map((list) => [list, lists[list]]),
    );
  }

  /**
   * One object of `kind`: its fields from `resource` by the format's table, the `fields` and
   * `related` lists its kind writes itself, the lists of names the table maps, and its natural key.
   */
  private object(
    kind: ExportKind,
    resource: object,
    own: { fields?: Raw; related?: Raw; parent?: NaturalKey; key?: NaturalKey } = {},
  ): Raw {
    const values = resource as Readonly<Raw>;
    const object: Raw = {};
    for (const [field, role] of Object.entries(kind.fields)) {
      const value = values[field];
      if (role.role === 'value') object[field] = role.emptyIsNull && value === '' ? null : value;
      else if (role.role === 'vars') object[field] = variablesText(value as Vars);
      else if (role.role === 'reference')
        object[field] = value === null ? null : this.keyOf(role.type, value as string);
      else if (role.role === 'parent') object[field] = own.parent;
      else if (role.role === 'unused') object[field] = role.awxDefault;
    }
    Object.assign(object, own.fields);
    const related: Raw = {};
    for (const [relation, role] of Object.entries(kind.related)) {
      if (role.role === 'names')
        related[relation] = (values[relation] as readonly string[]).map((name) =>
          this.keyOf(role.type, name),
        );
      else if (role.role === 'unused') related[relation] = [];
    }
    Object.assign(related, own.related);
    if (Object.keys(related).length > 0) object.related = related;
    object.natural_key = own.key ?? this.keyOf(kind.type, values.name as string);
    return object;
  }

  /** A custom credential type's inputs and injectors as its author writes them (what AWX keeps). */
  private credentialType(type: CredentialType): Raw {
    const injectors = Object.fromEntries(
      Object.entries(type.injectors).filter(([, section]) => Object.keys(section).length > 0),
    );
    return this.object(EXPORT_KINDS.credential_type, type, {
      fields: { inputs: compactInputs(type.inputs), injectors },
    });
  }

  private inventory(inventory: Inventory): Raw {
    const key = this.keyOf('inventory', inventory.name);
    const groupKey = (name: string) => inventoryPartKey('group', name, key);
    const hostKey = (name: string) => inventoryPartKey('host', name, key);
    const hosts = inventory.hosts.map((host) =>
      this.object(EXPORT_KINDS.host, host, {
        parent: key,
        key: hostKey(host.name),
        related: {
          groups: inventory.groups
            .filter((group) => group.hosts.includes(host.name))
            .map((group) => groupKey(group.name)),
        },
      }),
    );
    const groups = inventory.groups.map((group) =>
      this.object(EXPORT_KINDS.group, group, {
        parent: key,
        key: groupKey(group.name),
        related: { hosts: group.hosts.map(hostKey), children: group.children.map(groupKey) },
      }),
    );
    return this.object(EXPORT_KINDS.inventory, inventory, { related: { hosts, groups } });
  }

  /** `related.credentials` is AWX showing `credential` again; schedules are the Bundle's templates' only. */
  private inventorySource(source: InventorySource, inventory: Inventory): Raw {
    return this.object(EXPORT_KINDS.inventory_source, source, {
      fields: { inventory: this.keyOf('inventory', inventory.name) },
      related: {
        schedules: [],
        credentials: source.credential === null ? [] : [this.keyOf('credential', source.credential)],
      },
    });
  }

  private template(kind: ExportKind, template: JobTemplate | WorkflowJobTemplate, related: Raw = {}): Raw {
    const schedules = this.bundle.schedules.filter(
      (schedule) => this.scheduleOwner(schedule).template === template,
    );
    return this.object(kind, template, {
      related: {
        survey_spec: surveyOf(template.survey_spec),
        schedules: schedules.map((schedule) => this.schedule(schedule)),
        ...related,
      },
    });
  }

  private workflow(workflow: WorkflowJobTemplate): Raw {
    const key = this.keyOf('workflow_job_template', workflow.name);
    // Labels are the workflow organization's: apply makes them there.
    const { organization } = workflow;
    const labels = workflow.labels.map((name) =>
      this.object(EXPORT_KINDS.label, { name, organization }, { key: ownedKey('label', organization, name) }),
    );
    const nodes = workflow.workflow_nodes.map((node) => this.node(node, key));
    return this.template(EXPORT_KINDS.workflow_job_template, workflow, { labels, workflow_nodes: nodes });
  }

  /**
   * A node: its template by natural key, or, for an approval node, none but its approval template
   * under `related.create_approval_template` (as awxkit writes it); its edges as nodes' keys.
   */
  private node(node: WorkflowNode, workflow: NaturalKey): Raw {
    const edges = (identifiers: readonly string[]) =>
      identifiers.map((identifier) => nodeKey(workflow, identifier));
    const template = node.unified_job_template;
    return this.object(EXPORT_KINDS.workflow_job_template_node, node, {
      parent: workflow,
      key: nodeKey(workflow, node.identifier),
      fields: node.approval
        ? {}
        : { unified_job_template: template && this.keyOf(templateType(template), template.name) },
      related: {
        success_nodes: edges(node.success_nodes),
        failure_nodes: edges(node.failure_nodes),
        always_nodes: edges(node.always_nodes),
        ...(node.approval ? { create_approval_template: { ...node.approval } } : {}),
      },
    });
  }

  private schedule(schedule: Schedule): Raw {
    const { type, template } = this.scheduleOwner(schedule);
    const key = this.keyOf(type, template.name);
    return this.object(EXPORT_KINDS.schedule, schedule, {
      fields: { unified_job_template: key },
      key: scheduleKey(key, schedule.name),
    });
  }

  /** The template a schedule runs: a workflow of that name, else a job template (as the model resolves it). */
  private scheduleOwner(
    schedule: Schedule,
  ):
    | { type: 'workflow_job_template'; template: WorkflowJobTemplate }
    | { type: 'job_template'; template: JobTemplate } {
    const workflow = this.byName.workflow_job_templates.get(schedule.unified_job_template);
    if (workflow) return { type: 'workflow_job_template', template: workflow };
    return { type: 'job_template', template: this.find('job_templates', schedule.unified_job_template) };
  }

  /** The natural key of the `type` object the Bundle names `name`. */
  private keyOf(type: ExportType, name: string): NaturalKey {
    switch (type) {
      case 'organization':
        return organizationKey(name);
      case 'execution_environment':
        return executionEnvironmentKey(name);
      case 'credential_type': {
        const kind = this.byName.credential_types.get(name)?.kind ?? managedCredentialType(name)?.kind;
        if (kind === undefined) throw new Error(`credential type '${name}' is neither custom nor managed`);
        return credentialTypeKey(name, kind);
      }
      case 'credential': {
        const { organization, credential_type } = this.find('credentials', name);
        return credentialKey(organization, name, this.keyOf('credential_type', credential_type));
      }
      case 'inventory_source': {
        const found = this.sources.get(name);
        if (!found) throw new Error(`inventory source '${name}' is not in the bundle`);
        return inventoryPartKey('inventory_source', name, this.keyOf('inventory', found.inventory.name));
      }
      case 'project':
        return ownedKey(type, this.find('projects', name).organization, name);
      case 'inventory':
        return ownedKey(type, this.find('inventories', name).organization, name);
      case 'job_template':
        return ownedKey(type, this.find('job_templates', name).organization, name);
      case 'workflow_job_template':
        return ownedKey(type, this.find('workflow_job_templates', name).organization, name);
      case 'notification_template':
        return ownedKey(type, this.find('notification_templates', name).organization, name);
      default:
        throw new Error(`the natural key of a ${type} is not made from a name alone`);
    }
  }

  /** What the Bundle names `name`: always there in a valid Bundle, which references only what it defines. */
  private find<K extends NamedKind>(kind: K, name: string): Bundle[K][number] {
    const found = this.byName[kind].get(name);
    if (!found) throw new Error(`${kind} '${name}' is not in the bundle`);
    return found;
  }
}

/** The type of what a node (not an approval node) runs: the model's are AWX's. */
function templateType(template: NonNullable<WorkflowNode['unified_job_template']>): ExportType {
  if (template.type === 'workflow_approval') throw new Error('an approval node has no template of its own');
  return template.type;
}

/** Variables as AWX shows those the awx.awx collection set: JSON text, '' for none. */
function variablesText(vars: Vars): string {
  return Object.keys(vars).length === 0 ? '' : pythonJson(vars);
}

/** A survey as its template's `survey_spec` shows it: `{}` for none. */
function surveyOf(survey: SurveySpec | null): Raw {
  return survey ? { name: survey.name, description: survey.description, spec: survey.spec } : {};
}

/** Inputs or configuration with every secret written as AWX's exports write one: ''. */
function withoutSecrets(values: Readonly<Raw>): Raw {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, isSecretRef(value) ? '' : value]),
  );
}
