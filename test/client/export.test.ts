import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBundle } from '../../lib/client/apply';
import type { AwxClient } from '../../lib/client/awx-client';
import { exportDocument } from '../../lib/client/export';
import { loadBundle } from '../../lib/model';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';
import { tempBundle } from '../support/files';
import { fixtureClient } from './servers';

let fixture: ApiFixture;
let client: AwxClient;

beforeAll(async () => {
  fixture = await openApiFixture();
  client = fixtureClient(fixture);
  const { bundle, diagnostics } = loadBundle(
    tempBundle({
      'b.yml': `
projects: [{ name: Mine, scm_type: git, scm_url: 'file:///nonexistent/mine.git' }]
job_templates:
  - { name: Ping, project: Mine, inventory: Demo Inventory, playbook: ping.yml }
`,
    }),
  );
  expect(diagnostics.errors).toEqual([]);
  await applyBundle(client, bundle, () => undefined);
});
afterAll(() => fixture.close());

const names = (document: Record<string, unknown>, kind: string) =>
  ((document[kind] as { name: string }[] | undefined) ?? []).map((object) => object.name);

describe("exportDocument and AWX's default objects", () => {
  it('writes every object, the default ones too, as `awx export` does', async () => {
    const { document } = await exportDocument(client);
    expect(names(document, 'projects')).toEqual(['Demo Project', 'Mine']);
    expect(names(document, 'inventories')).toEqual(['Demo Inventory']);
    expect(names(document, 'credentials')).toEqual(['Demo Credential', 'Ansible Galaxy']);
    expect(names(document, 'job_templates')).toEqual(['Demo Job Template', 'Ping']);
    // But for AWX's own images and instance groups, the installation's.
    expect(document.execution_environments).toBeUndefined();
    expect(document.instance_groups).toBeUndefined();
  });

  it('awxDefaults referenced: only those another object names (a playbook read defines what it uses)', async () => {
    const { document } = await exportDocument(client, { awxDefaults: 'referenced' });
    expect(names(document, 'projects')).toEqual(['Mine']);
    expect(names(document, 'inventories')).toEqual(['Demo Inventory']);
    // Named only by the Demo Job Template, which goes: its credential goes with it.
    expect(document.credentials).toBeUndefined();
    expect(names(document, 'job_templates')).toEqual(['Ping']);
    expect(document.execution_environments).toBeUndefined();
  });
});
