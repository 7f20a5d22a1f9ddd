import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitProject } from '../support/git-project';
import { runLocally, type LocalRunOutcome } from '../support/local-run';

/**
 * `towerless run` end to end on this machine: the compiled state machine on the local interpreter,
 * real ansible-runner per node, real git repositories, dynalite. (docs/semantics.md §4, §10.2.)
 */
const NODE_PLAYBOOK = `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: capture
      ansible.builtin.debug:
        msg:
          ver: "{{ ver | default('unset') }}"
          ip: "{{ ip | default('unset') }}"
          err: "{{ err | default('unset') }}"
          node: "{{ towerless_node_id }}"
          job_template: "{{ awx_job_template_name }}"
          revision: "{{ awx_project_revision }}"
    - name: emit
      ansible.builtin.set_stats:
        data: "{{ emits[towerless_node_id] | default({}) }}"
        per_host: false
    - name: fail when asked
      ansible.builtin.fail: { msg: "asked to fail" }
      when: towerless_node_id in (fail_nodes | default([]))
`;

let repo: { url: string; commit: string };

beforeAll(() => {
  repo = gitProject({
    'node.yml': NODE_PLAYBOOK,
    'slow.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.pause: { seconds: 30 }\n',
    'big.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.set_stats: { data: { blob: "{{ \'x\' * 300000 }}" }, per_host: false }\n',
    'leak.yml':
      "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: \"key is {{ lookup('env', 'AWS_SECRET_ACCESS_KEY') }}\" }\n    - ansible.builtin.set_stats: { data: { leaked: \"{{ lookup('env', 'AWS_SECRET_ACCESS_KEY') }}\" }, per_host: false }\n",
    'all.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n',
  });
});

function bundle(options: {
  templates: string;
  nodes: string;
  workflowExtra?: string;
  inventoryHosts?: string;
  project?: string;
}): string {
  return `
projects:
  - name: P
    scm_type: git
    scm_url: ${options.project ?? repo.url}
    scm_branch: main
inventories:
  - name: I
    hosts:
      localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 }
${options.inventoryHosts ?? ''}
job_templates:
${options.templates}
workflow_job_templates:
  - name: W
    ask_variables_on_launch: true
${options.workflowExtra ?? ''}
    workflow_nodes:
${options.nodes}
`;
}

const template = (name: string, playbook = 'node.yml', extra = '') =>
  `  - { name: ${name}, project: P, inventory: I, playbook: ${playbook}${extra} }\n`;

function captured(outcome: LocalRunOutcome, node: string): Record<string, unknown> {
  const event = outcome.events.find(
    (e) =>
      e.node === node && e.event === 'runner_on_ok' && (e.event_data as { task?: string }).task === 'capture',
  );
  return (event?.event_data as { res: { msg: Record<string, unknown> } } | undefined)?.res.msg ?? {};
}

const PIPELINE_NODES = `
      - { identifier: provision, unified_job_template: Provision, success_nodes: [configure] }
      - { identifier: configure, unified_job_template: Configure, success_nodes: [deploy], failure_nodes: [rollback] }
      - { identifier: deploy, unified_job_template: Deploy, success_nodes: [notify], failure_nodes: [rollback] }
      - { identifier: rollback, unified_job_template: Rollback, always_nodes: [notify] }
      - { identifier: notify, unified_job_template: Notify }
`;
const PIPELINE_TEMPLATES = ['Provision', 'Configure', 'Deploy', 'Rollback', 'Notify']
  .map((n) => template(n))
  .join('');
const EMITS = { provision: { ip: '10.0.0.5', ver: 1 }, configure: { ver: 2 }, deploy: { ver: 3, err: 'x' } };

describe('towerless run with real playbooks', () => {
  it('§10.2: artifacts flow with AWX precedence (workflow vars beat artifacts), failure path runs rollback', async () => {
    const outcome = await runLocally(bundle({ templates: PIPELINE_TEMPLATES, nodes: PIPELINE_NODES }), 'W', {
      launchVars: { ver: 9, emits: EMITS, fail_nodes: ['deploy'] },
    });
    expect(outcome.report.status).toBe('successful');
    expect(outcome.report.nodes.map((n) => `${n.id}:${n.status}`)).toEqual([
      'provision:successful',
      'configure:successful',
      'deploy:failed',
      'rollback:successful',
      'notify:successful',
    ]);
    // (The capture task renders values as text.)
    expect(captured(outcome, 'configure')).toMatchObject({
      ip: '10.0.0.5',
      ver: '9',
      job_template: 'Configure',
      revision: repo.commit,
    });
    expect(captured(outcome, 'rollback')).toMatchObject({ ip: '10.0.0.5', ver: '9', err: 'x' });
    // A failed job keeps its artifacts and passes them on; the merge is cumulative.
    expect(outcome.records.get('deploy')).toMatchObject({
      status: 'failed',
      rc: 2,
      artifacts: { ver: 3, err: 'x' },
    });
    expect(outcome.records.get('rollback')!.ancestor_artifacts).toEqual({ ip: '10.0.0.5', ver: 3, err: 'x' });
    expect(outcome.records.get('deploy')!.job_explanation).toMatch(
      /Playbook run failed \(rc 2\): failed on localhost; fail when asked: asked to fail/,
    );
    expect(outcome.records.get('provision')).toMatchObject({
      scm_revision: repo.commit,
      host_summary: { localhost: { ok: 2, failures: 0 } },
    });
    expect(outcome.workflowJob).toMatchObject({ status: 'successful', extra_vars: { ver: 9 } });
  }, 60_000);

  it('§10.2: without workflow vars the rollback sees the artifact ver=3', async () => {
    const outcome = await runLocally(bundle({ templates: PIPELINE_TEMPLATES, nodes: PIPELINE_NODES }), 'W', {
      launchVars: { emits: EMITS, fail_nodes: ['deploy'] },
    });
    expect(captured(outcome, 'rollback')).toMatchObject({ ver: '3', err: 'x' });
  }, 60_000);

  it('an unhandled failure fails the workflow (structural rule)', async () => {
    const outcome = await runLocally(bundle({ templates: PIPELINE_TEMPLATES, nodes: PIPELINE_NODES }), 'W', {
      launchVars: { fail_nodes: ['provision'] },
    });
    expect(outcome.report.status).toBe('failed');
    expect(outcome.workflowJob.job_explanation).toBe(
      'No error handling paths found, marking workflow as failed',
    );
  }, 60_000);

  it('a job timeout fails the node with an explanation', async () => {
    const outcome = await runLocally(
      bundle({
        templates: template('Slow', 'slow.yml', ', timeout: 2'),
        nodes: '      - { identifier: slow, unified_job_template: Slow }',
      }),
      'W',
    );
    expect(outcome.records.get('slow')).toMatchObject({
      status: 'failed',
      job_explanation: 'Job terminated due to timeout (2 seconds)',
    });
    expect(outcome.records.get('slow')!.elapsed!).toBeLessThan(15);
  }, 60_000);

  it('an unreachable host fails the node and is named', async () => {
    const ghost =
      '      ghost: { ansible_host: 127.0.0.1, ansible_port: 9, ansible_connection: ssh, ansible_ssh_common_args: "-o ConnectTimeout=2 -o StrictHostKeyChecking=no" }';
    const outcome = await runLocally(
      bundle({
        templates: template('Ping', 'all.yml', ', limit: ghost'),
        nodes: '      - { identifier: ping, unified_job_template: Ping }',
        inventoryHosts: ghost,
      }),
      'W',
    );
    expect(outcome.records.get('ping')).toMatchObject({
      status: 'failed',
      host_summary: { ghost: { unreachable: 1 } },
    });
    expect(outcome.records.get('ping')!.job_explanation).toMatch(/unreachable: ghost/);
  }, 60_000);

  it.each([
    ['a missing playbook', template('T', 'nope.yml'), "playbook 'nope.yml' not found in the project"],
    [
      'a playbook path that leaves the project',
      template('T', '../../etc/passwd'),
      "playbook '../../etc/passwd' not found in the project|leaves the project",
    ],
    [
      'a host pattern with shell metacharacters',
      template('T', 'node.yml', ", limit: 'web;rm -rf /'"),
      "limit 'web;rm -rf /' is not a host pattern",
    ],
    [
      'tags with shell metacharacters',
      template('T', 'node.yml', ", job_tags: '$(reboot)'"),
      "job_tags '\\$\\(reboot\\)' must be comma-separated tag names",
    ],
    [
      'artifacts over 256 KiB',
      template('T', 'big.yml'),
      'set_stats artifacts are \\d+ bytes, over the 262144-byte limit',
    ],
  ])(
    '%s is a clear node failure',
    async (_name, templates, message) => {
      const outcome = await runLocally(
        bundle({ templates, nodes: '      - { identifier: t, unified_job_template: T }' }),
        'W',
      );
      expect(outcome.report.status).toBe('failed');
      expect(outcome.records.get('t')!.job_explanation).toMatch(new RegExp(message));
    },
    60_000,
  );

  it('a bad git URL or branch is a clear node failure', async () => {
    const badUrl = await runLocally(
      bundle({
        templates: template('T'),
        nodes: '      - { identifier: t, unified_job_template: T }',
        project: '/nonexistent/repo.git',
      }),
      'W',
    );
    expect(badUrl.records.get('t')!.job_explanation).toMatch(/^project 'P': git clone failed: .*nonexistent/);
    const badBranch = await runLocally(
      bundle({
        templates: template('T'),
        nodes: '      - { identifier: t, unified_job_template: T }',
      }).replace('scm_branch: main', 'scm_branch: nope'),
      'W',
    );
    expect(badBranch.records.get('t')!.job_explanation).toMatch(
      /^project 'P': branch, tag or commit 'nope' not found in /,
    );
  }, 60_000);

  it('a missing secret fails the node and names the secret', async () => {
    const credentials = `
credentials:
  - { name: SSH, credential_type: Machine, inputs: { username: deploy, ssh_key_data: { secret: prod/ssh-key } } }
`;
    const outcome = await runLocally(
      `${bundle({ templates: template('T', 'node.yml', ', credentials: [SSH]'), nodes: '      - { identifier: t, unified_job_template: T }' })}${credentials}`,
      'W',
    );
    expect(outcome.records.get('t')!.job_explanation).toMatch(
      /^credential 'SSH' input 'ssh_key_data': secret 'prod\/ssh-key' is not in the secrets file /,
    );
  }, 60_000);

  it('a canary secret appears in no event, record, history or log line', async () => {
    const canary = 'CANARY-7f3a9c1e-do-not-leak';
    const credentials = `
credentials:
  - { name: AWS, credential_type: Amazon Web Services, inputs: { username: AKIAEXAMPLE, password: { secret: aws/secret } } }
`;
    const outcome = await runLocally(
      `${bundle({ templates: template('Leak', 'leak.yml', ', credentials: [AWS]'), nodes: '      - { identifier: leak, unified_job_template: Leak }' })}${credentials}`,
      'W',
      { secrets: { 'aws/secret': canary } },
    );
    expect(outcome.report.status).toBe('successful');
    // The playbook did receive the secret (and tried to print and pass it on) ...
    expect(outcome.records.get('leak')!.artifacts).toEqual({ leaked: '********' });
    expect(outcome.events.some((e) => JSON.stringify(e).includes('key is ********'))).toBe(true);
    // ... but it is nowhere Towerless writes.
    expect(outcome.everything).not.toContain(canary);
    expect(outcome.records.get('leak')!.stdout).not.toContain(canary);
  }, 60_000);

  it('nodes running the same commit share one checkout', async () => {
    const outcome = await runLocally(
      bundle({
        templates: template('A') + template('B'),
        nodes:
          '      - { identifier: a, unified_job_template: A, success_nodes: [b] }\n      - { identifier: b, unified_job_template: B }',
      }),
      'W',
    );
    expect([...outcome.records.values()].map((r) => r.scm_revision)).toEqual([repo.commit, repo.commit]);
    const projects = join(outcome.dataDir, 'projects');
    const [repository] = readdirSync(projects);
    expect(readdirSync(join(projects, repository)).sort()).toEqual([repo.commit, 'mirror.git'].sort());
    expect(existsSync(join(projects, repository, repo.commit, 'node.yml'))).toBe(true);
  }, 60_000);

  it('approvals: approved runs the success path, denied the failure path', async () => {
    const nodes = `
      - { identifier: gate, approval_node: { name: Gate, timeout: 60 }, success_nodes: [go], failure_nodes: [stop] }
      - { identifier: go, unified_job_template: T }
      - { identifier: stop, unified_job_template: T }
`;
    const approved = await runLocally(bundle({ templates: template('T'), nodes }), 'W', { approve: true });
    expect(approved.report.nodes.map((n) => `${n.id}:${n.status}`)).toEqual([
      'gate:successful',
      'go:successful',
      'stop:dnr',
    ]);
    const denied = await runLocally(bundle({ templates: template('T'), nodes }), 'W', { approve: false });
    expect(denied.report.nodes.map((n) => `${n.id}:${n.status}`)).toEqual([
      'gate:failed',
      'stop:successful',
      'go:dnr',
    ]);
    expect(denied.records.get('gate')).toMatchObject({
      kind: 'workflow_approval',
      status: 'failed',
      job_explanation: 'Denied: Gate',
    });
  }, 60_000);
});

describe('sync nodes', () => {
  it('a project sync fixes the commit and an inventory sync the hosts its descendants use', async () => {
    const inventoryRepo = gitProject({
      'hosts.yml':
        'all:\n  children:\n    web:\n      hosts:\n        localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3, tier: frontend }\n',
      'ping.yml':
        '- hosts: web\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: "{{ tier }}" }\n',
    });
    const yaml = `
projects:
  - { name: Infra, scm_type: git, scm_url: ${inventoryRepo.url}, scm_branch: main }
inventories:
  - name: Dynamic
    inventory_sources:
      - { name: From Git, source: scm, source_project: Infra, source_path: hosts.yml }
job_templates:
  - { name: Ping, project: Infra, inventory: Dynamic, playbook: ping.yml }
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: sync_project, unified_job_template: { name: Infra, type: project }, success_nodes: [sync_inventory] }
      - { identifier: sync_inventory, unified_job_template: { name: From Git, type: inventory_source }, success_nodes: [ping] }
      - { identifier: ping, unified_job_template: Ping }
`;
    const outcome = await runLocally(yaml, 'W');
    expect(outcome.report.nodes.map((n) => `${n.id}:${n.status}`)).toEqual([
      'sync_project:successful',
      'sync_inventory:successful',
      'ping:successful',
    ]);
    expect(outcome.records.get('sync_project')!.scm_revision).toBe(inventoryRepo.commit);
    expect(outcome.records.get('ping')!.scm_revision).toBe(inventoryRepo.commit);
    expect(JSON.stringify(outcome.records.get('sync_inventory')!.inventory)).toContain('frontend');
    expect(
      outcome.events.some((e) => e.node === 'ping' && JSON.stringify(e).includes('"msg":"frontend"')),
    ).toBe(true);
  }, 60_000);
});

describe('source control credentials', () => {
  it('checks out over https with a username and password from the secret store, never showing it', async () => {
    const { gitHttpServer } = await import('../support/git-http-server');
    const server = await gitHttpServer(`${repo.url}/.git`, 'deployer', 'tok-3f9e1d7c-https');
    try {
      const yaml =
        `${bundle({ templates: template('T'), nodes: '      - { identifier: t, unified_job_template: T }', project: server.url })}
credentials:
  - { name: Git, credential_type: Source Control, inputs: { username: deployer, password: { secret: git/token } } }
`.replace('    scm_branch: main', '    scm_branch: main\n    credential: Git');
      const outcome = await runLocally(yaml, 'W', { secrets: { 'git/token': 'tok-3f9e1d7c-https' } });
      expect(outcome.records.get('t')).toMatchObject({ status: 'successful', scm_revision: repo.commit });
      expect(outcome.everything).not.toContain('tok-3f9e1d7c-https');
      const refused = await runLocally(yaml, 'W', { secrets: { 'git/token': 'wrong-token' } });
      expect(refused.records.get('t')!.job_explanation).toMatch(/^project 'P': git clone failed: /);
      expect(server.attempts()).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  }, 60_000);
});
