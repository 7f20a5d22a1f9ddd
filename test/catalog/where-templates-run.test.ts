import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWorkflow } from '../../lib/catalog/projection';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';

beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(() => api.close());

const post = (path: string, body: unknown, status = 201) =>
  api.json<Obj>('POST', `${V2}/${path}`, body, status);
const list = async (path: string) => (await api.json<Page>('GET', `${V2}/${path}`)).results;

const SPOT_POD = `spec:
  nodeSelector: { karpenter.sh/capacity-type: spot }
  containers: [{ resources: { requests: { cpu: '1', memory: 2Gi } } }]
`;

describe("AWX's execution environments and instance groups on a fresh catalog", () => {
  it('are those AWX 24 installs: its image twice, the control plane one managed; controlplane and default', async () => {
    const environments = await list('execution_environments/?order_by=id');
    expect(environments).toMatchObject([
      { name: 'AWX EE (latest)', image: 'quay.io/ansible/awx-ee:latest', organization: null, managed: false },
      {
        name: 'Control Plane Execution Environment',
        image: 'quay.io/ansible/awx-ee:latest',
        organization: null,
        managed: true,
      },
    ]);
    const deleted = await api.call('DELETE', `${V2}/execution_environments/${environments[1].id}/`);
    expect(deleted.status).toBe(403);
    const groups = await list('instance_groups/?order_by=id');
    expect(groups.map((group) => [group.name, group.is_container_group])).toEqual([
      ['controlplane', false],
      ['default', false],
    ]);
  });
});

describe('a container group saved through the API', () => {
  it('is refused with a pod spec a launch would refuse, in the body AWX answers', async () => {
    for (const [pod_spec_override, message] of [
      ['spec: [', /^is not YAML: /],
      [
        "spec: { containers: [{ resources: { limits: { cpu: 'lots' } } }] }",
        /cpu 'lots' is not a CPU quantity/,
      ],
    ] as const) {
      const body = await post(
        'instance_groups/',
        { name: 'Bad', is_container_group: true, pod_spec_override },
        400,
      );
      expect(body).toEqual({ pod_spec_override: [expect.stringMatching(message)] });
    }
    const plain = await post('instance_groups/', { name: 'Plain' });
    const patched = await api.call('PATCH', `${V2}/instance_groups/${plain.id}/`, {
      pod_spec_override: SPOT_POD,
    });
    expect(patched.status).toBe(400);
    expect(await patched.json()).toEqual({
      pod_spec_override: ['is for container groups (is_container_group: true)'],
    });
  });
});

describe('the projection of a job template', () => {
  it('names its execution environment, its instance groups in order, and its project default', async () => {
    const org = (await list('organizations/?name=Default'))[0];
    const environment = await post('execution_environments/', {
      name: 'Ops EE',
      organization: org.id,
      image: 'registry.example.com/ops/ee:1.0',
      pull: 'missing',
    });
    const spot = await post('instance_groups/', {
      name: 'Spot',
      is_container_group: true,
      pod_spec_override: SPOT_POD,
    });
    const wide = await post('instance_groups/', { name: 'Wide', max_forks: 50 });
    const project = await post('projects/', {
      name: 'Local',
      organization: org.id,
      local_path: 'project',
      default_environment: environment.id,
    });
    const template = await post('job_templates/', {
      name: 'Placed',
      project: project.id,
      playbook: 'p.yml',
      execution_environment: environment.id,
    });
    for (const group of [wide, spot])
      await post(`job_templates/${template.id}/instance_groups/`, { id: group.id }, 204);
    const workflow = await post('workflow_job_templates/', { name: 'Flow', organization: org.id });
    await post(`workflow_job_templates/${workflow.id}/workflow_nodes/`, {
      identifier: 'run',
      unified_job_template: template.id,
    });

    const { bundle, diagnostics } = await projectWorkflow(api.services.catalog, workflow.id);
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates[0]).toMatchObject({
      execution_environment: 'Ops EE',
      instance_groups: ['Wide', 'Spot'],
    });
    expect(bundle.projects[0].default_environment).toBe('Ops EE');
    expect(bundle.execution_environments).toMatchObject([
      { name: 'Ops EE', image: 'registry.example.com/ops/ee:1.0', pull: 'missing', managed: false },
    ]);
    expect(bundle.instance_groups.map((group) => [group.name, group.max_forks, group.capacity])).toEqual([
      ['Wide', 50, { spot: false, subnets: [], securityGroups: [] }],
      ['Spot', 0, { cpu: 1, memoryMiB: 2048, spot: true, subnets: [], securityGroups: [] }],
    ]);
  });
});
