import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import type { ResourceKind } from '../catalog/kinds';
import { definitionOf } from '../catalog/resources';
import { isAwxDefault, isInstallationDefault } from '../model/awx-defaults';
import { buildBundle } from '../model/bundle-builder';
import { Diagnostics } from '../model/diagnostics';
import { nativeEntries } from '../model/native-loader';
import { NO_BASE } from '../model/reading-base';
import { bundleReferences } from '../model/references';
import { isSecretConfigurationKey } from '../model/resources/notification-template';
import { isSecretRef, slug } from '../model/resources/credential';
import { RESOURCE_KINDS } from '../model/types';
import { SourceMap } from '../model/yaml-source';
import type { ApiObject, AwxClient } from './awx-client';
import { LOADED_DEFAULTS, MAPPINGS, parseVars, roleOf, type MappedKind } from './bundle-mapping';

type Raw = Record<string, unknown>;

/** A native bundle read from the server, and what the reader should know about it. */
export interface ExportResult {
  /** The bundle as YAML, in the format of examples/guide. */
  readonly yaml: string;
  /** Secrets the server does not show, written as references to fill. */
  readonly warnings: readonly string[];
}

/** What AWX shows in place of a secret it keeps. */
const ENCRYPTED = '$encrypted$';

/**
 * The server's definitions as a native bundle (docs/api.md "export"): every project, inventory
 * (hosts, groups, sources), custom credential type, credential, notification template, job
 * template, workflow (nodes, edges, approvals, survey), schedule, execution environment and
 * instance group (AWX's own images and groups named, not written), with names where the API has
 * ids and only the fields that differ from what the loader fills in. Loading the result gives the
 * definitions that were applied.
 */
export async function exportBundle(client: AwxClient, origin = client.connection.url): Promise<ExportResult> {
  const { document, warnings } = await exportDocument(client);
  const yaml = stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
  return { yaml: `# Exported from ${origin} by towerless export\n${yaml}`, warnings };
}

export interface ExportOptions {
  /**
   * AWX's default objects (lib/model/awx-defaults.ts): `all` of them, as `awx export` writes
   * every object (the default); or only those `referenced` by another object exported, for a
   * server that had them from its start without anyone defining them (the throwaway server a
   * playbook is read through: lib/reader/ansible-reader.ts), so that a read defines only what the
   * playbook does.
   */
  readonly awxDefaults?: 'all' | 'referenced';
}

/** The same, as the native bundle document itself. */
export async function exportDocument(
  client: AwxClient,
  options: ExportOptions = {},
): Promise<{ document: Record<string, unknown>; warnings: readonly string[] }> {
  const exporter = new Exporter(client);
  const document = await exporter.document();
  return {
    document: options.awxDefaults === 'referenced' ? withoutUnreferencedDefaults(document) : document,
    warnings: exporter.warnings,
  };
}

/**
 * The document without the AWX default objects that no other object it keeps names: an object
 * named only by a default object that is left out goes too (Demo Job Template takes Demo Project
 * with it). References are the model's own list, read from the document as the loader reads it.
 */
function withoutUnreferencedDefaults(document: Raw): Raw {
  const diagnostics = new Diagnostics();
  const bundle = buildBundle(nativeEntries(document, new SourceMap(), diagnostics), diagnostics, NO_BASE);
  const key = (kind: string, name: string) => JSON.stringify([kind, name]);
  const kept = new Set<string>();
  const references = bundleReferences(bundle);
  for (let grew = true; grew;) {
    grew = false;
    for (const { from, kinds, name } of references) {
      if (isAwxDefault(from.kind, from.name) && !kept.has(key(from.kind, from.name))) continue;
      for (const kind of kinds) {
        if (!isAwxDefault(kind, name) || kept.has(key(kind, name))) continue;
        kept.add(key(kind, name));
        grew = true;
      }
    }
  }
  const keep = (kind: string, object: Raw) =>
    !isAwxDefault(kind, String(object.name)) || kept.has(key(kind, String(object.name)));
  return Object.fromEntries(
    Object.entries(document)
      .map(([kind, objects]) => [kind, (objects as Raw[]).filter((object) => keep(kind, object))] as const)
      .filter(([, objects]) => objects.length > 0),
  );
}

class Exporter {
  readonly warnings: string[] = [];
  private readonly lists = new Map<string, Promise<ApiObject[]>>();

  constructor(private readonly client: AwxClient) {}

  async document(): Promise<Raw> {
    const customTypes = (await this.all('credential_type')).filter((type) => !type.managed);
    const kinds: Record<(typeof RESOURCE_KINDS)[number], Promise<Raw[]>> = {
      projects: this.each('project', (project) => this.fields('projects', project)),
      inventories: this.each('inventory', (inventory) => this.inventory(inventory)),
      credential_types: Promise.all(customTypes.map((type) => this.credentialType(type))),
      credentials: this.each('credential', (credential) => this.credential(credential)),
      job_templates: this.each('job_template', (template) => this.template('job_templates', template)),
      workflow_job_templates: this.each('workflow_job_template', (workflow) => this.workflow(workflow)),
      notification_templates: this.each('notification_template', (template) => this.notification(template)),
      schedules: this.each('schedule', (schedule) => this.schedule(schedule)),
      execution_environments: this.each('execution_environment', (environment) =>
        this.fields('execution_environments', environment),
      ),
      instance_groups: this.each('instance_group', (group) => this.fields('instance_groups', group)),
    };
    const document: Raw = {};
    for (const kind of RESOURCE_KINDS) {
      const resources = (await kinds[kind]).filter(
        (resource) => !isInstallationDefault(kind, String(resource.name)),
      );
      if (resources.length > 0) document[kind] = resources;
    }
    return document;
  }

  /** Every object of a kind, in id order (read once). */
  private all(kind: ResourceKind): Promise<ApiObject[]> {
    const { path } = definitionOf(kind)!;
    let list = this.lists.get(path);
    if (!list) this.lists.set(path, (list = this.client.list(`/${path}/`, { order_by: 'id' })));
    return list;
  }

  private async each(kind: ResourceKind, make: (object: ApiObject) => Promise<Raw>): Promise<Raw[]> {
    return Promise.all((await this.all(kind)).map(make));
  }

  private async nameOf(kind: ResourceKind, id: unknown): Promise<string | null> {
    if (typeof id !== 'number') return null;
    const found = (await this.all(kind)).find((object) => object.id === id);
    return found ? String(found.name) : null;
  }

  /** The fields the Bundle has for this kind, as the loader reads them, where they differ from its defaults. */
  private async fields(kind: MappedKind, object: ApiObject): Promise<Raw> {
    const mapping = MAPPINGS[kind];
    const defaults = LOADED_DEFAULTS[kind];
    const raw: Raw = {};
    for (const field of Object.keys(defaults)) {
      const role = roleOf(mapping, field);
      let value: unknown;
      if (role.role === 'value') value = object[field];
      else if (role.role === 'vars') value = parseVars(object[field]);
      else if (role.role === 'reference') value = await this.nameOf(role.kind, object[field]);
      else if (role.role === 'list')
        value = (await this.client.list(`/${mapping.definition.path}/${object.id}/${field}/`)).map(
          (item) => item.name,
        );
      else continue;
      if (!isDefault(value, defaults[field])) raw[field] = value;
    }
    return raw;
  }

  private async inventory(inventory: ApiObject): Promise<Raw> {
    const within = async (kind: ResourceKind) =>
      (await this.all(kind)).filter((object) => object.inventory === inventory.id);
    const names = async (path: string) => (await this.client.list(path)).map((item) => item.name);
    const hosts = await Promise.all((await within('host')).map((host) => this.fields('hosts', host)));
    const groups = await Promise.all(
      (await within('group')).map(async (group) =>
        withLists(await this.fields('groups', group), {
          hosts: await names(`/groups/${group.id}/hosts/`),
          children: await names(`/groups/${group.id}/children/`),
        }),
      ),
    );
    const sources = await Promise.all(
      (await within('inventory_source')).map((source) => this.fields('inventory_sources', source)),
    );
    return withLists(await this.fields('inventories', inventory), {
      hosts,
      groups,
      inventory_sources: sources,
    });
  }

  /** A custom credential type; its `kind` always, which the loader requires though it reads 'cloud' without it. */
  private async credentialType(type: ApiObject): Promise<Raw> {
    return { ...(await this.fields('credential_types', type)), kind: type.kind };
  }

  /** A credential's inputs, its kept secrets (`$encrypted$`) as references to fill. */
  private async credential(credential: ApiObject): Promise<Raw> {
    const raw = await this.fields('credentials', credential);
    const name = String(credential.name);
    const inputs = this.withPlaceholders(
      raw.inputs,
      `credential '${name}', input`,
      `towerless/${slug(name)}`,
    );
    return Object.keys(inputs).length > 0 ? { ...raw, inputs } : raw;
  }

  /**
   * A notification template's configuration, its kept secrets (`$encrypted$`), and any value a
   * secret key holds (which the loader would refuse), as references to fill.
   */
  private async notification(template: ApiObject): Promise<Raw> {
    const raw = await this.fields('notification_templates', template);
    const name = String(template.name);
    const type = String(template.notification_type);
    const configuration = this.withPlaceholders(
      raw.notification_configuration,
      `notification template '${name}', key`,
      `towerless/notifications/${slug(name)}`,
      (key) => isSecretConfigurationKey(type, key),
    );
    return Object.keys(configuration).length > 0
      ? { ...raw, notification_configuration: configuration }
      : raw;
  }

  /**
   * A mapping with the values the server does not show (`$encrypted$`), and those of `secret` keys
   * that are not references, written as references `<prefix>/<key>` for the reader to fill: the
   * names the awx.awx loader gives those (`towerless/<credential>/<input>`,
   * `towerless/notifications/<template>/<key>`).
   */
  private withPlaceholders(
    values: unknown,
    label: string,
    prefix: string,
    secret: (key: string) => boolean = () => false,
  ): Raw {
    const shown = { ...((values as Raw | undefined) ?? {}) };
    for (const [key, value] of Object.entries(shown)) {
      const hidden =
        value === ENCRYPTED || (secret(key) && !isSecretRef(value) && value !== '' && value !== null);
      if (!hidden) continue;
      shown[key] = { secret: `${prefix}/${key}` };
      this.warnings.push(
        `${label} '${key}': the server does not show its value; written as secret reference '${prefix}/${key}': store the value there`,
      );
    }
    return shown;
  }

  private async template(
    kind: 'job_templates' | 'workflow_job_templates',
    template: ApiObject,
  ): Promise<Raw> {
    const raw = await this.fields(kind, template);
    const survey = await this.client.get<Raw>(
      `/${MAPPINGS[kind].definition.path}/${template.id}/survey_spec/`,
    );
    return Object.keys(survey).length > 0 ? { ...raw, survey_spec: survey } : raw;
  }

  private async workflow(workflow: ApiObject): Promise<Raw> {
    const nodes = (await this.all('workflow_job_template_node')).filter(
      (node) => node.workflow_job_template === workflow.id,
    );
    const identifiers = async (path: string) => (await this.client.list(path)).map((node) => node.identifier);
    const written = await Promise.all(
      nodes.map(async (node) => {
        const raw: Raw = {
          ...(await this.fields('workflow_nodes', node)),
          ...(await this.nodeTemplate(node)),
        };
        for (const relation of ['success_nodes', 'failure_nodes', 'always_nodes']) {
          const targets = await identifiers(`/workflow_job_template_nodes/${node.id}/${relation}/`);
          if (targets.length > 0) raw[relation] = targets;
        }
        return raw;
      }),
    );
    const raw = await this.template('workflow_job_templates', workflow);
    return written.length > 0 ? { ...raw, workflow_nodes: written } : raw;
  }

  /** `unified_job_template` by name (with its type when another kind of template has that name) or `approval_node`. */
  private async nodeTemplate(node: ApiObject): Promise<Raw> {
    if (typeof node.unified_job_template !== 'number') return {};
    const found = await this.templateOf(node.unified_job_template);
    if (!found) return {};
    if (found.kind === 'workflow_approval_template')
      return { approval_node: await this.fields('approvals', found.object) };
    const name = String(found.object.name);
    const sameName = await Promise.all(
      TEMPLATE_KINDS.map(async (kind) => (await this.all(kind)).some((object) => object.name === name)),
    );
    return {
      unified_job_template: sameName.filter(Boolean).length > 1 ? { name, type: found.kind } : name,
    };
  }

  /** The template a unified job template id names (the kinds share one id space). */
  private async templateOf(id: number): Promise<{ kind: ResourceKind; object: ApiObject } | undefined> {
    for (const kind of [...TEMPLATE_KINDS, 'workflow_approval_template'] as const) {
      const object = (await this.all(kind)).find((item) => item.id === id);
      if (object) return { kind, object };
    }
    return undefined;
  }

  private async schedule(schedule: ApiObject): Promise<Raw> {
    const template = await this.templateOf(schedule.unified_job_template as number);
    return {
      ...(await this.fields('schedules', schedule)),
      unified_job_template: template?.object.name ?? null,
    };
  }
}

const TEMPLATE_KINDS = ['job_template', 'workflow_job_template', 'project', 'inventory_source'] as const;

/**
 * Whether the loader would read `value` as it reads the field left out: null reads as left out,
 * and '' as null where null is the default (the API keeps '' in text fields that cannot be null).
 */
function isDefault(value: unknown, fallback: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (value === '' && fallback === null) ||
    isDeepStrictEqual(value, fallback)
  );
}

/** Adds the non-empty lists among `lists`. */
function withLists(raw: Raw, lists: Record<string, readonly unknown[]>): Raw {
  return { ...raw, ...Object.fromEntries(Object.entries(lists).filter(([, items]) => items.length > 0)) };
}
