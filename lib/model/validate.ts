import type { Diagnostics } from './diagnostics';
import { AWX_DEFAULTS_BASE, type ReadingBase } from './reading-base';
import { bundleReferences, definedNames, type ReferencedKind } from './references';
import { findCycle } from './graph';
import { acceptVariables, JOB_TEMPLATE_PROMPTS, WORKFLOW_PROMPTS } from './prompts';
import { checkSurveyAnswers } from './survey-answers';
import type { Bundle, JobTemplate, NodePrompts, SourceRef, WorkflowJobTemplate, WorkflowNode } from './types';

/**
 * Cross-resource checks once every file is read: references, duplicate names, workflow graphs
 * (docs/semantics.md §1.1), node and schedule prompts (§4.2, §4.4) and nested-workflow recursion (§5).
 */
/** `base`: where names the files use but do not define are looked for (reading-base.ts). */
export function validateBundle(
  bundle: Bundle,
  diagnostics: Diagnostics,
  base: ReadingBase = AWX_DEFAULTS_BASE,
): void {
  new BundleValidator(bundle, diagnostics, base).run();
}

type Named = { readonly name: string; readonly origin: SourceRef };

/** Resources by name, the first of duplicates winning (as a search from the start would find). */
function byName<T extends Named>(resources: readonly T[]): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const resource of resources) if (!map.has(resource.name)) map.set(resource.name, resource);
  return map;
}

/**
 * Per workflow (by its label), the nodes (by index) whose written template the reader refused (a
 * name of two kinds, not a name nor {name, type}): it said why, and left them without one, so "the
 * node has no template" would contradict it. Found by the reader's field paths
 * (`workflow_nodes[2].unified_job_template`), whose index is the node's when every item of the list
 * is a mapping (else that is an error of its own).
 */
function refusedTemplates(diagnostics: Diagnostics): ReadonlyMap<string, ReadonlySet<number>> {
  const refused = new Map<string, Set<number>>();
  for (const { resource, field } of diagnostics.errors) {
    const index = /^workflow_nodes\[(\d+)\]\.unified_job_template\b/.exec(field ?? '')?.[1];
    if (resource === undefined || index === undefined) continue;
    if (!refused.has(resource)) refused.set(resource, new Set());
    refused.get(resource)!.add(Number(index));
  }
  return refused;
}

class BundleValidator {
  private readonly names: Record<ReferencedKind, ReadonlySet<string>>;
  private readonly jobTemplates: ReadonlyMap<string, JobTemplate>;
  private readonly workflows: ReadonlyMap<string, WorkflowJobTemplate>;
  /** Per workflow, the nodes (by index) whose written template the reader refused (see refusedTemplates). */
  private readonly refusedTemplates: ReadonlyMap<string, ReadonlySet<number>>;
  /**
   * Only Ansible can finish the reading (a task or variable was refused): a node an edge names may
   * be one the refused task defines, so "no node with that identifier" is not said; reading through
   * Ansible, which the refusal calls for, tells (as for names: Diagnostics.unresolved).
   */
  private readonly readInPart: boolean;

  constructor(
    private readonly bundle: Bundle,
    private readonly diagnostics: Diagnostics,
    private readonly base: ReadingBase,
  ) {
    this.names = definedNames(bundle);
    this.jobTemplates = byName(bundle.job_templates);
    this.workflows = byName(bundle.workflow_job_templates);
    this.refusedTemplates = refusedTemplates(diagnostics);
    this.readInPart = diagnostics.ansibleReading !== undefined;
  }

  run(): void {
    this.checkDuplicates();
    this.checkReferences();
    for (const workflow of this.bundle.workflow_job_templates) this.checkWorkflow(workflow);
    this.checkNestedRecursion();
    this.checkSchedules();
  }

  private checkDuplicates(): void {
    const groups: [string, readonly Named[]][] = [
      ['project', this.bundle.projects],
      ['inventory', this.bundle.inventories],
      ['inventory source', this.bundle.inventories.flatMap((i) => i.inventory_sources)],
      ['credential type', this.bundle.credential_types],
      ['credential', this.bundle.credentials],
      ['job template', this.bundle.job_templates],
      ['workflow job template', this.bundle.workflow_job_templates],
      ['notification template', this.bundle.notification_templates],
      ['schedule', this.bundle.schedules],
    ];
    for (const [label, resources] of groups) {
      const seen = new Map<string, SourceRef>();
      for (const resource of resources) {
        const first = seen.get(resource.name);
        if (first) {
          this.diagnostics.error({
            source: resource.origin,
            resource: `${label} '${resource.name}'`,
            field: 'name',
            value: resource.name,
            message: `duplicate name: already defined at ${first.file}${first.line ? `:${first.line}` : ''}`,
          });
        } else seen.set(resource.name, resource.origin);
      }
    }
  }

  /**
   * Every reference the builder has not resolved already must name a resource of the bundle (the
   * files', or one the reading base gave them); one nobody defines is a warning that says where
   * it may be found (lib/model/reading-base.ts).
   */
  private checkReferences(): void {
    for (const reference of bundleReferences(this.bundle)) {
      if (reference.resolvedWhenRead) continue;
      const { kinds, name } = reference;
      if (kinds.some((kind) => this.names[kind].has(name))) continue;
      // Lazily: the hint's budget bounds the names looked at (lib/model/diagnostics.ts).
      const { names, base } = this;
      const candidates = (function* () {
        for (const kind of kinds) {
          yield* names[kind];
          yield* base.names(kind);
        }
      })();
      this.diagnostics.unresolved({
        source: reference.source,
        resource: reference.owner,
        field: reference.field,
        value: name,
        message: this.base.unknown(kinds, name, this.diagnostics.didYouMean(name, candidates)),
      });
    }
    for (const inventory of this.bundle.inventories) {
      for (const source of inventory.inventory_sources) {
        if (source.source === 'scm' && !source.source_project) {
          this.diagnostics.error({
            source: source.origin,
            resource: `inventory source '${source.name}'`,
            field: 'source_project',
            message: "is required when source is 'scm'",
          });
        }
      }
      this.checkGroups(inventory);
    }
  }

  private checkGroups(inventory: Bundle['inventories'][number]): void {
    const groups = new Set(inventory.groups.map((g) => g.name));
    for (const group of inventory.groups) {
      const owner = `inventory '${inventory.name}' group '${group.name}'`;
      for (const child of group.children) {
        if (!groups.has(child)) {
          this.diagnostics.error({
            source: inventory.origin,
            resource: owner,
            field: 'children',
            value: child,
            message: `unknown group '${child}'${this.diagnostics.didYouMean(child, groups)}`,
          });
        }
      }
    }
  }

  private checkWorkflow(workflow: WorkflowJobTemplate): void {
    const label = (node: WorkflowNode) =>
      `workflow job template '${workflow.name}' node '${node.identifier}'`;
    const identifiers = new Map<string, WorkflowNode>();
    for (const node of workflow.workflow_nodes) {
      if (node.identifier.includes('\\')) {
        this.diagnostics.error({
          source: node.origin,
          resource: label(node),
          field: 'identifier',
          value: node.identifier,
          message: 'may not contain a backslash (it travels in Step Functions intrinsic strings)',
        });
      }
      if (identifiers.has(node.identifier)) {
        this.diagnostics.error({
          source: node.origin,
          resource: label(node),
          field: 'identifier',
          value: node.identifier,
          message: 'duplicate identifier in this workflow',
        });
      }
      identifiers.set(node.identifier, node);
    }
    const refused = this.refusedTemplates.get(`workflow job template '${workflow.name}'`);
    workflow.workflow_nodes.forEach((node, index) => {
      const kinds = new Map<string, string>();
      for (const field of ['success_nodes', 'failure_nodes', 'always_nodes'] as const) {
        for (const child of node[field]) {
          if (!identifiers.has(child) && !this.readInPart) {
            this.diagnostics.error({
              source: node.origin,
              resource: label(node),
              field,
              value: child,
              message: `no node with identifier '${child}' in this workflow${this.diagnostics.didYouMean(child, identifiers.keys())}`,
            });
          }
          const previous = kinds.get(child);
          if (previous && previous !== field) {
            this.diagnostics.error({
              source: node.origin,
              resource: label(node),
              field,
              value: child,
              message: `relationship not allowed: '${child}' is already in ${previous}; one edge kind per pair of nodes`,
            });
          }
          kinds.set(child, field);
        }
      }
      if (!node.unified_job_template && !refused?.has(index)) {
        this.diagnostics.warning({
          source: node.origin,
          resource: label(node),
          field: 'unified_job_template',
          message: 'the node has no template: when reached it fails without running anything (as in AWX)',
        });
      }
      this.checkNodePrompts(node, label(node));
    });
    const cycle = findCycle({
      nodes: [...identifiers.keys()],
      children: (id) => {
        const node = identifiers.get(id);
        return node
          ? [...node.success_nodes, ...node.failure_nodes, ...node.always_nodes].filter((c) =>
              identifiers.has(c),
            )
          : [];
      },
    });
    if (cycle) {
      const node = identifiers.get(cycle[0]);
      this.diagnostics.error({
        source: node?.origin ?? workflow.origin,
        resource: `workflow job template '${workflow.name}'`,
        field: 'workflow_nodes',
        message: `cycle detected: ${cycle.join(' -> ')}`,
      });
    }
  }

  /** Node prompts the node's template does not ask for: AWX refuses them at save and drops them at run. */
  private checkNodePrompts(node: WorkflowNode, owner: string): void {
    const target = node.unified_job_template;
    if (!target) return;
    const given = (Object.keys(JOB_TEMPLATE_PROMPTS) as (keyof NodePrompts)[]).filter((field) => {
      const value = node[field];
      return Array.isArray(value) ? value.length > 0 : value !== null;
    });
    const refuse = (field: string, value: unknown, why: string) =>
      this.diagnostics.awxRefuses({
        source: node.origin,
        resource: owner,
        field,
        value,
        message: `${why}; the value is dropped at run time`,
      });
    if (target.type === 'job_template' || target.type === 'workflow_job_template') {
      const template =
        target.type === 'job_template' ? this.jobTemplates.get(target.name) : this.workflows.get(target.name);
      if (!template) return;
      const flags: Partial<Record<keyof NodePrompts, string>> =
        target.type === 'job_template' ? JOB_TEMPLATE_PROMPTS : WORKFLOW_PROMPTS;
      for (const field of given) {
        const flag = flags[field];
        if (!flag || !(template as unknown as Record<string, boolean>)[flag]) {
          refuse(
            field,
            node[field],
            `'${target.name}' does not prompt for ${field}${flag ? ` (set ${flag})` : ''}`,
          );
        }
      }
      for (const [key, why] of acceptVariables(template, node.extra_data).refused) {
        refuse(`extra_data.${key}`, node.extra_data[key], `'${target.name}' does not accept it: ${why}`);
      }
      return;
    }
    const kind = target.type === 'workflow_approval' ? 'an approval' : `a ${target.type.replace('_', ' ')}`;
    for (const field of given) refuse(field, node[field], `${kind} node accepts no prompts`);
    if (Object.keys(node.extra_data).length > 0) {
      refuse('extra_data', node.extra_data, `${kind} node accepts no extra_data`);
    }
  }

  /** Design-time recursion is allowed by AWX; the node fails when spawned. Worth a warning. */
  private checkNestedRecursion(): void {
    const workflows = this.workflows;
    const cycle = findCycle({
      nodes: [...workflows.keys()],
      children: (name) =>
        (workflows.get(name)?.workflow_nodes ?? [])
          .filter((n) => n.unified_job_template?.type === 'workflow_job_template')
          .map((n) => n.unified_job_template!.name)
          .filter((child) => workflows.has(child)),
    });
    if (!cycle) return;
    const workflow = workflows.get(cycle[0])!;
    this.diagnostics.warning({
      source: workflow.origin,
      resource: `workflow job template '${workflow.name}'`,
      field: 'workflow_nodes',
      message: `nested workflows recurse (${cycle.join(' -> ')}): the node that would recurse fails at run time, as in AWX`,
    });
  }

  private checkSchedules(): void {
    for (const schedule of this.bundle.schedules) {
      const owner = `schedule '${schedule.name}'`;
      const template =
        this.workflows.get(schedule.unified_job_template) ??
        this.jobTemplates.get(schedule.unified_job_template);
      // One nothing defines is reported with the other references.
      if (!template) continue;
      const refuse = (field: string, value: unknown, message: string) =>
        this.diagnostics.awxRefuses({ source: schedule.origin, resource: owner, field, value, message });
      for (const [key, why] of acceptVariables(template, schedule.extra_data).refused) {
        refuse(
          `extra_data.${key}`,
          schedule.extra_data[key],
          `'${template.name}' does not accept it: ${why}; it is dropped when the schedule fires`,
        );
      }
      if (Object.keys(schedule.extra_data).length > 0 && template.survey_enabled && template.survey_spec) {
        for (const error of checkSurveyAnswers(template.survey_spec, schedule.extra_data, {
          enforceRequired: true,
        }).errors) {
          if (error.endsWith('value missing'))
            refuse('extra_data', schedule.extra_data, `survey answer ${error}`);
        }
      }
    }
  }
}
