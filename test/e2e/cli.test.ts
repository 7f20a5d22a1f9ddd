import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempBundle } from '../support/files';

const exec = promisify(execFile);

/** Runs `./bin/towerless` as a user would; never throws, returns code and output. */
async function towerless(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(join(__dirname, '../../bin/towerless'), args, {
      cwd: join(__dirname, '../..'),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const PIPELINE = ['--workflow', 'Full Deployment Pipeline'];

describe('towerless CLI', () => {
  it('validate: both formats of the guide are valid', async () => {
    for (const path of ['examples/guide', 'examples/guide-awx/awx-config']) {
      const result = await towerless('validate', path);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^valid: 7 workflow job templates, 15 job templates/);
    }
  });

  it('validate --strict: what AWX refuses at save time becomes an error', async () => {
    const result = await towerless('validate', 'examples/guide-awx/awx-config', '--strict');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: schedule 'Weekly Maintenance', field 'rrule'.*INTERVAL required/);
  });

  it('validate: errors name file, line, resource, field and value; exit 1; no stack trace', async () => {
    const bundle = tempBundle({
      'bad.yml':
        'job_templates:\n  - name: Deploy\n    project: Nope\n    playbook: x.yml\n    forks: many\n',
    });
    const result = await towerless('validate', bundle);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /bad\.yml:5: error: job template 'Deploy', field 'forks', value "many": must be an integer/,
    );
    // A name the files do not define is a warning: the server it is applied to may have it.
    expect(result.stderr).toMatch(
      /bad\.yml:2: warning: job template 'Deploy', field 'project', value "Nope": unknown project 'Nope': not defined in these files; if it exists on your AWX or Towerless server, pass --catalog URL/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate --json reports counts and diagnostics', async () => {
    const result = await towerless('validate', 'examples/guide', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: true,
      resources: { workflow_job_templates: 7 },
    });
  });

  it('compile prints ASL, or writes it with --out', async () => {
    const printed = await towerless('compile', 'examples/guide', ...PIPELINE);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ QueryLanguage: 'JSONPath', StartAt: 'Init' });
    expect(printed.stderr).toMatch(/compiled 'Full Deployment Pipeline': 5 nodes/);
    const out = join(mkdtempSync(join(tmpdir(), 'towerless-out-')), 'pipeline.asl.json');
    const written = await towerless('compile', 'examples/guide', ...PIPELINE, '--out', out);
    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(printed.stdout));
  });

  it('validate --json: an invalid bundle still prints one JSON document, and exits 1', async () => {
    const bundle = tempBundle({
      'bad.yml':
        'job_templates:\n  - name: Deploy\n    project: Nope\n    playbook: x.yml\n    forks: many\n',
    });
    const result = await towerless('validate', bundle, '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: false,
      diagnostics: [
        { severity: 'error', field: 'forks', value: 'many' },
        { severity: 'warning', field: 'project', value: 'Nope', unresolved: true },
      ],
    });
  });

  it('an unknown workflow is invalid input: exit 1, a hint and the workflows there are', async () => {
    for (const command of ['compile', 'graph']) {
      const result = await towerless(command, 'examples/guide', '--workflow', 'Full Deployment Pipline');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /no workflow job template named 'Full Deployment Pipline' in examples\/guide \(did you mean 'Full Deployment Pipeline'\?\); its workflow job templates: 'Full Deployment Pipeline', /,
      );
    }
  });

  it('graph prints a Mermaid flowchart', async () => {
    const result = await towerless('graph', 'examples/guide', ...PIPELINE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('flowchart TD');
  });

  it('simulate --json follows the documented contract (docs/architecture.md §6)', async () => {
    const result = await towerless(
      'simulate',
      'examples/guide',
      ...PIPELINE,
      '--outcome',
      'deploy=failed',
      '--json',
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('successful');
    expect(typeof report.id).toBe('number');
    expect(report.nodes).toEqual([
      { id: 'provision', status: 'successful', started: 1 },
      { id: 'configure', status: 'successful', started: 2 },
      { id: 'deploy', status: 'failed', started: 3, explanation: "job 'deploy' failed" },
      { id: 'rollback', status: 'successful', started: 4 },
      { id: 'notify', status: 'successful', started: 5 },
    ]);
  });

  it('simulate prints a table and exits 1 when the workflow fails', async () => {
    const result = await towerless(
      'simulate',
      'examples/guide-awx/awx-config',
      ...PIPELINE,
      '--outcome',
      'provision=failed',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/provision\s+failed/);
    expect(result.stdout).toMatch(/configure\s+dnr/);
    expect(result.stdout).toMatch(/workflow status: failed/);
  });

  it('simulate approvals: approved by default, denied on request', async () => {
    const approval = ['--workflow', 'Production Deployment with Approval'];
    expect(
      JSON.parse((await towerless('simulate', 'examples/guide', ...approval, '--json')).stdout).status,
    ).toBe('successful');
    const denied = await towerless(
      'simulate',
      'examples/guide',
      ...approval,
      '--outcome',
      'approval=denied',
      '--json',
    );
    expect(JSON.parse(denied.stdout).nodes.map((n: { status: string }) => n.status)).toEqual([
      'failed',
      'dnr',
    ]);
  });

  it('usage errors exit 2 with the usage', async () => {
    const missing = await towerless('simulate', 'examples/guide');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --workflow NAME');
    const outcome = await towerless('simulate', 'examples/guide', ...PIPELINE, '--outcome', 'deploy=maybe');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('STATUS must be one of');
    expect((await towerless('frobnicate')).code).toBe(2);
  });

  it('refuses what a command does not take, with its own usage', async () => {
    const cases = [
      [['validate', 'examples/guide', 'examples/guide-awx'], "unexpected argument 'examples/guide-awx'"],
      [['validate', 'examples/guide', '-e', 'x=1'], '-e is not an option of validate'],
      [['compile', 'examples/guide', ...PIPELINE, '--json'], '--json is not an option of compile'],
    ] as const;
    for (const [argv, message] of cases) {
      const result = await towerless(...argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`usage: towerless ${argv[0]} PATH`);
    }
  });
});
