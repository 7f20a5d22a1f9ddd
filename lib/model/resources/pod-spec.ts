import type { TaskCapacity } from '../types';
import { LARGEST_FARGATE_TASK } from '../fargate-sizes';
import { parseYamlValue, YamlProblem } from '../yaml-construct';

/**
 * What a container group's `pod_spec_override` asks of a Fargate task (docs/placement.md). AWX
 * users size and place container-group jobs in the pod spec, so Towerless reads the same spec:
 * - the first container's `resources` (requests or limits, the larger): the task's CPU and memory;
 * - a node selector on a Spot capacity label (EKS's `eks.amazonaws.com/capacityType: SPOT`,
 *   Karpenter's `karpenter.sh/capacity-type: spot`): Fargate Spot;
 * - the annotations `towerless.io/subnets` and `towerless.io/security-groups` (comma-separated
 *   ids): the task's network, in place of the stack's.
 * The rest of a pod spec has no Fargate meaning and is left alone.
 */
export const SUBNETS_ANNOTATION = 'towerless.io/subnets';
export const SECURITY_GROUPS_ANNOTATION = 'towerless.io/security-groups';

const SPOT_SELECTORS: Readonly<Record<string, string>> = {
  'eks.amazonaws.com/capacityType': 'SPOT',
  'karpenter.sh/capacity-type': 'spot',
};

export const DEFAULT_CAPACITY: TaskCapacity = { spot: false, subnets: [], securityGroups: [] };

/** A pod spec that cannot be read: the message names the path within the spec. */
export class PodSpecProblem extends Error {}

export function readPodSpec(text: string): TaskCapacity {
  if (text.trim() === '') return DEFAULT_CAPACITY;
  let spec: unknown;
  try {
    spec = parseYamlValue(text);
  } catch (error) {
    if (error instanceof YamlProblem) throw new PodSpecProblem(`is not YAML: ${error.message}`);
    throw error;
  }
  const pod = mapping(spec, '');
  const metadata = mapping(pod.metadata, 'metadata');
  const podSpec = mapping(pod.spec, 'spec');
  const containers = podSpec.containers ?? [];
  if (!Array.isArray(containers)) throw new PodSpecProblem('spec.containers is not a list');
  const resources = mapping(
    mapping(containers[0], 'spec.containers[0]').resources,
    'spec.containers[0].resources',
  );
  const amount = (name: 'cpu' | 'memory', parse: (quantity: string, path: string) => number) => {
    const values = (['requests', 'limits'] as const).flatMap((kind) => {
      const quantity = mapping(resources[kind], `spec.containers[0].resources.${kind}`)[name];
      return quantity === undefined
        ? []
        : [parse(String(quantity), `spec.containers[0].resources.${kind}.${name}`)];
    });
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const selector = mapping(podSpec.nodeSelector, 'spec.nodeSelector');
  const annotations = mapping(metadata.annotations, 'metadata.annotations');
  const cpu = amount('cpu', cpuOf);
  const memoryMiB = amount('memory', memoryMiBOf);
  if ((cpu ?? 0) > LARGEST_FARGATE_TASK.vcpu || (memoryMiB ?? 0) > LARGEST_FARGATE_TASK.memoryMiB)
    throw new PodSpecProblem(
      `asks for ${cpu ?? 'default'} vCPU and ${memoryMiB ?? 'default'} MiB: Fargate's largest task has ${LARGEST_FARGATE_TASK.vcpu} vCPU and ${LARGEST_FARGATE_TASK.memoryMiB} MiB`,
    );
  return {
    cpu,
    memoryMiB,
    spot: Object.entries(SPOT_SELECTORS).some(([label, value]) => selector[label] === value),
    subnets: ids(annotations[SUBNETS_ANNOTATION], SUBNETS_ANNOTATION, 'subnet'),
    securityGroups: ids(annotations[SECURITY_GROUPS_ANNOTATION], SECURITY_GROUPS_ANNOTATION, 'sg'),
  };
}

function mapping(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new PodSpecProblem(`${path || 'the pod spec'} is not a mapping`);
  return value as Record<string, unknown>;
}

/** Kubernetes CPU quantities: `2`, `0.5`, `500m`. */
function cpuOf(quantity: string, path: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  const cpu = match ? Number(match[1]) / (match[2] ? 1000 : 1) : NaN;
  if (!(cpu > 0))
    throw new PodSpecProblem(`${path} '${quantity}' is not a CPU quantity such as 2, 0.5 or 500m`);
  return cpu;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Kubernetes memory quantities (`4Gi`, `512Mi`, `1G`, bytes), in MiB rounded up. */
function memoryMiBOf(quantity: string, path: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKMGT]i?|)$/.exec(quantity);
  const bytes = match && match[2] in MEMORY_UNITS ? Number(match[1]) * MEMORY_UNITS[match[2]] : NaN;
  if (!(bytes > 0))
    throw new PodSpecProblem(`${path} '${quantity}' is not a memory quantity such as 4Gi, 512Mi or 1G`);
  return Math.ceil(bytes / 2 ** 20);
}

function ids(value: unknown, annotation: string, prefix: string): string[] {
  if (value === undefined) return [];
  const list = String(value)
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const pattern = new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
  const bad = list.find((id) => !pattern.test(id));
  if (bad !== undefined)
    throw new PodSpecProblem(`metadata.annotations.${annotation} '${bad}' is not a ${prefix}-… id`);
  return list;
}
