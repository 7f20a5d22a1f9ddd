import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';
import { workflowGraph as graph, workflowNamed } from '../support/workflow-graph';

function load(files: Record<string, string>) {
  const result = loadBundle(tempBundle(files));
  return { ...result, messages: result.diagnostics.all.map(formatDiagnostic) };
}

const base = `
- awx.awx.project: { name: Infra, scm_type: git, scm_url: 'https://example.com/r.git', state: present }
- awx.awx.inventory: { name: Prod }
- awx.awx.job_template: { name: A, project: Infra, inventory: Prod, playbook: a.yml }
- awx.awx.job_template: { name: B, project: Infra, inventory: Prod, playbook: b.yml }
`;

describe('awx.awx task files', () => {
  it('later tasks update earlier ones field by field; each edge list replaces its own field', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: b, unified_job_template: B }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, success_nodes: [b] }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, failure_nodes: [] }
- awx.awx.job_template: { name: A, limit: web }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    const node = bundle.workflow_job_templates[0].workflow_nodes.find((n) => n.identifier === 'a')!;
    expect(node.unified_job_template).toEqual({ type: 'job_template', name: 'A' });
    expect(node.success_nodes).toEqual(['b']);
    expect(bundle.job_templates.find((t) => t.name === 'A')).toMatchObject({
      playbook: 'a.yml',
      limit: 'web',
    });
  });
  it('links may be declared in files read before the workflow itself', () => {
    const { bundle, diagnostics } = load({
      'a-links.yml':
        '- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, unified_job_template: A, always_nodes: [b] }\n- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: b, unified_job_template: B }\n',
      'b-base.yml': `${base}\n- awx.awx.workflow_job_template: { name: W }\n`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.workflow_job_templates[0].workflow_nodes.map((n) => n.identifier)).toEqual(['a', 'b']);
  });
  it('state: absent removes resources and nodes', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.job_template: { name: B, state: absent }
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: gone, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: gone, state: absent }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates.map((t) => t.name)).toEqual(['A']);
    expect(bundle.workflow_job_templates[0].workflow_nodes.map((n) => n.identifier)).toEqual(['a']);
  });
  it('accepts the legacy tower_ module names and the ansible.controller namespace', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `
- tower_project: { name: Infra, scm_type: git, scm_url: 'https://example.com/r.git' }
- awx.awx.tower_inventory: { name: Prod }
- ansible.controller.job_template: { name: A, project: Infra, inventory: Prod, playbook: a.yml }
- tower_workflow_job_template: { name: W }
- tower_workflow_job_template_node: { workflow_job_template: W, identifier: a, unified_job_template: A }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.workflow_job_templates[0].workflow_nodes).toHaveLength(1);
  });
  it('reads inline workflow_nodes in the AWX export format', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.workflow_job_template:
    name: W
    workflow_nodes:
      - identifier: a
        unified_job_template: { name: A, type: job_template }
        related: { success_nodes: [{ identifier: gate }] }
      - identifier: gate
        unified_job_template: { name: Gate, type: workflow_approval, timeout: 30, description: ok? }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    const [a, gate] = bundle.workflow_job_templates[0].workflow_nodes;
    expect(a.success_nodes).toEqual(['gate']);
    expect(gate.approval).toEqual({ name: 'Gate', description: 'ok?', timeout: 30 });
  });
  it('reads tasks inside plays and blocks, and ignores other modules', () => {
    const { bundle, diagnostics } = load({
      'site.yml': `
- hosts: localhost
  tasks:
    - ansible.builtin.debug: { msg: hi }
    - block:
        - awx.awx.project: { name: Infra, scm_type: git, scm_url: 'https://example.com/r.git' }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.projects.map((p) => p.name)).toEqual(['Infra']);
  });
  it('inventory hosts, groups and sources come from their own modules', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `
- awx.awx.inventory: { name: Prod }
- awx.awx.host: { name: web1, inventory: Prod, variables: { ansible_host: 10.0.0.1 } }
- awx.awx.group: { name: web, inventory: Prod, hosts: [web1] }
- awx.awx.inventory_source: { name: EC2, inventory: Prod, source: ec2, update_on_launch: true }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    const inventory = bundle.inventories[0];
    expect(inventory.hosts).toEqual([
      { name: 'web1', variables: { ansible_host: '10.0.0.1' }, enabled: true },
    ]);
    expect(inventory.groups[0]).toMatchObject({ name: 'web', hosts: ['web1'] });
    expect(inventory.inventory_sources[0]).toMatchObject({
      name: 'EC2',
      source: 'ec2',
      update_on_launch: true,
    });
  });
  it('Jinja secrets become secret references with a note; literal secrets are never kept', () => {
    const { bundle, messages } = load({
      '1.yml': `
- awx.awx.credential:
    name: SSH Key
    credential_type: Machine
    inputs: { username: ansible, ssh_key_data: "{{ lookup('file', '~/.ssh/id_rsa') }}", password: hunter2 }
`,
    });
    const inputs = bundle.credentials[0].inputs;
    expect(inputs).toEqual({
      username: 'ansible',
      ssh_key_data: { secret: 'towerless/ssh-key/ssh_key_data' },
      password: { secret: 'towerless/ssh-key/password' },
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /note: .*inputs\.ssh_key_data.*Jinja expression.*secret reference 'towerless\/ssh-key\/ssh_key_data'/,
      ),
    );
    expect(messages).toContainEqual(expect.stringMatching(/warning: .*inputs\.password.*literal secret/));
    expect(JSON.stringify(bundle)).not.toContain('hunter2');
    expect(messages.join('\n')).not.toContain('hunter2');
  });
  it('names the file and task of a node whose workflow is never defined', () => {
    const { messages } = load({
      'n.yml':
        '- name: Orphan link\n  awx.awx.workflow_job_template_node: { workflow_job_template: Nope, identifier: a }\n',
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /n\.yml:1: error: workflow node 'a', field 'workflow_job_template', value "Nope": no awx\.awx\.workflow_job_template task defines this workflow/,
      ),
    );
  });
});

describe('awx.awx task files: what only Ansible can evaluate is refused, not applied', () => {
  const refused =
    /the command line reads such a file through ansible-playbook \(docs\/reading.md\), which must be installed/;

  it('loop:, any with_* and when: name the file, line, task, keyword and value', () => {
    const { bundle, messages } = load({
      't.yml': `${base}
- name: Templates
  awx.awx.job_template: { name: "{{ item }}", project: Infra, inventory: Prod, playbook: x.yml }
  loop: [a, b]
- name: Per host
  awx.awx.job_template: { name: C, project: Infra, inventory: Prod, playbook: c.yml }
  with_dict: { a: 1 }
- name: Never
  awx.awx.job_template: { name: D, project: Infra, inventory: Prod, playbook: d.yml }
  when: false
- name: Only in prod
  when: env == 'prod'
  block:
    - name: Inside
      awx.awx.job_template: { name: E, project: Infra, inventory: Prod, playbook: e.yml }
`,
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:9: error: task 'Templates', field 'loop', value \["a","b"\]: `loop:` needs Ansible to expand; /,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:8: error: task 'Templates', field 'name', value "\{\{ item \}\}": is a Jinja expression only Ansible can render; /,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:12: error: task 'Per host', field 'with_dict', value \{"a":1\}: `with_dict:` needs Ansible to expand; /,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:15: error: task 'Never', field 'when', value false: `when:` needs Ansible to evaluate; /,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:19: error: task 'Inside', field 'when', value "env == 'prod'": `when:` needs Ansible to evaluate; .*it is the condition of the enclosing block \(.*t\.yml:17\)$/,
      ),
    );
    for (const keyword of ['loop', 'with_dict', "field 'when', value false", 'enclosing block'])
      expect(messages.find((m) => m.includes(keyword))).toMatch(refused);
    expect(bundle.job_templates.map((t) => t.name)).toEqual(['A', 'B']);
  });

  it('Jinja anywhere in what the module sends to AWX is refused; connection arguments may be Jinja', () => {
    const { bundle, messages } = load({
      't.yml': `
- awx.awx.project:
    name: Infra
    scm_type: git
    scm_url: https://example.com/r.git
    controller_host: "{{ awx_host }}"
    controller_oauthtoken: "{{ awx_token }}"
    tower_verify_ssl: "{{ verify }}"
    validate_certs: "{{ verify }}"
- awx.awx.inventory: { name: Prod }
- awx.awx.host: { name: web1, inventory: Prod, variables: { ansible_host: "{{ ip }}" } }
- name: Vars
  awx.awx.job_template:
    name: V
    project: Infra
    inventory: Prod
    playbook: v.yml
    extra_vars: { region: "{% if eu %}eu{% endif %}", kept: !unsafe "{{ at_run_time }}" }
- awx.awx.workflow_job_template:
    name: W
    workflow_nodes:
      - { identifier: a, unified_job_template: { name: "{{ template }}", type: job_template } }
`,
    });
    expect(messages.filter((m) => m.includes('error'))).toEqual([
      expect.stringMatching(
        /t\.yml:11: error: task 'awx\.awx\.host', field 'variables\.ansible_host', value "\{\{ ip \}\}": is a Jinja expression/,
      ),
      expect.stringMatching(
        /t\.yml:18: error: task 'Vars', field 'extra_vars\.region', value "\{% if eu %\}eu\{% endif %\}": is a Jinja/,
      ),
      expect.stringMatching(
        /t\.yml:22: error: task 'awx\.awx\.workflow_job_template', field 'workflow_nodes\[0\]\.unified_job_template\.name', value "\{\{ template \}\}"/,
      ),
    ]);
    expect(bundle.projects.map((p) => p.name)).toEqual(['Infra']);
    expect(bundle.inventories[0].hosts).toEqual([]);
  });

  it('a value tagged !vault is ciphertext only Ansible decrypts: refused, or a secret reference in a credential input', () => {
    const vaulted =
      '!vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6231336539666234306139346433616338376437376461363365363430623138\n';
    const dir = tempBundle({
      'tasks.yml': [
        '- awx.awx.project:',
        '    name: p',
        '    organization: Default',
        '    scm_type: git',
        `    scm_url: ${vaulted}`,
        '- awx.awx.credential:',
        '    name: c',
        '    organization: Default',
        '    credential_type: Machine',
        '    inputs:',
        `      username: ${vaulted}`,
      ].join('\n'),
    });
    const result = loadBundle(join(dir, 'tasks.yml'));
    const messages = result.diagnostics.all.map(formatDiagnostic);
    expect(result.diagnostics.ansibleReading).toBe('apply');
    expect(messages).toContainEqual(
      expect.stringMatching(
        /tasks\.yml:5: error: task 'awx\.awx\.project', field 'scm_url', value "\$ANSIBLE_VAULT;.*: is encrypted with Ansible Vault, which only Ansible decrypts/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /credential 'c', field 'inputs\.username': is encrypted with Ansible Vault; Towerless keeps no secret value, and it becomes secret reference 'towerless\/c\/username'/,
      ),
    );
    expect(JSON.stringify(result.bundle)).not.toContain('ANSIBLE_VAULT');
  });

  it('a value tagged !unsafe is Ansible literal text and is kept as written', () => {
    const { bundle, diagnostics } = load({
      't.yml': `${base}
- awx.awx.job_template:
    name: A
    extra_vars: { path: !unsafe "{{ playbook_dir }}/files" }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates.find((t) => t.name === 'A')!.extra_vars).toEqual({
      path: '{{ playbook_dir }}/files',
    });
  });

  it('Jinja secrets still become secret references; AWX-rendered messages stay; other notification settings are refused', () => {
    const { bundle, messages } = load({
      't.yml': `
- awx.awx.notification_template:
    name: Slack
    notification_type: slack
    notification_configuration: { token: "{{ slack_token }}", channels: ["#ops"] }
    messages: { started: { message: "Workflow {{ job.name }} started" } }
- awx.awx.notification_template:
    name: Mail
    notification_type: email
    notification_configuration: { host: "{{ smtp_host }}", password: "{{ smtp_password }}" }
`,
    });
    const slack = bundle.notification_templates.find((n) => n.name === 'Slack')!;
    expect(slack.notification_configuration.token).toEqual({
      secret: 'towerless/notifications/slack/token',
    });
    expect(slack.messages).toEqual({ started: { message: 'Workflow {{ job.name }} started' } });
    expect(messages.filter((m) => m.includes('error'))).toEqual([
      expect.stringMatching(
        /t\.yml:10: error: task 'awx\.awx\.notification_template', field 'notification_configuration\.host'/,
      ),
    ]);
  });

  it('module arguments written as one Jinja expression are what Ansible renders them to: refused', () => {
    const { bundle, diagnostics, messages } = load({
      't.yml': `${base}
- name: From a variable
  awx.awx.job_template: "{{ template_args }}"
`,
    });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:8: error: task 'From a variable', field 'awx\.awx\.job_template', value "\{\{ template_args \}\}": is a Jinja expression only Ansible can render/,
      ),
    ]);
    expect(diagnostics.ansibleReading).toBe('apply');
    expect(bundle.job_templates.map((t) => t.name)).toEqual(['A', 'B']);
  });

  it('a list item that is not a task or a play is an error naming it', () => {
    const { messages } = load({ 'list.yml': '[1, "two", [3]]\n' });
    expect(messages).toEqual(
      [
        "list.yml:1: error: field '[0]', value 1: is not a task or a play: a task file is a list of mappings",
        'list.yml:1: error: field \'[1]\', value "two": is not a task or a play: a task file is a list of mappings',
        "list.yml:1: error: field '[2]', value [3]: is not a task or a play: a task file is a list of mappings",
      ].map((m) => expect.stringContaining(m)),
    );
  });
});

describe('awx.awx tasks on long lists', () => {
  it('host tasks replace by name and move the host last; absent removes it (as before, without a scan)', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `
- awx.awx.inventory: { name: Prod, hosts: [{ name: inline }] }
- awx.awx.host: { name: a, inventory: Prod }
- awx.awx.host: { name: b, inventory: Prod }
- awx.awx.host: { name: a, inventory: Prod, variables: { x: 1 } }
- awx.awx.host: { name: inline, inventory: Prod, state: absent }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.inventories[0].hosts.map((h) => [h.name, h.variables])).toEqual([
      ['b', {}],
      ['a', { x: 1 }],
    ]);
  });
  it('an inventory whose hosts are a mapping gets an error for a host task, not a crash', () => {
    const { messages } = load({
      '1.yml': `
- awx.awx.inventory: { name: Prod, hosts: { web1: {} } }
- awx.awx.host: { name: a, inventory: Prod }
`,
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /1\.yml:3: error: .*inventory 'Prod' writes its hosts as a mapping; to add to them with tasks, write them as a list/,
      ),
    );
  });
  it('node tasks update their node by identifier; nodes stand in the order tasks made them', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: b, unified_job_template: B }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: a, success_nodes: [b] }
- awx.awx.workflow_job_template: { name: W, workflow_nodes: [{ identifier: c, unified_job_template: A }] }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    const nodes = bundle.workflow_job_templates[0].workflow_nodes;
    // As AWX lists them, by id: the node tasks ran before the workflow task that added c.
    expect(nodes.map((n) => [n.identifier, n.success_nodes])).toEqual([
      ['a', ['b']],
      ['b', []],
      ['c', []],
    ]);
  });
});

describe('awx.awx tasks apply in task order', () => {
  it('a workflow deleted and made again keeps none of the nodes node tasks gave it before', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: stale, unified_job_template: A }
- awx.awx.workflow_job_template: { name: W, state: absent }
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: fresh, unified_job_template: B }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(graph(workflowNamed(bundle, 'W'))).toEqual(["fresh: job_template 'B'"]);
  });

  it('destroy_current_nodes removes the nodes earlier node tasks added, not those of later ones', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: early, unified_job_template: A }
- awx.awx.workflow_job_template:
    name: W
    destroy_current_nodes: true
    workflow_nodes: [{ identifier: first, unified_job_template: { name: A, type: job_template } }]
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: late, unified_job_template: B }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: first, success_nodes: [late] }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(graph(workflowNamed(bundle, 'W'))).toEqual([
      "first: job_template 'A' success: late",
      "late: job_template 'B'",
    ]);
  });

  it('a node task waits for its workflow only when no task has defined it yet', () => {
    const { bundle, diagnostics } = load({
      'a-links.yml':
        '- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: early, unified_job_template: A }\n',
      'b-base.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow_job_template: W, identifier: inline, unified_job_template: B }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(graph(workflowNamed(bundle, 'W'))).toEqual([
      "inline: job_template 'B'",
      "early: job_template 'A'",
    ]);
  });

  it('state: exists creates what is missing and changes nothing that exists', () => {
    const { bundle, diagnostics } = load({
      '1.yml': `${base}
- awx.awx.job_template: { name: A, limit: web, state: exists }
- awx.awx.job_template: { name: C, project: Infra, inventory: Prod, playbook: c.yml, state: exists }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates.map((t) => [t.name, t.limit])).toEqual([
      ['A', ''],
      ['B', ''],
      ['C', ''],
    ]);
  });
});

describe('awx.awx task arguments as Ansible gives them to the module', () => {
  it("reads every module's aliases as their options", () => {
    const { bundle, diagnostics, messages } = load({
      '1.yml': `
- awx.awx.project:
    name: Infra
    scm_type: git
    scm_url: https://example.com/r.git
    scm_credential: Git
    scm_allow_override: true
    job_timeout: 60
- awx.awx.credential: { name: Git, credential_type: Source Control, inputs: { username: git } }
- awx.awx.inventory: { name: Prod }
- awx.awx.host: { name: web1, inventory: Prod }
- awx.awx.group: { name: web, inventory: Prod, hosts: [web1] }
- awx.awx.group: { name: all-web, inventory: Prod, groups: [web] }
- awx.awx.job_template:
    name: A
    project: Infra
    inventory: Prod
    playbook: a.yml
    concurrent_jobs_enabled: true
    diff_mode_enabled: true
    ask_extra_vars: true
    ask_limit: true
    ask_tags: true
    ask_skip_tags: true
    ask_job_type: true
    ask_verbosity: true
    ask_inventory: true
    ask_credential: true
    ask_diff_mode: true
    ask_forks: true
    ask_job_slice_count: true
    ask_timeout: true
    ask_labels: true
    ask_execution_environment: true
    ask_instance_groups: true
    force_handlers_enabled: true
    fact_caching_enabled: true
- awx.awx.workflow_job_template:
    name: W
    ask_labels: true
    ask_tags: true
    ask_skip_tags: true
    survey_enabled: true
    survey: { name: '', description: '', spec: [{ question_name: Region, variable: region, type: text, required: false }] }
    schema: [{ identifier: a, unified_job_template: { name: A, type: job_template } }]
- awx.awx.workflow_job_template_node: { workflow: W, identifier: b, unified_job_template: A }
- awx.awx.workflow_job_template: { name: W, destroy_current_schema: true, schema: [{ identifier: c, unified_job_template: { name: A, type: job_template } }] }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.projects[0]).toMatchObject({ credential: 'Git', allow_override: true });
    expect(bundle.inventories[0].groups[1]).toMatchObject({ name: 'all-web', children: ['web'] });
    const template = bundle.job_templates[0];
    expect(template).toMatchObject({ allow_simultaneous: true, diff_mode: true });
    const flags = Object.entries(template).filter(([key]) => /^ask_.*_on_launch$/.test(key));
    expect(flags.filter(([key, value]) => key !== 'ask_scm_branch_on_launch' && value !== true)).toEqual([]);
    const workflow = workflowNamed(bundle, 'W');
    expect(workflow).toMatchObject({
      ask_labels_on_launch: true,
      ask_tags_on_launch: true,
      ask_skip_tags_on_launch: true,
    });
    expect(workflow.survey_spec?.spec.map((q) => q.variable)).toEqual(['region']);
    expect(graph(workflow)).toEqual(["c: job_template 'A'"]);
    // Options Towerless does not use are noted, given by their aliases too.
    for (const option of ['timeout', 'force_handlers', 'use_fact_cache'])
      expect(messages).toContainEqual(
        expect.stringMatching(new RegExp(`note: .*field '${option}'.*does not use it`)),
      );
  });

  it('an option given with its alias: the alias value, as Ansible uses it, and a warning naming both', () => {
    const { bundle, messages } = load({
      't.yml': `${base}
- awx.awx.job_template:
    name: A
    allow_simultaneous: false
    concurrent_jobs_enabled: true
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow: W, workflow_job_template: Elsewhere, identifier: a, unified_job_template: A }
`,
    });
    expect(bundle.job_templates[0].allow_simultaneous).toBe(true);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:10: warning: task 'awx\.awx\.job_template', field 'concurrent_jobs_enabled', value true: both option 'allow_simultaneous' and its alias 'concurrent_jobs_enabled' are set: Ansible uses the alias's value/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /warning: .*field 'workflow', value "W": both option 'workflow_job_template' and its alias 'workflow'/,
      ),
    );
    expect(graph(workflowNamed(bundle, 'W'))).toEqual(["a: job_template 'A'"]);
  });

  it('Jinja under an alias is refused just as under its option, named as written', () => {
    const { bundle, messages } = load({
      't.yml': `${base}
- awx.awx.workflow_job_template:
    name: W
    survey: "{{ lookup('file', 'survey.json') }}"
- awx.awx.workflow_job_template: { name: V }
- awx.awx.workflow_job_template_node: { workflow: "{{ wf }}", identifier: a, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow: V, identifier: b, unified_job_template: A, success_nodes: "{{ next }}" }
`,
    });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:9: error: .*field 'survey', value .*: is a Jinja expression only Ansible can render/,
      ),
      expect.stringMatching(
        /t\.yml:11: error: .*field 'workflow', value "\{\{ wf \}\}": is a Jinja expression/,
      ),
      expect.stringMatching(
        /t\.yml:12: error: .*field 'success_nodes', value "\{\{ next \}\}": is a Jinja expression/,
      ),
    ]);
    expect(bundle.workflow_job_templates.map((w) => w.name)).toEqual(['V']);
  });

  it('a list given as text is split at commas, as Ansible does; a number or boolean alone becomes text', () => {
    const { bundle, diagnostics } = load({
      't.yml': `${base}
- awx.awx.credential: { name: K1, credential_type: Machine }
- awx.awx.credential: { name: K2, credential_type: Machine }
- awx.awx.job_template: { name: A, credentials: "K1,K2" }
- awx.awx.inventory: { name: Prod }
- awx.awx.host: { name: web1, inventory: Prod }
- awx.awx.host: { name: web2, inventory: Prod }
- awx.awx.group: { name: web, inventory: Prod, hosts: "web1,web2" }
- awx.awx.workflow_job_template: { name: W, labels: release }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: a, unified_job_template: A, success_nodes: b }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: b, unified_job_template: B, failure_nodes: "c,d" }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: c, unified_job_template: A, always_nodes: 7 }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: d, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: "7", unified_job_template: B }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates[0].credentials).toEqual(['K1', 'K2']);
    expect(bundle.inventories[0].groups[0].hosts).toEqual(['web1', 'web2']);
    const workflow = workflowNamed(bundle, 'W');
    expect(workflow.labels).toEqual(['release']);
    expect(graph(workflow)).toEqual([
      "a: job_template 'A' success: b",
      "b: job_template 'B' failure: c, d",
      "c: job_template 'A' always: 7",
      "d: job_template 'A'",
      "7: job_template 'B'",
    ]);
  });

  it('text split at commas keeps its spaces, as Ansible does: "b, c" names " c"', () => {
    const { messages } = load({
      't.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: a, unified_job_template: A, success_nodes: "b, c" }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: b, unified_job_template: A }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: c, unified_job_template: A }
`,
    });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:8: error: .*node 'a', field 'success_nodes', value " c": no node with identifier ' c'/,
      ),
    ]);
  });

  it('a name list holding a mapping is an error: Ansible would look up its Python text', () => {
    const { messages } = load({
      't.yml': `${base}
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: a, unified_job_template: A, success_nodes: [{ identifier: b }] }
`,
    });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:8: error: task 'awx\.awx\.workflow_job_template_node', field 'success_nodes', value \[\{"identifier":"b"\}\]: holds <class 'dict'> where the module takes names/,
      ),
    ]);
  });

  it('a mapping given as JSON or key=value text is read as Ansible reads it; other text is an error naming the field', () => {
    const { bundle, messages } = load({
      't.yml': `${base}
- awx.awx.job_template:
    name: A
    survey_enabled: true
    survey_spec: '{"name": "", "description": "", "spec": [{"question_name": "Env", "variable": "env", "type": "multiplechoice", "choices": ["dev", "prod"], "default": "dev", "required": true}]}'
    extra_vars: "region=eu-west-1 tier='web front'"
- awx.awx.job_template: { name: B, survey_spec: '{"name": "broken", ' }
- awx.awx.inventory: { name: Prod, variables: "---\\nntp: pool.ntp.org" }
`,
    });
    const template = bundle.job_templates.find((t) => t.name === 'A')!;
    expect(template.survey_spec?.spec[0]).toMatchObject({ variable: 'env', choices: ['dev', 'prod'] });
    expect(template.extra_vars).toEqual({ region: 'eu-west-1', tier: 'web front' });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:12: error: task 'awx\.awx\.job_template', field 'survey_spec', value "\{\\"name\\": \\"broken\\", ": is not JSON .*Python literal/,
      ),
      expect.stringMatching(
        /t\.yml:13: error: task 'awx\.awx\.inventory', field 'variables', value .*: dictionary requested, could not parse JSON or key=value/,
      ),
    ]);
    // The template Ansible would fail to apply keeps what the earlier task made.
    expect(bundle.job_templates.find((t) => t.name === 'B')!.survey_spec).toBeNull();
  });

  it("a job template's labels are noted as unused; a workflow's are kept", () => {
    const { bundle, messages } = load({
      't.yml': `${base}
- awx.awx.job_template: { name: A, labels: [web, nightly] }
- awx.awx.workflow_job_template: { name: W, labels: [web, nightly] }
`,
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:7: note: task 'awx\.awx\.job_template', field 'labels'.*Towerless does not use it/,
      ),
    );
    expect(workflowNamed(bundle, 'W').labels).toEqual(['web', 'nightly']);
  });

  it("job_template adds credential and vault_credential to credentials, and the list replaces the template's", () => {
    const { bundle, diagnostics } = load({
      't.yml': `${base}
- awx.awx.credential: { name: K1, credential_type: Machine }
- awx.awx.credential: { name: K2, credential_type: Machine }
- awx.awx.credential: { name: V, credential_type: Vault, inputs: { vault_id: prod } }
- awx.awx.job_template: { name: A, credentials: [K1, K2] }
- awx.awx.job_template: { name: A, credential: K2, vault_credential: V }
- awx.awx.job_template: { name: B, credentials: [K1], credential: K2 }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates.map((t) => [t.name, t.credentials])).toEqual([
      ['A', ['V', 'K2']],
      ['B', ['K1', 'K2']],
    ]);
  });

  it('a group keeps its hosts and children when told to preserve them', () => {
    const { bundle, diagnostics } = load({
      't.yml': `
- awx.awx.inventory: { name: Prod }
- awx.awx.host: { name: a, inventory: Prod }
- awx.awx.host: { name: b, inventory: Prod }
- awx.awx.group: { name: x, inventory: Prod }
- awx.awx.group: { name: y, inventory: Prod }
- awx.awx.group: { name: web, inventory: Prod, hosts: [a], children: [x] }
- awx.awx.group: { name: web, inventory: Prod, hosts: [b], preserve_existing_hosts: true, groups: [y], preserve_existing_groups: true }
- awx.awx.group: { name: db, inventory: Prod, hosts: [a] }
- awx.awx.group: { name: db, inventory: Prod, hosts: [b] }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.inventories[0].groups.map((g) => [g.name, g.hosts, g.children])).toEqual([
      ['x', [], []],
      ['y', [], []],
      ['web', ['a', 'b'], ['x', 'y']],
      ['db', ['b'], []],
    ]);
  });
});

describe("Tower 3.x's legacy modules, read as the tasks they amount to", () => {
  const templates = `${base}
- awx.awx.job_template: { name: C, project: Infra, inventory: Prod, playbook: c.yml }
- awx.awx.inventory_source: { name: Cloud, inventory: Prod, source: ec2 }
`;

  it("tower_workflow_template: tower-cli's schema tree becomes the workflow's nodes, with identifiers from their paths", () => {
    const { bundle, diagnostics } = load({
      't.yml': `${templates}
- tower_workflow_template:
    name: W
    organization: Default
    ask_extra_vars: true
    allow_simultaneous: false
    schema:
      - job_template: A
        success:
          - job_template: B
            limit: web
            failure:
              - job_template: C
        failure_nodes:
          - inventory_source: Cloud
      - project: Infra
        always:
          - workflow: W2
      - job_template: A
- tower_workflow_template: { name: W2 }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    const workflow = workflowNamed(bundle, 'W');
    // In tower-cli's order: top nodes running the same template together, each tree level by level.
    expect(graph(workflow)).toEqual([
      "schema-1: job_template 'A' success: schema-1-success-1; failure: schema-1-failure-1",
      "schema-1-success-1: job_template 'B' failure: schema-1-success-1-failure-1",
      "schema-1-failure-1: inventory_source 'Cloud'",
      "schema-1-success-1-failure-1: job_template 'C'",
      "schema-3: job_template 'A'",
      "schema-2: project 'Infra' always: schema-2-always-1",
      "schema-2-always-1: workflow_job_template 'W2'",
    ]);
    expect(workflow.workflow_nodes[1].limit).toBe('web');
    expect(workflow).toMatchObject({ ask_variables_on_launch: true, allow_simultaneous: false });
  });

  it('a schema replaces the nodes the workflow had; tower-cli sends only options set to a true value', () => {
    const { bundle, diagnostics } = load({
      't.yml': `${templates}
- tower_workflow_template: { name: W, allow_simultaneous: true, schema: [{ job_template: A }, { job_template: B }] }
- awx.awx.workflow_job_template_node: { workflow: W, identifier: added, unified_job_template: C }
- tower_workflow_template: { name: W, allow_simultaneous: false, schema: '[{"job_template": "C", "success": [{"job_template": "A"}]}]' }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    const workflow = workflowNamed(bundle, 'W');
    expect(graph(workflow)).toEqual([
      "schema-1: job_template 'C' success: schema-1-success-1",
      "schema-1-success-1: job_template 'A'",
    ]);
    expect(workflow.allow_simultaneous).toBe(true);
  });

  it('what tower-cli refused or ignored in a schema is an error or a warning at its line', () => {
    const { messages } = load({
      't.yml': `${templates}
- tower_workflow_template:
    name: W
    schema:
      - job_template: A
        project: Infra
- tower_workflow_template:
    name: V
    schema:
      - job_template: A
        extra_data: { x: 1 }
        success: [{ limit: web }]
- tower_workflow_template: { name: X, state: absent, schema: [{ job_template: A }] }
- tower_workflow_template: { name: Y, workflow_nodes: [] }
`,
    });
    expect(messages.filter((m) => !m.includes(': note: '))).toEqual([
      expect.stringMatching(
        /t\.yml:13: error: task 'tower_workflow_template', field 'schema\[0\]': must name what it runs with exactly one of job_template, project, inventory_source, workflow/,
      ),
      expect.stringMatching(
        /t\.yml:20: error: task 'tower_workflow_template', field 'schema\[0\]\.success\[0\]': must name what it runs/,
      ),
      expect.stringMatching(
        /t\.yml:21: error: .*field 'schema': Setting schema when state is absent is not allowed/,
      ),
      expect.stringMatching(
        /t\.yml:22: error: .*field 'workflow_nodes', value \[\]: is not an option of tower_workflow_template/,
      ),
    ]);
    const { messages: warned } = load({
      't.yml': `${templates}
- tower_workflow_template:
    name: V
    schema:
      - job_template: A
        extra_data: { x: 1 }
`,
    });
    expect(warned.filter((m) => m.includes(': warning: '))).toEqual([
      expect.stringMatching(
        /t\.yml:14: warning: .*field 'schema\[0\]\.extra_data', value \{"x":1\}: tower-cli's schema does not read it: ignored/,
      ),
    ]);
  });

  it('tower_credential: kind names the managed type, the inputs given as options become inputs, secrets references', () => {
    const { bundle, diagnostics, messages } = load({
      't.yml': `
- tower_credential:
    name: Git
    organization: Default
    kind: scm
    username: git
    ssh_key_data: "{{ lookup('file', 'files/git_key') }}"
    ssh_key_unlock: hunter2
    authorize: false
- tower_credential: { name: Vault, organization: Default, kind: ssh, vault_password: "{{ vault_pass }}" }
- tower_credential: { name: Cloud, kind: aws, username: AKIA, password: "{{ aws_secret }}", security_token: "" }
- tower_credential: { name: Old Tower, kind: tower, host: "https://tower.example.com", username: admin, password: x }
- tower_credential: { name: Both, kind: ssh, username: a, inputs: { username: b, become_method: sudo } }
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.credentials.map((c) => [c.name, c.credential_type, c.inputs])).toEqual([
      [
        'Git',
        'Source Control',
        {
          username: 'git',
          ssh_key_data: { secret: 'towerless/git/ssh_key_data' },
          ssh_key_unlock: { secret: 'towerless/git/ssh_key_unlock' },
        },
      ],
      ['Vault', 'Vault', { vault_password: { secret: 'towerless/vault/vault_password' } }],
      [
        'Cloud',
        'Amazon Web Services',
        { username: 'AKIA', password: { secret: 'towerless/cloud/password' } },
      ],
      [
        'Old Tower',
        'Red Hat Ansible Automation Platform',
        {
          host: 'https://tower.example.com',
          username: 'admin',
          password: { secret: 'towerless/old-tower/password' },
        },
      ],
      ['Both', 'Machine', { username: 'b', become_method: 'sudo' }],
    ]);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:7: note: credential 'Git', field 'inputs\.ssh_key_data', value .*Jinja expression Towerless cannot render; it becomes secret reference/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:8: warning: credential 'Git', field 'inputs\.ssh_key_unlock': holds a literal secret/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /t\.yml:12: note: .*field 'credential_type', value "Ansible Tower": is what AWX called/,
      ),
    );
    expect(JSON.stringify(bundle)).not.toContain('hunter2');
    expect(messages.join('\n')).not.toContain('hunter2');
  });

  it("tower_credential refuses what Ansible 2.9's module refused", () => {
    const { messages } = load({
      't.yml': `
- tower_credential: { name: A, kind: ssh, vault_id: prod, vault_password: x }
- tower_credential: { name: B, kind: rax, username: u }
- tower_credential: { name: C, username: u }
- awx.awx.credential: { name: D, kind: ssh, credential_type: Machine }
`,
    });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:2: error: .*field 'vault_id', value "prod": is only valid if parameter 'kind' is specified as 'vault'/,
      ),
      expect.stringMatching(
        /t\.yml:3: error: .*field 'kind', value "rax": must be one of ssh, vault, net, scm, aws/,
      ),
      expect.stringMatching(/t\.yml:4: error: .*field 'kind': is required/),
      expect.stringMatching(/t\.yml:5: error: credential 'D', field 'kind', value "ssh": unknown field/),
    ]);
  });

  it("tower_credential: an option's Jinja that is not one expression is refused, as in inputs", () => {
    const { bundle, messages } = load({
      't.yml': `
- tower_credential: { name: A, kind: ssh, username: "{{ user", password: "{{ pass }}" }
`,
    });
    expect(messages.filter((m) => m.includes(': error: '))).toEqual([
      expect.stringMatching(
        /t\.yml:2: error: .*field 'username', value "\{\{ user": is a Jinja expression only Ansible/,
      ),
    ]);
    expect(bundle.credentials).toEqual([]);
  });
});
