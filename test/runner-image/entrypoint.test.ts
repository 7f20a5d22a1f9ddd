import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
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
    'slow.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.pause: { seconds: 120 }\n',
  });
  writeFileSync(
    join(dir, 'bundle.yml'),
    `projects: [{ name: P, scm_type: git, scm_url: ${repo.url} }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
job_templates:
  - { name: Ok, project: P, inventory: I, playbook: ok.yml }
  - { name: Bad, project: P, inventory: I, playbook: bad.yml }
  - { name: Slow, project: P, inventory: I, playbook: slow.yml }
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: ok, unified_job_template: Ok }
      - { identifier: bad, unified_job_template: Bad }
      - { identifier: slow, unified_job_template: Slow }
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

  it('cancels the playbook when a heartbeat says the workflow no longer waits, and exits without reporting', async () => {
    // The execution was stopped: Step Functions answers the next heartbeat TaskTimedOut.
    sfn
      .on(SendTaskHeartbeatCommand)
      .rejects(Object.assign(new Error('Provided task does not exist anymore'), { name: 'TaskTimedOut' }));
    const lines: string[] = [];
    const started = Date.now();
    const code = await runContainer(
      { TOWERLESS_TASK_TOKEN: 'token-4', TOWERLESS_NODE: '1/slow', TOWERLESS_HEARTBEAT_SECONDS: '3' },
      runtime(lines),
    );
    expect(code).toBe(3);
    // The first beat comes at a third of the heartbeat timeout; the 120-s pause is cut short.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand).length).toBeGreaterThan(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
    expect(await local.store.getNodeJob(1, 'slow')).toMatchObject({
      status: 'canceled',
      job_explanation: 'Job was canceled',
    });
    expect(lines.at(-1)).toContain('the workflow no longer waits for this node (TaskTimedOut)');
  }, 60_000);

  it('refuses to start without its task token and node', async () => {
    const lines: string[] = [];
    expect(await runContainer({}, runtime(lines))).toBe(2);
    expect(lines[0]).toContain('TOWERLESS_TASK_TOKEN and TOWERLESS_NODE');
  });
});
