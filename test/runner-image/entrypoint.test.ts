import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import { loadBundle } from '../../lib/model';
import { FileSecretProvider } from '../../lib/runner/secrets';
import { runContainer } from '../../runner-image/entrypoint';
import { gitProject } from '../support/git-project';
import { workflowJobRecord } from '../support/job-records';

/**
 * The runner image's entrypoint on this machine: the same code, with dynalite for DynamoDB and the
 * Step Functions callbacks (which have no local twin) mocked behind the SDK client.
 */
const sfn = mockClient(SFNClient);
let local: LocalStore;
let dir: string;

beforeAll(async () => {
  local = await openLocalStore(undefined);
  dir = mkdtempSync(join(tmpdir(), 'towerless-entrypoint-'));
  const repo = gitProject({
    'ok.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.set_stats: { data: { done: yes }, per_host: false }\n',
    'bad.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.fail: { msg: boom }\n',
  });
  writeFileSync(
    join(dir, 'bundle.yml'),
    `projects: [{ name: P, scm_type: git, scm_url: ${repo.url} }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
job_templates:
  - { name: Ok, project: P, inventory: I, playbook: ok.yml }
  - { name: Bad, project: P, inventory: I, playbook: bad.yml }
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: ok, unified_job_template: Ok }
      - { identifier: bad, unified_job_template: Bad }
`,
  );
  await local.store.createWorkflowJob(workflowJobRecord({ id: 1 }));
  await local.store.putDefinitions(1, loadBundle(join(dir, 'bundle.yml')).bundle);
});

afterAll(() => local.close());
beforeEach(() => sfn.reset());

function runtime(lines: string[]) {
  const secrets = join(dir, 'secrets.yml');
  writeFileSync(secrets, '{}');
  chmodSync(secrets, 0o600);
  return {
    openStore: async () => local.store,
    secrets: new FileSecretProvider(secrets),
    sfn: new SFNClient({ region: 'us-east-1' }),
    workDir: join(dir, 'work'),
    write: (line: string) => lines.push(line),
    signal: new AbortController().signal,
  };
}

describe('runner-image entrypoint', () => {
  it('runs the node named in its environment, records it and sends task success', async () => {
    const lines: string[] = [];
    const code = await runContainer(
      { TOWERLESS_TASK_TOKEN: 'token-1', TOWERLESS_NODE: '1/ok' },
      runtime(lines),
    );
    expect(code).toBe(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: 'token-1', output: '{}' },
    ]);
    expect(await local.store.getNodeJob(1, 'ok')).toMatchObject({
      status: 'successful',
      artifacts: { done: true },
    });
    expect(lines.map((l) => JSON.parse(l).event)).toContain('playbook_on_stats');
  }, 60_000);

  it('sends task failure with the explanation when the playbook fails', async () => {
    const code = await runContainer(
      { TOWERLESS_TASK_TOKEN: 'token-2', TOWERLESS_NODE: '1/bad' },
      runtime([]),
    );
    expect(code).toBe(1);
    const [failure] = sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
    expect(failure).toMatchObject({ taskToken: 'token-2', error: 'NodeFailed' });
    expect(failure.cause).toMatch(/Playbook run failed \(rc 2\).*boom/);
  }, 60_000);

  it('reports a store it cannot open (no sealing key) to the task token, naming the secret', async () => {
    const code = await runContainer(
      { TOWERLESS_TASK_TOKEN: 'token-3', TOWERLESS_NODE: '1/ok' },
      {
        ...runtime([]),
        openStore: () =>
          runtime([])
            .secrets.get('towerless/sealing-key')
            .then(() => local.store),
      },
    );
    expect(code).toBe(1);
    const [failure] = sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
    expect(failure).toMatchObject({ taskToken: 'token-3', error: 'NodeError' });
    expect(failure.cause).toMatch(/^cannot open the job store: secret 'towerless\/sealing-key' is not in/);
  });

  it('refuses to start without its task token and node', async () => {
    const lines: string[] = [];
    expect(await runContainer({}, runtime(lines))).toBe(2);
    expect(lines[0]).toContain('TOWERLESS_TASK_TOKEN and TOWERLESS_NODE');
  });
});
