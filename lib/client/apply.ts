import { isDeepStrictEqual } from 'node:util';
import { readWithModel } from '../catalog/model-check';
import type { ResourceKind } from '../catalog/kinds';
import { UserError } from '../errors';
import { formatDiagnostic } from '../model/diagnostics';
import { definedInFiles } from '../model/reading-base';
import { bundleReferences, definedNames, referencedLabel, type ReferencedKind } from '../model/references';
import { readSurveySpec } from '../model/survey-spec';
import type { Bundle, Inventory, SurveySpec, WorkflowJobTemplate, WorkflowNode } from '../model/types';
import type { AwxClient } from './awx-client';
import { MAPPINGS, type MappedKind } from './bundle-mapping';
import { Names } from './names';
import { changedLists, objectPath, ObjectWriter, type Fields, type Written } from './writer';

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
 * an inventory's hosts, groups and sources are exactly those the bundle lists. What the files
 * name without defining is found on the server by name. Tells `report` of each resource as it is
 * done.
 */
export async function applyBundle(
  client: AwxClient,
  bundle: Bundle,
  report: (outcome: Outcome) => void,
): Promise<void> {
  const names = new Names(client, (label, name) => report({ label, name, result: 'created', changes: [] }));
  // What the files only name (AWX's default objects, a catalog's) is the server's: looked up, not written.
  const defined = definedInFiles(bundle);
  await checkNamed(client, names, defined);
  await new Applier(client, names, new ObjectWriter(client, names), report).apply(defined);
}

/** The server's kind of each kind of the bundle a reference may name. */
const SERVER_KINDS: Readonly<Record<ReferencedKind, ResourceKind>> = {
  projects: 'project',
  inventories: 'inventory',
  inventory_sources: 'inventory_source',
  credential_types: 'credential_type',
  credentials: 'credential',
  job_templates: 'job_template',
  workflow_job_templates: 'workflow_job_template',
  notification_templates: 'notification_template',
  schedules: 'schedule',
  execution_environments: 'execution_environment',
  instance_groups: 'instance_group',
};

/**
 * What the files name without defining must be on the server: each name is looked up before
 * anything is written, so that a bundle naming what the server lacks changes nothing.
 */
async function checkNamed(client: AwxClient, names: Names, bundle: Bundle): Promise<void> {
  const defined = definedNames(bundle);
  const asked = new Map<string, Promise<boolean>>();
  const missing: string[] = [];
  for (const reference of bundleReferences(bundle)) {
    const { kinds, name } = reference;
    if (kinds.some((kind) => defined[kind].has(name))) continue;
    const key = JSON.stringify([kinds, name]);
    if (!asked.has(key))
      asked.set(
        key,
        (async () => {
          for (const kind of kinds) if (await names.has(SERVER_KINDS[kind], name)) return true;
          return false;
        })(),
      );
    if (!(await asked.get(key)))
      missing.push(
        formatDiagnostic({
          severity: 'error',
          source: reference.source,
          resource: reference.owner,
          field: reference.field,
          value: name,
          message: `no ${referencedLabel(kinds)} '${name}' on ${client.connection.url}`,
        }),
      );
  }
  if (missing.length > 0)
    throw new UserError(
      [...missing, `${missing.length} name(s) the server does not have: nothing was applied`].join('\n'),
    );
}

const EDGES = ['success_nodes', 'failure_nodes', 'always_nodes'] as const;

class Applier {
  constructor(
    private readonly client: AwxClient,
    private readonly names: Names,
    private readonly writer: ObjectWriter,
    private readonly report: (outcome: Outcome) => void,
  ) {}

  async apply(bundle: Bundle): Promise<void> {
    // Each kind after the kinds it names: credentials name their types, projects their
    // credentials and execution environment, templates all of these and their instance groups,
    // nodes other workflows, schedules templates.
    for (const group of bundle.instance_groups)
      this.tell('instance_groups', group.name, await this.top('instance_groups', group));
    for (const environment of bundle.execution_environments)
      this.tell(
        'execution_environments',
        environment.name,
        await this.top('execution_environments', environment),
      );
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
    const written = await this.writer.write(kind, resource, { extra });
    this.names.remember(MAPPINGS[kind].definition.kind, resource.name, written.object.id);
    return written;
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
  private async inventoryParts(inventory: Inventory, { object, created }: Written): Promise<string[]> {
    const parent = { inventory: object.id };
    const under = (relation: string) => (created ? undefined : `/inventories/${object.id}/${relation}/`);
    const hosts = await this.writer.children('hosts', under('hosts'), inventory.hosts, 'name', () => parent);
    const groups = await this.writer.children(
      'groups',
      under('groups'),
      inventory.groups,
      'name',
      () => parent,
    );
    const sources = await this.writer.children(
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
          this.writer.listChange(written, 'hosts', idsOf(hosts.written, group.hosts), subject),
          this.writer.listChange(written, 'children', idsOf(groups.written, group.children), subject),
        ];
      }),
    );
    await this.writer.changeLists(members, subject);
    const regrouped = changedLists(members).length > 0;
    return [...hosts.changes, ...groups.changes, ...sources.changes, ...(regrouped ? ['group members'] : [])];
  }

  /**
   * The nodes of a workflow, by identifier: created, updated or deleted to match the bundle; then
   * each node's template (an approval template of its own for approval nodes) and, once every
   * node exists, the edges.
   */
  private async nodes(workflow: WorkflowJobTemplate, { object, created }: Written): Promise<string[]> {
    const nodes = await this.writer.children(
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
          this.writer.listChange(
            nodes.written.get(node.identifier)!,
            relation,
            node[relation].map(idOf),
            `node '${node.identifier}'`,
          ),
        ),
      ),
    );
    await this.writer.changeLists(edges, `workflow job template '${workflow.name}'`);
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
    const written = await this.writer.write('approvals', node.approval!, {
      existing,
      createPath: `/workflow_job_template_nodes/${object.id}/create_approval_template/`,
    });
    return written.created ? ['approval template'] : written.changes.map((change) => `approval ${change}`);
  }
}

/** A survey as the model reads it, so that a survey written another way compares by meaning. */
function readSurvey(raw: Fields): SurveySpec | null {
  return readWithModel({ survey_spec: raw }, 'survey', readSurveySpec).value;
}
