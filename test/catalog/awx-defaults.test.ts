import { afterEach, describe, expect, it } from 'vitest';
import { createApiServices } from '../../lib/api/services';
import { MANAGED_CREDENTIAL_TYPES } from '../../lib/model/resources/credential-types';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';

type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
let api: ApiFixture | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function only(path: string): Promise<Obj> {
  const page = await api!.json<Page>('GET', `${V2}/${path}`);
  expect(page.count, path).toBe(1);
  return page.results[0];
}

describe("AWX's default objects on a fresh catalog", () => {
  it('are there as create_preload_data makes them', async () => {
    api = await openApiFixture();
    const organization = await only('organizations/');
    expect(organization.name).toBe('Default');
    const project = await only('projects/');
    expect(project).toMatchObject({
      name: 'Demo Project',
      organization: organization.id,
      scm_type: 'git',
      scm_url: 'https://github.com/ansible/ansible-tower-samples',
      scm_update_cache_timeout: 0,
      scm_revision: '347e44fea036c94d5f60e544de006453ee5c71ad',
    });
    const credentials = await api.json<Page>('GET', `${V2}/credentials/?order_by=id`);
    const machine = await only('credential_types/?namespace=ssh');
    const galaxyType = await only('credential_types/?kind=galaxy');
    expect(credentials.results).toMatchObject([
      {
        name: 'Demo Credential',
        credential_type: machine.id,
        organization: null,
        inputs: { username: 'admin' },
        managed: false,
      },
      {
        name: 'Ansible Galaxy',
        credential_type: galaxyType.id,
        organization: null,
        inputs: { url: 'https://galaxy.ansible.com/' },
        managed: true,
      },
    ]);
    const galaxy = credentials.results[1];
    const galaxies = await api.json<Page>(
      'GET',
      `${V2}/organizations/${organization.id}/galaxy_credentials/`,
    );
    expect(galaxies.results.map((c) => c.id)).toEqual([galaxy.id]);
    const inventory = await only('inventories/');
    expect(inventory).toMatchObject({ name: 'Demo Inventory', organization: organization.id });
    const host = await only(`inventories/${inventory.id}/hosts/`);
    expect(host).toMatchObject({
      name: 'localhost',
      variables: "ansible_connection: local\nansible_python_interpreter: '{{ ansible_playbook_python }}'",
    });
    const template = await only('job_templates/');
    expect(template).toMatchObject({
      name: 'Demo Job Template',
      project: project.id,
      inventory: inventory.id,
      playbook: 'hello_world.yml',
      organization: organization.id,
    });
    const attached = await api.json<Page>('GET', `${V2}/job_templates/${template.id}/credentials/`);
    expect(attached.results.map((c) => c.name)).toEqual(['Demo Credential']);
  });

  it("the Ansible Galaxy credential is AWX's: neither changed nor deleted", async () => {
    api = await openApiFixture();
    const galaxy = await only('credentials/?name=Ansible%20Galaxy');
    const patched = await api.call('PATCH', `${V2}/credentials/${galaxy.id}/`, { description: 'mine' });
    expect(patched.status).toBe(403);
    expect(await patched.json()).toEqual({ detail: 'Modifications not allowed for managed credentials' });
    const deleted = await api.call('DELETE', `${V2}/credentials/${galaxy.id}/`);
    expect(deleted.status).toBe(403);
    expect(await deleted.json()).toEqual({ detail: 'Deletion not allowed for managed credentials' });
  });

  it('are made once, as AWX makes them only where there is no organization: what a person deleted stays deleted', async () => {
    api = await openApiFixture();
    const template = await only('job_templates/?name=Demo%20Job%20Template');
    await api.json('DELETE', `${V2}/job_templates/${template.id}/`, undefined, 204);
    // The services opened again on the same table, as `serve` does at its next start.
    const { session } = api;
    const secrets = {
      writer: session.secrets.writer,
      reader: session.secrets.provider(session.data.secrets),
    };
    await createApiServices(
      session.table,
      secrets,
      {
        jobs: session.store,
        events: session.eventLog,
        execution: api.services.execution,
        projectsRoot: session.data.root,
      },
      { publicUrl: () => 'http://localhost' },
    );
    expect((await api.json<Page>('GET', `${V2}/job_templates/`)).count).toBe(0);
    expect((await api.json<Page>('GET', `${V2}/organizations/`)).count).toBe(1);
  });

  it("every one of AWX's managed credential types is found by its name", async () => {
    api = await openApiFixture();
    for (const type of MANAGED_CREDENTIAL_TYPES) {
      const found = await only(`credential_types/?name=${encodeURIComponent(type.name)}`);
      expect(found).toMatchObject({
        name: type.name,
        kind: type.kind,
        namespace: type.namespace,
        managed: true,
      });
    }
  });
});
