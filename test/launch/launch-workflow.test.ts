import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidError, NotFoundError } from '../../lib/errors';
import { withSurveyDefaults } from '../../lib/launch/survey-form';
import { executionHarness, type ExecutionHarness } from '../support/execution';

/**
 * The one launch path with AWX's launch rules (docs/semantics.md §4.4, §6.2, §11.18): every
 * refusal answers AWX's 400 body and creates nothing; an accepted launch creates the workflow job
 * with its nodes and starts it.
 */
const BUNDLE = `
inventories:
  - { name: Default Hosts }
  - { name: Staging Hosts }
workflow_job_templates:
  - name: Strict
    extra_vars: { region: eu, tier: 1 }
    inventory: Default Hosts
    limit: web
    workflow_nodes: []
  - name: Open
    ask_variables_on_launch: true
    ask_inventory_on_launch: true
    ask_limit_on_launch: true
    ask_scm_branch_on_launch: true
    ask_tags_on_launch: true
    ask_skip_tags_on_launch: true
    ask_labels_on_launch: true
    workflow_nodes: []
  - name: Surveyed
    survey_enabled: true
    survey_spec:
      name: Deployment
      description: ''
      spec:
        - { question_name: Version, variable: version, type: text, required: true, default: latest, min: 2, max: 8 }
        - { question_name: Replicas, variable: replicas, type: integer, required: false, min: 1, max: 5 }
        - { question_name: Ratio, variable: ratio, type: float, required: false, max: 1 }
        - { question_name: Env, variable: env, type: multiplechoice, required: false, choices: [dev, prod] }
        - { question_name: Zones, variable: zones, type: multiselect, required: false, choices: [a, b] }
        - { question_name: Password, variable: db_password, type: password, required: true, default: s3cret-default }
    workflow_nodes: []
  - name: Gated
    workflow_nodes:
      - { identifier: gate, approval_node: { name: Gate }, success_nodes: [after] }
      - { identifier: after, approval_node: { name: After } }
`;

const REFERENCES = {
  inventoryName: async (id: number) => ({ 11: 'Default Hosts', 12: 'Staging Hosts' })[id],
  labelName: async (id: number) => ({ 21: 'blue', 22: 'green' })[id],
  credentialName: async () => undefined,
};

let harness: ExecutionHarness;
beforeAll(async () => {
  harness = await executionHarness(BUNDLE, { references: REFERENCES });
});
afterAll(() => harness.close());

/** The 400 body a refused launch answers, after checking that it created nothing. */
async function refusal(workflow: string, body: unknown): Promise<InvalidError['fields']> {
  const before = (await harness.store.listWorkflowJobs()).length;
  const error = await harness.launch(workflow, { body }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidError);
  expect((await harness.store.listWorkflowJobs()).length).toBe(before);
  return (error as InvalidError).fields;
}

const NOT_PROMPTED = ['Field is not configured to prompt on launch.'];

describe('§4.4 variables at a workflow launch', () => {
  it('refuses variables the workflow does not prompt for, with AWX message', async () => {
    expect(await refusal('Strict', { extra_vars: { x: 1, y: 2 } })).toEqual({
      extra_vars: [
        'Variables x, y are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job Template to include Extra Variables.',
      ],
    });
  });

  it("drops, without a word, a variable equal to the workflow's own value", async () => {
    const job = await harness.launch('Strict', { body: { extra_vars: { region: 'eu' } } });
    expect(job.extra_vars).toEqual({ region: 'eu', tier: 1 });
  });

  it('takes extra_vars as an object, JSON text or YAML text; refuses text that is neither', async () => {
    for (const extra_vars of [{ a: 1 }, '{"a": 1}', 'a: 1\n']) {
      const job = await harness.launch('Open', { body: { extra_vars } });
      expect(job.extra_vars).toEqual({ a: 1 });
    }
    const fields = await refusal('Open', { extra_vars: '[1, 2' });
    expect(fields.extra_vars[0]).toMatch(/^Cannot parse as JSON \(error: .*\) or YAML \(error: .*\)\.$/);
    // A list is not a mapping, in either form.
    expect((await refusal('Open', { extra_vars: '- 1\n- 2\n' })).extra_vars[0]).toMatch(
      /^Cannot parse as JSON \(error: .*\) or YAML \(error: Input type `list` is not a dictionary\)\.$/,
    );
  });
});

describe('§6.2 survey answers at a workflow launch', () => {
  const answers = { version: 'v1.2', db_password: '$encrypted$' };

  it('a required answer must be given even with a default (the API launch)', async () => {
    expect(await refusal('Surveyed', {})).toEqual({
      variables_needed_to_start: ["'version' value missing", "'db_password' value missing"],
    });
  });

  it.each([
    [{ version: 'x' }, "'version' value x is too small (length is 1 must be at least 2)."],
    [{ version: 'much-too-long' }, "'version' value much-too-long is too large (must be no more than 8)."],
    [{ version: 3 }, "Value 3 for 'version' expected to be a string."],
    [{ replicas: '3' }, "Value 3 for 'replicas' expected to be an integer."],
    [{ replicas: true }, "Value True for 'replicas' expected to be an integer."],
    [{ replicas: 9 }, "'replicas' value 9 is too large (must be no more than 5)."],
    [{ replicas: 0 }, "'replicas' value 0 is too small (must be at least 1)."],
    [{ ratio: 'half' }, "Value half for 'ratio' expected to be a numeric type."],
    [{ ratio: 1.5 }, "'ratio' value 1.5 is too large (must be no more than 1)."],
    [{ env: 'qa' }, "Value qa for 'env' expected to be one of ['dev', 'prod']."],
    [{ zones: 'a' }, "'zones' value is expected to be a list."],
    [{ zones: ['a', 'c'] }, "Value c for 'zones' expected to be one of ['a', 'b']."],
    [
      { db_password: 'x'.repeat(3), version: 'v' },
      "'version' value v is too small (length is 1 must be at least 2).",
    ],
  ])('%j is refused: %s', async (wrong, message) => {
    const fields = await refusal('Surveyed', { extra_vars: { ...answers, ...wrong } });
    expect(fields).toEqual({ variables_needed_to_start: [message] });
  });

  it('never shows a password answer in a message', async () => {
    const fields = await refusal('Surveyed', { extra_vars: { ...answers, db_password: 42 } });
    expect(fields).toEqual({
      variables_needed_to_start: ["Value $encrypted$ for 'db_password' expected to be a string."],
    });
  });

  it('accepts valid answers; $encrypted$ stands for the default, kept sealed', async () => {
    const job = await harness.launch('Surveyed', { body: { extra_vars: { ...answers, zones: [] } } });
    expect(job.extra_vars).toEqual({ version: 'v1.2', zones: [], db_password: '$encrypted$' });
    expect((await harness.store.getWorkflowJob(job.id))?.secret_vars).toEqual({
      db_password: 's3cret-default',
    });
  });
});

describe('§4.4 prompts other than variables', () => {
  it.each([
    ['inventory', 12],
    ['limit', 'db'],
    ['scm_branch', 'dev'],
    ['job_tags', 'deploy'],
    ['skip_tags', 'slow'],
    ['labels', [21]],
  ])('%s is refused when the workflow does not prompt for it', async (field, value) => {
    expect(await refusal('Strict', { [field]: value })).toEqual({ [field]: NOT_PROMPTED });
  });

  it("a value equal to the workflow's own is no change, not a refusal", async () => {
    const job = await harness.launch('Strict', { body: { inventory: 11, limit: 'web' } });
    expect(job.prompts).toEqual({ inventory: 'Default Hosts', limit: 'web' });
  });

  it('takes what the workflow prompts for: inventory by id (or inventory_id), labels, tags', async () => {
    const job = await harness.launch('Open', {
      body: {
        inventory_id: '12',
        limit: ' db ',
        job_tags: 'a,b',
        skip_tags: 'c',
        scm_branch: 'dev',
        labels: [21, 22],
      },
    });
    expect(job.prompts).toEqual({
      inventory: 'Staging Hosts',
      limit: 'db',
      job_tags: 'a,b',
      skip_tags: 'c',
      scm_branch: 'dev',
    });
    expect(job.labels).toEqual([
      { id: 21, name: 'blue' },
      { id: 22, name: 'green' },
    ]);
  });

  it("checks each field's type first, as Django REST framework words it", async () => {
    expect(
      await refusal('Open', { inventory: 'staging', limit: true, labels: 'blue', job_tags: null }),
    ).toEqual({
      inventory: ['Incorrect type. Expected pk value, received str.'],
      limit: ['Not a valid string.'],
      labels: ['Expected a list of items but got type "str".'],
      job_tags: ['This field may not be null.'],
    });
    expect(await refusal('Open', { inventory: 99, labels: [21, 98] })).toEqual({
      inventory: ['Invalid pk "99" - object does not exist.'],
      labels: ['Invalid pk "98" - object does not exist.'],
    });
    expect(await refusal('Open', [1])).toEqual({
      non_field_errors: ['Invalid data. Expected a dictionary, but got list.'],
    });
  });

  it('ignores fields a workflow launch does not have', async () => {
    const job = await harness.launch('Strict', { body: { job_type: 'check', verbosity: 4 } });
    expect(job.status).toBe('pending');
  });

  it('a scheduled launch drops what the workflow refuses instead of failing (as AWX fires schedules)', async () => {
    const job = await harness.launch('Strict', {
      body: { extra_vars: { x: 1 }, limit: 'db' },
      launchType: 'scheduled',
    });
    expect(job).toMatchObject({ launch_type: 'scheduled', extra_vars: { region: 'eu', tier: 1 } });
    expect(job.prompts).toEqual({ inventory: 'Default Hosts', limit: 'web' });
  });
});

describe('an accepted launch', () => {
  it('creates the workflow job pending, with who and how, and a node record per node', async () => {
    const job = await harness.launch('Gated', {
      launchedBy: { id: 3, username: 'ann' },
      workflowJobTemplate: 41,
    });
    expect(job).toMatchObject({
      name: 'Gated',
      workflow_job_template: 41,
      status: 'pending',
      launch_type: 'manual',
      launched_by: { id: 3, username: 'ann' },
      allow_simultaneous: false,
    });
    expect(await harness.store.getDefinitions(job.id)).toEqual(harness.bundle);
    const nodes = await harness.store.workflowJobNodes(job.id);
    expect(nodes.map((n) => [n.identifier, n.job, n.do_not_run, n.success_nodes])).toEqual([
      ['gate', null, false, ['after']],
      ['after', null, false, []],
    ]);
    expect(nodes[1].id).toBeGreaterThan(nodes[0].id);
    expect(nodes[0].unified_job_template).toEqual({ type: 'workflow_approval', name: 'Gate' });
    expect(await harness.execution.cancel(job.id)).toBe(true);
  });

  it('an unknown workflow is not found', async () => {
    await expect(harness.launch('Nope')).rejects.toThrow(NotFoundError);
  });
});

describe('§13.7 the launch form of towerless run', () => {
  it('answers required questions left out with their defaults, passwords as $encrypted$', async () => {
    const workflow = harness.bundle.workflow_job_templates.find((w) => w.name === 'Surveyed')!;
    expect(withSurveyDefaults(workflow, { replicas: 2 })).toEqual({
      version: 'latest',
      db_password: '$encrypted$',
      replicas: 2,
    });
    const job = await harness.launch('Surveyed', { body: { extra_vars: withSurveyDefaults(workflow, {}) } });
    expect(job.extra_vars).toMatchObject({ version: 'latest', db_password: '$encrypted$' });
  });
});
