import {
  CONNECTION_ARGUMENTS,
  JINJA_NEEDS_ANSIBLE,
  needsAnsibleMessage,
  WITHOUT_ANSIBLE,
  isAnsibleTemplate,
  ansibleOnlyKeyword,
  ansibleOnlyKeywordMessage,
  templatedArguments,
} from './ansible-only';
import type { RawEntry } from './bundle-builder';
import type { Diagnostics } from './diagnostics';
import { isJinja } from './field-reader';
import { KeyedList } from './keyed-list';
import { MODULE_ARGUMENTS } from './module-arguments';
import {
  LEGACY_CREDENTIAL_INPUTS,
  isLegacyCredential,
  legacyCredentialArguments,
} from './module-legacy-credential';
import { LEGACY_WORKFLOW_ARGUMENTS, legacyWorkflowArguments } from './module-legacy-workflow';
import { moduleParameters } from './module-parameters';
import { moduleSends } from './module-sends';
import { ModuleTask } from './module-task';
import { isSecretConfigurationKey } from './resources/notification-template';
import type { ResourceKind, SourceRef } from './types';
import type { SourceMap } from './yaml-source';

/**
 * Reads awx.awx task files as AWX users keep them in GitOps repos: task lists (or plays) calling
 * `awx.awx.<module>` (or the legacy `tower_<module>` names), applied in order the way the modules
 * would apply them to AWX: later tasks update earlier ones, `state: absent` deletes, links to
 * nodes may be declared in later tasks, and `workflow_nodes` may be given inline. Each task's
 * arguments are first what Ansible makes of them (module-parameters.ts: aliases, lists and
 * mappings given as text); Tower 3.x's `tower_workflow_template` and `tower_credential` with
 * `kind` are read as the tasks they amount to (module-legacy-*.ts).
 */
/** The awx.awx modules that define a resource of their own, and its kind. */
export const TOP_LEVEL_MODULES: Readonly<Record<string, ResourceKind>> = {
  project: 'projects',
  inventory: 'inventories',
  credential_type: 'credential_types',
  credential: 'credentials',
  job_template: 'job_templates',
  workflow_job_template: 'workflow_job_templates',
  notification_template: 'notification_templates',
  schedule: 'schedules',
  execution_environment: 'execution_environments',
  instance_group: 'instance_groups',
};

/** Parts of an inventory, declared by their own modules (named by their `inventory` argument). */
export const INVENTORY_PARTS: Readonly<Record<string, string>> = {
  host: 'hosts',
  group: 'groups',
  inventory_source: 'inventory_sources',
};

/** Modules that manage things outside a workflow definition (RBAC, launches, settings). */
const OTHER_AWX_MODULES = new Set([
  'organization',
  'team',
  'user',
  'role',
  'label',
  'token',
  'settings',
  'credential_input_source',
  'job_launch',
  'job_wait',
  'job_cancel',
  'job_list',
  'workflow_launch',
  'workflow_approval',
  'workflow_node_wait',
  'ad_hoc_command',
  'export',
  'import',
  'license',
  'application',
  'bulk_job_launch',
  'bulk_host_create',
  'project_update',
  'inventory_source_update',
  'meta',
  'receptor_address',
  'instance',
  'subscriptions',
]);

/** Module plumbing (connection and behaviour) that is not part of a resource. */
const PLUMBING = new Set([
  ...CONNECTION_ARGUMENTS,
  'state',
  'new_name',
  'copy_from',
  'lookup_organization',
  'wait',
  'interval',
  'update_project',
  'destroy_current_nodes',
  'update_secrets',
  'preserve_existing_hosts',
  'preserve_existing_children',
]);

const TASK_KEYWORDS = new Set([
  'name',
  'when',
  'tags',
  'loop',
  'loop_control',
  'register',
  'vars',
  'become',
  'become_user',
  'delegate_to',
  'run_once',
  'ignore_errors',
  'no_log',
  'environment',
  'module_defaults',
  'notify',
  'changed_when',
  'failed_when',
  'check_mode',
  'retries',
  'delay',
  'until',
  'connection',
  'collections',
  'args',
]);

/** A module's name: the namespace, the legacy `tower_` (group 1) and the module (group 2). */
const MODULE_NAME = /^(?:(?:awx\.awx|ansible\.controller|ansible\.tower)\.)?(tower_)?([a-z_]+)$/;

/** The collections that hold the awx.awx modules (by fully qualified name), and the legacy `tower_` prefix. */
export const AWX_QUALIFIED = /^(?:awx\.awx|ansible\.controller|ansible\.tower)\.|^tower_/;

/** Modules known by their bare name too (with the collection in a play's `collections:`). */
const DEFINING_MODULES = new Set([
  ...Object.keys(TOP_LEVEL_MODULES),
  ...Object.keys(INVENTORY_PARTS),
  'workflow_job_template_node',
]);

/**
 * The awx.awx module a task calls by `key`, if it calls one: a fully qualified name of one of the
 * collections that hold them, a legacy `tower_` name (`tower`), or the bare name of a module that
 * defines a resource.
 */
export function awxModuleOf(key: string): { readonly module: string; readonly tower: boolean } | undefined {
  const [, tower, module] = MODULE_NAME.exec(key) ?? [];
  if (!module || (!AWX_QUALIFIED.test(key) && !DEFINING_MODULES.has(module))) return undefined;
  return { module, tower: tower !== undefined };
}

/** Tower 3.x's workflow module, read as the workflow_job_template task it amounts to. */
const LEGACY_WORKFLOW = 'workflow_template';

type Raw = Record<string, unknown>;

/** A `when:` on a block: it applies to every task inside. */
interface BlockCondition {
  readonly keyword: string;
  readonly value: unknown;
  readonly source: SourceRef;
}

/** Ansible's own modules, by their short name or under ansible.builtin / ansible.legacy. */
const BUILTIN_NAME = /^(?:ansible\.(?:builtin|legacy)\.)?([a-z_]+)$/;

/** Modules that bring in other tasks or variables: what the file defines depends on running them. */
const ANSIBLE_FLOW_MODULES = new Set([
  'include_tasks',
  'import_tasks',
  'include_role',
  'import_role',
  'include_vars',
  'set_fact',
  'import_playbook',
  'include',
]);

export function isTaskDocument(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

export class AwxTaskTranslator {
  private readonly resources = new Map<ResourceKind, Map<string, Raw>>();
  /** Node tasks of workflows no task had defined yet: a later file of the folder may (see `entries()`). */
  private readonly pendingNodes: ModuleTask[] = [];
  /** Hosts, groups, sources and nodes as tasks update them; written back to their owners by `entries()`. */
  private readonly lists = new Map<Raw, Map<string, KeyedList>>();
  /** Tasks and plays read so far, for the resource limit (docs/input-limits.md). */
  tasksRead = 0;

  constructor(
    private readonly sourceMap: SourceMap,
    private readonly diagnostics: Diagnostics,
  ) {}

  addDocument(tasks: unknown[], file: string): void {
    this.visitAll(tasks, { file });
  }

  /** The resources as they stand after every task, in first-declared order. */
  entries(): RawEntry[] {
    // Folders are read in name order, so links may be written in a file read before the workflow's.
    for (const task of this.pendingNodes) this.applyNode(task);
    this.pendingNodes.length = 0;
    for (const owner of [...this.lists.keys()]) this.writeLists(owner);
    return [...this.resources.entries()].flatMap(([kind, byName]) =>
      [...byName.values()].map((raw) => ({ kind, raw, sourceMap: this.sourceMap, style: 'awx' as const })),
    );
  }

  private visitAll(tasks: unknown[], fallback: SourceRef, condition?: BlockCondition): void {
    tasks.forEach((item, index) => {
      this.tasksRead++;
      const source = this.sourceMap.at(tasks, index, fallback);
      if (item && typeof item === 'object' && !Array.isArray(item))
        this.visit(item as Raw, source, condition);
      else {
        this.diagnostics.error({
          source,
          field: `[${index}]`,
          value: item,
          message: 'is not a task or a play: a task file is a list of mappings',
        });
      }
    });
  }

  private visit(task: Raw, source: SourceRef, condition: BlockCondition | undefined): void {
    // A play: its task sections hold the awx tasks; include/import tasks are covered by the folder walk.
    if ('hosts' in task) {
      if (task.roles !== undefined && task.roles !== null)
        this.diagnostics.needsAnsible({
          source: this.sourceMap.at(task, 'roles', source),
          field: 'roles',
          message: `a play's roles run only in Ansible; ${WITHOUT_ANSIBLE}`,
        });
      for (const section of ['pre_tasks', 'tasks', 'post_tasks']) {
        if (Array.isArray(task[section])) this.visitAll(task[section] as unknown[], source, condition);
      }
      return;
    }
    for (const section of ['block', 'rescue', 'always']) {
      if (Array.isArray(task[section])) {
        const keyword = ansibleOnlyKeyword(task);
        const inner = keyword
          ? { keyword, value: task[keyword], source: this.sourceMap.at(task, keyword, source) }
          : condition;
        this.visitAll(task[section] as unknown[], source, inner);
        return;
      }
    }
    const moduleKey = Object.keys(task).find((key) => !TASK_KEYWORDS.has(key) && !key.startsWith('with_'));
    if (!moduleKey) return;
    const params = task[moduleKey];
    const label = `task '${String(task.name ?? moduleKey)}'`;
    const flow = BUILTIN_NAME.exec(moduleKey)?.[1];
    if (flow && ANSIBLE_FLOW_MODULES.has(flow)) {
      this.diagnostics.needsAnsible({
        source,
        resource: label,
        field: moduleKey,
        message: `\`${flow}\` changes what the tasks define, and only Ansible runs it; ${WITHOUT_ANSIBLE}`,
      });
      return;
    }
    const called = awxModuleOf(moduleKey);
    if (!called) return; // Not an AWX module (debug, assert, ...): nothing to define.
    const { module, tower } = called;
    if (OTHER_AWX_MODULES.has(module)) {
      this.diagnostics.note({
        source,
        resource: label,
        message: `${moduleKey} manages something outside workflow definitions; ignored`,
      });
      return;
    }
    // Arguments written as one Jinja expression are the mapping Ansible renders it to.
    if (isAnsibleTemplate(params) && !this.sourceMap.isLiteral(task, moduleKey)) {
      this.diagnostics.needsAnsible({
        source: this.sourceMap.at(task, moduleKey, source),
        resource: label,
        field: moduleKey,
        value: params,
        message: JINJA_NEEDS_ANSIBLE,
      });
      return;
    }
    if (!params || typeof params !== 'object' || Array.isArray(params)) {
      this.diagnostics.error({
        source,
        resource: label,
        field: moduleKey,
        value: params,
        message: 'module arguments must be a mapping (free-form key=value arguments are not supported)',
      });
      return;
    }
    const call = new ModuleTask(module, params as Raw, label, source, this.sourceMap, this.diagnostics);
    this.applyCall(call, task, moduleKey, tower, condition);
  }

  /** Applies one call of an awx.awx module (`tower`: by its legacy `tower_` name), unless refused. */
  private applyCall(
    call: ModuleTask,
    task: Raw,
    moduleKey: string,
    tower: boolean,
    condition: BlockCondition | undefined,
  ): void {
    // The legacy credential's inputs are options of their own: their Jinja is handled as inputs' is.
    const legacyInputs = tower && call.module === 'credential' ? LEGACY_CREDENTIAL_INPUTS : undefined;
    if (this.refusedWithoutAnsible(task, call, condition, legacyInputs)) return;
    const legacyWorkflow = tower && call.module === LEGACY_WORKFLOW;
    if (!legacyWorkflow && !(call.module in MODULE_ARGUMENTS)) {
      call.error(moduleKey, undefined, `unknown AWX module '${moduleKey}'`, call.source);
      return;
    }
    const sent = this.parameters(call, tower);
    if (!sent) return;
    const module = legacyWorkflow ? 'workflow_job_template' : call.module;
    const read = new ModuleTask(module, sent, call.label, call.source, this.sourceMap, this.diagnostics);
    if (module in TOP_LEVEL_MODULES) this.applyResource(TOP_LEVEL_MODULES[module], read);
    else if (module in INVENTORY_PARTS) this.applyInventoryPart(INVENTORY_PARTS[module], read);
    else if (this.workflow(sent.workflow_job_template)) this.applyNode(read);
    else this.pendingNodes.push(read);
  }

  /**
   * What the module receives from the task: Ansible's aliases and conversions applied, a legacy
   * module's arguments read as those of the module that replaced it, and what a module's main()
   * sends differently. Undefined when the task would fail before defining anything (reported).
   */
  private parameters(task: ModuleTask, tower: boolean): Raw | undefined {
    if (tower && task.module === LEGACY_WORKFLOW) {
      const params = moduleParameters(task, LEGACY_WORKFLOW_ARGUMENTS);
      return params && legacyWorkflowArguments(task, params);
    }
    const params = moduleParameters(task, MODULE_ARGUMENTS[task.module]);
    if (!params) return undefined;
    if (tower && task.module === 'credential' && isLegacyCredential(params))
      return legacyCredentialArguments(task, params);
    return moduleSends(task.module, params, this.sourceMap);
  }

  private workflow(name: unknown): Raw | undefined {
    return typeof name === 'string' ? this.resources.get('workflow_job_templates')?.get(name) : undefined;
  }

  /**
   * Reports what only Ansible could evaluate in this task (see ansible-only.ts): a loop, a
   * condition (its own or its block's), Jinja in what the module would send to AWX. Such a task is
   * not applied.
   */
  private refusedWithoutAnsible(
    task: Raw,
    call: ModuleTask,
    condition: BlockCondition | undefined,
    /** Arguments that are Jinja expressions the reader handles itself (a legacy credential's inputs). */
    handled?: ReadonlySet<string>,
  ): boolean {
    const keyword = ansibleOnlyKeyword(task);
    if (keyword)
      call.needsAnsible(
        keyword,
        task[keyword],
        ansibleOnlyKeywordMessage(keyword),
        this.sourceMap.at(task, keyword, call.source),
      );
    else if (condition) {
      const block = `${condition.source.file}${condition.source.line ? `:${condition.source.line}` : ''}`;
      call.needsAnsible(
        condition.keyword,
        condition.value,
        `${ansibleOnlyKeywordMessage(condition.keyword)}; it is the condition of the enclosing block (${block})`,
        call.source,
      );
    }
    const args = call.args;
    const notificationType = String(
      args.notification_type ??
        this.resources.get('notification_templates')?.get(String(args.name))?.notification_type ??
        'email',
    );
    const templated = templatedArguments(call.module, args, this.sourceMap, (key) =>
      isSecretConfigurationKey(notificationType, key),
    ).filter((found) => !(handled?.has(found.field) && isJinja(found.value)));
    for (const found of templated)
      call.needsAnsible(found.field, found.value, needsAnsibleMessage(found.value), found.source);
    return keyword !== undefined || condition !== undefined || templated.length > 0;
  }

  private applyResource(kind: ResourceKind, task: ModuleTask): void {
    const args = task.args;
    const name = args.name;
    if (typeof name !== 'string' || name === '') {
      task.error('name', name, 'is required');
      return;
    }
    const byName = this.resources.get(kind) ?? new Map<string, Raw>();
    this.resources.set(kind, byName);
    if (args.state === 'absent') {
      byName.delete(name);
      return;
    }
    const existing = byName.get(name);
    // `state: exists` (awx.awx 24) creates the resource when it is missing, and changes nothing else.
    if (args.state === 'exists' && existing) return;
    const target = existing ?? {};
    const { workflow_nodes: nodes, ...rest } = this.resourceFields(task);
    this.assign(target, rest, args);
    if (kind === 'workflow_job_templates' && (nodes !== undefined || args.destroy_current_nodes)) {
      if (args.destroy_current_nodes)
        this.listsOf(target).set('workflow_nodes', new KeyedList([], 'identifier'));
      const current = this.list(target, 'workflow_nodes', 'identifier');
      for (const node of Array.isArray(nodes) ? nodes : []) this.mergeNode(current, node as Raw);
    }
    if (typeof args.new_name === 'string' && args.new_name !== '') {
      byName.delete(name);
      target.name = args.new_name;
      byName.set(args.new_name, target);
    } else if (!existing) byName.set(name, target);
  }

  /** The task's fields: module plumbing dropped, and fields Towerless does not use noted and dropped. */
  private resourceFields(task: ModuleTask): Raw {
    const unused = MODULE_ARGUMENTS[task.module]?.unused ?? [];
    const fields: Raw = {};
    for (const [key, value] of Object.entries(task.args)) {
      if (PLUMBING.has(key)) continue;
      if (unused.includes(key)) {
        this.diagnostics.note({
          source: task.at(key),
          resource: task.label,
          field: key,
          message: 'accepted for AWX compatibility; Towerless does not use it',
        });
        continue;
      }
      fields[key] = value;
    }
    return fields;
  }

  private applyInventoryPart(part: string, task: ModuleTask): void {
    const args = task.args;
    const inventoryName = args.inventory;
    const name = args.name;
    if (typeof inventoryName !== 'string' || typeof name !== 'string') {
      const field = typeof name !== 'string' ? 'name' : 'inventory';
      task.error(field, undefined, 'is required');
      return;
    }
    const inventory = this.resources.get('inventories')?.get(inventoryName);
    if (!inventory) {
      task.error(
        'inventory',
        inventoryName,
        `inventory '${inventoryName}' is not defined by an earlier awx.awx.inventory task`,
      );
      return;
    }
    const written = inventory[part];
    if (
      written !== undefined &&
      written !== null &&
      !Array.isArray(written) &&
      !this.lists.get(inventory)?.has(part)
    ) {
      task.error(
        'inventory',
        inventoryName,
        `inventory '${inventoryName}' writes its ${part} as a mapping; to add to them with tasks, write them as a list`,
      );
      return;
    }
    const list = this.list(inventory, part, 'name');
    const previous = list.get(name) as Raw | undefined;
    if (args.state === 'exists' && previous) return;
    list.delete(name);
    if (args.state === 'absent') return;
    const item: Raw = {};
    const fields = this.resourceFields(task);
    delete fields.inventory;
    this.assign(item, fields, args);
    if (previous) this.preserveMembers(item, previous, args);
    list.putLast(name, item);
  }

  /** The group module adds to a group's hosts and children, not replaces them, when told to preserve them. */
  private preserveMembers(group: Raw, previous: Raw, args: Raw): void {
    for (const members of ['hosts', 'children'] as const) {
      if (args[`preserve_existing_${members}`] !== true || !Array.isArray(group[members])) continue;
      const kept = Array.isArray(previous[members]) ? (previous[members] as unknown[]) : [];
      const added = (group[members] as unknown[]).filter((member) => !kept.includes(member));
      group[members] = [...kept, ...added];
    }
  }

  private applyNode(task: ModuleTask): void {
    const args = task.args;
    const label = `workflow node '${String(args.identifier ?? '?')}'`;
    const workflowName = args.workflow_job_template;
    const workflow = this.workflow(workflowName);
    if (!workflow) {
      this.diagnostics.error({
        source: task.source,
        resource: label,
        field: 'workflow_job_template',
        value: workflowName,
        message: 'no awx.awx.workflow_job_template task defines this workflow',
      });
      return;
    }
    if (typeof args.identifier !== 'string' || args.identifier === '') {
      this.diagnostics.error({
        source: task.source,
        resource: label,
        field: 'identifier',
        message: 'is required (Towerless links nodes by identifier)',
      });
      return;
    }
    const nodes = this.list(workflow, 'workflow_nodes', 'identifier');
    if (args.state === 'absent') {
      nodes.delete(args.identifier);
      return;
    }
    if (args.state === 'exists' && nodes.get(args.identifier)) return;
    const fields = this.resourceFields(task);
    delete fields.workflow_job_template;
    delete fields.organization;
    this.mergeNode(nodes, fields, args);
  }

  /** Adds a node, or updates the one with the same identifier (each given edge list replaces the old one). */
  private mergeNode(nodes: KeyedList, fields: Raw, origin: Raw = fields): void {
    const existing = nodes.get(fields.identifier);
    if (existing) this.assign(existing, fields, origin);
    else {
      const node: Raw = {};
      this.assign(node, fields, origin);
      nodes.putLast(fields.identifier, node);
    }
  }

  private assign(target: Raw, fields: Raw, origin: Raw): void {
    // A field written again replaces the list tasks were building in it.
    for (const key of Object.keys(fields)) this.lists.get(target)?.delete(key);
    Object.assign(target, fields);
    this.sourceMap.copyKeys(target, origin, Object.keys(fields));
  }

  private listsOf(owner: Raw): Map<string, KeyedList> {
    let lists = this.lists.get(owner);
    if (!lists) this.lists.set(owner, (lists = new Map()));
    return lists;
  }

  /** `owner[field]` as a list tasks update by `keyField`, starting from what is written there. */
  private list(owner: Raw, field: string, keyField: string): KeyedList {
    const lists = this.listsOf(owner);
    let list = lists.get(field);
    if (!list) {
      const written = owner[field];
      lists.set(field, (list = new KeyedList(Array.isArray(written) ? written : [], keyField)));
    }
    return list;
  }

  private writeLists(owner: Raw): void {
    for (const [field, list] of this.lists.get(owner) ?? []) owner[field] = list.items();
    this.lists.delete(owner);
  }
}
