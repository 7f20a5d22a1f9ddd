import { describe, expect, it } from 'vitest';
import { gitProject } from '../support/git-project';
import { runLocally } from '../support/local-run';

/**
 * A custom credential type on a real ansible-runner run: what its injectors declare reaches the
 * playbook (environment, file, extra variables) and nothing else does. In particular an input
 * named `path` does not become PATH, which stays the runner's.
 */
const TOKEN = 'tok-5e1d9a7c-custom-credential';

const PLAYBOOK = `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: capture
      ansible.builtin.debug:
        msg:
          path: "{{ lookup('env', 'PATH') }}"
          cloud_path: "{{ lookup('env', 'CLOUD_PATH') }}"
          token_matches: "{{ lookup('env', 'CLOUD_TOKEN') == '${TOKEN}' }}"
          config_matches: "{{ lookup('file', lookup('env', 'CLOUD_CONFIG')) == '[cloud]\\ntoken=${TOKEN}' }}"
          region: "{{ cloud_region }}"
          shadowed: "{{ shadowed }}"
          token_printed: "{{ lookup('env', 'CLOUD_TOKEN') }}"
`;

/** A workflow running job template T, which uses `credential` (defined in `definitions`), on localhost. */
function bundle(projectUrl: string, definitions: string, credential: string): string {
  return `${definitions}
projects:
  - { name: P, scm_type: git, scm_url: ${projectUrl}, scm_branch: main }
inventories:
  - name: I
    hosts:
      localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 }
job_templates:
  - name: T
    project: P
    inventory: I
    playbook: play.yml
    credentials: [${credential}]
    extra_vars: { shadowed: from the template }
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: job, unified_job_template: T }
`;
}

const CUSTOM = `
credential_types:
  - name: Third Party Cloud
    kind: cloud
    inputs:
      fields:
        - { id: api_token, label: API Token, secret: true }
        - { id: region, label: Region }
        - { id: path, label: Install path }
    injectors:
      file: { template: "[cloud]\\ntoken={{ api_token }}" }
      env:
        CLOUD_TOKEN: "{{ api_token }}"
        CLOUD_CONFIG: "{{ tower.filename }}"
        CLOUD_PATH: "{{ path }}"
      extra_vars:
        cloud_region: "{{ region }}"
        shadowed: from the credential
credentials:
  - name: Cloud
    credential_type: Third Party Cloud
    inputs: { api_token: { secret: cloud/token }, region: eu-west-1, path: /nonexistent/bin }
`;

/** What the playbook's `capture` task printed. */
function captured(events: readonly Record<string, unknown>[]): Record<string, unknown> {
  const capture = events.find(
    (e) => e.event === 'runner_on_ok' && (e.event_data as { task?: string }).task === 'capture',
  );
  return (capture?.event_data as { res: { msg: Record<string, unknown> } }).res.msg;
}

describe('custom credential types on a real run', () => {
  it("inject their env, file and extra vars; PATH stays the runner's; the secret is scrubbed", async () => {
    const repo = gitProject({ 'play.yml': PLAYBOOK });
    const outcome = await runLocally(bundle(repo.url, CUSTOM, 'Cloud'), 'W', {
      secrets: { 'cloud/token': TOKEN },
    });
    expect(outcome.report.status).toBe('successful');
    expect(captured(outcome.events)).toEqual({
      path: process.env.PATH,
      cloud_path: '/nonexistent/bin',
      token_matches: true,
      config_matches: true,
      region: 'eu-west-1',
      // Credential extra vars are below the job's own, as in AWX.
      shadowed: 'from the template',
      token_printed: '********',
    });
    expect(outcome.everything).not.toContain(TOKEN);
  }, 60_000);
});

/** A credential of one of AWX's managed types, injected by AWX's own injectors. */
const PASSWORD = 'pw-7c0a2e91-controller-credential';

const CONTROLLER_PLAYBOOK = `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: capture
      ansible.builtin.debug:
        msg:
          controller_host: "{{ lookup('env', 'CONTROLLER_HOST') }}"
          tower_host: "{{ lookup('env', 'TOWER_HOST') }}"
          username: "{{ lookup('env', 'CONTROLLER_USERNAME') }}"
          verify_ssl_is_True: "{{ lookup('env', 'CONTROLLER_VERIFY_SSL') == 'True' }}"
          password_matches: "{{ lookup('env', 'CONTROLLER_PASSWORD') == '${PASSWORD}' and lookup('env', 'TOWER_PASSWORD') == '${PASSWORD}' }}"
          password_printed: "{{ lookup('env', 'CONTROLLER_PASSWORD') }}"
`;

const CONTROLLER = `
credentials:
  - name: AWX
    credential_type: Red Hat Ansible Automation Platform
    inputs: { host: "https://awx.example.com", username: admin, password: { secret: awx/password }, verify_ssl: true }
`;

describe('managed credential types on a real run', () => {
  it("Red Hat Ansible Automation Platform: the job sees AWX's CONTROLLER_* and TOWER_* variables; the password is scrubbed", async () => {
    const repo = gitProject({ 'play.yml': CONTROLLER_PLAYBOOK });
    const outcome = await runLocally(bundle(repo.url, CONTROLLER, 'AWX'), 'W', {
      secrets: { 'awx/password': PASSWORD },
    });
    expect(outcome.report.status).toBe('successful');
    expect(captured(outcome.events)).toEqual({
      controller_host: 'https://awx.example.com',
      tower_host: 'https://awx.example.com',
      username: 'admin',
      verify_ssl_is_True: true,
      password_matches: true,
      password_printed: '********',
    });
    expect(outcome.everything).not.toContain(PASSWORD);
  }, 60_000);
});
