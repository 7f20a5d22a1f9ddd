import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedApproval } from '../lib/local/approvals';
import { prepareDataFolder } from '../lib/local/data-folder';
import { openLocalStore } from '../lib/local/local-store';
import { createWorkflowJob } from '../lib/jobs/workflow-jobs';
import { spawnNodeJob } from '../lib/jobs/node-jobs';
import { runWorkflowLocally } from '../lib/local/run-locally';
import { loadBundle } from '../lib/model';
import { runNode } from '../lib/runner/run-node';
import { supervised } from '../lib/runner/supervisor';
import { FileSecretProvider } from '../lib/runner/secrets';
import { median, print } from './support/report';

/**
 * What Towerless adds around ansible-runner, timed from inside so that ansible's own (noisy)
 * run time cancels out: for each node, the time from the moment it could start to its end,
 * minus the time its ansible-runner process ran (reported by the runner in the event log).
 */
const PLAYBOOK =
  '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: hi }\n';

function workspace(
  width: number,
  chain: boolean,
): { dir: string; bundle: string; secrets: FileSecretProvider } {
  const dir = mkdtempSync(join(tmpdir(), 'towerless-bench-'));
  mkdirSync(join(dir, 'project'));
  writeFileSync(join(dir, 'project', 'play.yml'), PLAYBOOK);
  const nodes = Array.from(
    { length: width },
    (_, i) =>
      `      - { identifier: n${i}, unified_job_template: T${chain && i + 1 < width ? `, success_nodes: [n${i + 1}]` : ''} }`,
  ).join('\n');
  writeFileSync(
    join(dir, 'bundle.yml'),
    `projects: [{ name: P, local_path: project }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
job_templates: [{ name: T, project: P, inventory: I, playbook: play.yml }]
workflow_job_templates:
  - name: W
    workflow_nodes:
${nodes}
`,
  );
  writeFileSync(join(dir, 'secrets.yml'), '{}');
  chmodSync(join(dir, 'secrets.yml'), 0o600);
  return { dir, bundle: join(dir, 'bundle.yml'), secrets: new FileSecretProvider(join(dir, 'secrets.yml')) };
}

/** Per-node overhead (ms) of a chain: parent-finished to finished, minus ansible-runner's time. */
async function chainOverheads(width: number): Promise<number[]> {
  const { dir, bundle, secrets } = workspace(width, true);
  const local = await openLocalStore(undefined);
  const started = new Map<string, number>();
  const finished = new Map<string, number>();
  const ansible = new Map<string, number>();
  const begin = performance.now();
  try {
    await runWorkflowLocally(
      {
        store: local.store,
        secrets,
        data: prepareDataFolder(join(dir, 'data')),
        approvals: fixedApproval('approved'),
        observer: {
          nodeStarted: (event) => started.set(event.node, performance.now()),
          nodeFinished: (event) => finished.set(event.node, performance.now()),
        },
        onEvent: (event) => {
          if (event.event === 'towerless_ansible_runner_exit')
            ansible.set(String(event.node), Number(event.elapsed) * 1000);
        },
      },
      { bundle: loadBundle(bundle).bundle, baseDir: dir, workflow: 'W' },
    );
  } finally {
    await local.close();
  }
  return Array.from({ length: width }, (_, i) => {
    const node = `n${i}`;
    const ready = i > 0 ? finished.get(`n${i - 1}`)! : begin;
    return finished.get(node)! - ready - ansible.get(node)!;
  });
}

/** Bare ansible-runner on the same playbook and settings: a private data dir, nothing else. */
function bareRun(): Promise<void> {
  const pdd = mkdtempSync(join(tmpdir(), 'towerless-bare-'));
  for (const folder of ['project', 'inventory', 'env']) mkdirSync(join(pdd, folder));
  writeFileSync(join(pdd, 'project', 'play.yml'), PLAYBOOK);
  writeFileSync(
    join(pdd, 'inventory', 'hosts.json'),
    JSON.stringify({
      all: {
        hosts: { localhost: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' } },
      },
    }),
  );
  writeFileSync(join(pdd, 'env', 'settings'), JSON.stringify({ job_timeout: 0, pexpect_timeout: 1 }));
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    const child = spawn('ansible-runner', ['run', pdd, '-p', 'play.yml', '-j'], { stdio: 'ignore', env });
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ansible-runner exited ${code}`)),
    );
  });
}

/** What the job supervisor adds to each job process: `true` under it, minus `true` alone. */
function supervisorOverhead(): number {
  const time = (file: string, args: string[]) => {
    const began = performance.now();
    execFileSync(file, args);
    return performance.now() - began;
  };
  const samples = Array.from({ length: 20 }, () => {
    const command = supervised('true', []);
    return time(command.file, command.args) - time('true', []);
  });
  return median(samples);
}

export async function runnerBenchmarks(): Promise<void> {
  execFileSync('ansible-runner', ['--version']);
  print({
    name: 'supervisor_overhead_ms',
    value: supervisorOverhead(),
    unit: 'ms (median of 20: a command under the job supervisor minus the command alone)',
  });
  print({
    name: 'run_overhead_ms_per_node',
    value: median(await chainOverheads(20)),
    unit: 'ms (median, 20-node chain, excluding ansible-runner)',
  });
  // In a fork, 20 ansible-runners share 2 cores and stretch each other's run time: compare the
  // whole fork with 20 bare ansible-runner runs started at once.
  const fork = workspace(20, false);
  const forkLocal = await openLocalStore(undefined);
  let forkMs: number;
  try {
    const began = performance.now();
    await runWorkflowLocally(
      {
        store: forkLocal.store,
        secrets: fork.secrets,
        data: prepareDataFolder(join(fork.dir, 'data')),
        approvals: fixedApproval('approved'),
      },
      { bundle: loadBundle(fork.bundle).bundle, baseDir: fork.dir, workflow: 'W' },
    );
    forkMs = performance.now() - began;
  } finally {
    await forkLocal.close();
  }
  const bareStarted = performance.now();
  await Promise.all(Array.from({ length: 20 }, bareRun));
  print({
    name: 'run_overhead_ms_per_node_fork',
    value: (forkMs - (performance.now() - bareStarted)) / 20,
    unit: 'ms (20-wide fork vs 20 bare ansible-runner runs at once, per node)',
  });

  const { dir, bundle, secrets } = workspace(1, false);
  const local = await openLocalStore(undefined);
  try {
    const definitions = loadBundle(bundle).bundle;
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      let ansibleMs = 0;
      const workflowJob = await createWorkflowJob(local.store, {
        id: await local.store.nextJobId(),
        bundle: definitions,
        workflow: definitions.workflow_job_templates[0],
        launchVars: {},
        prompts: {},
        status: 'running',
        launchType: 'manual',
        launchedBy: null,
        workflowJobTemplate: null,
        baseDir: dir,
      });
      const node = { bundle: definitions, workflowJob: workflowJob.id, workflowName: 'W', node: 'n0' };
      const job = await spawnNodeJob(local.store, node, { status: 'pending' });
      const began = performance.now();
      await runNode({
        bundle: definitions,
        baseDir: dir,
        store: local.store,
        secrets,
        cacheDir: join(dir, 'data'),
        scratchDir: prepareDataFolder(join(dir, 'data')).scratch,
        workflowJob,
        job,
        signal: new AbortController().signal,
        onEvent: (event) => {
          if (event.event === 'towerless_ansible_runner_exit') ansibleMs = Number(event.elapsed) * 1000;
        },
      });
      samples.push(performance.now() - began - ansibleMs);
    }
    print({
      name: 'runner_overhead_ms',
      value: median(samples),
      unit: 'ms (median of 5: runner wall minus its ansible-runner process, trivial playbook)',
    });
  } finally {
    await local.close();
  }
  const demoData = mkdtempSync(join(tmpdir(), 'towerless-demo-data-'));
  const demoStarted = performance.now();
  execFileSync(
    join(__dirname, '..', 'bin', 'towerless'),
    [
      'run',
      'examples/guide',
      '--workflow',
      'Full Deployment Pipeline',
      '--json',
      '--data',
      demoData,
      '--secrets',
      '.towerless/secrets.yml',
    ],
    { cwd: join(__dirname, '..'), stdio: 'pipe' },
  );
  print({
    name: 'full_pipeline_run_s',
    value: (performance.now() - demoStarted) / 1000,
    unit: 's (wall, towerless run of the Full Deployment Pipeline)',
  });
}
