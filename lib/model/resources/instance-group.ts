import type { FieldReader } from '../field-reader';
import type { InstanceGroup } from '../types';
import { DEFAULT_CAPACITY, PodSpecProblem, readPodSpec } from './pod-spec';

export function readInstanceGroup(reader: FieldReader): InstanceGroup {
  const group = {
    name: reader.requiredString('name'),
    origin: reader.source,
    is_container_group: reader.boolean('is_container_group'),
    max_concurrent_jobs: reader.integer('max_concurrent_jobs'),
    max_forks: reader.integer('max_forks'),
    pod_spec_override: reader.string('pod_spec_override'),
  };
  // AWX's placement policies and container-group credential concern its own instances and clusters.
  reader.ignore(
    'policy_instance_percentage',
    'policy_instance_minimum',
    'policy_instance_list',
    'credential',
  );
  if (group.pod_spec_override && !group.is_container_group)
    reader.fail(
      'pod_spec_override',
      group.pod_spec_override,
      'is for container groups (is_container_group: true)',
    );
  let capacity = DEFAULT_CAPACITY;
  try {
    capacity = readPodSpec(group.pod_spec_override);
  } catch (error) {
    if (!(error instanceof PodSpecProblem)) throw error;
    reader.fail('pod_spec_override', group.pod_spec_override, error.message);
  }
  return { ...group, capacity };
}
