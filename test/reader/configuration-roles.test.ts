import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/model';
import { readThroughAnsible } from '../../lib/reader/ansible-reader';
import { tempBundle } from '../support/files';
import { workflowGraph as graph, workflowNamed } from '../support/workflow-graph';

/**
 * Playbooks that configure AWX through controller_configuration's or infra.aap_configuration's
 * roles, read through the reader's stand-ins of those collections (lib/reader/configuration-roles.ts):
 * what the roles would apply, as Ansible renders it at that point of the play.
 */
const DISPATCH = join(__dirname, '../fixtures/in-the-wild/aap-configuration-dispatch');

async function read(path: string, options: Parameters<typeof readThroughAnsible>[1] = {}) {
  const result = await readThroughAnsible(path, options);
  return { ...result, errors: result.diagnostics.errors.map(formatDiagnostic) };
}

describe('playbooks of the configuration collections, read through Ansible', () => {
  it("infra.aap_configuration's dispatch with wildcard vars: config/all and the inventory's environment merged", async () => {
    const { bundle, errors } = await read(join(DISPATCH, 'playbooks/aap_config.yml'), {
      inventory: join(DISPATCH, 'inventory/inventory_dev.yml'),
    });
    expect(errors).toEqual([]);
    expect(bundle.workflow_job_templates.map((w) => w.name)).toEqual(['release dev']);
    expect(graph(workflowNamed(bundle, 'release dev'))).toEqual([
      "build: job_template 'build' success: deploy, seed",
      "seed: job_template 'seed data' success: smoke",
      "deploy: job_template 'deploy' success: smoke; failure: approve rollback",
      "approve rollback: approval 'Roll back?' (3600s)",
      "smoke: job_template 'smoke test' ALL",
    ]);
    // config/all's templates, then config/dev's; the branch and inventory from the inventory's vars.
    expect(bundle.job_templates.map((t) => [t.name, t.inventory])).toEqual([
      ['build', 'dev hosts'],
      ['deploy', 'dev hosts'],
      ['smoke test', 'dev hosts'],
      ['seed data', 'dev hosts'],
    ]);
    expect(bundle.projects.map((p) => [p.name, p.scm_branch])).toEqual([['config_as_code', 'develop']]);
    expect(bundle.inventories.map((i) => i.name)).toEqual(['dev hosts']);
  }, 120_000);

  it('a role of its own applies its own list, not the wildcard parts; its findings point at the task that ran it', async () => {
    const dir = tempBundle({
      'site.yml': [
        '- hosts: localhost',
        '  gather_facts: false',
        '  vars:',
        '    app: shop',
        '    controller_projects: [{ name: "{{ app }}", organization: Default, scm_type: git, scm_url: "https://git.example.com/{{ app }}.git" }]',
        '    controller_projects_extra: [{ name: never applied, organization: Default }]',
        '    controller_templates: [{ name: "{{ app }} deploy", project: "{{ app }}", inventory: Nowhere, playbook: deploy.yml }]',
        '  roles:',
        '    - redhat_cop.controller_configuration.projects',
        '  tasks:',
        '    - name: Templates',
        '      ansible.builtin.include_role: { name: infra.controller_configuration.job_templates }',
        '',
      ].join('\n'),
    });
    const { bundle, diagnostics } = await read(join(dir, 'site.yml'));
    expect(bundle.projects.map((p) => p.name)).toEqual(['shop']);
    expect(bundle.job_templates.map((t) => t.name)).toEqual(['shop deploy']);
    expect(diagnostics.all.map(formatDiagnostic)).toContainEqual(
      expect.stringMatching(
        /site\.yml:11: warning: job template 'shop deploy', field 'inventory', value "Nowhere"/,
      ),
    );
  }, 120_000);
});
