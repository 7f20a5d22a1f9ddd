import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitProject } from '../support/git-project';
import { startServe, stop, type Server } from '../support/serve-process';

/**
 * The AWX workflow guide end to end against `towerless serve`, with nothing of AWX's side changed:
 * Debian's awx.awx collection applies the guide's GitOps playbook, and the guide's own
 * launch-workflow.sh, awx_client.py and workflow_metrics.py launch and watch its pipeline.
 * Three things differ from the guide's files, as they would for any offline AWX: the project's git
 * URL points at a local repository of the guide's playbooks, the EC2 inventory source does not
 * sync on launch (no AWS here), and localhost is added to the inventory as the host to deploy to.
 */
const TOKEN = 'collection-test-admin-token-0123456789';
const GUIDE = join(__dirname, '../../examples/guide-awx');
const PYTHON = '/usr/bin/python3';
let server: Server;
let home: string;
let config: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'towerless-awx-collection-'));
  server = await startServe(join(home, 'data'), { env: { TOWERLESS_ADMIN_TOKEN: TOKEN } });
  // The guide's machine credential reads ~/.ssh/id_rsa.
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh/id_rsa')]);
  config = join(home, 'awx-config');
  cpSync(join(GUIDE, 'awx-config'), config, { recursive: true });
  const repository = gitProject(filesOf(join(__dirname, '../../examples/guide/project')));
  const project = join(config, 'projects/infrastructure.yml');
  writeFileSync(
    project,
    readFileSync(project, 'utf8').replace(
      'https://github.com/myorg/ansible-playbooks.git',
      `file://${repository.url}`,
    ),
  );
  const inventory = join(config, 'inventories/production.yml');
  writeFileSync(
    inventory,
    readFileSync(inventory, 'utf8').replace('update_on_launch: true', 'update_on_launch: false'),
  );
  appendFileSync(
    inventory,
    '\n- name: Add localhost\n  awx.awx.host:\n    name: localhost\n    inventory: "Production Servers"\n    variables:\n      ansible_connection: local\n      ansible_python_interpreter: /usr/bin/python3\n',
  );
}, 60_000);
afterAll(async () => {
  await stop(server);
});

function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** Runs the guide's GitOps master playbook with Debian's awx.awx collection against the server. */
function applyGuide(): { status: number | null; output: string } {
  const result = spawnSync(
    'ansible-playbook',
    [
      'playbook.yml',
      '-e',
      'aws_access_key=AKIAEXAMPLE',
      '-e',
      'aws_secret_key=aws-canary-secret',
      '-e',
      'slack_token=xoxb-canary',
      '-e',
      'smtp_password=smtp-canary',
    ],
    {
      cwd: config,
      encoding: 'utf8',
      env: {
        ...process.env,
        HOME: home,
        AWX_HOST: server.url,
        AWX_TOKEN: TOKEN,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function changedTasks(output: string): string[] {
  return [...output.matchAll(/TASK \[([^\]]+)\][^\n]*\nchanged:/g)].map(([, task]) => task);
}

function recap(output: string): Record<string, number> {
  const line = /localhost\s+:\s+(.*)/.exec(output)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map(([, key, value]) => [key, Number(value)]));
}

async function get<T = { count: number; results: Record<string, unknown>[] }>(path: string): Promise<T> {
  return (
    await fetch(`${server.url}/api/v2/${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })
  ).json() as Promise<T>;
}

function python(script: string): string {
  return execFileSync(PYTHON, ['-c', script], {
    cwd: join(GUIDE, 'scripts'),
    encoding: 'utf8',
    timeout: 300_000,
  });
}

describe('the AWX workflow guide against towerless serve', () => {
  it("applies the guide's GitOps playbook (loops, includes, Jinja); a second run changes nothing", () => {
    const first = applyGuide();
    expect(recap(first.output)).toMatchObject({ failed: 0 });
    expect(first.status).toBe(0);
    expect(recap(first.output).changed).toBeGreaterThan(40);
    // The two credentials and two notifications still report `changed`, as against AWX: their
    // secrets are write-only (shown `$encrypted$`), so the modules send them again.
    const second = applyGuide();
    expect(second.status).toBe(0);
    expect(recap(second.output)).toMatchObject({ changed: 4, failed: 0 });
    expect(changedTasks(second.output)).toEqual([
      'Create AWS Credential',
      'Create Machine Credential',
      'Create Slack Notification',
      'Create Email Notification',
    ]);
  }, 1_200_000);

  it("keeps the guide's secrets write-only", async () => {
    const credentials = JSON.stringify(await get('credentials/'));
    expect(credentials).not.toContain('aws-canary-secret');
    expect(credentials).toContain('$encrypted$');
  });

  it("launches the pipeline with the guide's launch-workflow.sh, and watches it with awx_client.py and workflow_metrics.py", async () => {
    const pipeline = (await get('workflow_job_templates/?name=Full+Deployment+Pipeline')).results[0];
    const nodes = await get(`workflow_job_templates/${pipeline.id}/workflow_nodes/`);
    expect(nodes.results.map((node) => node.identifier).sort()).toEqual([
      'configure',
      'deploy',
      'notify',
      'provision',
      'rollback',
    ]);

    // launch-workflow.sh, with its three settings pointed here (the script sets them itself).
    const script = readFileSync(join(GUIDE, 'scripts/launch-workflow.sh'), 'utf8')
      .replace('https://awx.example.com', server.url)
      .replace('your-api-token', TOKEN)
      .replace('WORKFLOW_ID=5', `WORKFLOW_ID=${pipeline.id}`);
    const launched = JSON.parse(execFileSync('bash', ['-c', script], { encoding: 'utf8' })) as {
      id: number;
      workflow_job: number;
      status: string;
    };
    expect(launched.workflow_job).toBe(launched.id);

    // awx_client.py, unchanged: wait for that job, then launch and wait for another.
    const client = python(`
from awx_client import AWXClient
client = AWXClient(host=${JSON.stringify(server.url)}, token=${JSON.stringify(TOKEN)})
print(client.wait_for_workflow(${launched.id}, timeout=300, poll_interval=1))
result = client.launch_workflow(workflow_id=${pipeline.id}, extra_vars={"app_version": "v2.1.0", "target_env": "staging"})
print(client.wait_for_workflow(result['id'], timeout=300, poll_interval=1))
print(sorted((node['identifier'], node['job'] is not None) for node in client.get_workflow_nodes(result['id'])))
`);
    const [firstStatus, secondStatus, nodesRan] = client.trim().split('\n');
    expect([firstStatus, secondStatus]).toEqual(['successful', 'successful']);
    expect(nodesRan).toBe(
      "[('configure', True), ('deploy', True), ('notify', True), ('provision', True), ('rollback', False)]",
    );

    // workflow_metrics.py, unchanged: its collector reads the finished job and the running list.
    const metrics = python(`
from prometheus_client import generate_latest
from workflow_metrics import WorkflowMetricsCollector
collector = WorkflowMetricsCollector(${JSON.stringify(server.url)}, ${JSON.stringify(TOKEN)})
collector.collect_workflow_metrics(${launched.id})
collector.update_active_workflows()
print(generate_latest().decode())
`);
    expect(metrics).toContain(
      'awx_workflow_runs_total{status="successful",workflow_name="Full Deployment Pipeline"} 1.0',
    );
    expect(metrics).toMatch(
      /awx_workflow_duration_seconds_count\{status="successful",workflow_name="Full Deployment Pipeline"\} 1\.0/,
    );
  }, 1_200_000);
});
