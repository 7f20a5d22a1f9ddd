import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guidePipeline, PIPELINE_NAME } from './guide-pipeline';
import { hasAwsCredentials } from './integ';

describe('the integ test runner', () => {
  const emptyHome = () => mkdtempSync(join(tmpdir(), 'towerless-home-'));

  it('skips without credentials in the environment or the AWS files', () => {
    expect(hasAwsCredentials({}, emptyHome())).toBe(false);
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: 'AKIA' }, emptyHome())).toBe(false);
  });

  it('runs with keys, a profile, or a default profile in ~/.aws', () => {
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, emptyHome())).toBe(
      true,
    );
    expect(hasAwsCredentials({ AWS_PROFILE: 'dev' }, emptyHome())).toBe(true);
    const home = emptyHome();
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n');
    expect(hasAwsCredentials({}, home)).toBe(false);
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIA\n');
    expect(hasAwsCredentials({}, home)).toBe(true);
  });
});

describe("the guide's Full Deployment Pipeline as the integ test posts it", () => {
  it('has its five job templates, its nodes and edges, its survey and a localhost inventory', () => {
    const pipeline = guidePipeline();
    expect(pipeline.name).toBe(PIPELINE_NAME);
    expect(pipeline.jobTemplates.map((template) => template.name).sort()).toEqual(
      [
        'Configure Services',
        'Deploy Application',
        'Notify Team',
        'Provision Infrastructure',
        'Rollback Changes',
      ].sort(),
    );
    expect(pipeline.nodes.map((node) => node.identifier)).toEqual([
      'provision',
      'configure',
      'deploy',
      'rollback',
      'notify',
    ]);
    const names = new Set(pipeline.jobTemplates.map((template) => template.name));
    for (const node of pipeline.nodes) expect(names.has(node.unified_job_template)).toBe(true);
    expect(Object.keys(pipeline.inventory.hosts)).toEqual(['localhost']);
    expect(pipeline.survey).toMatchObject({
      spec: [{ variable: 'app_version' }, { variable: 'target_env' }],
    });
    // The driver's environment variable holds it: well under Lambda's 4 KB of variables.
    expect(JSON.stringify(pipeline).length).toBeLessThan(3000);
  });
});
