import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { towerless } from '../client/servers';
import { tempBundle } from '../support/files';

const FIXTURES = 'test/fixtures/in-the-wild/controller-configuration';

describe('towerless validate of controller_configuration variables', () => {
  it.each([
    [
      'workflow_nodes',
      [`${FIXTURES}/release-workflow-nodes.yml`],
      'valid: 2 workflow job templates, 6 job templates, 1 projects, 1 inventories, 3 credentials, 1 notification templates, 2 schedules (1 files, 5 warnings)',
    ],
    [
      'simplified_workflow_nodes, a folder',
      [`${FIXTURES}/simplified-nodes`],
      'valid: 2 workflow job templates, 5 job templates, 1 projects, 1 inventories, 1 credentials, 0 notification templates, 1 schedules (6 files, 1 warnings)',
    ],
    [
      'the tower_ names',
      [`${FIXTURES}/tower-legacy.yml`],
      'valid: 1 workflow job templates, 4 job templates, 1 projects, 1 inventories, 2 credentials, 0 notification templates, 0 schedules (1 files, 1 warnings)',
    ],
    [
      'Jinja in group_vars, through Ansible',
      [
        `${FIXTURES}/group-vars/inventory/group_vars`,
        '-i',
        `${FIXTURES}/group-vars/inventory`,
        '--read-var',
        'env=prod',
      ],
      'valid: 1 workflow job templates, 3 job templates, 1 projects, 1 inventories, 1 credentials, 0 notification templates, 1 schedules (2 files)',
    ],
  ])(
    '%s: valid, with the counts of what it defines',
    async (_, args, summary) => {
      const result = await towerless(['validate', ...args]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${summary}\n`);
    },
    120_000,
  );

  it('a malformed file: errors name file, line, resource, field and value; exit 1; no stack trace', async () => {
    const file = join(
      tempBundle({
        'controller.yml': [
          'controller_workflows:',
          '  - name: Broken',
          '    simplified_workflow_nodes:',
          '      - identifier: a',
          '        unified_job_template: Nowhere',
          '        success_nodes: b',
          '',
        ].join('\n'),
      }),
      'controller.yml',
    );
    const result = await towerless(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /controller\.yml:5: warning: workflow job template 'Broken', field 'workflow_nodes\[0\]\.unified_job_template', value "Nowhere": unknown job template, workflow job template, project or inventory source 'Nowhere': not defined in these files/,
    );
    // `success_nodes: b` is the list ['b'] once Ansible has converted it for the module.
    expect(result.stderr).toMatch(
      /controller\.yml:4: error: workflow job template 'Broken' node 'a', field 'success_nodes', value "b": no node with identifier 'b' in this workflow/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
