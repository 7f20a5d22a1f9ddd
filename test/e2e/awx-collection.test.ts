import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, stop, type Server } from '../support/serve-process';

const TOKEN = 'collection-test-admin-token-0123456789';
let server: Server;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'towerless-awx-collection-'));
  server = await startServe(join(home, 'data'), { TOWERLESS_ADMIN_TOKEN: TOKEN });
  // The guide's machine credential reads ~/.ssh/id_rsa.
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  writeFileSync(
    join(home, '.ssh/id_rsa'),
    '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-key\n-----END OPENSSH PRIVATE KEY-----\n',
  );
}, 30_000);
afterAll(async () => {
  await stop(server);
});

/** Runs the guide's GitOps master playbook with Debian's awx.awx collection against the server. */
function applyGuide(config: string): { status: number | null; output: string } {
  const result = spawnSync(
    'ansible-playbook',
    [
      'playbook.yml',
      '-e',
      'aws_access_key=AKIAEXAMPLE',
      '-e',
      'aws_secret_key=aws-canary-secret',
      '-e',
      'slack_token=xoxb-canary',
      '-e',
      'smtp_password=smtp-canary',
    ],
    {
      cwd: config,
      encoding: 'utf8',
      env: {
        ...process.env,
        HOME: home,
        AWX_HOST: server.url,
        AWX_TOKEN: TOKEN,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function changedTasks(output: string): string[] {
  return [...output.matchAll(/TASK \[([^\]]+)\][^\n]*\nchanged:/g)].map(([, task]) => task);
}

function recap(output: string): Record<string, number> {
  const line = /localhost\s+:\s+(.*)/.exec(output)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map(([, key, value]) => [key, Number(value)]));
}

describe('the awx.awx collection against towerless serve', () => {
  it("applies the guide's GitOps playbook (loops, includes, Jinja); a second run changes nothing", async () => {
    const config = join(home, 'awx-config');
    cpSync(join(__dirname, '../../examples/guide-awx/awx-config'), config, { recursive: true });
    const first = applyGuide(config);
    expect(first.output).toMatch(/PLAY RECAP/);
    expect(recap(first.output)).toMatchObject({ failed: 0 });
    expect(first.status).toBe(0);
    expect(recap(first.output).changed).toBeGreaterThan(40);

    // A second run changes nothing. The two credentials still report `changed`, as against AWX:
    // their secrets are write-only, so the module (update_secrets defaults to true) sends them again.
    const second = applyGuide(config);
    expect(second.status).toBe(0);
    expect(recap(second.output)).toMatchObject({ changed: 2, failed: 0 });
    expect(changedTasks(second.output)).toEqual(['Create AWS Credential', 'Create Machine Credential']);

    const headers = { Authorization: `Bearer ${TOKEN}` };
    const get = async (path: string) =>
      (await fetch(`${server.url}/api/v2/${path}`, { headers })).json() as Promise<{
        count: number;
        results: Record<string, unknown>[];
      }>;
    const pipeline = (await get('workflow_job_templates/?name=Full+Deployment+Pipeline')).results[0];
    const nodes = await get(`workflow_job_templates/${pipeline.id}/workflow_nodes/`);
    expect(nodes.results.map((node) => node.identifier).sort()).toEqual([
      'configure',
      'deploy',
      'notify',
      'provision',
      'rollback',
    ]);
    const credentials = JSON.stringify(await get('credentials/'));
    expect(credentials).not.toContain('aws-canary-secret');
    expect(credentials).toContain('$encrypted$');
  }, 600_000);
});
