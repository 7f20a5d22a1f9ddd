import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';

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
  it('node tasks update their node by identifier, in first-declared order', () => {
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
    expect(nodes.map((n) => [n.identifier, n.success_nodes])).toEqual([
      ['c', []],
      ['a', ['b']],
      ['b', []],
    ]);
  });
});
