import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBundle } from '../../lib/client/apply';
import type { AwxClient } from '../../lib/client/awx-client';
import { awxExportOf, exportAwx } from '../../lib/client/awx-export';
import { loadBundle } from '../../lib/model';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';
import { tempBundle } from '../support/files';
import { fixtureClient, withoutAwxDefaults } from './servers';

const fixtures = join(__dirname, '../fixtures/in-the-wild/awx-export');
const RELEASE = join(fixtures, 'release-pipeline.json');

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('the AWX export writer', () => {
  it('writes a loaded export back as it was, but for key order', () => {
    const { bundle, diagnostics } = loadBundle(RELEASE);
    expect(diagnostics.errors).toEqual([]);
    expect(awxExportOf(bundle)).toEqual(fixture(RELEASE));
  });

  it('writes a YAML export back as JSON: the lists it has as they were, the others empty', () => {
    const path = join(fixtures, 'monthly-patching.yml');
    const original = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const written = awxExportOf(loadBundle(path).bundle);
    // The lists of the release export, written by `awx export` with each list's flag.
    expect(Object.keys(written)).toEqual(Object.keys(fixture(RELEASE) as object));
    for (const [list, objects] of Object.entries(written)) expect(objects).toEqual(original[list] ?? []);
  });
});

describe('the AWX export writer, for where templates run', () => {
  const NATIVE = `
execution_environments: [{ name: Ops EE, organization: Ops, image: 'registry.example.com/ops/ee:1.0', pull: missing }]
instance_groups: [{ name: Wide }]
projects:
  - name: P
    organization: Ops
    scm_type: git
    scm_url: 'https://git.example.com/p.git'
    default_environment: AWX EE (latest)
job_templates:
  - { name: J, project: P, playbook: p.yml, inventory: Demo Inventory, execution_environment: Ops EE, instance_groups: [Wide] }
`;

  it("writes execution environments by natural key, AWX's own named only; instance groups awxkit has no place for", () => {
    const { bundle, diagnostics } = loadBundle(tempBundle({ 'bundle.yml': NATIVE }));
    expect(diagnostics.errors).toEqual([]);
    const written = awxExportOf(bundle) as Record<string, Record<string, unknown>[]>;
    expect(written.execution_environments).toEqual([
      {
        name: 'Ops EE',
        description: '',
        organization: { name: 'Ops', type: 'organization' },
        image: 'registry.example.com/ops/ee:1.0',
        credential: null,
        pull: 'missing',
        natural_key: { name: 'Ops EE', type: 'execution_environment' },
      },
    ]);
    expect(written.projects[0].default_environment).toEqual({
      name: 'AWX EE (latest)',
      type: 'execution_environment',
    });
    const [template] = written.job_templates;
    expect(template.execution_environment).toEqual({ name: 'Ops EE', type: 'execution_environment' });
    expect(Object.keys(template.related as object)).not.toContain('instance_groups');
    expect(written).not.toHaveProperty('instance_groups');

    const read = loadBundle(join(tempBundle({ 'export.json': JSON.stringify(written) }), 'export.json'));
    expect(read.diagnostics.errors).toEqual([]);
    expect(awxExportOf(read.bundle)).toEqual(written);
  });
});

describe('export --format awx', () => {
  let api: ApiFixture;
  let client: AwxClient;
  beforeAll(async () => {
    api = await openApiFixture();
    client = fixtureClient(api);
  });
  afterAll(() => api.close());

  it('an AWX export applied, then exported, is the same export', async () => {
    const { bundle, diagnostics } = loadBundle(RELEASE);
    expect(diagnostics.errors).toEqual([]);
    await applyBundle(client, bundle, () => undefined);
    const { json: written, warnings } = await exportAwx(client);
    expect(warnings).toEqual([]);
    // What `awx export` prints: JSON indented by 5, ASCII only.
    expect(written).toMatch(/^\{\n {5}"credential_types": \[\n/);
    const exported = JSON.parse(written) as Record<string, { name: string }[]>;
    // The server's own default objects are exported too, as `awx export` of any AWX writes them.
    expect(exported.job_templates.map((template) => template.name)).toContain('Demo Job Template');
    expect(withoutAwxDefaults(exported)).toEqual(fixture(RELEASE));
  });

  it('says what the format leaves out: instance groups and the templates that name them', async () => {
    const { bundle } = loadBundle(
      tempBundle({
        'groups.yml': `instance_groups:
  - { name: big, is_container_group: true, pod_spec_override: "spec: {containers: [{resources: {requests: {cpu: '2'}}}]}" }
projects: [{ name: Placement project, local_path: p }]
job_templates:
  - { name: Placed, project: Placement project, playbook: a.yml, instance_groups: [big, default] }
`,
      }),
    );
    await applyBundle(client, bundle, () => undefined);
    const { json, warnings } = await exportAwx(client);
    expect(warnings).toEqual([
      "AWX's export format has no instance groups: 1 instance group(s) and the instance_groups of 1 job template(s) are left out (--format native keeps them)",
    ]);
    expect(JSON.parse(json)).not.toHaveProperty('instance_groups');
  });
});
