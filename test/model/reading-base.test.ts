import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { catalogBase, type ReadingBase } from '../../lib/model/reading-base';
import { MANAGED_CREDENTIAL_TYPES } from '../../lib/model/resources/credential-types';
import { tempBundle } from '../support/files';

function load(files: Record<string, string>, base?: ReadingBase) {
  const result = loadBundle(tempBundle(files), { base });
  return { ...result, messages: result.diagnostics.all.map(formatDiagnostic) };
}

const demoTemplate = `
job_templates:
  - name: Hello
    project: Demo Project
    inventory: Demo Inventory
    credentials: [Demo Credential]
    playbook: hello_world.yml
`;

describe("AWX's default objects, named without being defined", () => {
  it('are read as every AWX has them, with a note at the first reference to each', () => {
    const { bundle, diagnostics, messages } = load({ 'jt.yml': demoTemplate });
    expect(diagnostics.hasErrors).toBe(false);
    expect(messages).toEqual([
      expect.stringMatching(
        /jt\.yml:3: note: job template 'Hello', field 'project', value "Demo Project": not defined in these files: AWX's default project 'Demo Project', as every AWX has it from its install$/,
      ),
      expect.stringContaining('value "Demo Inventory": not defined in these files: AWX\'s default inventory'),
      expect.stringContaining(
        'value "Demo Credential": not defined in these files: AWX\'s default credential',
      ),
    ]);
    const [project] = bundle.projects;
    expect(project).toMatchObject({
      name: 'Demo Project',
      scm_type: 'git',
      scm_url: 'https://github.com/ansible/ansible-tower-samples',
      organization: 'Default',
      origin: { file: "AWX's default objects", base: true },
    });
    expect(bundle.inventories[0].hosts).toEqual([
      {
        name: 'localhost',
        variables: {
          ansible_connection: 'local',
          ansible_python_interpreter: '{{ ansible_playbook_python }}',
        },
        enabled: true,
      },
    ]);
    expect(bundle.credentials[0]).toMatchObject({
      name: 'Demo Credential',
      credential_type: 'Machine',
      inputs: { username: 'admin' },
    });
  });

  it("a node running the Demo Job Template brings what it names: AWX's Demo Project, Inventory and Credential", () => {
    const { bundle, diagnostics, messages } = load({
      'wf.yml': `
workflow_job_templates:
  - name: WF
    workflow_nodes:
      - identifier: hello
        unified_job_template: Demo Job Template
      - identifier: again
        unified_job_template: Demo Job Template
`,
    });
    expect(diagnostics.hasErrors).toBe(false);
    expect(messages).toEqual([expect.stringContaining("AWX's default job template 'Demo Job Template'")]);
    expect(bundle.workflow_job_templates[0].workflow_nodes[0].unified_job_template).toEqual({
      type: 'job_template',
      name: 'Demo Job Template',
    });
    expect(bundle.job_templates).toMatchObject([
      {
        name: 'Demo Job Template',
        project: 'Demo Project',
        inventory: 'Demo Inventory',
        playbook: 'hello_world.yml',
        credentials: ['Demo Credential'],
      },
    ]);
    expect(bundle.projects.map((p) => p.name)).toEqual(['Demo Project']);
    expect(bundle.inventories.map((i) => i.name)).toEqual(['Demo Inventory']);
    expect(bundle.credentials.map((c) => c.name)).toEqual(['Demo Credential']);
  });

  it('the files win: a Demo Project they define is theirs, and nothing is read from the defaults', () => {
    const { bundle, messages } = load({
      'jt.yml': `
projects:
  - name: Demo Project
    local_path: mine
inventories:
  - name: Demo Inventory
credentials:
  - name: Demo Credential
    credential_type: Machine
${demoTemplate.replace('job_templates:\n', 'job_templates:\n')}`,
    });
    expect(messages).toEqual([]);
    expect(bundle.projects).toMatchObject([{ name: 'Demo Project', local_path: 'mine', scm_type: '' }]);
    expect(bundle.projects[0].origin.base).toBeUndefined();
  });

  it("a name nothing defines is a warning saying where it may be found, with a typo's hint", () => {
    const { diagnostics, messages } = load({
      'jt.yml': demoTemplate.replace('Demo Project', 'Demo Projet').replace('Demo Inventory', 'Staging'),
    });
    expect(diagnostics.hasErrors).toBe(false);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /jt\.yml:3: warning: job template 'Hello', field 'project', value "Demo Projet": unknown project 'Demo Projet' \(did you mean 'Demo Project'\?\): not defined in these files; if it exists on your AWX or Towerless server, pass --catalog URL to read it from there$/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringContaining(
        "unknown inventory 'Staging': not defined in these files; if it exists on your AWX or Towerless server, pass --catalog URL",
      ),
    );
    expect(diagnostics.all.filter((d) => d.unresolved).map((d) => d.value)).toEqual([
      'Demo Projet',
      'Staging',
    ]);
  });

  it("every one of AWX's managed credential types is named by its name", () => {
    const credentials = MANAGED_CREDENTIAL_TYPES.map(
      (type, index) => `  - name: C${index}\n    credential_type: ${JSON.stringify(type.name)}\n`,
    ).join('');
    const { diagnostics, bundle } = load({ 'c.yml': `credentials:\n${credentials}` });
    expect(diagnostics.errors.map(formatDiagnostic)).toEqual([]);
    expect(bundle.credentials.map((c) => c.credential_type)).toEqual(
      MANAGED_CREDENTIAL_TYPES.map((t) => t.name),
    );
  });
});

describe('a catalog as the base', () => {
  const catalog = catalogBase('https://awx.example.com', {
    projects: [{ name: 'Shared', scm_type: 'git', scm_url: 'https://git.example.com/shared.git' }],
    inventories: [
      { name: 'Fleet', hosts: [{ name: 'web1' }], inventory_sources: [{ name: 'Cloud', source: 'ec2' }] },
    ],
    job_templates: [
      { name: 'Deploy', project: 'Shared', inventory: 'Fleet', playbook: 'deploy.yml' },
      { name: 'Unused', project: 'Shared', inventory: 'Fleet', playbook: 'x.yml' },
    ],
  });

  it('gives what the files name and what that names, files first; nothing else', () => {
    const { bundle, diagnostics, messages } = load(
      {
        'wf.yml': `
projects:
  - name: Shared
    local_path: here
workflow_job_templates:
  - name: WF
    workflow_nodes:
      - identifier: deploy
        unified_job_template: Deploy
      - identifier: sync
        unified_job_template: Cloud
`,
      },
      catalog,
    );
    expect(diagnostics.hasErrors).toBe(false);
    expect(messages).toEqual([
      expect.stringContaining("job template 'Deploy' read from the catalog https://awx.example.com"),
      expect.stringContaining("inventory source 'Cloud' read from the catalog https://awx.example.com"),
    ]);
    expect(bundle.job_templates.map((t) => [t.name, t.origin])).toEqual([
      ['Deploy', { file: 'https://awx.example.com', base: true }],
    ]);
    // The files' Shared, not the catalog's.
    expect(bundle.projects).toMatchObject([{ name: 'Shared', local_path: 'here' }]);
    expect(bundle.inventories.map((i) => i.name)).toEqual(['Fleet']);
    expect(bundle.workflow_job_templates[0].workflow_nodes[1].unified_job_template).toEqual({
      type: 'inventory_source',
      name: 'Cloud',
    });
  });

  it("a name the catalog lacks says so; AWX's default objects are the catalog's to give", () => {
    const { messages } = load({ 'jt.yml': demoTemplate }, catalog);
    expect(messages).toContainEqual(
      expect.stringContaining(
        "unknown project 'Demo Project': not defined in these files nor on the catalog https://awx.example.com",
      ),
    );
  });
});
