import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { holdsSeveralDocuments, looksLikeIniInventory } from '../../lib/model/folder-shapes';
import {
  ansibleSteps,
  classifyFolder,
  folderSummary,
  type FileContent,
  type WalkOptions,
} from '../../lib/model/folder-walk';

/** Classifies files given as YAML text (or a content of their own), path by path. */
function classify(files: Record<string, string | FileContent>, options: WalkOptions = {}) {
  const verdicts = classifyFolder(
    Object.entries(files).map(([path, text]) => ({
      path,
      content: typeof text === 'string' ? { kind: 'yaml', document: parse(text) } : text,
    })),
    options,
  );
  return Object.fromEntries(verdicts.map((verdict) => [verdict.path, verdict]));
}

/** Each file's reading, and its line when it is not read on its own. */
function readings(files: Record<string, string | FileContent>, options: WalkOptions = {}) {
  return Object.fromEntries(
    Object.entries(classify(files, options)).map(([path, { reading, why }]) => [
      path,
      why ? `${reading}: ${why}` : reading,
    ]),
  );
}

const awxTask = (name: string) =>
  `- awx.awx.job_template:\n    name: ${name}\n    project: P\n    playbook: ${name}.yml\n`;
const play = (tasks: string, extra = '') =>
  `- hosts: localhost\n${extra}  tasks:\n${tasks.replace(/^/gm, '    ')}`;

describe('a configuration repository, file by file', () => {
  it('the playbooks, what they bring in, and the rest of the repository', () => {
    const files = {
      '.ansible-lint': 'profile: production\n',
      '.github/workflows/lint.yml': 'on: [push]\njobs: { lint: { runs-on: ubuntu-latest } }\n',
      'collections/requirements.yml': 'collections:\n  - name: awx.awx\n',
      'group_vars/all/controller.yml': 'awx_organization: Platform\n',
      'inventory/hosts.yml': 'all:\n  children:\n    controller:\n      hosts: { localhost: {} }\n',
      'playbooks/tasks/templates.yml': awxTask('build'),
      'playbooks/templates.yml': play(
        '- ansible.builtin.include_tasks: tasks/templates.yml\n  loop: "{{ apps }}"\n',
        '  vars_files: [../vars/apps.yml]\n',
      ),
      'requirements.yml': 'collections: [awx.awx]\nroles: []\n',
      'roles/awx_config/defaults/main.yml': 'awx_config_branch: main\n',
      'roles/awx_config/tasks/main.yml': '- include_tasks: project.yml\n  loop: "{{ apps }}"\n',
      'roles/awx_config/tasks/project.yml': '- awx.awx.project: { name: "{{ item }}" }\n',
      'site.yml':
        '- hosts: localhost\n  roles: [awx_config]\n- ansible.builtin.import_playbook: playbooks/templates.yml\n',
      'vars/apps.yml': 'apps: [shop, blog]\n',
    };
    expect(readings(files)).toEqual({
      '.ansible-lint': "skipped: ansible-lint's configuration: not Ansible configuration of AWX",
      '.github/workflows/lint.yml': 'skipped: a GitHub Actions workflow: not Ansible configuration of AWX',
      'collections/requirements.yml':
        'skipped: Ansible Galaxy requirements (ansible-galaxy installs them): not Ansible configuration of AWX',
      'group_vars/all/controller.yml': 'skipped: variables with no controller_ variables: nothing to define',
      'inventory/hosts.yml': 'skipped: an Ansible inventory: give it with -i',
      'playbooks/tasks/templates.yml': 'through: included by playbooks/templates.yml; read through it',
      'playbooks/templates.yml': 'through: imported by site.yml; read through it',
      'requirements.yml':
        'skipped: Ansible Galaxy requirements (ansible-galaxy installs them): not Ansible configuration of AWX',
      'roles/awx_config/defaults/main.yml':
        "through: part of role 'awx_config'; read through the playbooks that use it",
      'roles/awx_config/tasks/main.yml':
        "through: part of role 'awx_config'; read through the playbooks that use it",
      'roles/awx_config/tasks/project.yml':
        "through: part of role 'awx_config'; read through the playbooks that use it",
      'site.yml': 'playbook',
      'vars/apps.yml': 'through: variables loaded by playbooks/templates.yml (vars_files); read through it',
    });
    expect(classify(files)['site.yml'].brings).toEqual(['playbooks/templates.yml', "role 'awx_config'"]);
  });

  it('a playbook or task file that brings in nothing is read alone', () => {
    const verdicts = classify({ 'site.yml': play(awxTask('a')), 'tasks.yml': awxTask('b') });
    expect(verdicts['site.yml']).toMatchObject({ reading: 'playbook', brings: [] });
    expect(verdicts['tasks.yml']).toMatchObject({ reading: 'tasks', brings: [] });
  });

  it("an include is looked for beside the including file, then in its playbook's folder", () => {
    expect(
      readings({
        'site.yml': play('- include_tasks: tasks/a.yml\n'),
        'tasks/a.yml': '- import_tasks: b.yml\n- include_tasks: tasks/c.yml\n',
        'tasks/b.yml': awxTask('b'),
        'tasks/c.yml': awxTask('c'),
      }),
    ).toEqual({
      'site.yml': 'playbook',
      'tasks/a.yml': 'through: included by site.yml; read through it',
      'tasks/b.yml': 'through: included by tasks/a.yml; read through it',
      'tasks/c.yml': 'through: included by tasks/a.yml; read through it',
    });
  });

  it('an include path built with Jinja names the files it matches; one of Jinja alone is left to Ansible', () => {
    const verdicts = classify({
      'playbook.yml': play(
        '- ansible.builtin.include_tasks: "jobs/{{ item }}"\n  loop: [a.yml, b.yml]\n- include_tasks: "{{ other }}"\n',
        '  module_defaults:\n    group/awx.awx.controller: { validate_certs: true }\n',
      ),
      'jobs/a.yml': awxTask('a'),
      'jobs/b.yml': awxTask('b'),
      'other.yml': awxTask('c'),
    });
    expect(verdicts['playbook.yml']).toMatchObject({
      reading: 'playbook',
      brings: ['jobs/a.yml', 'jobs/b.yml'],
    });
    expect(verdicts['jobs/a.yml']).toMatchObject({
      reading: 'through',
      why: 'included by playbook.yml; read through it',
    });
    expect(verdicts['other.yml'].reading).toBe('tasks');
  });

  it('a file that only includes task files, each time, is read as those files; a condition needs Ansible', () => {
    const included = {
      'jobs/a.yml': awxTask('a'),
      'jobs/b.yml': awxTask('b'),
    };
    const index = classify({
      ...included,
      'main.yml': '- include_tasks: jobs/a.yml\n- block:\n    - import_tasks: jobs/b.yml\n',
    });
    expect(index['main.yml']).toMatchObject({ reading: 'tasks', alone: true });
    expect(index['jobs/a.yml']).toMatchObject({ reading: 'through', alone: true });
    expect(index['jobs/b.yml']).toMatchObject({ reading: 'through', alone: true });
    const conditional = classify({
      ...included,
      'main.yml': '- include_tasks: jobs/a.yml\n- block:\n    - import_tasks: jobs/b.yml\n  when: prod\n',
    });
    expect(conditional['main.yml']).toMatchObject({ reading: 'tasks', brings: ['jobs/a.yml', 'jobs/b.yml'] });
    expect(conditional['main.yml'].alone).toBeUndefined();
    expect(conditional['jobs/a.yml'].alone).toBeUndefined();
  });

  it('playbooks and tasks that call no awx.awx module are what jobs run: skipped, with what they include', () => {
    expect(
      readings({
        'project/deploy.yml': play('- include_tasks: steps.yml\n'),
        'project/steps.yml': '- ansible.builtin.debug: { msg: hi }\n',
        'project/other.yml': '- ansible.builtin.command: uptime\n',
      }),
    ).toEqual({
      'project/deploy.yml':
        'skipped: a playbook that calls no awx.awx module, nor do the files it brings in: what a job runs, not AWX configuration',
      'project/steps.yml': 'skipped: tasks that call no awx.awx module: nothing to define',
      'project/other.yml': 'skipped: tasks that call no awx.awx module: nothing to define',
    });
  });

  it('a file encrypted whole with ansible-vault is skipped with one line, never read as a bundle', () => {
    expect(
      readings({
        'group_vars/all/vault.yml': '$ANSIBLE_VAULT;1.1;AES256\n6231336539666234306139346433616338376437\n',
        'wf.yml': 'workflow_job_templates: [{ name: W }]\n',
      }),
    ).toEqual({
      'group_vars/all/vault.yml':
        'skipped: encrypted whole with ansible-vault: variables Ansible decrypts (given the vault password) when a playbook or the inventory loads them',
      'wf.yml': 'bundle',
    });
  });

  it('a playbook configures AWX through what it brings in: a role, its dependencies, an included file', () => {
    const verdicts = readings({
      'site.yml': '- hosts: localhost\n  tasks:\n    - include_role: { name: base }\n',
      'roles/base/meta/main.yml': 'dependencies: [{ role: awx }]\n',
      'roles/base/tasks/main.yml': '- debug: { msg: base }\n',
      'roles/awx/tasks/main.yml': awxTask('a'),
      'roles/unused/tasks/main.yml': awxTask('b'),
    });
    expect(verdicts['site.yml']).toBe('playbook');
    expect(verdicts['roles/awx/tasks/main.yml']).toBe(
      "through: part of role 'awx'; read through the playbooks that use it",
    );
    expect(verdicts['roles/unused/tasks/main.yml']).toBe(
      "skipped: part of role 'unused', which no playbook or task file here that configures AWX applies: not read",
    );
  });

  it('a role is found beside the playbook, by a path relative to it, or anywhere a roles_path may point', () => {
    for (const [role, playbook] of [
      ['awx_config', 'site.yml'],
      ['../roles/awx_config', 'playbooks/site.yml'],
      ['awx_config', 'playbooks/site.yml'],
    ]) {
      const verdicts = classify({
        [playbook]: `- hosts: localhost\n  roles: ["${role}"]\n`,
        'roles/awx_config/tasks/main.yml': awxTask('a'),
      });
      expect(verdicts[playbook]).toMatchObject({ reading: 'playbook', brings: ["role 'awx_config'"] });
      expect(verdicts['roles/awx_config/tasks/main.yml'].reading).toBe('through');
    }
  });

  it("a manual project's folder holds what its jobs run: its files are the project's, left out", () => {
    expect(
      readings({
        'resources.yml': 'projects:\n  - { name: Infra, local_path: project/ }\n',
        'project/playbooks/deploy.yml': play('- ansible.builtin.ping:\n'),
        'project/group_vars/all.yml': 'x: 1\n',
        'projects.yml': play(awxTask('a')),
      }),
    ).toEqual({ 'resources.yml': 'bundle', 'projects.yml': 'playbook' });
  });

  it('files that import each other in a cycle still get a reading each', () => {
    expect(
      readings({ 'a.yml': '- include_tasks: b.yml\n', 'b.yml': `- include_tasks: a.yml\n${awxTask('b')}` }),
    ).toEqual({ 'a.yml': 'tasks', 'b.yml': 'through: included by a.yml; read through it' });
  });
});

describe('variables', () => {
  const controllerVariables = 'controller_projects:\n  - name: P\n';

  it('controller_configuration variables are read; group_vars too, unless the collection reads them itself', () => {
    expect(readings({ 'group_vars/all/controller.yml': controllerVariables })).toEqual({
      'group_vars/all/controller.yml': 'variables',
    });
    expect(
      readings({
        'group_vars/all/controller.yml': controllerVariables,
        'configure.yml': '- hosts: localhost\n  roles: [infra.controller_configuration.dispatch]\n',
      }),
    ).toEqual({
      'configure.yml': 'playbook',
      'group_vars/all/controller.yml':
        "through: controller_configuration variables for the collection's roles, which configure.yml applies; read through it",
    });
  });

  it("an inventory given with -i keeps its files, and its group_vars' plain variables", () => {
    const files = {
      'inventory/hosts': { kind: 'ini-inventory' } as const,
      'inventory/group_vars/all.yml': 'org: Platform\n',
      'inventory/group_vars/controllers.yml': controllerVariables,
      'other/hosts.yml': 'web:\n  hosts: { web1: {} }\n',
    };
    expect(readings(files, { inventory: 'inventory' })).toEqual({
      'inventory/hosts': 'skipped: part of the inventory given with -i, which Ansible reads',
      'inventory/group_vars/all.yml':
        'skipped: variables of the inventory given with -i, with no controller_ variables: Ansible gives them to its hosts',
      'inventory/group_vars/controllers.yml': 'variables',
      'other/hosts.yml': 'skipped: an Ansible inventory: give it with -i',
    });
  });

  it('the variables a rendering play loads: controller_configuration ones and the plain ones beside them', () => {
    const verdicts = classify({
      'all/platform.yml': 'org: Platform\n',
      'controllers/pipelines.yml': controllerVariables,
      'site.yml': play(awxTask('a'), '  vars_files: [vars.yml]\n'),
      'vars.yml': 'apps: []\n',
    });
    expect(
      Object.values(verdicts)
        .filter((v) => v.variables)
        .map((v) => v.path),
    ).toEqual(['all/platform.yml', 'controllers/pipelines.yml']);
  });
});

describe('shapes', () => {
  it.each([
    ['bundle.yml', 'job_templates: []\n', 'bundle'],
    ['typo.yml', 'job_template:\n  - name: A\n', 'bundle'],
    ['export.yml', 'inventory: []\nusers: []\n', 'export'],
    ['empty.yml', '# nothing yet\n', 'empty'],
    ['scalar.yml', 'just text\n', 'unknown'],
    ['stray.yml', '- 1\n- two\n', 'tasks'],
  ])('%s is read as %s', (path, text, reading) => {
    expect(classify({ [path]: text })[path].reading).toBe(reading);
  });

  it.each([
    ['vars.yml', 'project: Ops\nenv: prod\n', 'variables with no controller_ variables: nothing to define'],
    ['roles.yml', '- src: geerlingguy.nginx\n  version: 3.1.0\n', 'Ansible Galaxy requirements'],
    ['galaxy.yml', 'namespace: acme\nname: platform\nversion: 1.0.0\n', "a collection's metadata"],
    ['deploy.yml', 'apiVersion: v1\nkind: ConfigMap\n', 'a Kubernetes manifest'],
    ['docker-compose.yml', 'services:\n  awx: { image: awx }\n', 'a Docker Compose file'],
    ['mkdocs.yml', 'site_name: Platform\n', "MkDocs' configuration"],
    ['.yamllint', 'extends: default\n', "yamllint's configuration"],
    ['molecule/default/converge.yml', play(awxTask('a')), 'part of a Molecule test scenario'],
  ])('%s is skipped: %s', (path, text, why) => {
    expect(classify({ [path]: text })[path]).toMatchObject({
      reading: 'skipped',
      why: expect.stringContaining(why),
    });
  });

  it('several YAML documents in one file, and INI inventories', () => {
    expect(readings({ 'k8s.yml': { kind: 'several-documents' }, hosts: { kind: 'ini-inventory' } })).toEqual({
      'k8s.yml':
        'skipped: several YAML documents, as Kubernetes manifests hold: not Ansible configuration of AWX',
      hosts: 'skipped: an Ansible inventory: give it with -i',
    });
    expect(holdsSeveralDocuments('---\na: 1\n---\nb: 2\n')).toBe(true);
    expect(holdsSeveralDocuments('--- # one\n# comment\na: 1\n...\n')).toBe(false);
    expect(looksLikeIniInventory('[web]\nweb1 ansible_host=10.0.0.1\n\n[web:vars]\nhttp_port = 80\n')).toBe(
      true,
    );
    expect(looksLikeIniInventory('localhost ansible_connection=local\n[controllers]\nawx1\n')).toBe(true);
    expect(looksLikeIniInventory('MIT License\n\nCopyright (c) 2024\n')).toBe(false);
    expect(looksLikeIniInventory('[tox]\nenvlist = py3 lint\n[testenv]\ncommands = pytest -q\n')).toBe(false);
  });

  it('a file the reader could not parse keeps its error, unless its place says what it is', () => {
    expect(
      readings({
        'broken.yml': { kind: 'unreadable' },
        'roles/r/tasks/main.yml': { kind: 'unreadable' },
        '.github/workflows/x.yml': { kind: 'unreadable' },
      }),
    ).toEqual({
      'broken.yml': 'unreadable',
      'roles/r/tasks/main.yml':
        "skipped: part of role 'r', which no playbook or task file here that configures AWX applies: not read",
      '.github/workflows/x.yml': 'skipped: a file of a tool (hidden): not Ansible configuration of AWX',
    });
  });
});

describe('what Ansible runs, and the summary', () => {
  it('the roots in path order, each playbook imported, consecutive task files in one play', () => {
    const verdicts = classifyFolder(
      ['a.yml', 'b.yml', 'site.yml', 'z.yml', 'vars.yml'].map((path) => ({
        path,
        content: {
          kind: 'yaml',
          document: parse(
            path === 'site.yml' ? play(awxTask('s')) : path === 'vars.yml' ? 'a: 1' : awxTask(path),
          ),
        },
      })),
    );
    expect(ansibleSteps(verdicts)).toEqual([
      { tasks: ['a.yml', 'b.yml'] },
      { playbook: 'site.yml' },
      { tasks: ['z.yml'] },
    ]);
  });

  it('counts what was read and skipped, by kind', () => {
    const verdicts = classifyFolder(
      Object.entries({
        'site.yml': play('- include_tasks: t.yml\n'),
        't.yml': awxTask('a'),
        'a.yml': 'x: 1\n',
        'b.yml': 'y: 2\n',
        'hosts.yml': 'all: { hosts: { h: {} } }\n',
      }).map(([path, text]) => ({ path, content: { kind: 'yaml', document: parse(text) } })),
    );
    expect(folderSummary(verdicts)).toBe(
      'of the 5 files here, 2 were read (1 playbook, 1 file read through them) and 3 skipped (2 variables files, 1 inventory)',
    );
  });
});
