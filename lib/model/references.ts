import { managedCredentialType } from './resources/credential-types';
import type { Bundle, NotificationLists, ResourceKind, SourceRef, UnifiedJobTemplateType } from './types';

/** How messages name a resource of each kind. */
export const KIND_LABELS: Readonly<Record<ResourceKind, string>> = {
  projects: 'project',
  inventories: 'inventory',
  credential_types: 'credential type',
  credentials: 'credential',
  job_templates: 'job template',
  workflow_job_templates: 'workflow job template',
  notification_templates: 'notification template',
  schedules: 'schedule',
  execution_environments: 'execution environment',
  instance_groups: 'instance group',
};

/** What a reference may name: a resource of the bundle, or an inventory source inside an inventory. */
export type ReferencedKind = ResourceKind | 'inventory_sources';

/** One name a resource uses for another resource, where it is written. */
export interface Reference {
  /** The top-level resource that holds the reference. */
  readonly from: { readonly kind: ResourceKind; readonly name: string };
  /** Human label of the part that holds it, e.g. `workflow job template 'W' node 'a'`. */
  readonly owner: string;
  readonly source: SourceRef;
  readonly field: string;
  /** The kinds it may name, in the order a name is looked for (a schedule's workflow first). */
  readonly kinds: readonly ReferencedKind[];
  readonly name: string;
  /**
   * Resolved as the resource is read (a node's template, whose type may be left out and is found
   * from the name; a credential's custom type, which its inputs are read by): reported there when
   * unknown, not again by the validator.
   */
  readonly resolvedWhenRead?: boolean;
}

/** `project`, `workflow job template or job template`: how messages name what a reference may name. */
export function referencedLabel(kinds: readonly ReferencedKind[]): string {
  const labels = kinds.map((kind) => (kind === 'inventory_sources' ? 'inventory source' : KIND_LABELS[kind]));
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : labels.join('');
}

/** A node template's type as the kind of the bundle it names (an approval names none). */
export const TEMPLATE_KINDS: Readonly<
  Record<Exclude<UnifiedJobTemplateType, 'workflow_approval'>, ReferencedKind>
> = {
  job_template: 'job_templates',
  workflow_job_template: 'workflow_job_templates',
  project: 'projects',
  inventory_source: 'inventory_sources',
};

/**
 * Every name by which a resource of the bundle refers to another: the one list the validator
 * checks and the reading base (lib/model/reading-base.ts) resolves, so that the two never
 * disagree on what a reference is.
 */
export function bundleReferences(bundle: Bundle): Reference[] {
  const found: Reference[] = [];
  const add = (
    from: Reference['from'],
    owner: string,
    source: SourceRef,
    field: string,
    kinds: readonly ReferencedKind[],
    names: readonly (string | null)[],
    resolvedWhenRead?: boolean,
  ) => {
    for (const name of names)
      if (name)
        found.push({
          from,
          owner,
          source,
          field,
          kinds,
          name,
          ...(resolvedWhenRead ? { resolvedWhenRead } : {}),
        });
  };
  const notifications = (
    from: Reference['from'],
    owner: string,
    source: SourceRef,
    lists: NotificationLists,
  ) => {
    for (const field of [
      'notification_templates_started',
      'notification_templates_success',
      'notification_templates_error',
    ] as const)
      add(from, owner, source, field, ['notification_templates'], lists[field]);
  };
  for (const project of bundle.projects) {
    const from = { kind: 'projects', name: project.name } as const;
    add(
      from,
      `project '${project.name}'`,
      project.origin,
      'credential',
      ['credentials'],
      [project.credential],
    );
    add(
      from,
      `project '${project.name}'`,
      project.origin,
      'default_environment',
      ['execution_environments'],
      [project.default_environment],
    );
  }
  for (const inventory of bundle.inventories) {
    const from = { kind: 'inventories', name: inventory.name } as const;
    for (const source of inventory.inventory_sources) {
      const owner = `inventory source '${source.name}'`;
      add(from, owner, source.origin, 'credential', ['credentials'], [source.credential]);
      add(from, owner, source.origin, 'source_project', ['projects'], [source.source_project]);
    }
  }
  for (const credential of bundle.credentials) {
    // One of AWX's managed types is no resource; a custom type is, and the reader needs it to read
    // the credential's inputs, so it reports one it cannot find.
    if (managedCredentialType(credential.credential_type)) continue;
    const from = { kind: 'credentials', name: credential.name } as const;
    const owner = `credential '${credential.name}'`;
    add(
      from,
      owner,
      credential.origin,
      'credential_type',
      ['credential_types'],
      [credential.credential_type],
      true,
    );
  }
  for (const template of bundle.job_templates) {
    const from = { kind: 'job_templates', name: template.name } as const;
    const owner = `job template '${template.name}'`;
    add(from, owner, template.origin, 'project', ['projects'], [template.project]);
    add(from, owner, template.origin, 'inventory', ['inventories'], [template.inventory]);
    add(from, owner, template.origin, 'credentials', ['credentials'], template.credentials);
    add(
      from,
      owner,
      template.origin,
      'execution_environment',
      ['execution_environments'],
      [template.execution_environment],
    );
    add(from, owner, template.origin, 'instance_groups', ['instance_groups'], template.instance_groups);
    notifications(from, owner, template.origin, template);
  }
  for (const workflow of bundle.workflow_job_templates) {
    const from = { kind: 'workflow_job_templates', name: workflow.name } as const;
    const owner = `workflow job template '${workflow.name}'`;
    add(from, owner, workflow.origin, 'inventory', ['inventories'], [workflow.inventory]);
    add(from, owner, workflow.origin, 'webhook_credential', ['credentials'], [workflow.webhook_credential]);
    notifications(from, owner, workflow.origin, workflow);
    add(
      from,
      owner,
      workflow.origin,
      'notification_templates_approvals',
      ['notification_templates'],
      workflow.notification_templates_approvals,
    );
    for (const node of workflow.workflow_nodes) {
      const template = node.unified_job_template;
      if (!template) continue;
      const nodeOwner = `${owner} node '${node.identifier}'`;
      if (template.type !== 'workflow_approval')
        add(
          from,
          nodeOwner,
          node.origin,
          'unified_job_template',
          [TEMPLATE_KINDS[template.type]],
          [template.name],
          true,
        );
      add(from, nodeOwner, node.origin, 'inventory', ['inventories'], [node.inventory]);
      add(from, nodeOwner, node.origin, 'credentials', ['credentials'], node.credentials);
    }
  }
  for (const schedule of bundle.schedules) {
    const from = { kind: 'schedules', name: schedule.name } as const;
    const owner = `schedule '${schedule.name}'`;
    add(
      from,
      owner,
      schedule.origin,
      'unified_job_template',
      ['workflow_job_templates', 'job_templates'],
      [schedule.unified_job_template],
    );
    add(from, owner, schedule.origin, 'inventory', ['inventories'], [schedule.inventory]);
  }
  return found;
}

/** The names a bundle defines, per kind a reference may name. */
export function definedNames(bundle: Bundle): Record<ReferencedKind, Set<string>> {
  const names = (resources: readonly { readonly name: string }[]) => new Set(resources.map((r) => r.name));
  return {
    projects: names(bundle.projects),
    inventories: names(bundle.inventories),
    inventory_sources: names(bundle.inventories.flatMap((i) => i.inventory_sources)),
    credential_types: names(bundle.credential_types),
    credentials: names(bundle.credentials),
    job_templates: names(bundle.job_templates),
    workflow_job_templates: names(bundle.workflow_job_templates),
    notification_templates: names(bundle.notification_templates),
    schedules: names(bundle.schedules),
    execution_environments: names(bundle.execution_environments),
    instance_groups: names(bundle.instance_groups),
  };
}
