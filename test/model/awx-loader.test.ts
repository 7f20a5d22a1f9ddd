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

describe('awx.awx task files: shape', () => {
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
