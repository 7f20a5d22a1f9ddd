import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBundle, type Outcome } from '../../lib/client/apply';
import type { AwxClient } from '../../lib/client/awx-client';
import { exportBundle } from '../../lib/client/export';
import { loadBundle, type Bundle } from '../../lib/model';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';
import { tempBundle } from '../support/files';
import { fixtureClient, withoutAwxDefaults, withoutOrigins } from './servers';

let fixture: ApiFixture;
let client: AwxClient;

beforeAll(async () => {
  fixture = await openApiFixture();
  client = fixtureClient(fixture);
});
afterAll(() => fixture.close());

/** Applies a bundle written as YAML. */
function apply(yaml: string): Promise<string[]> {
  return applyAt(join(tempBundle({ 'bundle.yml': yaml }), 'bundle.yml'));
}

/** Applies the bundle at `path`; the outcome lines, as `towerless apply` prints them. */
async function applyAt(path: string): Promise<string[]> {
  const loaded = loadBundle(path);
  expect(loaded.diagnostics.errors).toEqual([]);
  const outcomes: Outcome[] = [];
  await applyBundle(client, loaded.bundle, (outcome) => outcomes.push(outcome));
  return outcomes.map(
    ({ result, label, name, changes }) =>
      `${result} ${label} '${name}'${changes.length ? `: ${changes.join(', ')}` : ''}`,
  );
}

/** What the server holds now, exported and loaded again. */
async function exported(): Promise<unknown> {
  const file = join(tempBundle({}), 'exported.yml');
  writeFileSync(file, (await exportBundle(client)).yaml);
  const loaded = loadBundle(file);
  expect(loaded.diagnostics.errors).toEqual([]);
  // The server's own default objects are in every export of it (test/catalog/awx-defaults.test.ts).
  return withoutAwxDefaults(withoutOrigins(loaded.bundle));
}

function loaded(yaml: string): unknown {
  return withoutOrigins(loadBundle(join(tempBundle({ 'bundle.yml': yaml }), 'bundle.yml')).bundle);
}

const FIRST = `
projects: [{ name: P, local_path: p }]
inventories:
  - name: I
    variables: { region: eu }
    hosts: { h1: {}, h2: { port: 22 } }
    groups: { g: { hosts: [h1] }, all_web: { children: [g] } }
credentials: [{ name: C, credential_type: Machine, inputs: { username: u } }]
job_templates:
  - { name: A, project: P, playbook: a.yml, inventory: I }
  - { name: B, project: P, playbook: b.yml, inventory: I, credentials: [C], extra_vars: { x: 1 } }
workflow_job_templates:
  - name: W
    organization: Ops
    labels: [nightly]
    workflow_nodes:
      - { identifier: one, unified_job_template: A, success_nodes: [two] }
      - { identifier: two, unified_job_template: B, limit: web }
      - { identifier: gate, approval_node: { name: Gate, timeout: 60 }, success_nodes: [one] }
      - { identifier: gone, unified_job_template: A }
schedules:
  - { name: S, unified_job_template: W, rrule: 'DTSTART:20260101T000000Z RRULE:FREQ=DAILY;INTERVAL=1' }
`;

const SECOND = `
projects: [{ name: P, local_path: p }]
inventories:
  - name: I
    variables: { region: eu }
    hosts: { h1: {}, h3: {} }
    groups: { g: { hosts: [h1, h3] }, all_web: { children: [g] } }
credentials: [{ name: C, credential_type: Machine, inputs: { username: u } }]
job_templates:
  - { name: A, project: P, playbook: a.yml, inventory: I }
  - { name: B, project: P, playbook: b2.yml, inventory: I, extra_vars: { x: 1 } }
workflow_job_templates:
  - name: W
    organization: Ops
    labels: [nightly, prod]
    survey_enabled: true
    survey_spec:
      name: ''
      description: ''
      spec: [{ question_name: Version, variable: version, type: text, required: true, default: '1' }]
    workflow_nodes:
      - { identifier: one, unified_job_template: B, failure_nodes: [two] }
      - { identifier: two, unified_job_template: B, limit: web }
      - { identifier: gate, approval_node: { name: Gate, timeout: 120 }, success_nodes: [one] }
schedules:
  - { name: S, unified_job_template: W, rrule: 'DTSTART:20260101T000000Z RRULE:FREQ=DAILY;INTERVAL=2' }
`;

describe('applyBundle', () => {
  it('creates what is missing (organizations and labels named included), then changes nothing', async () => {
    expect(await apply(FIRST)).toEqual([
      "created credential 'C'",
      "created project 'P'",
      "created inventory 'I'",
      "created job template 'A'",
      "created job template 'B'",
      "created organization 'Ops'",
      "created label 'nightly'",
      "created workflow job template 'W'",
      "created schedule 'S'",
    ]);
    expect(await exported()).toEqual(loaded(FIRST));
    expect((await apply(FIRST)).every((line) => line.startsWith('unchanged'))).toBe(true);
  });

  it('changes only what differs, makes lists and nested resources match exactly, and says what changed', async () => {
    expect(await apply(SECOND)).toEqual([
      "unchanged credential 'C'",
      "unchanged project 'P'",
      "changed inventory 'I': host 'h3' created, host 'h2' deleted, group members",
      "unchanged job template 'A'",
      "changed job template 'B': playbook, credentials",
      "created label 'prod'",
      "changed workflow job template 'W': survey_enabled, labels, survey_spec, node 'one' (unified_job_template), node 'gate' (approval timeout), node 'gone' deleted, edges",
      "changed schedule 'S': rrule",
    ]);
    expect(await exported()).toEqual(loaded(SECOND));
    expect((await apply(SECOND)).every((line) => line.startsWith('unchanged'))).toBe(true);
  });

  it('applies awx.awx task files the same way', async () => {
    const guide = 'examples/guide-awx/awx-config';
    const first = await applyAt(guide);
    expect(first.some((line) => line.startsWith('created'))).toBe(true);
    const second = await applyAt(guide);
    // Credentials aside (see test/client/secret-references.test.ts), nothing changes.
    expect(second.filter((line) => !line.startsWith('unchanged') && !line.includes('credential'))).toEqual(
      [],
    );
  });
});

describe('exportBundle, for the secrets the server keeps', () => {
  it('writes a reference to fill for every $encrypted$ value, never the literal, and the bundle loads', async () => {
    const organization = (await client.list('/organizations/', { name: 'Default' }))[0].id;
    const machine = (await client.list('/credential_types/', { name: 'Machine' }))[0].id;
    await client.post('/credentials/', {
      name: 'Deploy Key',
      credential_type: machine,
      inputs: { username: 'deploy', password: 'machine-canary' },
    });
    await client.post('/notification_templates/', {
      name: 'Ops Slack',
      organization,
      notification_type: 'slack',
      notification_configuration: { token: 'xoxb-canary', channels: ['#ops'] },
    });
    const { yaml, warnings } = await exportBundle(client);
    expect(yaml).not.toContain('$encrypted$');
    expect(yaml).not.toContain('canary');
    const file = join(tempBundle({}), 'exported.yml');
    writeFileSync(file, yaml);
    const { bundle, diagnostics } = loadBundle(file);
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.credentials.find((c) => c.name === 'Deploy Key')?.inputs).toEqual({
      username: 'deploy',
      password: { secret: 'towerless/deploy-key/password' },
    });
    expect(
      bundle.notification_templates.find((n) => n.name === 'Ops Slack')?.notification_configuration,
    ).toEqual({ channels: ['#ops'], token: { secret: 'towerless/notifications/ops-slack/token' } });
    // Kinds are read at once, so the warnings come in any order.
    expect([...warnings].sort()).toEqual([
      "credential 'Deploy Key', input 'password': the server does not show its value; written as secret reference 'towerless/deploy-key/password': store the value there",
      "notification template 'Ops Slack', key 'token': the server does not show its value; written as secret reference 'towerless/notifications/ops-slack/token': store the value there",
    ]);
  });
});

describe('exportBundle, for custom credential types', () => {
  it('writes the kind, which the loader requires, the kind it would read without one included', async () => {
    await apply(
      'credential_types:\n  - { name: Token Cloud, kind: cloud, inputs: { fields: [{ id: token, label: Token }] } }\n',
    );
    const file = join(tempBundle({}), 'exported.yml');
    writeFileSync(file, (await exportBundle(client)).yaml);
    const { bundle, diagnostics } = loadBundle(file);
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.credential_types.map((type) => [type.name, type.kind])).toEqual([['Token Cloud', 'cloud']]);
  });
});

describe('applyBundle and exportBundle, for where templates run', () => {
  const placed = (groups: string) => `
execution_environments:
  - { name: Ops EE, organization: Ops, image: 'registry.example.com/ops/ee:1.0', pull: missing }
instance_groups:
  - name: Spot
    is_container_group: true
    pod_spec_override: |
      spec:
        nodeSelector: { karpenter.sh/capacity-type: spot }
        containers: [{ resources: { requests: { cpu: '1', memory: 2Gi } } }]
  - { name: Wide, max_forks: 50 }
projects: [{ name: EP, local_path: ep, default_environment: Ops EE }]
job_templates:
  - name: Placed
    project: EP
    playbook: p.yml
    inventory: Demo Inventory
    execution_environment: Ops EE
    instance_groups: ${groups}
`;
  /** The job template's instance groups as the server lists them, in its order. */
  const groupsOf = async (template: string) => {
    const [{ id }] = await client.list('/job_templates/', { name: template });
    return (await client.list(`/job_templates/${id}/instance_groups/`)).map((group) => group.name);
  };

  it('writes them before what names them, associates the groups in order, and reorders them', async () => {
    expect(await apply(placed('[Spot, Wide, default]'))).toEqual([
      "created instance group 'Spot'",
      "created instance group 'Wide'",
      "created execution environment 'Ops EE'",
      "created project 'EP'",
      "created job template 'Placed'",
    ]);
    const [environment] = await client.list('/execution_environments/', { name: 'Ops EE' });
    const [template] = await client.list('/job_templates/', { name: 'Placed' });
    const [project] = await client.list('/projects/', { name: 'EP' });
    expect([template.execution_environment, project.default_environment]).toEqual([
      environment.id,
      environment.id,
    ]);
    expect(await groupsOf('Placed')).toEqual(['Spot', 'Wide', 'default']);
    expect(await apply(placed('[Wide, Spot]'))).toContain("changed job template 'Placed': instance_groups");
    expect(await groupsOf('Placed')).toEqual(['Wide', 'Spot']);
    expect((await apply(placed('[Wide, Spot]'))).every((line) => line.startsWith('unchanged'))).toBe(true);
  });

  it("exports them as they were applied, AWX's own named and not written", async () => {
    const bundle = (await exported()) as Bundle;
    const mine = loaded(placed('[Wide, Spot]')) as Bundle;
    expect(bundle.execution_environments).toEqual(mine.execution_environments);
    expect(bundle.instance_groups).toEqual(mine.instance_groups);
    expect(bundle.job_templates.find((t) => t.name === 'Placed')).toEqual(mine.job_templates[0]);
    expect(bundle.projects.find((p) => p.name === 'EP')).toEqual(mine.projects[0]);
  });
});
