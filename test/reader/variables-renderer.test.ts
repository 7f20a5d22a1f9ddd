import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/model';
import { renderThroughAnsible } from '../../lib/reader/variables-renderer';
import { tempBundle } from '../support/files';
import { workflowGraph, workflowNamed } from '../support/workflow-graph';

/**
 * controller_configuration variables rendered by the real ansible-playbook (docs/formats.md): Jinja
 * across group_vars files, `--read-var` values and lookups, as the collection's roles see them.
 */
const GROUP_VARS = join(__dirname, '../fixtures/in-the-wild/controller-configuration/group-vars');
const INVENTORY = join(GROUP_VARS, 'inventory');
const VARS = join(INVENTORY, 'group_vars');

async function render(path: string, options: Parameters<typeof renderThroughAnsible>[1] = {}) {
  const result = await renderThroughAnsible(path, options);
  return { ...result, errors: result.diagnostics.errors.map(formatDiagnostic) };
}

const shown = (path: string) => relative(process.cwd(), path);

describe('controller_configuration variables rendered through Ansible', () => {
  it('Jinja across two group_vars files and a --read-var value: what the roles would apply', async () => {
    const { bundle, errors } = await render(VARS, { inventory: INVENTORY, extraVars: ['env=prod'] });
    expect(errors).toEqual([]);
    expect(workflowGraph(workflowNamed(bundle, 'Release prod'))).toEqual([
      "approve: approval 'Release to prod?' (7200s) success: deploy_eu, deploy_us",
      "deploy_eu: job_template 'Deploy App' success: smoke; failure: rollback",
      "deploy_us: job_template 'Deploy App' success: smoke; failure: rollback",
      "smoke: job_template 'Smoke Test' ALL failure: rollback",
      "rollback: job_template 'Rollback'",
    ]);
    const release = bundle.workflow_job_templates[0];
    expect(release.workflow_nodes.map((node) => node.extra_data)).toEqual([
      {},
      { region: 'eu-west-1' },
      { region: 'us-east-1' },
      {},
      {},
    ]);
    expect(release.extra_vars).toEqual({ release_env: 'prod' });
    expect(bundle.job_templates.map((t) => [t.name, t.inventory, t.credentials])).toEqual([
      ['Deploy App', 'Prod', ['Platform Deploy']],
      ['Smoke Test', 'Prod', []],
      ['Rollback', 'Prod', ['Platform Deploy']],
    ]);
    expect(bundle.projects.map((p) => [p.name, p.scm_url, p.scm_branch])).toEqual([
      ['Platform Playbooks', 'https://git.example.com/platform/playbooks.git', 'main'],
    ]);
    expect(bundle.inventories.map((i) => [i.name, i.variables])).toEqual([['Prod', { deploy_env: 'prod' }]]);
    expect(bundle.schedules.map((s) => [s.name, s.unified_job_template, s.enabled])).toEqual([
      ['Nightly prod release', 'Release prod', false],
    ]);
  }, 120_000);

  it('what Jinja made is placed at the Jinja that made it; the rest where it is written', async () => {
    const { bundle } = await render(VARS, { inventory: INVENTORY, extraVars: ['env=prod'] });
    const pipelines = shown(join(VARS, 'controllers/pipelines.yml'));
    // controller_templates is `{{ base_templates + pipeline_templates }}`: its line.
    expect(bundle.job_templates.map((t) => t.origin)).toEqual([
      { file: pipelines, line: 4 },
      { file: pipelines, line: 4 },
      { file: pipelines, line: 4 },
    ]);
    expect(bundle.workflow_job_templates[0].origin).toEqual({ file: pipelines, line: 15 });
    expect(bundle.workflow_job_templates[0].workflow_nodes[0].origin).toEqual({ file: pipelines, line: 19 });
  }, 120_000);

  it('another --read-var value, another configuration', async () => {
    const { bundle, errors } = await render(VARS, { inventory: INVENTORY, extraVars: ['env=staging'] });
    expect(errors).toEqual([]);
    expect(bundle.workflow_job_templates.map((w) => w.name)).toEqual(['Release staging']);
    expect(bundle.projects[0].scm_branch).toBe('staging');
    expect(bundle.schedules.map((s) => [s.name, s.enabled])).toEqual([['Nightly staging release', true]]);
  }, 120_000);

  it('a variable Ansible cannot render is an error at the line that sets it, saying what is undefined', async () => {
    const { errors } = await render(VARS, { inventory: INVENTORY });
    const undefinedEnv =
      "Ansible could not render it: 'env' is undefined: define it in the files, the inventory (-i) or with --read-var";
    const platform = shown(join(VARS, 'all/platform.yml'));
    const pipelines = shown(join(VARS, 'controllers/pipelines.yml'));
    expect(errors).toEqual([
      `${platform}:9: error: field 'controller_projects': ${undefinedEnv}`,
      `${platform}:17: error: field 'controller_inventories': ${undefinedEnv}`,
      `${pipelines}:4: error: field 'controller_templates': ${undefinedEnv}`,
      `${pipelines}:14: error: field 'controller_workflows': ${undefinedEnv}`,
      `${pipelines}:44: error: field 'controller_schedules': ${undefinedEnv}`,
    ]);
  }, 120_000);

  it('without an inventory, the files are loaded with include_vars: one file uses the variables of another', async () => {
    const dir = tempBundle({
      '10-org.yml': [
        'org: Web',
        'controller_projects:',
        '  - name: "{{ org }} Playbooks"',
        '    organization: "{{ org }}"',
        '    scm_type: git',
        "    scm_url: \"{{ lookup('ansible.builtin.env', 'TOWERLESS_TEST_GIT_BASE') }}/web.git\"",
        '',
      ].join('\n'),
      '20-templates.yml': [
        'controller_templates:',
        '  - name: "{{ org }} {{ action }}"',
        '    project: "{{ org }} Playbooks"',
        '    playbook: "{{ action }}.yml"',
        '',
      ].join('\n'),
    });
    process.env.TOWERLESS_TEST_GIT_BASE = 'https://git.example.com';
    try {
      const { bundle, errors } = await render(dir, { extraVars: ['action=deploy'] });
      expect(errors).toEqual([]);
      expect(bundle.projects.map((p) => [p.name, p.organization, p.scm_url])).toEqual([
        ['Web Playbooks', 'Web', 'https://git.example.com/web.git'],
      ]);
      expect(bundle.job_templates.map((t) => [t.name, t.project, t.playbook])).toEqual([
        ['Web deploy', 'Web Playbooks', 'deploy.yml'],
      ]);
    } finally {
      delete process.env.TOWERLESS_TEST_GIT_BASE;
    }
  }, 120_000);

  it('an inventory with no host to render for: an error quoting what Ansible said', async () => {
    const dir = tempBundle({ 'config.yml': 'controller_projects:\n  - name: "{{ name }}"\n' });
    const { errors } = await render(dir, { inventory: join(dir, 'missing-inventory') });
    expect(errors).toEqual([
      expect.stringMatching(
        /missing-inventory: error: no host to render the variables for; Ansible warned: .*missing-inventory/,
      ),
    ]);
  }, 120_000);
});
