import { execFile, spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gitProject } from '../support/git-project';

const exec = promisify(execFile);
const cli = join(__dirname, '../../bin/towerless');

function slowBundle(): string {
  const repo = gitProject({
    'slow.yml':
      '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.pause: { seconds: 120 }\n',
  });
  const dir = mkdtempSync(join(tmpdir(), 'towerless-e2e-'));
  writeFileSync(
    join(dir, 'bundle.yml'),
    `projects: [{ name: P, scm_type: git, scm_url: ${repo.url} }]
inventories: [{ name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }]
job_templates: [{ name: Slow, project: P, inventory: I, playbook: slow.yml }]
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: slow, unified_job_template: Slow, always_nodes: [after] }
      - { identifier: after, unified_job_template: Slow }
`,
  );
  return dir;
}

describe('towerless run (CLI)', () => {
  it('runs the Full Deployment Pipeline for real; --json follows the contract', async () => {
    const data = mkdtempSync(join(tmpdir(), 'towerless-data-'));
    execFileSync(join(__dirname, '../../scripts/setup'));
    const { stdout } = await exec(
      cli,
      [
        'run',
        'examples/guide',
        '--workflow',
        'Full Deployment Pipeline',
        '--json',
        '--data',
        data,
        '--secrets',
        '.towerless/secrets.yml',
      ],
      { cwd: join(__dirname, '../..') },
    );
    const report = JSON.parse(stdout);
    expect(report.status).toBe('successful');
    expect(
      report.nodes.map((n: { id: string; status: string; started: number | null }) => [
        n.id,
        n.status,
        n.started,
      ]),
    ).toEqual([
      ['provision', 'successful', 1],
      ['configure', 'successful', 2],
      ['deploy', 'successful', 3],
      ['notify', 'successful', 4],
      ['rollback', 'dnr', null],
    ]);
  }, 120_000);

  it('refuses launch variables the workflow does not prompt for, and starts nothing', async () => {
    const result = await exec(
      cli,
      ['run', 'examples/guide', '--workflow', 'Production Deployment with Approval', '-e', 'x=1'],
      { cwd: join(__dirname, '../..') },
    ).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Variables x are not allowed on launch');
  });

  it('Ctrl-C cancels cleanly: running nodes stop, the workflow is canceled, nothing is left running', async () => {
    const dir = slowBundle();
    const child = spawn(
      cli,
      ['run', join(dir, 'bundle.yml'), '--workflow', 'W', '--data', join(dir, 'data')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        // Started, and ansible-playbook is running the pause.
        if (output.includes('▶ slow') && pgrep('slow.yml')) {
          clearInterval(check);
          resolve();
        }
      }, 200);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/workflow W \(job [\w-]+\): canceled/);
    expect(output).not.toContain('▶ after');
    expect(pgrep('slow.yml')).toBe(false);
  }, 60_000);
});

function pgrep(pattern: string): boolean {
  try {
    execFileSync('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}
