import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gitProject } from '../support/git-project';

const exec = promisify(execFile);
const cli = join(__dirname, '../../bin/towerless');

/**
 * docs/semantics.md §13.11 end to end, through the CLI with real playbooks: a 12-node workflow
 * fails at its 7th node on a transient problem (a file that is missing), the problem is fixed,
 * and `towerless resume` runs only the failed node and what follows it. Every playbook run
 * appends its node to a log, so a node run twice would show.
 */
const NODES = Array.from({ length: 12 }, (_, i) => `n${i + 1}`);
/** n1 → n2 → (n3, n4) → n5 → n6 → n7 → n8 → (n9, n10) → n11 → n12. */
const CHILDREN: Record<string, string[]> = {
  n1: ['n2'],
  n2: ['n3', 'n4'],
  n3: ['n5'],
  n4: ['n5'],
  n5: ['n6'],
  n6: ['n7'],
  n7: ['n8'],
  n8: ['n9', 'n10'],
  n9: ['n11'],
  n10: ['n11'],
  n11: ['n12'],
};

function workflowFolder(log: string, flag: string): string {
  const step = (node: string) =>
    `- hosts: localhost\n  gather_facts: false\n  tasks:\n` +
    `    - ansible.builtin.shell: echo ${node} >> ${log}\n` +
    `    - ansible.builtin.set_stats: { data: { from_${node}: done } }\n`;
  // The 7th node needs the 6th's artifact, and the flag file, which is missing at first.
  const flaky =
    step('n7') +
    `    - ansible.builtin.assert: { that: [from_n6 == 'done'] }\n` +
    `    - ansible.builtin.stat: { path: "${flag}" }\n      register: flag\n` +
    `    - ansible.builtin.fail: { msg: "the flag is missing" }\n      when: not flag.stat.exists\n`;
  const repo = gitProject(
    Object.fromEntries(NODES.map((node) => [`${node}.yml`, node === 'n7' ? flaky : step(node)])),
  );
  const dir = mkdtempSync(join(tmpdir(), 'towerless-resume-'));
  const templates = NODES.map(
    (node) => `  - { name: ${node}, project: P, inventory: I, playbook: ${node}.yml }`,
  ).join('\n');
  const nodes = NODES.map(
    (node) =>
      `      - { identifier: ${node}, unified_job_template: ${node}, success_nodes: [${(CHILDREN[node] ?? []).join(', ')}] }`,
  ).join('\n');
  writeFileSync(
    join(dir, 'bundle.yml'),
    `projects: [{ name: P, scm_type: git, scm_url: ${repo.url} }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
job_templates:
${templates}
workflow_job_templates:
  - name: Twelve
    workflow_nodes:
${nodes}
`,
  );
  return dir;
}

interface Report {
  readonly id: number;
  readonly status: string;
  readonly nodes: readonly { readonly id: string; readonly status: string }[];
}

async function towerless(...args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const done = await exec(cli, args).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { code: done.code, report: JSON.parse(done.stdout) as Report, stderr: done.stderr };
}

function statuses(report: Report): Record<string, string> {
  return Object.fromEntries(report.nodes.map((node) => [node.id, node.status]));
}

describe('towerless resume (CLI)', () => {
  it('resumes a 12-node workflow that failed at node 7: only node 7 and what follows run again', async () => {
    const data = mkdtempSync(join(tmpdir(), 'towerless-data-'));
    const log = join(data, 'runs.log');
    const flag = join(data, 'flag');
    const dir = workflowFolder(log, flag);
    const first = await towerless('run', dir, '--workflow', 'Twelve', '--json', '--data', data);
    expect(first.code).toBe(1);
    expect(first.report.status).toBe('failed');
    const before = NODES.slice(0, 6);
    const after = NODES.slice(7);
    expect(statuses(first.report)).toEqual({
      ...Object.fromEntries(before.map((node) => [node, 'successful'])),
      n7: 'failed',
      ...Object.fromEntries(after.map((node) => [node, 'dnr'])),
    });

    writeFileSync(flag, '');
    const second = await towerless('resume', String(first.report.id), '--json', '--data', data);
    expect(second.code).toBe(0);
    expect(second.report.status).toBe('successful');
    expect(statuses(second.report)).toEqual({
      ...Object.fromEntries(before.map((node) => [node, 'kept'])),
      n7: 'successful',
      ...Object.fromEntries(after.map((node) => [node, 'successful'])),
    });
    // Progress names each kept node's job, on stderr beside the JSON report.
    expect(second.stderr).toMatch(/= n1 {2}kept: job \d+ of workflow job \d+/);
    // Nodes 1 to 6 ran once, node 7 twice (failed, then succeeded), the rest once.
    const runs = readFileSync(log, 'utf8').trim().split('\n');
    const count = (node: string) => runs.filter((line) => line === node).length;
    expect(Object.fromEntries(NODES.map((node) => [node, count(node)]))).toEqual({
      ...Object.fromEntries(NODES.map((node) => [node, 1])),
      n7: 2,
    });

    // Resumed once: a second resume of the same job is refused, naming the one that resumed it.
    const again = await exec(cli, ['resume', String(first.report.id), '--data', data]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(again).toMatchObject({
      code: 1,
      stderr: `towerless resume: workflow job ${first.report.id} was resumed already, by workflow job ${second.report.id}: resume that one\n`,
    });
  }, 300_000);
});
