import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { print, timeMedian } from './support/report';

/**
 * `towerless validate` of a GitOps playbook of 50 resources as a user runs it, read through
 * Ansible (docs/reading.md): a project, an inventory, 40 job templates made in a loop, a workflow
 * and 8 nodes made in a loop with Jinja names. Wall time, start-up included.
 */
export async function readerBenchmarks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'towerless-bench-read-'));
  try {
    const steps = Array.from({ length: 8 }, (_, index) => `step${index}`);
    const play = {
      hosts: 'localhost',
      connection: 'local',
      gather_facts: false,
      vars: { app: 'shop', templates: Array.from({ length: 40 }, (_, index) => `t${index}`), steps },
      tasks: [
        {
          'awx.awx.project': {
            name: '{{ app }}',
            organization: 'Default',
            scm_type: 'git',
            scm_url: 'https://git.example.com/shop.git',
          },
        },
        { 'awx.awx.inventory': { name: '{{ app }} hosts', organization: 'Default' } },
        {
          'awx.awx.job_template': {
            name: '{{ app }}-{{ item }}',
            organization: 'Default',
            project: '{{ app }}',
            inventory: '{{ app }} hosts',
            playbook: '{{ item }}.yml',
          },
          loop: '{{ templates }}',
        },
        { 'awx.awx.workflow_job_template': { name: '{{ app }} pipeline', organization: 'Default' } },
        {
          'awx.awx.workflow_job_template_node': {
            workflow_job_template: '{{ app }} pipeline',
            organization: 'Default',
            identifier: '{{ item }}',
            unified_job_template: '{{ app }}-t{{ ansible_loop.index0 }}',
          },
          loop: '{{ steps }}',
          loop_control: { extended: true },
        },
      ],
    };
    const playbook = join(dir, 'site.yml');
    writeFileSync(playbook, stringify([play]));
    const cli = join(__dirname, '..', 'bin', 'towerless');
    const ms = await timeMedian(3, () => execFileSync(cli, ['validate', playbook]));
    print({
      name: 'read_playbook_s_50_resources',
      value: ms / 1000,
      unit: 's (median of 3: `towerless validate` of a 50-resource playbook read through Ansible, wall)',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
