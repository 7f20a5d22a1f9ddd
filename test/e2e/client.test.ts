import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { tempBundle } from '../support/files';
import { cli } from '../support/serve-process';
import { startServe, towerless, type ServeProcess } from '../client/servers';

/** The guide's playbooks (serve finds a manual project's local_path from where it starts: here). */
const BUNDLE = `
projects: [{ name: Playbooks, local_path: examples/guide/project }]
inventories:
  - name: Local
    hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } }
job_templates:
  - { name: Health Check, project: Playbooks, playbook: playbooks/health-check.yml, inventory: Local }
  - { name: Notify Team, project: Playbooks, playbook: playbooks/notify.yml, inventory: Local }
workflow_job_templates:
  - name: Gated Release
    workflow_nodes:
      - { identifier: check, unified_job_template: Health Check, success_nodes: [gate] }
      - { identifier: gate, approval_node: { name: Release?, timeout: 600 }, success_nodes: [notify] }
      - { identifier: notify, unified_job_template: Notify Team }
`;

let server: ServeProcess;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServe();
  env = { TOWERLESS_HOST: server.url, TOWERLESS_TOKEN: server.token };
  const applied = await towerless(['apply', join(tempBundle({ 'bundle.yml': BUNDLE }), 'bundle.yml')], env);
  expect(applied.code).toBe(0);
});
afterAll(() => server.stop());

/** `towerless launch ... --monitor` running in the background, its output as it comes. */
function monitoredLaunch(name: string) {
  const child = spawn(cli, ['launch', name, '--monitor'], { env: { ...process.env, ...env } });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { output: () => stdout, exited };
}

/** The approval a monitored launch is waiting at, once it says so. */
async function waitingApproval(output: () => string): Promise<string> {
  const approval = () => /: towerless approve (\d+) \(or deny \d+\)$/m.exec(output())?.[1];
  expect(await eventually(() => approval() !== undefined, 120_000)).toBe(true);
  return approval()!;
}

/** The status `towerless status` shows, once it is one that ends a job. */
async function endedStatus(job: string): Promise<string> {
  for (;;) {
    const status = /^status\s+(\S+)$/m.exec((await towerless(['status', job], env)).stdout)?.[1];
    if (status && ['successful', 'failed', 'error', 'canceled'].includes(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('the job commands against towerless serve', () => {
  it('launch --monitor follows the nodes; approve lets the workflow finish; status and nodes show it', async () => {
    const launch = monitoredLaunch('Gated Release');
    const approval = await waitingApproval(launch.output);
    const job = launch.output().split('\n')[0];
    expect(job).toMatch(/^\d+$/);
    const approved = await towerless(['approve', approval], env);
    expect(approved).toMatchObject({ code: 0, stdout: `workflow approval ${approval}: approved\n` });
    expect(await launch.exited).toBe(0);
    const lines = launch.output().split('\n');
    expect(lines).toContain('  check (Health Check): successful');
    expect(lines).toContain('  gate (Release?): successful');
    expect(lines).toContain('  notify (Notify Team): successful');
    expect(lines).toContain(`workflow job ${job} (Gated Release): successful`);

    const status = await towerless(['status', job], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^status\s+successful$/m);
    expect(status.stdout).toMatch(/^failed\s+false$/m);
    const shown = JSON.parse((await towerless(['status', job, '--json'], env)).stdout) as { id: number };
    expect(shown.id).toBe(Number(job));
    const nodes = await towerless(['nodes', job], env);
    expect(nodes.stdout).toMatch(/^check\s+Health Check\s+\d+\s+successful$/m);
    expect(nodes.stdout).toMatch(new RegExp(`^gate\\s+Release\\?\\s+${approval}\\s+successful$`, 'm'));
  }, 240_000);

  it('deny fails the workflow (exit 1); relaunch starts it again; cancel ends it', async () => {
    const launch = monitoredLaunch('Gated Release');
    const approval = await waitingApproval(launch.output);
    expect((await towerless(['deny', approval], env)).code).toBe(0);
    expect(await launch.exited).toBe(1);
    const job = launch.output().split('\n')[0];
    expect(launch.output()).toMatch(/^ {2}notify \(Notify Team\): dnr$/m);
    expect(launch.output()).toMatch(new RegExp(`^workflow job ${job} \\(Gated Release\\): failed$`, 'm'));
    const again = await towerless(['deny', approval], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(`towerless deny: workflow approval ${approval}: `);

    const relaunched = await towerless(['relaunch', job], env);
    expect(relaunched.code).toBe(0);
    const next = relaunched.stdout.trim();
    expect(Number(next)).toBeGreaterThan(Number(job));
    expect((await towerless(['cancel', next], env)).stdout).toBe(`workflow job ${next}: cancel requested\n`);
    expect(await endedStatus(next)).toBe('canceled');
    const late = await towerless(['cancel', next], env);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(`towerless cancel: workflow job ${next}: `);
  }, 240_000);

  it('names what does not exist', async () => {
    const launch = await towerless(['launch', 'Nope'], env);
    expect(launch).toMatchObject({ code: 1, stdout: '' });
    expect(launch.stderr).toBe(`towerless launch: no workflow job template named 'Nope' on ${server.url}\n`);
    expect((await towerless(['status', '999999'], env)).stderr).toBe(
      `towerless status: workflow job 999999: not found on ${server.url}\n`,
    );
    expect((await towerless(['approve', '999999'], env)).stderr).toBe(
      `towerless approve: workflow approval 999999: not found on ${server.url}\n`,
    );
  });
});
