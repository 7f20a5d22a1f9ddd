import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApiServer, type LocalApiServer } from '../../lib/local/local-api-server';
import { tempBundle } from '../support/files';
import { runCli as towerless } from '../support/cli';

const TOKEN = 'reading-test-admin-token-0123456789abcdef';
let catalog: LocalApiServer;
let server: string[];

/** What the catalog server defines, applied to it as any bundle is. */
const CATALOG = `
projects:
  - name: Shared
    scm_type: git
    scm_url: file:///nonexistent/shared.git
inventories:
  - name: Fleet
    hosts: [{ name: web1, variables: { ansible_connection: local } }]
job_templates:
  - name: Deploy
    project: Shared
    inventory: Fleet
    playbook: deploy.yml
  - name: Unused
    project: Shared
    inventory: Fleet
    playbook: unused.yml
`;

/** The files: a workflow that runs the catalog's Deploy, then AWX's Demo Job Template. */
const PIPELINE = `
workflow_job_templates:
  - name: Pipeline
    workflow_nodes:
      - identifier: deploy
        unified_job_template: Deploy
        success_nodes: [hello]
      - identifier: hello
        unified_job_template: Demo Job Template
`;

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'towerless-catalog-'));
  catalog = await startLocalApiServer({
    data: join(work, 'data'),
    host: '127.0.0.1',
    port: 0,
    projectsRoot: work,
    adminToken: TOKEN,
  });
  server = ['--url', catalog.url, '--token', TOKEN];
  const applied = await towerless('apply', tempBundle({ 'catalog.yml': CATALOG }), ...server);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await catalog?.close();
});

describe('names the files do not define', () => {
  const files = () => tempBundle({ 'pipeline.yml': PIPELINE });

  it('validate: a warning that says where to find the name; the Demo Job Template is AWX’s', async () => {
    const result = await towerless('validate', files());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "pipeline.yml:6: warning: workflow job template 'Pipeline', field 'workflow_nodes[0].unified_job_template', " +
        'value "Deploy": unknown job template, workflow job template, project or inventory source \'Deploy\': not defined in these files; ' +
        'if it exists on your AWX or Towerless server, pass --catalog URL to read it from there',
    );
    expect(result.stderr).toContain(
      "note: workflow job template 'Pipeline' node 'hello', field 'unified_job_template', value \"Demo Job Template\": " +
        "not defined in these files: AWX's default job template 'Demo Job Template', as every AWX has it from its install",
    );
    expect(result.stdout).toMatch(/^valid: 1 workflow job templates, 0 job templates, 0 projects/);
  });

  it('compile and simulate need the object itself: an error naming it, nothing compiled', async () => {
    for (const command of ['compile', 'simulate']) {
      const result = await towerless(command, files(), '--workflow', 'Pipeline');
      expect(result.code, command).toBe(1);
      expect(result.stdout, command).toBe('');
      expect(result.stderr, command).toContain(
        "pipeline.yml:6: error: workflow job template 'Pipeline', field 'workflow_nodes[0].unified_job_template', value \"Deploy\": unknown",
      );
      expect(result.stderr, command).toMatch(/1 error\(s\): what the files name must exist/);
      expect(result.stderr, command).not.toContain('Demo Job Template');
    }
  });

  it('graph goes on with the warning', async () => {
    const result = await towerless('graph', files(), '--workflow', 'Pipeline');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('flowchart');
  });

  it('--catalog URL: what the files name comes from the server, files first, nothing else', async () => {
    const read = ['--catalog', catalog.url, '--token', TOKEN];
    const validated = await towerless('validate', files(), ...read);
    expect(validated.code).toBe(0);
    expect(validated.stderr).not.toContain('warning');
    expect(validated.stderr).toContain(
      `value "Deploy": not defined in these files: job template 'Deploy' read from the catalog ${catalog.url}`,
    );
    // The server's own Demo Job Template, which every AWX has.
    expect(validated.stderr).toContain(
      `job template 'Demo Job Template' read from the catalog ${catalog.url}`,
    );

    const simulated = await towerless('simulate', files(), '--workflow', 'Pipeline', '--json', ...read);
    expect(simulated.stderr).toBe('');
    expect(JSON.parse(simulated.stdout)).toMatchObject({
      status: 'successful',
      nodes: [{ id: 'deploy' }, { id: 'hello' }],
    });

    const compiled = await towerless('compile', files(), '--workflow', 'Pipeline', ...read);
    expect(compiled.code).toBe(0);
    expect(compiled.stderr).toMatch(/^compiled 'Pipeline': 2 nodes/);
    // A note for each object the files name; what Deploy names comes with it, and nothing else.
    expect(validated.stderr.match(/read from the catalog/g)).toHaveLength(2);
    expect(validated.stdout).toMatch(/^valid: 1 workflow job templates, 0 job templates/);
  });

  it('--catalog URL: the files win by name', async () => {
    const mine = tempBundle({
      'pipeline.yml': PIPELINE,
      'deploy.yml': `
projects:
  - name: Mine
    local_path: here
job_templates:
  - name: Deploy
    project: Mine
    inventory: Fleet
    playbook: mine.yml
`,
    });
    const compiled = await towerless(
      'compile',
      mine,
      '--workflow',
      'Pipeline',
      '--catalog',
      catalog.url,
      '--token',
      TOKEN,
    );
    expect(compiled.code).toBe(0);
    const validated = await towerless('validate', mine, '--catalog', catalog.url, '--token', TOKEN);
    // The files' Deploy and its project; only its inventory comes from the catalog.
    expect(validated.stderr.match(/read from the catalog/g)).toHaveLength(2);
    expect(validated.stderr).toContain(
      'value "Fleet": not defined in these files: inventory \'Fleet\' read from the catalog',
    );
    expect(validated.stderr).toContain("job template 'Demo Job Template' read from the catalog");
    expect(validated.stderr).not.toContain("'Deploy' read from the catalog");
  });

  it('apply writes what the files define; the server finds what they only name', async () => {
    const applied = await towerless('apply', files(), ...server);
    expect(applied.stderr).toContain('warning:');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(
      "created   workflow job template 'Pipeline'\n1 created, 0 changed, 0 unchanged\n",
    );
    const again = await towerless('apply', files(), ...server, '--catalog', catalog.url);
    expect(again.stderr).not.toContain('warning:');
    expect(again.stdout).toBe(
      "unchanged workflow job template 'Pipeline'\nnothing to change: all 1 resources are as the bundle defines them\n",
    );
  });

  it('apply of files naming what the server lacks changes nothing, naming each', async () => {
    const lacking = tempBundle({
      'lacking.yml': `
projects: [{ name: Fresh, local_path: fresh }]
job_templates:
  - { name: Lost, project: Fresh, inventory: Nowhere, playbook: lost.yml }
`,
    });
    const applied = await towerless('apply', lacking, ...server);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toBe('');
    expect(applied.stderr).toContain(
      `lacking.yml:4: error: job template 'Lost', field 'inventory', value "Nowhere": no inventory 'Nowhere' on ${catalog.url}`,
    );
    expect(applied.stderr).toContain('1 name(s) the server does not have: nothing was applied');
    const projects = await towerless('export', ...server);
    expect(projects.stdout).not.toContain('Fresh');
  });

  it('a catalog that cannot be read stops the command, naming it', async () => {
    const result = await towerless('validate', files(), '--catalog', catalog.url, '--token', 'wrong');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/401|token|authenticat/i);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
