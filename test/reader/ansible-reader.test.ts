import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/model';
import type { Bundle } from '../../lib/model/types';
import { readThroughAnsible } from '../../lib/reader/ansible-reader';
import { tempBundle } from '../support/files';

/**
 * Playbooks and task files read through the real ansible-playbook (docs/reading.md): for each
 * pattern of test/fixtures/in-the-wild, the workflow graph is what AWX holds after applying it.
 */
const WILD = join(__dirname, '../fixtures/in-the-wild');

/** Each node: identifier, what it runs, its edges by kind, and whether it waits for all parents. */
function graph(bundle: Bundle, workflow: string) {
  const found = bundle.workflow_job_templates.find((w) => w.name === workflow);
  if (!found)
    throw new Error(`no workflow '${workflow}': ${bundle.workflow_job_templates.map((w) => w.name)}`);
  return Object.fromEntries(
    [...found.workflow_nodes]
      .sort((a, b) => a.identifier.localeCompare(b.identifier))
      .map((node) => [
        node.identifier,
        {
          runs: node.approval
            ? `approval ${node.approval.name}`
            : `${node.unified_job_template?.type} ${node.unified_job_template?.name}`,
          success: [...node.success_nodes].sort(),
          failure: [...node.failure_nodes].sort(),
          always: [...node.always_nodes].sort(),
          all: node.all_parents_must_converge,
        },
      ]),
  );
}

async function read(path: string, options: Parameters<typeof readThroughAnsible>[1] = {}) {
  const result = await readThroughAnsible(path, options);
  const errors = result.diagnostics.errors.map(formatDiagnostic);
  return { ...result, errors };
}

const job = (
  name: string,
  edges: Partial<Record<'success' | 'failure' | 'always', string[]>> = {},
  all = false,
) => ({
  runs: `job_template ${name}`,
  success: edges.success ?? [],
  failure: edges.failure ?? [],
  always: edges.always ?? [],
  all,
});

describe('reading through Ansible', () => {
  it('play vars, loops over dicts, default(omit), names built from variables, when:', async () => {
    const { bundle, errors } = await read(join(WILD, 'loops-and-conditions/site.yml'), {
      extraVars: ['env=prod'],
    });
    expect(errors).toEqual([]);
    expect(bundle.job_templates.map((t) => [t.name, t.extra_vars])).toEqual([
      ['shop-build', {}],
      ['shop-deploy', { replicas: 3 }],
      ['shop-rollback', {}],
    ]);
    expect(graph(bundle, 'shop prod pipeline')).toEqual({
      build: job('shop-build', { success: ['deploy'] }),
      deploy: job('shop-deploy', { failure: ['rollback'] }),
      rollback: job('shop-rollback'),
    });
  }, 120_000);

  it('a role including a file in a loop, with group_vars of the inventory given', async () => {
    const dir = join(WILD, 'roles-and-group-vars');
    const { bundle, errors } = await read(join(dir, 'site.yml'), { inventory: join(dir, 'inventory') });
    expect(errors).toEqual([]);
    expect(bundle.workflow_job_templates.map((w) => w.name)).toEqual(['Nightly', 'Release']);
    expect(graph(bundle, 'Nightly')).toEqual({
      backup: job('backup', { always: ['verify'] }),
      verify: job('verify'),
    });
    expect(graph(bundle, 'Release')).toEqual({
      build: job('build', { always: ['test'] }),
      test: job('test', { always: ['publish'] }),
      publish: job('publish', {}, true),
    });
  }, 120_000);

  it('a workflow deleted and made again, then its nodes replaced: only the last nodes stay', async () => {
    const { bundle, errors } = await read(join(WILD, 'destroy-and-recreate/site.yml'));
    expect(errors).toEqual([]);
    expect(graph(bundle, 'W')).toEqual({
      first: job('b', { success: ['gate'] }),
      gate: { runs: 'approval Approve', success: ['last'], failure: [], always: [], all: false },
      last: job('c'),
    });
  }, 120_000);

  it('a failing task is an error at its line, with the module message; nothing else is guessed', async () => {
    const dir = tempBundle({
      'tasks.yml':
        '- name: Needs a project\n  awx.awx.job_template:\n    name: "{{ jt }}"\n    organization: Default\n    project: Missing\n    playbook: x.yml\n',
    });
    const { errors } = await read(join(dir, 'tasks.yml'), { extraVars: ['jt=Deploy'] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /tasks\.yml:1: error: task 'Needs a project': failed when applied through Ansible: .*Missing/,
    );
  }, 120_000);

  it("with no inventory, `hosts: localhost` is Ansible's implicit localhost: facts gathered locally, not over SSH", async () => {
    const dir = tempBundle({
      'site.yml':
        '- hosts: localhost\n  tasks:\n    - awx.awx.workflow_job_template:\n        name: "{{ ansible_facts.system }} workflow"\n        organization: Default\n',
    });
    const { bundle, errors } = await read(join(dir, 'site.yml'));
    expect(errors).toEqual([]);
    expect(bundle.workflow_job_templates.map((w) => w.name)).toEqual(['Linux workflow']);
  }, 120_000);

  it('the server and login a playbook names are never reached: its modules apply to the reader, other ports are closed', async () => {
    const requests: string[] = [];
    const theirs = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => theirs.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(theirs.address() as AddressInfo).port}`;
    try {
      const dir = tempBundle({
        'site.yml': [
          '- hosts: localhost',
          '  gather_facts: false',
          '  vars: { awx_url: "' + url + '", awx_password: hunter2 }',
          '  tasks:',
          '    - awx.awx.workflow_job_template:',
          '        controller_host: "{{ awx_url }}"',
          '        controller_username: admin',
          '        controller_password: "{{ awx_password }}"',
          '        name: Deploy site',
          '        organization: Default',
          '    - name: A call of their API beside the modules',
          '      ansible.builtin.uri: { url: "{{ awx_url }}/api/v2/ping/" }',
          '      ignore_errors: true',
          '',
        ].join('\n'),
      });
      const { bundle, errors } = await read(join(dir, 'site.yml'));
      expect(errors).toEqual([]);
      expect(bundle.workflow_job_templates.map((w) => w.name)).toEqual(['Deploy site']);
      expect(requests).toEqual([]);
    } finally {
      theirs.close();
    }
  }, 120_000);

  it("a play that matches no host defines nothing: an error with Ansible's warning", async () => {
    const dir = join(WILD, 'roles-and-group-vars');
    const { errors } = await read(join(dir, 'site.yml'));
    expect(errors).toEqual([
      expect.stringContaining(
        'applied through Ansible, it defined nothing; Ansible warned: Could not match supplied host pattern, ignoring: controller',
      ),
    ]);
  }, 120_000);
});
