import { describe, expect, it } from 'vitest';
import { tempBundle } from '../support/files';
import { runCli as towerless } from '../support/cli';

const GUIDE = 'examples/guide';
const PIPELINE = ['--workflow', 'Full Deployment Pipeline'];

describe('towerless main', () => {
  it('no command: the usage on stderr, exit 2', async () => {
    const result = await towerless();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^usage: towerless <command>/);
  });

  it('a name Object.prototype has is an unknown command, not an internal error', async () => {
    const result = await towerless('toString');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'toString'/);
  });

  it('an unknown command gets a hint', async () => {
    expect((await towerless('valdate')).stderr).toMatch(
      /unknown command 'valdate' \(did you mean 'validate'\?\)/,
    );
  });

  it("a usage error prints the command's own usage, not every command's", async () => {
    const result = await towerless('validate', GUIDE, GUIDE);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^towerless validate: unexpected argument/);
    expect(result.stderr).toContain('usage: towerless validate PATH [--strict] [--json]');
    expect(result.stderr).not.toContain('simulate');
  });

  it('--help and help COMMAND print the command usage on stdout', async () => {
    for (const argv of [
      ['compile', '--help'],
      ['help', 'compile'],
    ]) {
      const result = await towerless(...argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^usage: towerless compile PATH --workflow NAME \[--out FILE\] \[--strict\]/,
      );
    }
    expect((await towerless('help', 'bogus')).code).toBe(2);
  });

  describe('validate --json', () => {
    it('an invalid bundle: one JSON document on stdout, nothing on stderr, exit 1', async () => {
      const bundle = tempBundle({
        'bad.yml': 'job_templates:\n  - name: Deploy\n    project: Nope\n',
      });
      const result = await towerless('validate', bundle, '--json');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout);
      expect(report).toEqual({
        valid: false,
        files: [expect.stringMatching(/bad\.yml$/)],
        diagnostics: [
          expect.objectContaining({
            severity: 'error',
            resource: "job template 'Deploy'",
            field: 'playbook',
          }),
          // A name the files do not define: a warning, marked for the commands that need the object.
          expect.objectContaining({
            severity: 'warning',
            resource: "job template 'Deploy'",
            field: 'project',
            value: 'Nope',
            unresolved: true,
          }),
        ],
      });
    });

    it('a missing PATH is an invalid bundle too', async () => {
      const result = await towerless('validate', '/nonexistent/bundle', '--json');
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, files: [] });
    });

    it('a valid bundle: the same diagnostic objects, with resource counts', async () => {
      const result = await towerless('validate', 'examples/guide-awx/awx-config', '--json');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({ valid: true, resources: { workflow_job_templates: 7 } });
      expect(report.diagnostics[0]).toMatchObject({
        severity: expect.stringMatching(/^(warning|note)$/),
        message: expect.any(String),
        source: { file: expect.any(String) },
      });
    });
  });

  describe('an unknown --workflow: exit 1, a hint and the workflows there are, in every command', () => {
    for (const command of ['compile', 'graph', 'simulate', 'run']) {
      it(command, async () => {
        const result = await towerless(command, GUIDE, '--workflow', 'Full Deployment Pipline');
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(
          `towerless ${command}: no workflow job template named 'Full Deployment Pipline' in ${GUIDE} ` +
            "(did you mean 'Full Deployment Pipeline'?); its workflow job templates: 'Full Deployment Pipeline', " +
            "'Production Deployment with Approval', 'Multi-Region Deployment', 'Parallel Server Configuration', " +
            "'Error Handling Pipeline', 'Backup Workflow', 'Maintenance Workflow'\n",
        );
      });
    }

    it('a bundle without workflows says so', async () => {
      const bundle = tempBundle({ 'project.yml': 'projects: [{ name: P, local_path: p }]\n' });
      const result = await towerless('graph', bundle, '--workflow', 'W');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /no workflow job template named 'W' in .*; the bundle has no workflow job templates/,
      );
    });
  });

  describe('simulate --outcome', () => {
    const simulate = (...outcomes: string[]) =>
      towerless('simulate', GUIDE, ...outcomes.flatMap((o) => ['--outcome', o]), ...PIPELINE);

    it('refuses an approval status on a job', async () => {
      const result = await simulate('deploy=denied');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /--outcome deploy=denied: 'deploy' is a job: STATUS must be one of successful, failed, error, canceled/,
      );
    });

    it('refuses a job status on an approval', async () => {
      const result = await towerless(
        'simulate',
        GUIDE,
        '--workflow',
        'Production Deployment with Approval',
        '--outcome',
        'approval=failed',
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /'approval' is an approval: STATUS must be one of approved, denied, timed_out/,
      );
    });

    it('refuses forcing a nested workflow node, whose outcome follows its nodes', async () => {
      const result = await towerless(
        'simulate',
        GUIDE,
        '--workflow',
        'Multi-Region Deployment',
        '--outcome',
        'us_region=failed',
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /'us_region' is a nested workflow: .* force those, as us_region\/ID=STATUS/,
      );
    });

    it('accepts nested paths, and a bare identifier for every node that has it', async () => {
      const result = await towerless(
        'simulate',
        GUIDE,
        '--workflow',
        'Multi-Region Deployment',
        '--outcome',
        'us_region/deploy=failed',
        '--outcome',
        'notify=error',
        '--json',
      );
      const statuses = Object.fromEntries(
        JSON.parse(result.stdout).nodes.map((n: { id: string; status: string }) => [n.id, n.status]),
      );
      expect(statuses).toMatchObject({
        'us_region/deploy': 'failed',
        'eu_region/deploy': 'successful',
        'us_region/notify': 'failed',
        'eu_region/notify': 'failed',
      });
    });

    it('an unknown node gets a hint', async () => {
      const result = await simulate('deploi=failed');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/has no node 'deploi' \(did you mean 'deploy'\?\)/);
    });

    it("a node named like an Object member is not forced by Object's prototype", async () => {
      const bundle = tempBundle({
        'b.yml': `projects: [{ name: P, scm_type: git, scm_url: https://example.com/r.git }]
inventories: [{ name: I }]
job_templates: [{ name: J, project: P, inventory: I, playbook: p.yml }]
workflow_job_templates:
  - { name: W, workflow_nodes: [{ identifier: toString, unified_job_template: J }] }
`,
      });
      const result = await towerless('simulate', bundle, '--workflow', 'W', '--json');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).nodes).toEqual([{ id: 'toString', status: 'successful', started: 1 }]);
    });

    it('refuses the same node forced twice', async () => {
      const result = await simulate('deploy=failed', 'deploy=successful');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--outcome deploy=successful: 'deploy' is already forced to failed/);
    });
  });
});
