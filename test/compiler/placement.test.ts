import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/compiler/compile';
import { forEachState } from '../../lib/compiler/asl';
import { PLACEHOLDER_TARGET, type DeploymentTarget } from '../../lib/compiler/target';
import { validateAsl } from '../../lib/compiler/validate-asl';
import { fargateSize } from '../../lib/model/fargate-sizes';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';

const RESOURCES = `
projects:
  - name: Infra
    local_path: project
    default_environment: Infra tools
inventories:
  - name: Prod
    hosts: { localhost: { ansible_connection: local } }
execution_environments:
  - name: Infra tools
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/towerless-ee/infra:2
  - name: Network tools
    image: registry.example.com/network-ee:1.4
  - name: AWX EE (latest)
    image: quay.io/ansible/awx-ee:24.6.1
instance_groups:
  - name: big
    is_container_group: true
    pod_spec_override: |
      apiVersion: v1
      kind: Pod
      metadata:
        annotations:
          towerless.io/subnets: subnet-0a1b2c3d, subnet-0e1f2a3b
      spec:
        nodeSelector:
          eks.amazonaws.com/capacityType: SPOT
        containers:
          - image: ignored
            resources:
              requests: { cpu: 1500m, memory: 3Gi }
              limits: { memory: 5Gi }
  - name: default
job_templates:
  - { name: Plain, project: Infra, inventory: Prod, playbook: a.yml, execution_environment: AWX EE (latest) }
  - { name: Project default, project: Infra, inventory: Prod, playbook: a.yml }
  - name: Big network job
    project: Infra
    inventory: Prod
    playbook: a.yml
    execution_environment: Network tools
    instance_groups: [missing-first-is-skipped, big, default]
workflow_job_templates:
  - name: Placed
    workflow_nodes:
      - { identifier: plain, unified_job_template: Plain, success_nodes: [default-ee] }
      - { identifier: default-ee, unified_job_template: Project default, success_nodes: [big] }
      - { identifier: big, unified_job_template: Big network job }
`;

function load(text: string) {
  const result = loadBundle(tempBundle({ 'bundle.yml': text }));
  return { ...result, messages: result.diagnostics.all.map(formatDiagnostic) };
}

function runTaskParameters(target: DeploymentTarget) {
  const { bundle } = load(RESOURCES);
  const compiled = compileWorkflow(bundle, 'Placed', { target });
  validateAsl(compiled.definition);
  const byNode: Record<string, Record<string, unknown>> = {};
  forEachState(compiled.definition, (_name, state) => {
    const parameters = state.Parameters as Record<string, unknown> | undefined;
    const overrides = parameters?.Overrides as {
      ContainerOverrides: { Environment: { 'Value.$'?: string }[] }[];
    };
    const node = overrides?.ContainerOverrides?.[0]?.Environment?.[1]?.['Value.$'];
    if (node) byNode[/'\{\}\/(.+)'/.exec(node)![1]] = parameters!;
  });
  return byNode;
}

describe('placing job nodes by their execution environment and instance group', () => {
  it('reads the placement resources without a problem, except the unknown instance group', () => {
    const { messages } = load(RESOURCES);
    expect(messages.filter((m) => !m.includes('missing-first-is-skipped'))).toEqual([]);
  });

  it("runs AWX's own image as the runner's, and a project's default image otherwise", () => {
    const nodes = runTaskParameters(PLACEHOLDER_TARGET);
    expect(nodes.plain).toMatchObject({ 'TaskDefinition.$': '$.cfg.t', 'NetworkConfiguration.$': '$.cfg.n' });
    expect(nodes.plain.Overrides).not.toHaveProperty('Cpu');
    expect(nodes.plain).not.toHaveProperty('CapacityProviderStrategy');
    expect(nodes['default-ee'].TaskDefinition).toBe(
      '${TaskDefinition:123456789012.dkr.ecr.us-east-1.amazonaws.com/towerless-ee/infra:2}',
    );
  });

  it("sizes, places on Spot and networks a node by its first existing instance group's pod spec", () => {
    const target = {
      ...PLACEHOLDER_TARGET,
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/runner:3',
      imageTaskDefinitions: {
        'registry.example.com/network-ee:1.4':
          'arn:aws:ecs:us-east-1:123456789012:task-definition/runner-ee-1:1',
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/towerless-ee/infra:2':
          'arn:aws:ecs:us-east-1:123456789012:task-definition/runner-ee-2:1',
      },
    };
    const { big } = runTaskParameters(target);
    expect(big).toMatchObject({
      TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/runner-ee-1:1',
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
          SecurityGroups: ['${SecurityGroupId}'],
          AssignPublicIp: 'DISABLED',
        },
      },
      // 1.5 vCPU and the 5 GiB limit: Fargate's 2 vCPU with 5 GiB.
      Overrides: { Cpu: '2048', Memory: '5120' },
    });
  });

  it.each([
    ['spec: [1]', ': spec is not a mapping'],
    [
      'spec: {containers: [{resources: {requests: {cpu: lots}}}]}',
      "spec.containers[0].resources.requests.cpu 'lots' is not a CPU quantity",
    ],
    [
      'spec: {containers: [{resources: {limits: {memory: 4GB}}}]}',
      "spec.containers[0].resources.limits.memory '4GB' is not a memory quantity",
    ],
    ['spec: {containers: [{resources: {requests: {cpu: 32}}}]}', "Fargate's largest task has 16 vCPU"],
    [
      "metadata: {annotations: {towerless.io/subnets: 'subnet-1, vpc-2'}}",
      "towerless.io/subnets 'subnet-1' is not a subnet-… id",
    ],
    ['spec: {containers: [ : ]', ': is not YAML'],
  ])('names the instance group, field and problem of a bad pod spec: %s', (spec, problem) => {
    const { messages } = load(
      `instance_groups:\n  - name: bad\n    is_container_group: true\n    pod_spec_override: ${JSON.stringify(spec)}\n`,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("instance group 'bad'");
    expect(messages[0]).toContain(problem);
  });

  it('refuses a pod spec on an instance group that is not a container group', () => {
    const { messages } = load('instance_groups:\n  - name: vm\n    pod_spec_override: "spec: {}"\n');
    expect(messages.join('\n')).toContain('is for container groups');
  });
});

describe("Fargate's task sizes", () => {
  it.each([
    [undefined, undefined, { cpu: 256, memory: 512 }],
    [0.25, 2048, { cpu: 256, memory: 2048 }],
    [0.25, 3000, { cpu: 512, memory: 3072 }],
    [1, undefined, { cpu: 1024, memory: 2048 }],
    [undefined, 9000, { cpu: 2048, memory: 9216 }],
    [4, 31000, { cpu: 8192, memory: 32768 }],
    [16, 122880, { cpu: 16384, memory: 122880 }],
  ])('%s vCPU and %s MiB take the smallest size that holds them', (vcpu, memory, size) => {
    expect(fargateSize(vcpu, memory)).toEqual(size);
  });

  it('has none larger than its largest task', () => {
    expect(fargateSize(17, undefined)).toBeUndefined();
    expect(fargateSize(undefined, 122881)).toBeUndefined();
  });
});
