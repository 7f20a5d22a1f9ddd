import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../lib/model';
import { readThroughAnsible } from '../../lib/reader/ansible-reader';
import { tempBundle } from '../support/files';
import { workflowGraph, workflowNamed } from '../support/workflow-graph';
import { runCli as towerless } from '../support/cli';

/**
 * A folder read as a team keeps it (docs/reading.md "Folders"): its playbooks applied by the real
 * ansible-playbook in one run, what the static readers read exactly beside them, and every other
 * file skipped with one line that says why.
 */
const REPO = join(__dirname, '../fixtures/in-the-wild/gitops-repo');
const shown = (path: string) => relative(process.cwd(), path);

/** The diagnostics of each file, formatted without its place. */
function byFile(diagnostics: readonly Diagnostic[]) {
  const lines: Record<string, string[]> = {};
  for (const diagnostic of diagnostics)
    (lines[diagnostic.source.file] ??= []).push(`${diagnostic.severity}: ${diagnostic.message}`);
  return lines;
}

describe('a configuration repository read through Ansible as a whole', () => {
  it('site.yml, the playbooks it imports, their task files, a role and vars_files: what AWX would hold', async () => {
    const { bundle, diagnostics, files, skipped } = await readThroughAnsible(REPO);
    expect(diagnostics.errors.map(formatDiagnostic)).toEqual([]);
    expect(workflowGraph(workflowNamed(bundle, 'shop release'))).toEqual([
      "rollback: job_template 'shop rollback'",
      "deploy_eu: job_template 'shop deploy' failure: rollback",
      "deploy_us: job_template 'shop deploy' failure: rollback",
      "approve: approval 'Release shop to production?' (3600s) success: deploy_eu, deploy_us",
      "build: job_template 'shop build' success: approve",
    ]);
    expect(workflowGraph(workflowNamed(bundle, 'blog release'))).toEqual([
      "rollback: job_template 'blog rollback'",
      "deploy_eu: job_template 'blog deploy' failure: rollback",
      "build: job_template 'blog build' success: deploy_eu",
    ]);
    expect(workflowNamed(bundle, 'shop release').workflow_nodes.map((node) => node.extra_data)).toEqual([
      {},
      { region: 'eu' },
      { region: 'us' },
      {},
      {},
    ]);
    expect(
      bundle.job_templates.map((t) => [t.name, t.project, t.inventory, t.ask_variables_on_launch]),
    ).toEqual(
      ['shop', 'blog'].flatMap((app) => [
        [`${app} build`, app, 'Platform hosts', false],
        [`${app} deploy`, app, 'Platform hosts', true],
        [`${app} rollback`, app, 'Platform hosts', false],
      ]),
    );
    // The role's defaults, group_vars beside site.yml and vars/apps.yml all reached it.
    expect(bundle.projects.map((p) => [p.name, p.organization, p.scm_url, p.scm_branch])).toEqual([
      ['shop', 'Platform', 'https://git.example.com/platform/shop.git', 'main'],
      ['blog', 'Platform', 'https://git.example.com/platform/blog.git', 'stable'],
    ]);
    // A resource points at the task that made it.
    expect(workflowNamed(bundle, 'blog release').origin).toEqual({
      file: shown(join(REPO, 'playbooks/tasks/release.yml')),
      line: 4,
    });

    const at = (path: string) => shown(join(REPO, path));
    const unrelated = (what: string) => [`note: ${what}: not Ansible configuration of AWX`];
    const role = ["note: part of role 'awx_config'; read through the playbooks that use it"];
    const galaxy = unrelated('Ansible Galaxy requirements (ansible-galaxy installs them)');
    expect(byFile(diagnostics.all)).toEqual({
      [at('.ansible-lint')]: unrelated("ansible-lint's configuration"),
      [at('.github/workflows/lint.yml')]: unrelated('a GitHub Actions workflow'),
      [at('collections/requirements.yml')]: galaxy,
      [at('group_vars/all/controller.yml')]: [
        'note: variables loaded by playbooks/templates.yml (vars_files); read through it',
      ],
      [at('inventory/hosts.yml')]: ['note: an Ansible inventory: give it with -i'],
      [at('playbooks/tasks/app-templates.yml')]: [
        'note: included by playbooks/templates.yml; read through it',
      ],
      [at('playbooks/tasks/release.yml')]: ['note: included by playbooks/workflows.yml; read through it'],
      [at('playbooks/templates.yml')]: ['note: imported by site.yml; read through it'],
      [at('playbooks/workflows.yml')]: ['note: imported by site.yml; read through it'],
      [at('requirements.yml')]: galaxy,
      [at('roles/awx_config/defaults/main.yml')]: role,
      [at('roles/awx_config/meta/main.yml')]: role,
      [at('roles/awx_config/tasks/main.yml')]: role,
      [at('roles/awx_config/tasks/project.yml')]: role,
      [at('vars/apps.yml')]: ['note: variables loaded by site.yml (vars_files); read through it'],
    });
    expect(files).toHaveLength(11);
    expect(skipped.map((file) => relative(REPO, file)).sort()).toEqual([
      '.ansible-lint',
      '.github/workflows/lint.yml',
      'collections/requirements.yml',
      'inventory/hosts.yml',
      'requirements.yml',
    ]);
  }, 180_000);

  it('beside what Ansible applies, the static readers read the rest; one name defined twice names both files', async () => {
    const dir = tempBundle({
      'site.yml': [
        '- hosts: localhost',
        '  connection: local',
        '  gather_facts: false',
        '  tasks:',
        '    - awx.awx.project: { name: Ops, organization: Default, scm_type: git, scm_url: "https://git.example.com/ops.git" }',
        '    - awx.awx.inventory: { name: Fleet, organization: Default }',
        '    - awx.awx.job_template:',
        '        name: "{{ item }}"',
        '        organization: Default',
        '        project: Ops',
        '        inventory: Fleet',
        '        playbook: "{{ item }}.yml"',
        '      loop: [backup, verify]',
        '',
      ].join('\n'),
      'workflows.yml': [
        'workflow_job_templates:',
        '  - name: Nightly',
        '    workflow_nodes:',
        '      - { identifier: backup, unified_job_template: backup, success_nodes: [verify] }',
        '      - { identifier: verify, unified_job_template: verify }',
        '',
      ].join('\n'),
    });
    const { bundle, diagnostics } = await readThroughAnsible(dir);
    expect(diagnostics.errors.map(formatDiagnostic)).toEqual([]);
    expect(workflowGraph(workflowNamed(bundle, 'Nightly'))).toEqual([
      "backup: job_template 'backup' success: verify",
      "verify: job_template 'verify'",
    ]);

    const clash = tempBundle({
      'site.yml':
        '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - awx.awx.inventory: { name: "{{ \'Fleet\' }}", organization: Default }\n',
      'inventories.yml': 'inventories:\n  - name: Fleet\n',
    });
    const { diagnostics: clashing } = await readThroughAnsible(clash);
    expect(clashing.errors.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        new RegExp(
          // The task's place as Ansible gives it (lib/reader/task-sources.ts), the file's as the walk found it.
          `${join(clash, 'site.yml')}:4: error: inventory 'Fleet', field 'name', value "Fleet": duplicate name: already defined at ${shown(join(clash, 'inventories.yml'))}:2`,
        ),
      ),
    ]);
  }, 180_000);
});

describe('towerless validate of a folder', () => {
  it('playbooks applied and controller_configuration variables rendered, each by Ansible, in one bundle', async () => {
    const dir = tempBundle({
      'controller/org.yml': 'org: Web\n',
      'controller/projects.yml': [
        'controller_projects:',
        '  - name: "{{ org }} Playbooks"',
        '    organization: Default',
        '    scm_type: git',
        '    scm_url: "https://git.example.com/{{ org | lower }}.git"',
        '',
      ].join('\n'),
      'site.yml': [
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        '    - awx.awx.inventory: { name: "{{ env }} hosts", organization: Default }',
        '',
      ].join('\n'),
    });
    const result = await towerless('validate', dir, '--read-var', 'env=prod');
    expect(result.stderr).toBe(
      `${shown(join(dir, 'controller/org.yml'))}: note: variables with no controller_ variables: nothing to define\n`,
    );
    expect(result.stdout).toBe(
      'valid: 0 workflow job templates, 0 job templates, 1 projects, 1 inventories, 0 credentials, ' +
        '0 notification templates, 0 schedules (2 files, 1 skipped)\n',
    );
    expect(result.code).toBe(0);
  }, 180_000);
});

describe('a folder that defines nothing', () => {
  it('only files Towerless skips: exit 1, each with its line, and a summary of them', async () => {
    const dir = tempBundle({
      'requirements.yml': 'collections:\n  - name: awx.awx\n',
      'inventory/hosts': '[controller]\nlocalhost ansible_connection=local\n',
      'group_vars/all.yml': 'org: Platform\n',
      'project/deploy.yml': '- hosts: all\n  tasks:\n    - ansible.builtin.ping:\n',
    });
    const result = await towerless('validate', dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const at = (path: string) => shown(join(dir, path));
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `${at('group_vars/all.yml')}: note: variables with no controller_ variables: nothing to define`,
      `${at('inventory/hosts')}: note: an Ansible inventory: give it with -i`,
      `${at('project/deploy.yml')}: note: a playbook that calls no awx.awx module, nor do the files it brings in: what a job runs, not AWX configuration`,
      `${at('requirements.yml')}: note: Ansible Galaxy requirements (ansible-galaxy installs them): not Ansible configuration of AWX`,
      `${dir}: error: defines no resources: a bundle needs at least one of projects, inventories, credential_types, credentials, job_templates, workflow_job_templates, notification_templates, schedules, execution_environments, instance_groups; of the 4 files here, 0 were read and 4 skipped (1 variables file, 1 inventory, 1 playbook of a job, 1 file of another tool)`,
      '1 error(s): nothing was compiled, run or applied',
    ]);
  });
});
