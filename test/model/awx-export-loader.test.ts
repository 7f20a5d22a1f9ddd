import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';
import { workflowGraph as graph, workflowNamed } from '../support/workflow-graph';

const fixtures = join(__dirname, '../fixtures/in-the-wild/awx-export');

function load(path: string) {
  const result = loadBundle(path);
  return { ...result, messages: result.diagnostics.all.map(formatDiagnostic) };
}

describe('AWX exports, read by shape', () => {
  it('an export with approvals, nested workflows and ALL joins: the graphs AWX would hold', () => {
    const { bundle, diagnostics } = load(join(fixtures, 'release-pipeline.json'));
    expect(diagnostics.errors).toEqual([]);
    expect(graph(workflowNamed(bundle, 'Release Pipeline'))).toEqual([
      "approve_release: approval 'Approve production release' (3600s) success: deploy_eu, deploy_us; failure: notify_denied",
      "deploy_eu: workflow_job_template 'Deploy Stack' success: smoke; failure: rollback",
      "deploy_us: workflow_job_template 'Deploy Stack' success: smoke; failure: rollback",
      "smoke: job_template 'Smoke Test' ALL failure: rollback; always: announce",
      "rollback: job_template 'Rollback' always: announce",
      "notify_denied: job_template 'Notify'",
      "announce: job_template 'Notify'",
    ]);
    expect(graph(workflowNamed(bundle, 'Deploy Stack'))).toEqual([
      "sync_playbooks: project 'Platform Playbooks' success: provision",
      "sync_inventory: inventory_source 'Production from Git' success: configure",
      "provision: job_template 'Provision' success: configure",
      "configure: job_template 'Configure' ALL success: deploy",
      "deploy: job_template 'Deploy App'",
    ]);
  });

  it('reads what the export holds beside the graph: approvals, prompts, surveys, lists, inventories', () => {
    const { bundle } = load(join(fixtures, 'release-pipeline.json'));
    const release = workflowNamed(bundle, 'Release Pipeline');
    const [approve, deployEu, , , , denied] = release.workflow_nodes;
    expect(approve.approval).toEqual({
      name: 'Approve production release',
      description: 'Check the change ticket first',
      timeout: 3600,
    });
    expect(deployEu.extra_data).toEqual({ region: 'eu-west-1' });
    expect(denied).toMatchObject({ inventory: 'Production', extra_data: { message: 'release denied' } });
    expect(release).toMatchObject({
      organization: 'Platform',
      labels: ['release', 'production'],
      notification_templates_approvals: ['Ops Slack'],
      notification_templates_error: ['Ops Slack', 'Oncall Webhook'],
      survey_enabled: true,
      limit: '',
    });
    expect(release.survey_spec?.spec.map((question) => question.variable)).toEqual([
      'release_version',
      'regions',
      'ticket_password',
    ]);
    const deploy = bundle.job_templates.find((template) => template.name === 'Deploy App')!;
    expect(deploy).toMatchObject({
      // A job template's organization is its natural key's: AWX takes it from the project.
      organization: 'Platform',
      project: 'Platform Playbooks',
      credentials: ['Deploy SSH'],
      extra_vars: { app_name: 'storefront', health_path: '/healthz' },
      notification_templates_error: ['Ops Slack'],
      ask_limit_on_launch: true,
    });
    const [inventory] = bundle.inventories;
    expect(inventory.groups).toEqual([
      { name: 'web', variables: { http_port: 8080 }, hosts: ['web-01', 'web-02'], children: [] },
      { name: 'db', variables: {}, hosts: ['db-01'], children: [] },
      { name: 'datacenter', variables: {}, hosts: [], children: ['web', 'db'] },
    ]);
    expect(inventory.inventory_sources).toMatchObject([
      { name: 'Production from Git', source: 'scm', source_project: 'Platform Playbooks', overwrite: true },
    ]);
  });

  it('schedules are read once, though awxkit writes each under its template and in schedules', () => {
    const { bundle } = load(join(fixtures, 'release-pipeline.json'));
    expect(bundle.schedules.map((s) => [s.name, s.unified_job_template, s.enabled])).toEqual([
      ['Nightly smoke test', 'Smoke Test', true],
      ['Weekly release rehearsal', 'Release Pipeline', false],
    ]);
  });

  it('secrets the export leaves out become references to fill, each named once', () => {
    const { bundle, messages } = load(join(fixtures, 'release-pipeline.json'));
    const credential = bundle.credentials.find((c) => c.name === 'Deploy SSH')!;
    expect(credential.inputs).toEqual({
      username: 'deploy',
      ssh_key_data: { secret: 'towerless/deploy-ssh/ssh_key_data' },
      become_method: 'sudo',
    });
    expect(bundle.notification_templates[0].notification_configuration.token).toEqual({
      secret: 'towerless/notifications/ops-slack/token',
    });
    expect(messages.filter((m) => m.includes(': warning: '))).toHaveLength(5);
    expect(messages).toContain(
      `${join(fixtures, 'release-pipeline.json')}:55: warning: credential 'Deploy SSH', field 'inputs.ssh_key_data', value "": is where an AWX export leaves a secret out, not the secret; it becomes secret reference 'towerless/deploy-ssh/ssh_key_data': store the value there (Secrets Manager, or the local secrets file)`,
    );
  });

  it('a YAML export (awx export -f yaml) reads as its JSON would', () => {
    const { bundle, diagnostics } = load(join(fixtures, 'monthly-patching.yml'));
    expect(diagnostics.errors).toEqual([]);
    expect(graph(workflowNamed(bundle, 'Monthly Patching'))).toEqual([
      "change_window: approval 'Change window open?' (0s) success: patch_app, patch_cache",
      "patch_app: workflow_job_template 'Patch One Group' success: verify",
      "patch_cache: workflow_job_template 'Patch One Group' success: verify",
      "verify: job_template 'Verify' ALL",
    ]);
    expect(workflowNamed(bundle, 'Monthly Patching').workflow_nodes[1].limit).toBe('app');
    expect(bundle.inventories[0].hosts.map((h) => [h.name, h.enabled])).toEqual([
      ['app-1.example.com', true],
      ['app-2.example.com', true],
      ['cache-1.example.com', false],
    ]);
  });

  it('lists Towerless does not model are skipped with one warning each; unused fields set are noted', () => {
    const file = join(fixtures, 'full-instance.json');
    const { bundle, diagnostics, messages } = load(file);
    expect(diagnostics.errors).toEqual([]);
    // The line of each list's key, as the warning names it.
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = (list: string) => lines.indexOf(`     "${list}": [`) + 1;
    expect(messages.filter((m) => m.includes('not modelled'))).toEqual([
      `${file}:${at('users')}: warning: 2 users: not modelled, skipped`,
      `${file}:${at('organizations')}: warning: 2 organizations: not modelled, skipped`,
      `${file}:${at('teams')}: warning: 1 teams: not modelled, skipped`,
      `${file}:${at('applications')}: warning: 1 applications: not modelled, skipped`,
    ]);
    const notes = messages.filter((m) => m.includes(': note: '));
    expect(notes.every((m) => new RegExp(`^${file}:\\d+: note: `).test(m))).toBe(true);
    const unused = "AWX's; Towerless does not use it, and it is not kept";
    expect(notes.map((m) => m.replace(/^.*?: note: /, ''))).toEqual([
      `job template 'Demo Job Template', field 'job_templates[0].related.labels', value [{"name":"demo","organization":{"name":"Default","type":"organization"},"natu...: ${unused}`,
      `job template 'Ping Fleet', field 'job_templates[1].host_config_key', value "c0ffee-callback": ${unused}`,
    ]);
    expect(bundle.job_templates.map((t) => [t.name, t.organization, t.credentials])).toEqual([
      ['Demo Job Template', 'Default', ['Demo Credential']],
      ['Ping Fleet', 'Engineering', ['Ops Machine']],
    ]);
  });

  it('reads execution environments, and the templates and projects that name them by natural key', () => {
    const { bundle, diagnostics } = load(join(fixtures, 'full-instance.json'));
    expect(diagnostics.errors).toEqual([]);
    // AWX's own has no organization; the model keeps every image in one, Default by default.
    expect(bundle.execution_environments.map((e) => [e.name, e.organization, e.image, e.pull])).toEqual([
      ['AWX EE (latest)', 'Default', 'quay.io/ansible/awx-ee:latest', ''],
      ['Ops EE', 'Engineering', 'registry.example.com/ops/ee:2024.1', 'missing'],
    ]);
    expect(bundle.job_templates[0].execution_environment).toBe('AWX EE (latest)');
    expect(bundle.projects.find((p) => p.name === 'Ops Playbooks')?.default_environment).toBe(
      'AWX EE (latest)',
    );
  });

  it('an export of lists that are all empty is still an export (awx export --inventory of none)', () => {
    const dir = tempBundle({ 'export.json': '{"inventory": []}' });
    expect(load(join(dir, 'export.json')).messages).toEqual([
      expect.stringMatching(/export\.json: error: defines no resources: a bundle needs at least one of /),
    ]);
  });

  it('an approval written as its unified_job_template, with name, description and timeout, reads the same', () => {
    const exported = JSON.parse(readFileSync(join(fixtures, 'release-pipeline.json'), 'utf8'));
    const [approve] = exported.workflow_job_templates[1].related.workflow_nodes;
    approve.unified_job_template = {
      ...approve.related.create_approval_template,
      type: 'workflow_approval_template',
    };
    delete approve.related.create_approval_template;
    const dir = tempBundle({ 'export.json': JSON.stringify(exported) });
    const { bundle, diagnostics } = load(join(dir, 'export.json'));
    expect(diagnostics.errors).toEqual([]);
    expect(workflowNamed(bundle, 'Release Pipeline').workflow_nodes[0].approval).toEqual({
      name: 'Approve production release',
      description: 'Check the change ticket first',
      timeout: 3600,
    });
  });

  it('is told by its shape, not its name: an export beside a native bundle in one folder', () => {
    const folder = tempBundle({ 'native.yml': 'projects: [{ name: Local, local_path: here }]\n' });
    copyFileSync(join(fixtures, 'monthly-patching.yml'), join(folder, 'definitions.yml'));
    const { bundle, diagnostics } = load(folder);
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.projects.map((p) => p.name)).toEqual(['Patching', 'Local']);
  });
});

describe('malformed AWX exports', () => {
  const release = JSON.parse(readFileSync(join(fixtures, 'release-pipeline.json'), 'utf8'));

  /** The errors of the release export changed by `edit`, with the file's name. */
  function errorsOf(edit: (exported: typeof release) => void): string[] {
    const exported = structuredClone(release);
    edit(exported);
    const dir = tempBundle({ 'export.json': JSON.stringify(exported, null, 5) });
    return load(join(dir, 'export.json'))
      .diagnostics.errors.map(formatDiagnostic)
      .map((m) => m.replace(`${dir}/`, ''));
  }
  const nodes = (exported: typeof release) => exported.workflow_job_templates[1].related.workflow_nodes;

  it('a reference that is a name, not a natural key', () => {
    expect(
      errorsOf((e) => {
        e.job_templates[0].project = 'Platform Playbooks';
      }),
    ).toEqual([
      expect.stringMatching(
        /^export\.json:\d+: error: job template 'Provision', field 'job_templates\[0\]\.project', value "Platform Playbooks": must be the natural key of a project \(\{name: \.\.\., type: project\}\)$/,
      ),
    ]);
  });

  it('an object without its natural key', () => {
    expect(
      errorsOf((e) => {
        delete e.credentials[1].natural_key;
      }),
    ).toEqual([
      expect.stringMatching(
        /^export\.json:\d+: error: credential 'GitHub Read', field 'credentials\[1\]\.natural_key': is required: every object of an AWX export names itself by its natural key$/,
      ),
    ]);
  });

  it("a node that runs what Towerless does not, and an edge to another workflow's node", () => {
    expect(
      errorsOf((e) => {
        nodes(e)[3].unified_job_template = { name: 'Cleanup Job Details', type: 'system_job_template' };
        nodes(e)[4].related.always_nodes[0].workflow_job_template.name = 'Deploy Stack';
      }),
    ).toEqual([
      expect.stringMatching(
        /^export\.json:\d+: error: workflow job template 'Release Pipeline', field 'workflow_job_templates\[1\]\.related\.workflow_nodes\[4\]\.related\.always_nodes\[0\]', value \{.*: links a node of workflow job template 'Deploy Stack', not of 'Release Pipeline'$/,
      ),
      // The model's own rule, and its words.
      expect.stringMatching(
        /^export\.json:\d+: error: workflow job template 'Release Pipeline', field 'workflow_nodes\[3\]\.unified_job_template\.type', value "system_job_template": must be one of job_template, .*$/,
      ),
      // The node's template, read without its type, is a name these files do not define: a warning
      // (lib/model/reading-base.ts), not an error.
    ]);
  });

  it('related lists that are not lists, and a list that is not one of an export', () => {
    expect(
      errorsOf((e) => {
        e.job_templates[0].related.credentials = { name: 'Deploy SSH' };
        e.job_template = [];
      }),
    ).toEqual([
      expect.stringMatching(
        /^export\.json:\d+: error: field 'job_template', value "job_template": not a list of an AWX export; expected users, organizations, .*, schedules$/,
      ),
      expect.stringMatching(
        /^export\.json:\d+: error: job template 'Provision', field 'job_templates\[0\]\.related\.credentials', value \{"name":"Deploy SSH"\}: must be a list$/,
      ),
    ]);
  });

  it('a related list awxkit does not write is a warning, with the list it may mean', () => {
    const exported = structuredClone(release);
    nodes(exported)[0].related.succes_nodes = nodes(exported)[0].related.success_nodes;
    const dir = tempBundle({ 'export.json': JSON.stringify(exported, null, 5) });
    expect(load(join(dir, 'export.json')).messages).toContainEqual(
      expect.stringMatching(
        /export\.json:\d+: warning: workflow job template 'Release Pipeline', field 'workflow_job_templates\[1\]\.related\.workflow_nodes\[0\]\.related\.succes_nodes': not a list awxkit exports with a workflow job template node, not read \(did you mean 'success_nodes'\?\)$/,
      ),
    );
  });

  it('a source whose inventory is not exported, and a schedule written twice, differently', () => {
    expect(
      errorsOf((e) => {
        e.inventory_sources[0].inventory.name = 'Staging';
        e.schedules[0].rrule = 'DTSTART;TZID=UTC:20240101T030000 RRULE:FREQ=DAILY;INTERVAL=1';
      }),
    ).toEqual([
      expect.stringMatching(
        /^export\.json:\d+: error: schedule 'Nightly smoke test', field 'job_templates\[3\]\.related\.schedules\[0\]': this schedule is written again, differently$/,
      ),
      expect.stringMatching(
        /^export\.json:\d+: error: inventory source 'Production from Git', field 'inventory_sources\[0\]\.inventory', value \{.*: no inventory 'Staging' in this export: a source is read into its inventory$/,
      ),
      // Left out of the Bundle, the source is unknown to the node that runs it: a warning that says
      // so (lib/model/reading-base.ts), not an error.
    ]);
  });
});
