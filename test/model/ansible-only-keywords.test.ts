import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';

/**
 * Arguments a task does not write in its module's mapping reach the module through Ansible only:
 * `args` (merged into the module's own, and rendered) and `module_defaults` for the awx.awx
 * modules. The static reader refuses such a task rather than apply it without them.
 */
function read(tasks: string) {
  const { bundle, diagnostics } = loadBundle(join(tempBundle({ 'tasks.yml': tasks }), 'tasks.yml'));
  return { bundle, refused: diagnostics.all.filter((d) => d.needsAnsible).map(formatDiagnostic) };
}

const PROJECT = '- awx.awx.project: { name: P, scm_type: git, scm_url: "https://git.example.com/p.git" }\n';

describe('arguments only Ansible gives a module', () => {
  it('args: refused, its Jinja not dropped', () => {
    const { bundle, refused } = read(`${PROJECT}
- awx.awx.job_template: { name: J, project: P, playbook: j.yml }
  args:
    extra_vars: { region: "{{ region }}" }
`);
    expect(refused).toEqual([
      expect.stringMatching(/field 'args', .*`args:` needs Ansible to merge into the module's arguments; /),
    ]);
    expect(bundle.job_templates).toEqual([]);
  });

  it('module_defaults for the awx.awx modules: refused on the task and through its block', () => {
    const { bundle, refused } = read(`${PROJECT}
- awx.awx.job_template: { name: J, project: P, playbook: j.yml }
  module_defaults:
    group/awx.awx.controller: { organization: "{{ org }}" }
- module_defaults:
    awx.awx.job_template: { ask_variables_on_launch: true }
  block:
    - awx.awx.job_template: { name: K, project: P, playbook: k.yml }
`);
    expect(refused).toEqual([
      expect.stringMatching(
        /field 'module_defaults', .*needs Ansible to apply to the awx\.awx modules' arguments; /,
      ),
      expect.stringMatching(/field 'module_defaults', .*it is the condition of the enclosing block/),
    ]);
    expect(bundle.job_templates).toEqual([]);
  });

  it('module_defaults that only say how to reach AWX, or are for other modules, change nothing read', () => {
    const { bundle, refused } = read(`${PROJECT}
- awx.awx.job_template: { name: J, project: P, playbook: j.yml }
  module_defaults:
    group/awx.awx.controller: { controller_host: "{{ awx_host }}", validate_certs: false }
    ansible.builtin.uri: { timeout: 30 }
`);
    expect(refused).toEqual([]);
    expect(bundle.job_templates.map((t) => t.name)).toEqual(['J']);
  });
});
