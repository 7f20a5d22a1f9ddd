import { isDeepStrictEqual } from 'node:util';
import { kindOf } from '../catalog/kinds';
import { readWithModel } from '../catalog/model-check';
import { UserError } from '../errors';
import { readSurveySpec } from '../model/survey-spec';
import type { Bundle, SurveySpec, WorkflowJobTemplate, WorkflowNode } from '../model/types';
import type { ApiObject, AwxClient } from './awx-client';
import {
  MAPPINGS,
  parseVars,
  roleOf,
  type FieldRole,
  type KindMapping,
  type MappedKind,
} from './bundle-mapping';
import { Names } from './names';

type Fields = Readonly<Record<string, unknown>>;

/** A resource of the Bundle (its interfaces have no index signature), read field by field. */
function fieldsOf(resource: object): Fields {
  return resource as Fields;
}

/** What apply did to one resource of the bundle (or to an organization or label it named). */
export interface Outcome {
  readonly label: string;
  readonly name: string;
  readonly result: 'created' | 'changed' | 'unchanged';
  /** What changed: fields, association lists, nested resources. */
  readonly changes: readonly string[];
}

/**
 * Creates or updates every resource of a bundle through the API, as the awx.awx modules do
 * (docs/api.md "apply"): each is found by name in its scope, created when missing, patched in the
 * fields that differ only; its association lists are made to match exactly; a workflow's nodes and
 * an inventory's hosts, groups and sources are exactly those the bundle lists. Tells `report` of
 * each resource as it is done.
 */
export async function applyBundle(
  client: AwxClient,
  bundle: Bundle,
  report: (outcome: Outcome) => void,
): Promise<void> {
  const names = new Names(client, (label, name) => report({ label, name, result: 'created', changes: [] }));
  await new Applier(client, names, report).apply(bundle);
}

/** An object as written: the API's answer, and whether and how it changed. */
interface Written {
  readonly object: ApiObject;
  readonly created: boolean;
  readonly changes: readonly string[];
}

/** Ids to add to and take from one association list. */
interface ListChange {
  readonly path: string;
  readonly relation: string;
  readonly add: readonly number[];
  readonly remove: readonly number[];
}

const EDGES = ['success_nodes', 'failure_nodes', 'always_nodes'] as const;

class Applier {
  constructor(
    private readonly client: AwxClient,
    private readonly names: Names,
    private readonly report: (outcome: Outcome) => void,
  ) {}

  async apply(bundle: Bundle): Promise<void> {
    // Each kind after the kinds it names: credentials name their types, projects their
    // credentials, templates all of these, nodes other workflows, schedules templates.
    for (const type of bundle.credential_types)
      this.tell('credential_types', type.name, await this.top('credential_types', type));
    for (const credential of bundle.credentials)
      this.tell('credentials', credential.name, await this.top('credentials', credential));
    for (const project of bundle.projects)
      this.tell('projects', project.name, await this.top('projects', project));
    for (const inventory of bundle.inventories) {
      const written = await this.top('inventories', inventory);
      this.tell('inventories', inventory.name, written, await this.inventoryParts(inventory, written));
    }
    for (const template of bundle.notification_templates)
      this.tell('notification_templates', template.name, await this.top('notification_templates', template));
    for (const template of bundle.job_templates) {
      const written = await this.top('job_templates', template);
      this.tell('job_templates', template.name, written, await this.survey(written, template.survey_spec));
    }
    const workflows: [WorkflowJobTemplate, Written, string[]][] = [];
    for (const workflow of bundle.workflow_job_templates) {
      const written = await this.top('workflow_job_templates', workflow);
      workflows.push([workflow, written, await this.survey(written, workflow.survey_spec)]);
    }
    for (const [workflow, written, survey] of workflows)
      this.tell('workflow_job_templates', workflow.name, written, [
        ...survey,
        ...(await this.nodes(workflow, written)),
      ]);
    for (const schedule of bundle.schedules) {
      const template = this.names.knows('workflow_job_template', schedule.unified_job_template)
        ? 'workflow_job_template'
        : 'job_template';
      const id = await this.names.id(template, schedule.unified_job_template);
      this.tell(
        'schedules',
        schedule.name,
        await this.top('schedules', schedule, { unified_job_template: id }),
      );
    }
  }

  private tell(kind: MappedKind, name: string, written: Written, more: readonly string[] = []): void {
    const changes = [...written.changes, ...more];
    const result = written.created ? 'created' : changes.length > 0 ? 'changed' : 'unchanged';
    this.report({ label: MAPPINGS[kind].label, name, result, changes: written.created ? [] : changes });
  }

  /** A top-level resource, found by name in its scope; remembered for the resources that name it. */
  private async top(
    kind: MappedKind,
    resource: { readonly name: string },
    extra: Fields = {},
  ): Promise<Written> {
    const written = await this.write(kind, resource, { extra });
    this.names.remember(MAPPINGS[kind].definition.kind, resource.name, written.object.id);
    return written;
  }

  /**
   * Creates or updates one object. `existing` is the object already found (null: known to be
   * missing); otherwise it is looked up by name and the kind's scope (AWX's unique fields).
   */
  private async write(
    kind: MappedKind,
    resource: object,
    options: { extra?: Fields; existing?: ApiObject | null; createPath?: string } = {},
  ): Promise<Written> {
    const mapping = MAPPINGS[kind];
    const { name, identifier } = fieldsOf(resource);
    const subject = `${mapping.label} '${String(name ?? identifier)}'`;
    const { fields, lists } = await this.desired(kind, fieldsOf(resource), options.extra ?? {});
    const path = `/${mapping.definition.path}/`;
    const existing =
      options.existing === undefined
        ? await this.find(kind, fields, subject)
        : (options.existing ?? undefined);
    let written: Written;
    if (existing) {
      const changed = Object.keys(fields).filter((field) =>
        differs(roleOf(mapping, field), fields[field], existing[field]),
      );
      const object = changed.length
        ? await this.client.patch(`${path}${existing.id}/`, pick(fields, changed), subject)
        : existing;
      written = { object, created: false, changes: changed };
    } else
      written = {
        object: await this.client.post(options.createPath ?? path, fields, subject),
        created: true,
        changes: [],
      };
    const listChanges = await Promise.all(
      Object.entries(lists).map(([relation, ids]) => this.listChange(written, relation, ids, subject)),
    );
    await this.changeLists(listChanges, subject);
    return { ...written, changes: [...written.changes, ...changedLists(listChanges)] };
  }

  /** The API's fields and association lists for a resource of the Bundle. */
  private async desired(
    kind: MappedKind,
    resource: Fields,
    extra: Fields,
  ): Promise<{ fields: Record<string, unknown>; lists: Record<string, number[]> }> {
    const mapping: KindMapping = MAPPINGS[kind];
    const fields: Record<string, unknown> = {};
    const listed: [string, FieldRole & { role: 'list' }, readonly string[]][] = [];
    for (const [field, value] of Object.entries(resource)) {
      const role = roleOf(mapping, field);
      const convert = mapping.toApi?.[field];
      if (role.role === 'value') fields[field] = convert ? convert(value as never) : emptyText(role, value);
      else if (role.role === 'vars') fields[field] = value;
      else if (role.role === 'reference')
        fields[field] = value === null ? null : await this.names.id(role.kind, value as string);
      else if (role.role === 'list') listed.push([field, role, value as string[]]);
    }
    Object.assign(fields, extra);
    const lists: Record<string, number[]> = {};
    for (const [field, role, values] of listed)
      lists[field] = await Promise.all(
        values.map((name) => this.names.id(role.kind, name, fields.organization as number | undefined)),
      );
    return { fields, lists };
  }

  /** The object of that name in its scope (AWX's unique fields), if any; more than one is an error. */
  private async find(kind: MappedKind, fields: Fields, subject: string): Promise<ApiObject | undefined> {
    const { definition } = MAPPINGS[kind];
    const scope = (kindOf(definition.kind).unique ?? []).map((field) => [field, String(fields[field] ?? '')]);
    const found = await this.client.list(
      `/${definition.path}/`,
      { name: String(fields.name), ...Object.fromEntries(scope) },
      subject,
    );
    if (found.length > 1)
      throw new UserError(`${subject}: the server has ${found.length} of that name in its scope`);
    return found[0];
  }

  /**
   * How an association list of a written object must change to hold `wanted`. What it holds now:
   * nothing when just created, the ids the object shows (AWX shows a node's edges), or its sub-list.
   */
  private async listChange(
    { object, created }: Written,
    relation: string,
    wanted: readonly number[],
    subject: string,
  ): Promise<ListChange> {
    const path = objectPath(object);
    const shown = object[relation];
    const current = created
      ? []
      : Array.isArray(shown)
        ? (shown as number[])
        : (await this.client.list(`${path}${relation}/`, {}, subject)).map((item) => item.id);
    return {
      path,
      relation,
      add: wanted.filter((id) => !current.includes(id)),
      remove: current.filter((id) => !wanted.includes(id)),
    };
  }

  /**
   * Takes away before adding, across every list given: an edge that moves from success to failure,
   * or turns around, must be gone before its replacement is allowed.
   */
  private async changeLists(changes: readonly ListChange[], subject: string): Promise<void> {
    for (const { path, relation, remove } of changes)
      for (const id of remove)
        await this.client.post(`${path}${relation}/`, { id, disassociate: true }, subject);
    for (const { path, relation, add } of changes)
      for (const id of add) await this.client.post(`${path}${relation}/`, { id }, subject);
  }

  /** A template's survey (`…/survey_spec/`): posted when it differs, deleted when the bundle has none. */
  private async survey({ object, created }: Written, spec: SurveySpec | null): Promise<string[]> {
    const path = `${objectPath(object)}survey_spec/`;
    const current = created ? null : readSurvey(await this.client.get<Fields>(path));
    if (isDeepStrictEqual(current, spec)) return [];
    if (spec) await this.client.post(path, spec, `survey of '${String(object.name)}'`);
    else await this.client.delete(path, `survey of '${String(object.name)}'`);
    return ['survey_spec'];
  }

  /** An inventory's hosts, groups (with their hosts and children) and sources: exactly the bundle's. */
  private async inventoryParts(
    inventory: Bundle['inventories'][number],
    { object, created }: Written,
  ): Promise<string[]> {
    const parent = { inventory: object.id };
    const under = (relation: string) => (created ? undefined : `/inventories/${object.id}/${relation}/`);
    const hosts = await this.children('hosts', under('hosts'), inventory.hosts, 'name', () => parent);
    const groups = await this.children('groups', under('groups'), inventory.groups, 'name', () => parent);
    const sources = await this.children(
      'inventory_sources',
      under('inventory_sources'),
      inventory.inventory_sources,
      'name',
      () => parent,
    );
    for (const [name, source] of sources.written)
      this.names.remember('inventory_source', name, source.object.id);
    const idsOf = (written: Map<string, Written>, names: readonly string[]) =>
      names.map((name) => written.get(name)!.object.id);
    const subject = `inventory '${inventory.name}'`;
    const members = await Promise.all(
      inventory.groups.flatMap((group) => {
        const written = groups.written.get(group.name)!;
        return [
          this.listChange(written, 'hosts', idsOf(hosts.written, group.hosts), subject),
          this.listChange(written, 'children', idsOf(groups.written, group.children), subject),
        ];
      }),
    );
    await this.changeLists(members, subject);
    const regrouped = changedLists(members).length > 0;
    return [...hosts.changes, ...groups.changes, ...sources.changes, ...(regrouped ? ['group members'] : [])];
  }

  /**
   * The nodes of a workflow, by identifier: created, updated or deleted to match the bundle; then
   * each node's template (an approval template of its own for approval nodes) and, once every
   * node exists, the edges.
   */
  private async nodes(workflow: WorkflowJobTemplate, { object, created }: Written): Promise<string[]> {
    const nodes = await this.children(
      'workflow_nodes',
      created ? undefined : `/workflow_job_templates/${object.id}/workflow_nodes/`,
      workflow.workflow_nodes,
      'identifier',
      async (node) => ({
        workflow_job_template: object.id,
        ...(node.approval ? {} : { unified_job_template: await this.templateId(node) }),
      }),
      (node, written) => (node.approval ? this.approval(node, written) : Promise.resolve([])),
    );
    const idOf = (identifier: string) => nodes.written.get(identifier)!.object.id;
    const edges = await Promise.all(
      workflow.workflow_nodes.flatMap((node) =>
        EDGES.map((relation) =>
          this.listChange(
            nodes.written.get(node.identifier)!,
            relation,
            node[relation].map(idOf),
            `node '${node.identifier}'`,
          ),
        ),
      ),
    );
    await this.changeLists(edges, `workflow job template '${workflow.name}'`);
    const rewired = changedLists(edges).length > 0;
    return [...nodes.changes, ...(rewired ? ['edges'] : [])];
  }

  private async templateId(node: WorkflowNode): Promise<number | null> {
    const template = node.unified_job_template;
    if (!template || template.type === 'workflow_approval') return null;
    return this.names.id(template.type, template.name);
  }

  /** An approval node's template: its own, made through `create_approval_template`, or updated. */
  private async approval(node: WorkflowNode, { object }: Written): Promise<string[]> {
    const summary = (
      object.summary_fields as { unified_job_template?: { unified_job_type?: string } } | undefined
    )?.unified_job_template;
    const existing =
      summary?.unified_job_type === 'workflow_approval'
        ? await this.client.get(`/workflow_approval_templates/${String(object.unified_job_template)}/`)
        : null;
    const written = await this.write('approvals', node.approval!, {
      existing,
      createPath: `/workflow_job_template_nodes/${object.id}/create_approval_template/`,
    });
    return written.created ? ['approval template'] : written.changes.map((change) => `approval ${change}`);
  }

  /**
   * Nested resources of one parent (listed at `listPath`, or none when the parent is new), matched
   * by `key`: each item written, the rest deleted. Reports what changed, item by item.
   */
  private async children<T extends object>(
    kind: MappedKind,
    listPath: string | undefined,
    items: readonly T[],
    key: 'name' | 'identifier',
    extraOf: (item: T) => Fields | Promise<Fields>,
    afterWrite: (item: T, written: Written) => Promise<string[]> = () => Promise.resolve([]),
  ): Promise<{ written: Map<string, Written>; changes: string[] }> {
    const { label, definition } = MAPPINGS[kind];
    const current = new Map(
      (listPath ? await this.client.list(listPath) : []).map((object) => [String(object[key]), object]),
    );
    const done = new Map<string, Written>();
    const changes: string[] = [];
    for (const item of items) {
      const name = String(fieldsOf(item)[key]);
      const written = await this.write(kind, item, {
        extra: await extraOf(item),
        existing: current.get(name) ?? null,
      });
      done.set(name, written);
      const more = await afterWrite(item, written);
      if (written.created) changes.push(`${label} '${name}' created`);
      else if (written.changes.length + more.length > 0)
        changes.push(`${label} '${name}' (${[...written.changes, ...more].join(', ')})`);
    }
    for (const [name, object] of current) {
      if (done.has(name)) continue;
      await this.client.delete(`/${definition.path}/${object.id}/`, `${label} '${name}'`);
      changes.push(`${label} '${name}' deleted`);
    }
    return { written: done, changes };
  }
}

/** The relations of the changes that change something. */
function changedLists(changes: readonly ListChange[]): string[] {
  return changes.filter((change) => change.add.length + change.remove.length > 0).map((c) => c.relation);
}

/** An object's path under the API prefix, from its `url` (`/api/v2/job_templates/3/`). */
function objectPath(object: ApiObject): string {
  return String(object.url).replace(/^.*?\/api\/v2\//, '/');
}

/** Whether the API's value differs from what the bundle wants. */
function differs(role: FieldRole, wanted: unknown, current: unknown): boolean {
  if (role.role === 'vars') return !isDeepStrictEqual(parseVars(wanted), parseVars(current));
  if (role.role === 'value' && role.emptyText) return (wanted ?? '') !== (current ?? '');
  return !isDeepStrictEqual(wanted, current ?? null);
}

/** The API keeps '' where the Bundle has null in text fields that cannot be null. */
function emptyText(role: FieldRole & { role: 'value' }, value: unknown): unknown {
  return value === null && role.emptyText ? '' : value;
}

/** A survey as the model reads it, so that a survey written another way compares by meaning. */
function readSurvey(raw: Fields): SurveySpec | null {
  return readWithModel({ survey_spec: raw }, 'survey', readSurveySpec).value;
}

function pick(fields: Fields, names: readonly string[]): Fields {
  return Object.fromEntries(names.map((name) => [name, fields[name]]));
}
