import { AWX_EE_IMAGE } from '../model/awx-defaults';
import type { Bundle, ExecutionEnvironment, JobTemplate, WorkflowNode } from '../model/types';
import { fargateSize, type FargateSize } from '../model/fargate-sizes';

/**
 * Where and how big a job template's Fargate task is, from its AWX placement (docs/placement.md):
 * the image of its execution environment (or its project's default one), and the capacity its
 * first instance group's pod spec asks for. Every field left out means the runner's own: the
 * task definition, size, capacity provider and network of the stack.
 */
export interface NodePlacement {
  /** An execution environment's image, other than AWX's own (those run as the runner's image: runsAsRunner). */
  readonly image?: string;
  readonly size?: FargateSize;
  readonly spot?: true;
  readonly subnets?: readonly string[];
  readonly securityGroups?: readonly string[];
}

export function templatePlacement(bundle: Bundle, template: JobTemplate): NodePlacement {
  const project = bundle.projects.find((p) => p.name === template.project);
  const environmentName = template.execution_environment ?? project?.default_environment ?? null;
  const environment = bundle.execution_environments.find((e) => e.name === environmentName);
  // AWX's order: the first of the template's instance groups that exists.
  const group = template.instance_groups
    .map((name) => bundle.instance_groups.find((g) => g.name === name))
    .find((found) => found !== undefined);
  const capacity = group?.capacity;
  // Undefined when the pod spec asks for nothing (or, unvalidated, for more than Fargate has).
  const size =
    capacity && (capacity.cpu !== undefined || capacity.memoryMiB !== undefined)
      ? fargateSize(capacity.cpu, capacity.memoryMiB)
      : undefined;
  return {
    ...(environment && !runsAsRunner(environment) ? { image: environment.image } : {}),
    ...(size ? { size } : {}),
    ...(capacity?.spot ? { spot: true } : {}),
    ...(capacity?.subnets.length ? { subnets: capacity.subnets } : {}),
    ...(capacity?.securityGroups.length ? { securityGroups: capacity.securityGroups } : {}),
  };
}

/** AWX's image, whatever its tag: every AWX install names it, and exports carry it. */
const AWX_EE_REPOSITORY = AWX_EE_IMAGE.slice(0, AWX_EE_IMAGE.lastIndexOf(':'));

/**
 * Execution environments the runner's own image stands for: those AWX manages, and AWX's image
 * (AWX's default "AWX EE (latest)" is not marked managed), which has Ansible but not the runner.
 */
function runsAsRunner(environment: ExecutionEnvironment): boolean {
  const repository = environment.image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '');
  return environment.managed || repository === AWX_EE_REPOSITORY;
}

/** The placement of each job node of a workflow that differs from the runner's own. */
export function workflowPlacements(
  bundle: Bundle,
  nodes: readonly WorkflowNode[],
): Map<string, NodePlacement> {
  const placements = new Map<string, NodePlacement>();
  for (const node of nodes) {
    const target = node.unified_job_template;
    if (target?.type !== 'job_template') continue;
    const template = bundle.job_templates.find((t) => t.name === target.name);
    const placement = template && templatePlacement(bundle, template);
    if (placement && Object.keys(placement).length > 0) placements.set(node.identifier, placement);
  }
  return placements;
}

/** The images of execution environments the named workflows' nodes run, for their task definitions. */
export function placedImages(bundle: Bundle, workflowNames: readonly string[]): Set<string> {
  const images = new Set<string>();
  for (const workflow of bundle.workflow_job_templates)
    if (workflowNames.includes(workflow.name))
      for (const placement of workflowPlacements(bundle, workflow.workflow_nodes).values())
        if (placement.image) images.add(placement.image);
  return images;
}
