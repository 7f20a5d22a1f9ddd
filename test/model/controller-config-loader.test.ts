import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';
import { workflowGraph as graph, workflowNamed } from '../support/workflow-graph';

const fixtures = join(__dirname, '../fixtures/in-the-wild/controller-configuration');

function load(path: string) {
  const result = loadBundle(path);
  const messages = result.diagnostics.all.map(formatDiagnostic);
  return { ...result, messages, errors: result.diagnostics.errors.map(formatDiagnostic) };
}

/** A path as diagnostics show it: relative to where Towerless runs, as a folder's files are. */
function shown(path: string): string {
  return relative(process.cwd(), path);
}

/** The line of the first line of `file` starting with `text`, 1-based. */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => line.startsWith(text)) + 1
  );
}

describe('controller_configuration variables, read by shape', () => {
  it('workflow_nodes (the module schema, under the workflow or its related): the graphs AWX holds', () => {
    const { bundle, errors } = load(join(fixtures, 'release-workflow-nodes.yml'));
    expect(errors).toEqual([]);
    // The same pipeline as AWX exports it once the roles applied it: approvals, nested workflows,
    // ALL joins, project and inventory syncs.
    const exported = loadBundle(join(__dirname, '../fixtures/in-the-wild/awx-export/release-pipeline.json'));
    expect(exported.diagnostics.hasErrors).toBe(false);
    for (const name of ['Release Pipeline', 'Deploy Stack'])
      expect(graph(workflowNamed(bundle, name))).toEqual(graph(workflowNamed(exported.bundle, name)));
    expect(graph(workflowNamed(bundle, 'Release Pipeline'))[0]).toBe(
      "approve_release: approval 'Approve production release' (3600s) success: deploy_eu, deploy_us; failure: notify_denied",
    );
  });

  it('reads what the roles send beside the graph: prompts, surveys, references, inventories, secrets', () => {
    const { bundle } = load(join(fixtures, 'release-workflow-nodes.yml'));
    const release = workflowNamed(bundle, 'Release Pipeline');
    expect(release).toMatchObject({
      organization: 'Platform',
      labels: ['release', 'production'],
      notification_templates_approvals: ['Ops Slack'],
      survey_enabled: true,
    });
    expect(release.workflow_nodes[0].approval).toEqual({
      name: 'Approve production release',
      description: 'Check the change ticket first',
      timeout: 3600,
    });
    expect(release.workflow_nodes[1].extra_data).toEqual({ region: 'eu-west-1' });
    expect(bundle.job_templates.find((t) => t.name === 'Deploy App')).toMatchObject({
      credentials: ['Deploy SSH', 'Release Tracker Token'],
      extra_vars: { app_name: 'storefront' },
      ask_variables_on_launch: true,
    });
    expect(bundle.credentials.find((c) => c.name === 'Deploy SSH')!.inputs).toEqual({
      username: 'deploy',
      ssh_key_data: { secret: 'towerless/deploy-ssh/ssh_key_data' },
      become_method: 'sudo',
    });
    // `!unsafe`: the injector is AWX's template, kept as written.
    expect(bundle.credential_types[0].injectors.env).toEqual({
      TRACKER_URL: '{{ tracker_url }}',
      TRACKER_TOKEN: '{{ tracker_token }}',
    });
    const [inventory] = bundle.inventories;
    expect(inventory.hosts.map((host) => host.name)).toEqual([
      'web-01.example.com',
      'web-02.example.com',
      'db-01.example.com',
    ]);
    expect(inventory.groups.map((group) => [group.name, group.hosts])).toEqual([
      ['web', ['web-01.example.com', 'web-02.example.com']],
      ['db', ['db-01.example.com']],
    ]);
    expect(inventory.inventory_sources.map((source) => [source.name, source.source_project])).toEqual([
      ['Production from Git', 'Platform Playbooks'],
    ]);
    expect(bundle.schedules.map((s) => [s.name, s.unified_job_template, s.enabled])).toEqual([
      ['Nightly smoke test', 'Smoke Test', true],
      ['Weekly release rehearsal', 'Release Pipeline', false],
    ]);
  });

  it('lists Towerless does not model are skipped with one warning each; what the server holds is named', () => {
    const file = join(fixtures, 'release-workflow-nodes.yml');
    const { messages } = load(file);
    expect(messages.filter((m) => m.includes(': warning: '))).toEqual([
      ...[
        'controller_organizations',
        'controller_labels',
        'controller_user_accounts',
        'controller_teams',
      ].map((list) => `${file}:${lineOf(file, `${list}:`)}: warning: ${list}: not modelled, skipped`),
      // The execution environment is the server's, as an unknown project would be.
      `${file}:${lineOf(file, '  - name: Smoke Test')}: warning: job template 'Smoke Test', field 'execution_environment', value "Platform EE": unknown execution environment 'Platform EE': not defined in these files; if it exists on your AWX or Towerless server, pass --catalog URL to read it from there`,
    ]);
  });

  it('simplified_workflow_nodes, across the files of a folder: approvals, nested workflows, ALL joins', () => {
    const { bundle, errors, messages } = load(join(fixtures, 'simplified-nodes'));
    expect(errors).toEqual([]);
    expect(messages.filter((m) => m.includes(': warning: '))).toEqual([
      expect.stringMatching(
        /controller_projects\.yml:3: warning: project 'Fleet Playbooks', field 'default_environment', value "Operations EE": unknown execution environment 'Operations EE': not defined in these files/,
      ),
    ]);
    expect(graph(workflowNamed(bundle, 'Weekly Patching'))).toEqual([
      "change_window: approval 'Change window open?' (14400s) success: patch_app, patch_cache",
      "patch_app: workflow_job_template 'Patch One Group' success: verify",
      "patch_cache: workflow_job_template 'Patch One Group' success: verify",
      "verify: job_template 'Verify' ALL failure: page_oncall",
      "page_oncall: job_template 'Page Oncall'",
    ]);
    expect(graph(workflowNamed(bundle, 'Patch One Group'))).toEqual([
      "refresh: project 'Fleet Playbooks' success: drain",
      "drain: job_template 'Drain Group' success: patch; failure: restore",
      "patch: job_template 'Patch Hosts' always: restore",
      "restore: job_template 'Restore Group'",
    ]);
    expect(workflowNamed(bundle, 'Weekly Patching').workflow_nodes[1]).toMatchObject({
      limit: 'app',
      extra_data: { patch_group: 'app' },
    });
  });

  it("the roles' aliases and escapes: survey, ask_tags, `{  {` in variables, an inventory's hosts and groups", () => {
    const { bundle } = load(join(fixtures, 'simplified-nodes'));
    const patch = bundle.job_templates.find((t) => t.name === 'Patch Hosts')!;
    expect(patch.ask_tags_on_launch).toBe(true);
    expect(bundle.job_templates.find((t) => t.name === 'Page Oncall')!.survey_spec?.spec[0].variable).toBe(
      'severity',
    );
    const [fleet] = bundle.inventories;
    expect(fleet.variables).toEqual({ ansible_user: 'patcher', motd: 'patched by {{ awx_job_id }}' });
    expect(fleet.hosts.map((host) => [host.name, host.enabled])).toEqual([
      ['app-1.example.com', true],
      ['app-2.example.com', true],
      ['cache-1.example.com', false],
    ]);
    expect(fleet.groups.find((group) => group.name === 'datacenter')!.children).toEqual(['app', 'cache']);
  });

  it('the tower_ names of the 1.x releases read as the controller_ ones', () => {
    const file = join(fixtures, 'tower-legacy.yml');
    const { bundle, errors, messages } = load(file);
    expect(errors).toEqual([]);
    expect(messages.filter((m) => m.includes(': warning: '))).toEqual([
      `${file}:${lineOf(file, 'tower_organizations:')}: warning: tower_organizations: not modelled, skipped`,
    ]);
    expect(graph(workflowNamed(bundle, 'Publish Website'))).toEqual([
      "build: job_template 'Build Site' success: test, sign_off; failure: mail",
      "test: job_template 'Test Site' success: publish; failure: mail",
      "sign_off: approval 'Content sign-off' (86400s) success: publish",
      "publish: job_template 'Publish Site' ALL always: mail",
      "mail: job_template 'Mail Webmaster'",
    ]);
    expect(bundle.projects[0].credential).toBe('Web Git');
  });

  it('Jinja only Ansible can render: one error per item, marked for rendering through Ansible', () => {
    const dir = join(fixtures, 'group-vars/inventory/group_vars');
    const { diagnostics } = loadBundle(dir);
    expect(diagnostics.ansibleReading).toBe('render');
    const marked = diagnostics.all.filter((d) => d.needsAnsible);
    // In the dispatch role's order: credentials before projects.
    expect(marked.map((d) => [d.field, d.value])).toEqual([
      ['controller_credentials[0].name', '{{ platform_org }} Deploy'],
      ['controller_projects[0].name', '{{ platform_org }} Playbooks'],
      ['controller_inventories[0].name', '{{ env | capitalize }}'],
      ['controller_templates', '{{ base_templates + pipeline_templates }}'],
      ['controller_workflows[0].name', 'Release {{ env }}'],
      ['controller_schedules[0].name', 'Nightly {{ env }} release'],
    ]);
    expect(formatDiagnostic(marked[1])).toBe(
      `${shown(join(dir, 'all/platform.yml'))}:10: error: project '{{ platform_org }} Playbooks', field 'controller_projects[0].name', value "{{ platform_org }} Playbooks": is a Jinja expression only Ansible can render (as 3 more of its values need Ansible); the command line renders these variables through ansible-playbook (docs/formats.md), which must be installed; a value tagged \`!unsafe\` is kept as written`,
    );
  });

  it('told by shape, never by name: a file named like a playbook, a native bundle beside it', () => {
    const dir = tempBundle({
      'site.yml':
        'controller_projects:\n  - name: P\n    scm_type: git\n    scm_url: https://git.example.com/p.git\n',
      'native.yml': 'job_templates:\n  - name: J\n    project: P\n    playbook: j.yml\n',
    });
    const { bundle, errors } = load(dir);
    expect(errors).toEqual([]);
    expect(bundle.projects.map((p) => p.name)).toEqual(['P']);
    expect(bundle.job_templates.map((t) => [t.name, t.project])).toEqual([['J', 'P']]);
  });

  it('items apply in order as module calls: later items update, state: absent removes, new_name renames', () => {
    const dir = tempBundle({
      'config.yml': [
        'controller_projects:',
        '  - {name: P, scm_type: git, scm_url: https://git.example.com/p.git}',
        '  - {name: Old, local_path: old}',
        '  - {name: P, scm_branch: stable}',
        '  - {name: Old, state: absent}',
        '  - {name: Q, new_name: R, local_path: r}',
        '',
      ].join('\n'),
    });
    const { bundle, errors, messages } = load(dir);
    expect(errors).toEqual([]);
    expect(bundle.projects.map((p) => [p.name, p.scm_branch])).toEqual([
      ['P', 'stable'],
      ['R', ''],
    ]);
    const file = shown(join(dir, 'config.yml'));
    expect(messages).toContain(
      `${file}:4: note: project 'P', field 'controller_projects[2]': updates the project applied before it (${file}:2), as the projects role would`,
    );
  });

  it("wildcard parts (controller_templates_all, _dev) are appended to their list as infra.aap_configuration's dispatch appends them, each item placed where it is written", () => {
    const dir = tempBundle({
      'all/templates.yml':
        'controller_templates_all:\n  - { name: build, project: P, inventory: I, playbook: build.yml }\ncontroller_projects: [{ name: P, organization: Default, scm_type: git, scm_url: "https://x/p.git" }]\n',
      'dev/templates.yml':
        'controller_inventories_dev: [{ name: I, organization: Default }]\ncontroller_templates_dev:\n  - { name: build, playbook: build-dev.yml }\n  - { name: seed, project: P, inventory: I, playbook: seed.yml }\ncontroller_users_dev: [{ username: u }]\n',
    });
    const { bundle, messages, errors } = load(dir);
    expect(errors).toEqual([]);
    // A later item updates an earlier one, as the role's module calls would.
    expect(bundle.job_templates.map((t) => [t.name, t.playbook])).toEqual([
      ['build', 'build-dev.yml'],
      ['seed', 'seed.yml'],
    ]);
    expect(messages).toContain(
      `${shown(join(dir, 'dev/templates.yml'))}:2: note: field 'controller_templates_dev': appended to controller_templates, as infra.aap_configuration's dispatch does with dispatch_include_wildcard_vars: true`,
    );
    expect(messages).toContain(
      `${shown(join(dir, 'dev/templates.yml'))}:5: warning: controller_users_dev: not modelled, skipped`,
    );
  });

  it('a variable set in two files: the later file wins, as include_vars loads them, with a warning', () => {
    const dir = tempBundle({
      'a.yml': 'controller_projects:\n  - {name: A, local_path: a}\n',
      'b.yml': 'controller_projects:\n  - {name: B, local_path: b}\n',
    });
    const { bundle, messages } = load(dir);
    expect(bundle.projects.map((p) => p.name)).toEqual(['B']);
    expect(messages).toContain(
      `${shown(join(dir, 'b.yml'))}:1: warning: field 'controller_projects': is set again: Ansible loads these files in name order (include_vars), so this value replaces the one at ${shown(join(dir, 'a.yml'))}:1`,
    );
  });

  it('a typo of a variable, and fields the role does not send, are warnings that say what was meant', () => {
    const dir = tempBundle({
      'config.yml': [
        'controller_workflow:',
        '  - name: W',
        'controller_projects:',
        '  - name: P',
        '    local_path: p',
        '    scm_brnach: main',
        'controller_workflows:',
        '  - name: W',
        '    workflow_nodes:',
        '      - identifier: a',
        '        unified_job_template: {name: P, type: project}',
        '        success_nodes: [b]',
        '      - identifier: b',
        '        unified_job_template: {name: P, type: project}',
        '',
      ].join('\n'),
    });
    const file = join(dir, 'config.yml');
    const { bundle, messages } = load(file);
    expect(messages.filter((m) => m.includes(': warning: '))).toEqual([
      `${file}:1: warning: controller_workflow: not modelled, skipped (did you mean 'controller_workflows'?)`,
      `${file}:6: warning: project 'P', field 'controller_projects[0].scm_brnach', value "main": not a field the projects role sends to AWX: not applied (did you mean 'scm_branch'?)`,
      `${file}:12: warning: workflow job template 'W', field 'controller_workflows[0].workflow_nodes[0].success_nodes', value ["b"]: the workflow_job_templates role reads related.success_nodes, not this: not applied`,
    ]);
    // As the module leaves it: no link.
    expect(graph(workflowNamed(bundle, 'W'))).toEqual(["a: project 'P'", "b: project 'P'"]);
  });

  it('malformed files: each error names file:line, resource, field and value', () => {
    const dir = tempBundle({
      'config.yml': [
        'controller_credentials:',
        '  name: not a list',
        'controller_projects:',
        '  - just a name',
        '  - {name: P, local_path: p}',
        '  - {name: Copy, copy_from: P}',
        'controller_hosts:',
        '  - {name: h1, inventory: Nowhere}',
        'controller_templates:',
        '  - name: J',
        '    project: P',
        '    playbook: j.yml',
        '    survey_enabled: true',
        '    survey_spec: &survey {name: s, description: d, spec: [{variable: x, type: text, question_name: X, required: true}]}',
        '    survey: {}',
        '    related: {survey_spec: *survey}',
        'controller_workflows:',
        '  - name: W',
        '    workflow_nodes:',
        '      - identifier: a',
        '        unified_job_template: J',
        '    simplified_workflow_nodes:',
        '      - identifier: b',
        '        unified_job_template: J',
        '',
      ].join('\n'),
    });
    const file = join(dir, 'config.yml');
    const { errors } = load(file);
    expect(errors).toEqual([
      `${file}:1: error: field 'controller_credentials', value {"name":"not a list"}: must be a list of credentials: the credentials role applies each item`,
      `${file}:4: error: field 'controller_projects[0]', value "just a name": must be a mapping: the fields of a project`,
      `${file}:6: error: project 'Copy', field 'controller_projects[2].copy_from', value "P": copies an object AWX already holds, and Towerless reads only these files: write its fields out instead`,
      `${file}:8: error: host 'h1', field 'controller_hosts[0].inventory', value "Nowhere": no inventory 'Nowhere' is applied before it (controller_inventories)`,
      `${file}:16: error: job template 'J', field 'controller_templates[0].related.survey_spec', value {"name":"s","description":"d","spec":[{"variable":"x","type":"text","question...: sets 'survey_spec' again: the job_templates role reads only one of the two; write it once`,
      `${file}:22: error: workflow job template 'W', field 'controller_workflows[0].simplified_workflow_nodes': a workflow's nodes are given once: workflow_nodes gives them already`,
      `${file}:21: error: workflow job template 'W', field 'controller_workflows[0].workflow_nodes[0].unified_job_template', value "J": must be {name, type} of what the node runs (an approval: {type: workflow_approval, name, timeout}) in workflow_nodes, which the awx.awx module reads as AWX exports nodes; simplified_workflow_nodes take a name`,
    ]);
  });
});
