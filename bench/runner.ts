import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedApproval } from '../lib/local/approvals';
import { openLocalStore } from '../lib/local/local-store';
import { runWorkflowLocally } from '../lib/local/run-workflow';
import { loadBundle } from '../lib/model';
import { runNode } from '../lib/runner/run-node';
import { FileSecretProvider } from '../lib/runner/secrets';
import { median, print } from './support/report';

/**
 * What Towerless adds around ansible-runner, measured against bare ansible-runner running the same
 * trivial playbook: per node of a 20-node chain and of a 20-wide fork (orchestration), and for one
 * node run by the runner alone.
 */
const PLAYBOOK =
  '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: hi }\n';
const INVENTORY = {
  all: {
    hosts: { localhost: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' } },
  },
};

function workspace(width: number, chain: boolean): { dir: string; bundle: string } {
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
  return { dir, bundle: join(dir, 'bundle.yml') };
}

/** Bare ansible-runner on the same playbook: a private data dir, nothing else. */
function bareRun(): Promise<void> {
  const pdd = mkdtempSync(join(tmpdir(), 'towerless-bare-'));
  mkdirSync(join(pdd, 'project'));
  mkdirSync(join(pdd, 'inventory'));
  writeFileSync(join(pdd, 'project', 'play.yml'), PLAYBOOK);
  writeFileSync(join(pdd, 'inventory', 'hosts.json'), JSON.stringify(INVENTORY));
  // The same settings the runner writes (it polls every second rather than every five).
  mkdirSync(join(pdd, 'env'));
  writeFileSync(join(pdd, 'env', 'settings'), JSON.stringify({ job_timeout: 0, pexpect_timeout: 1 }));
  return new Promise((resolve, reject) => {
    // The same minimal environment the runner gives ansible-runner.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    const child = spawn('ansible-runner', ['run', pdd, '-p', 'play.yml', '-j'], { stdio: 'ignore', env });
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ansible-runner exited ${code}`)),
    );
  });
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function runTowerless(width: number, chain: boolean): Promise<number> {
  const { dir, bundle } = workspace(width, chain);
  const local = await openLocalStore(undefined);
  try {
    return await timed(() =>
      runWorkflowLocally({
        bundle: loadBundle(bundle).bundle,
        baseDir: dir,
        workflowName: 'W',
        launchVars: {},
        store: local.store,
        secrets: new FileSecretProvider(join(dir, 'secrets.yml')),
        dataDir: join(dir, 'data'),
        approvals: fixedApproval('approved'),
        signal: new AbortController().signal,
      }),
    );
  } finally {
    await local.close();
  }
}

export async function runnerBenchmarks(): Promise<void> {
  execFileSync('ansible-runner', ['--version']);
  const width = 20;
  const chainTowerless = await runTowerless(width, true);
  let chainBare = 0;
  for (let i = 0; i < width; i++) chainBare += await timed(bareRun);
  print({
    name: 'run_overhead_ms_per_node_chain',
    value: (chainTowerless - chainBare) / width,
    unit: 'ms (20-node chain, vs 20 bare ansible-runner runs in sequence)',
  });
  const forkTowerless = await runTowerless(width, false);
  const forkBare = await timed(() => Promise.all(Array.from({ length: width }, bareRun)));
  print({
    name: 'run_overhead_ms_per_node_fork',
    value: (forkTowerless - forkBare) / width,
    unit: 'ms (20-wide fork, vs 20 bare ansible-runner runs at once)',
  });

  const { dir, bundle } = workspace(1, false);
  const local = await openLocalStore(undefined);
  try {
    const definitions = loadBundle(bundle).bundle;
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const workflowJob = `bench-${i}`;
      await local.store.createWorkflowJob({
        id: workflowJob,
        workflow: 'W',
        status: 'running',
        extra_vars: {},
        started: new Date().toISOString(),
      });
      const runner = await timed(() =>
        runNode({
          bundle: definitions,
          baseDir: dir,
          store: local.store,
          secrets: new FileSecretProvider(join(dir, 'secrets.yml')),
          cacheDir: join(dir, 'data'),
          workflowJob,
          node: 'n0',
          signal: new AbortController().signal,
        }),
      );
      samples.push(runner - (await timed(bareRun)));
    }
    print({
      name: 'runner_overhead_ms',
      value: median(samples),
      unit: 'ms (median of 5, runner vs bare ansible-runner, trivial playbook)',
    });
  } finally {
    await local.close();
  }
  // The README's main job.
  const demo = await timed(async () =>
    execFileSync(
      join(__dirname, '..', 'bin', 'towerless'),
      [
        'run',
        'examples/guide',
        '--workflow',
        'Full Deployment Pipeline',
        '--json',
        '--data',
        mkdtempSync(join(tmpdir(), 'towerless-demo-data-')),
        '--secrets',
        '.towerless/secrets.yml',
      ],
      { cwd: join(__dirname, '..'), stdio: 'pipe' },
    ),
  );
  print({
    name: 'full_pipeline_run_s',
    value: demo / 1000,
    unit: 's (wall, towerless run of the Full Deployment Pipeline)',
  });
}
