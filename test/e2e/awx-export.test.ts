import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, towerless, withoutAwxDefaults, type ServeProcess } from '../client/servers';
import { tempBundle } from '../support/files';

const RELEASE = 'test/fixtures/in-the-wild/awx-export/release-pipeline.json';

describe('towerless validate of an AWX export', () => {
  it('is valid, with the counts of what it defines and a warning per secret it leaves out', async () => {
    const result = await towerless(['validate', RELEASE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'valid: 2 workflow job templates, 6 job templates, 1 projects, 1 inventories, 3 credentials, ' +
        '2 notification templates, 2 schedules (1 files, 5 warnings)\n',
    );
  });

  it('a malformed export: errors name file, line, resource and field; exit 1; no stack trace', async () => {
    const exported = JSON.parse(readFileSync(RELEASE, 'utf8'));
    exported.workflow_job_templates[0].related.workflow_nodes[0].related.success_nodes = 'provision';
    const file = join(tempBundle({}), 'export.json');
    writeFileSync(file, JSON.stringify(exported, null, 5));
    const result = await towerless(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /export\.json:\d+: error: workflow job template 'Deploy Stack', field 'workflow_job_templates\[0\]\.related\.workflow_nodes\[0\]\.related\.success_nodes', value "provision": must be a list/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('towerless apply of an AWX export, then export --format awx', () => {
  let server: ServeProcess;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServe();
    env = { TOWERLESS_HOST: server.url, TOWERLESS_TOKEN: server.token };
  });
  afterAll(() => server.stop());

  it('gives the export back, identical but for key order', async () => {
    const applied = await towerless(['apply', RELEASE], env);
    expect(applied.code).toBe(0);
    const out = join(tempBundle({}), 'exported.json');
    const exported = await towerless(['export', '--format', 'awx', '--out', out], env);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    // With the server's own default objects, as `awx export` of any AWX writes them.
    expect(withoutAwxDefaults(JSON.parse(readFileSync(out, 'utf8')))).toEqual(
      JSON.parse(readFileSync(RELEASE, 'utf8')),
    );
  });

  it('an unknown --format is a usage error', async () => {
    const result = await towerless(['export', '--format', 'yaml'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format yaml: expected native or awx/);
  });
});
