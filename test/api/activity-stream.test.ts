import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleId } from '../../lib/access/roles';
import { endedWorkflowJob, pendingApproval } from '../support/api-waits';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Entry = Obj & {
  operation: string;
  object1: string;
  object2: string;
  object_association: string;
  changes: Record<string, unknown>;
  summary_fields: Record<string, Array<Record<string, unknown>>> & { actor?: Record<string, unknown> };
  related: Record<string, unknown>;
};
type Page<T = Obj> = { count: number; next: string | null; results: T[] };
const V2 = '/api/v2';
let org: Obj;
let bob: { id: number; token: string };

beforeAll(async () => {
  api = await openApiFixture();
  org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
  const user = await api.services.accounts.createUser({
    name: 'bob',
    first_name: 'Bob',
    last_name: 'B',
    email: '',
    is_superuser: false,
  });
  bob = { id: user.id, token: (await api.services.accounts.createToken(user)).token };
});
afterAll(() => api.close());

async function entries(query = ''): Promise<Entry[]> {
  return (await api.json<Page<Entry>>('GET', `${V2}/activity_stream/?page_size=200&${query}`)).results;
}

/** The items of the single table that are activity stream entries, as stored. */
async function storedEntries(): Promise<string> {
  const { table } = api.session;
  const { Items } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
  return JSON.stringify(
    (Items ?? [])
      .map((item) => unmarshall(item))
      .filter((item) => String(item.pk).startsWith('activity_stream#')),
  );
}

async function wholeTable(): Promise<string> {
  const { table } = api.session;
  const { Items } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
  return JSON.stringify((Items ?? []).map((item) => JSON.stringify(item)).sort());
}

describe('the activity stream (AWX shapes)', () => {
  it('records creates, updates, associations and deletes with who, what and when', async () => {
    // A job template is in its project's organization.
    const project = await api.json<Obj>('POST', `${V2}/projects/`, { name: 'Site', organization: org.id });
    const jt = await api.json<Obj>('POST', `${V2}/job_templates/`, { name: 'Deploy', project: project.id });
    await api.json('PATCH', `${V2}/job_templates/${jt.id}/`, { description: 'ships it', verbosity: 2 });
    const label = await api.json<Obj>('POST', `${V2}/job_templates/${jt.id}/labels/`, {
      name: 'prod',
      organization: org.id,
    });
    await api.json('POST', `${V2}/job_templates/${jt.id}/labels/`, { id: label.id, disassociate: true }, 204);
    const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Pipeline',
      organization: org.id,
    });
    const node = (identifier: string) =>
      api.json<Obj>('POST', `${V2}/workflow_job_templates/${wf.id}/workflow_nodes/`, {
        identifier,
        unified_job_template: jt.id,
      });
    const [a, b] = [await node('a'), await node('b')];
    await api.json('POST', `${V2}/workflow_job_template_nodes/${a.id}/success_nodes/`, { id: b.id }, 204);
    await api.json('DELETE', `${V2}/job_templates/${jt.id}/`, undefined, 204);

    const about = await entries(`job_template=${jt.id}`);
    expect(about.map((e) => [e.operation, e.object1, e.object2, e.object_association])).toEqual([
      ['create', 'job_template', '', ''],
      ['update', 'job_template', '', ''],
      ['associate', 'job_template', 'label', 'labels'],
      ['disassociate', 'job_template', 'label', 'labels'],
      ['delete', 'job_template', '', ''],
    ]);
    const [created, updated, associated] = about;
    expect(created).toMatchObject({
      type: 'activity_stream',
      url: `${V2}/activity_stream/${created.id}/`,
      action_node: 'towerless',
      related: { actor: `${V2}/users/1/`, job_template: [`${V2}/job_templates/${jt.id}/`] },
      summary_fields: {
        actor: { id: 1, username: 'admin' },
        job_template: [{ id: jt.id, name: 'Deploy', description: '' }],
      },
    });
    expect(created.changes).toMatchObject({
      id: jt.id,
      name: 'Deploy',
      organization: org.id,
      job_type: 'run',
    });
    expect(Date.parse(created.timestamp as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(updated.changes).toEqual({ description: ['', 'ships it'], verbosity: [0, 2] });
    expect(associated.changes).toEqual({
      object1: 'job_template',
      object1_pk: jt.id,
      object2: 'label',
      object2_pk: label.id,
      action: 'associate',
      relationship: 'labels',
    });
    expect(associated.summary_fields.label).toEqual([
      { id: label.id, name: 'prod', organization_id: org.id },
    ]);
    expect(associated.object_type).toBe('job_template');
    // The label was created by the same call that associated it: its own create entry comes first.
    expect((await entries(`label=${label.id}`)).map((e) => e.operation)).toEqual([
      'create',
      'associate',
      'disassociate',
    ]);
    // An edge between two nodes names both; deleting the template empties the nodes (an update each).
    const edge = (await entries(`operation=associate&object1=workflow_job_template_node`))[0];
    expect(edge).toMatchObject({
      object2: 'workflow_job_template_node',
      object_association: 'success_nodes',
    });
    expect(edge.summary_fields.workflow_job_template_node.map((n) => n.id)).toEqual([a.id, b.id]);
    const emptied = await entries(`workflow_job_template_node=${b.id}&operation=update`);
    expect(emptied.at(-1)!.changes).toEqual({ unified_job_template: [jt.id, null] });

    // Filters, search, ordering and pages as other lists.
    const updates = await api.json<Page<Entry>>(
      'GET',
      `${V2}/activity_stream/?operation=update&object1=job_template`,
    );
    expect(updates.results.map((e) => e.id)).toEqual([updated.id]);
    expect((await entries('search=ships')).map((e) => e.id)).toEqual([updated.id, about[4].id]);
    expect((await entries(`actor__username=admin&object1=job_template&order_by=-id`))[0].operation).toBe(
      'delete',
    );
    const page = await api.json<Page<Entry>>('GET', `${V2}/activity_stream/?page_size=2`);
    expect(page.next).toBe(`${V2}/activity_stream/?page_size=2&page=2`);
    expect((await api.call('GET', `${V2}/activity_stream/?nonsense=1`)).status).toBe(400);
    expect(await api.json('GET', `${V2}/activity_stream/${created.id}/`)).toEqual(created);

    // The object's own sub-list, linked from it.
    expect((wf.related as Record<string, string>).activity_stream).toBe(
      `${V2}/workflow_job_templates/${wf.id}/activity_stream/`,
    );
    const ofWorkflow = await api.json<Page<Entry>>(
      'GET',
      `${V2}/workflow_job_templates/${wf.id}/activity_stream/`,
    );
    expect(ofWorkflow.results.map((e) => e.operation)).toEqual(['create']);
    const ofOrg = await api.json<Page<Entry>>('GET', `${V2}/organizations/${org.id}/activity_stream/`);
    expect(ofOrg.count).toBe(0);
    expect((await api.call('GET', `${V2}/job_templates/${jt.id}/activity_stream/`)).status).toBe(404);
  });

  it('masks every secret and keeps no secret value, in the entries or anywhere in the table', async () => {
    const types = (name: string) =>
      api.json<Page>('GET', `${V2}/credential_types/?name=${encodeURIComponent(name)}`);
    const aws = (await types('Amazon Web Services')).results[0];
    const cred = await api.json<Obj>('POST', `${V2}/credentials/`, {
      name: 'AWS',
      organization: org.id,
      credential_type: aws.id,
      inputs: { username: 'AKIA1', password: 'cred-secret-canary' },
    });
    await api.json('PATCH', `${V2}/credentials/${cred.id}/`, {
      inputs: { username: 'AKIA1', password: 'cred-new-canary' },
    });
    await api.json('PATCH', `${V2}/credentials/${cred.id}/`, {
      inputs: { username: 'AKIA2', password: '$encrypted$' },
    });
    const user = await api.json<Obj>('POST', `${V2}/users/`, {
      username: 'carol',
      password: 'carol-password-canary',
    });
    await api.json('PATCH', `${V2}/users/${user.id}/`, { password: 'carol-new-canary' });
    const basic = Buffer.from('carol:carol-new-canary').toString('base64');
    const tokenResponse = await api.api.request(`${V2}/tokens/`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ description: 'ci' }),
    });
    const token = (await tokenResponse.json()) as { id: number; token: string };
    await api.json('DELETE', `${V2}/tokens/${token.id}/`, undefined, 204);
    const jt = await api.json<Obj>('POST', `${V2}/job_templates/`, {
      name: 'Secretive',
      organization: org.id,
    });
    const survey = {
      name: 's',
      description: '',
      spec: [
        {
          question_name: 'Pw',
          variable: 'jt_pw',
          type: 'password',
          required: false,
          default: 'survey-default-canary',
        },
      ],
    };
    await api.json('POST', `${V2}/job_templates/${jt.id}/survey_spec/`, survey, 200);
    await api.json('DELETE', `${V2}/job_templates/${jt.id}/survey_spec/`, undefined, 200);
    await api.json('POST', `${V2}/job_templates/${jt.id}/survey_spec/`, survey, 200);
    const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Masked',
      organization: org.id,
    });
    await api.json('POST', `${V2}/workflow_job_templates/${wf.id}/workflow_nodes/`, {
      identifier: 'n',
      unified_job_template: jt.id,
      extra_data: { jt_pw: 'node-answer-canary', plain: 'shown' },
    });
    const slack = await api.json<Obj>('POST', `${V2}/notification_templates/`, {
      name: 'Slack',
      organization: org.id,
      notification_type: 'slack',
      notification_configuration: { token: 'slack-token-canary', channels: ['#ops'] },
    });
    await api.json('POST', `${V2}/notification_templates/`, {
      name: 'SNS',
      organization: org.id,
      notification_type: 'awssns',
      notification_configuration: { aws_region: 'eu-west-1', aws_secret_access_key: 'sns-key-canary' },
    });
    await api.json('PATCH', `${V2}/notification_templates/${slack.id}/`, {
      notification_configuration: { token: 'slack-new-canary', channels: ['#ops'] },
    });
    await api.json('PATCH', `${V2}/notification_templates/${slack.id}/`, {
      notification_configuration: { token: '$encrypted$', channels: ['#ops', '#dev'] },
    });

    const ofCredential = await entries(`credential=${cred.id}`);
    // The create that kept the secret is one entry; a secret replaced shows as a change of inputs.
    expect(ofCredential.map((e) => e.operation)).toEqual(['create', 'update', 'update']);
    expect(JSON.parse(ofCredential[0].changes.inputs as string)).toEqual({
      username: 'AKIA1',
      password: '$encrypted$',
    });
    expect(ofCredential[1].changes).toEqual({
      inputs: [
        '{"username":"AKIA1","password":"$encrypted$"}',
        '{"username":"AKIA1","password":"$encrypted$"}',
      ],
    });
    expect(ofCredential[2].changes).toEqual({
      inputs: [
        '{"username":"AKIA1","password":"$encrypted$"}',
        '{"username":"AKIA2","password":"$encrypted$"}',
      ],
    });
    const ofUser = await entries(`user=${user.id}`);
    expect(ofUser[0].changes).toMatchObject({ username: 'carol', password: 'hidden' });
    expect(ofUser[1].changes).toEqual({ password: ['hidden', 'hidden'] });
    const ofToken = await entries(`o_auth2_access_token=${token.id}`);
    expect(ofToken.map((e) => e.operation)).toEqual(['create', 'delete']);
    expect(ofToken[0].changes).toMatchObject({ token: '************', description: 'ci', user: user.id });
    expect(ofToken[0].summary_fields.actor).toMatchObject({ username: 'carol' });
    const surveyed = await entries(`job_template=${jt.id}&operation=update`);
    expect(
      surveyed.map((e) => e.changes.survey_spec && JSON.parse((e.changes.survey_spec as string[])[1])),
    ).toEqual([
      { ...survey, spec: [{ ...survey.spec[0], default: '$encrypted$' }] },
      null,
      { ...survey, spec: [{ ...survey.spec[0], default: '$encrypted$' }] },
    ]);
    const nodeEntry = (await entries('object1=workflow_job_template_node&operation=create')).at(-1)!;
    expect(JSON.parse(nodeEntry.changes.extra_data as string)).toEqual({
      jt_pw: '$encrypted$',
      plain: 'shown',
    });
    const notifications = await entries('object1=notification_template&operation=create');
    expect(notifications.map((e) => JSON.parse(e.changes.notification_configuration as string))).toEqual([
      { token: '$encrypted$', channels: ['#ops'] },
      { aws_region: 'eu-west-1', aws_secret_access_key: '$encrypted$' },
    ]);
    // As for credentials: a secret replaced shows as a change of the configuration.
    const ofSlack = await entries(`notification_template=${slack.id}`);
    expect(ofSlack.map((e) => e.operation)).toEqual(['create', 'update', 'update']);
    expect(
      ofSlack
        .slice(1)
        .map((e) => (e.changes.notification_configuration as string[]).map((shown) => JSON.parse(shown))),
    ).toEqual([
      [
        { token: '$encrypted$', channels: ['#ops'] },
        { token: '$encrypted$', channels: ['#ops'] },
      ],
      [
        { token: '$encrypted$', channels: ['#ops'] },
        { token: '$encrypted$', channels: ['#ops', '#dev'] },
      ],
    ]);

    const stored = await storedEntries();
    for (const secret of [
      'cred-secret-canary',
      'cred-new-canary',
      'carol-password-canary',
      'carol-new-canary',
      token.token,
      'survey-default-canary',
      'node-answer-canary',
      'slack-token-canary',
      'slack-new-canary',
      'sns-key-canary',
      'scrypt',
    ])
      expect(stored).not.toContain(secret);
    // What the API never keeps at all is nowhere in the table.
    const table = await wholeTable();
    for (const secret of [
      'cred-secret-canary',
      'cred-new-canary',
      'carol-password-canary',
      token.token,
      'slack-token-canary',
      'slack-new-canary',
      'sns-key-canary',
    ])
      expect(table).not.toContain(secret);
  });

  it('records nothing for a refused call, and leaves the table as it was', async () => {
    const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Refusals',
      organization: org.id,
    });
    await api.json('POST', `${V2}/inventories/`, { name: 'Taken', organization: org.id });
    const machine = (await api.json<Page>('GET', `${V2}/credential_types/?name=Machine`)).results[0];
    const before = await wholeTable();
    const refusals: [string, string, unknown, number, string?][] = [
      ['POST', 'inventories/', { name: 'Taken', organization: org.id }, 400],
      ['POST', 'job_templates/', { name: 'X', project: 999999 }, 400],
      ['POST', 'job_templates/', { name: 'X', job_type: 'walk' }, 400],
      ['PATCH', `credential_types/${machine.id}/`, { name: 'Mine' }, 403],
      ['DELETE', 'job_templates/999999/', undefined, 404],
      ['POST', `workflow_job_templates/${wf.id}/survey_spec/`, { name: 's', description: '', spec: [] }, 400],
      ['POST', `workflow_job_templates/${wf.id}/launch/`, { limit: 'x' }, 400],
      ['POST', `workflow_job_templates/${wf.id}/labels/`, { id: 999999 }, 400],
      ['POST', 'users/', { username: 'mallory' }, 403, bob.token],
      ['DELETE', `workflow_job_templates/${wf.id}/`, undefined, 403, bob.token],
      ['POST', 'inventories/', '{"name": ', 400],
    ];
    for (const [method, path, body, status, token] of refusals) {
      const response = await api.call(method, `${V2}/${path}`, body, token);
      expect([method, path, response.status]).toEqual([method, path, status]);
    }
    expect(await wholeTable()).toBe(before);
    // A credential whose secret cannot be kept is made and taken back within the call: no entry.
    const entriesBefore = await storedEntries();
    const bad = { name: 'C', credential_type: machine.id, inputs: { password: 42 } };
    expect((await api.call('POST', `${V2}/credentials/`, bad)).status).toBe(400);
    expect(await storedEntries()).toBe(entriesBefore);
  });

  it('records launches, relaunches, cancels and approval answers', async () => {
    const gated = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Gated',
      organization: org.id,
      survey_enabled: true,
      ask_variables_on_launch: true,
    });
    await api.json(
      'POST',
      `${V2}/workflow_job_templates/${gated.id}/survey_spec/`,
      {
        name: 's',
        description: '',
        spec: [{ question_name: 'Token', variable: 'deploy_token', type: 'password', required: false }],
      },
      200,
    );
    const gate = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${gated.id}/workflow_nodes/`, {
      identifier: 'gate',
    });
    await api.json('POST', `${V2}/workflow_job_template_nodes/${gate.id}/create_approval_template/`, {
      name: 'Ship?',
      timeout: 0,
    });
    const launch = () =>
      api.json<Obj>('POST', `${V2}/workflow_job_templates/${gated.id}/launch/`, {
        extra_vars: { deploy_token: 'launch-secret-canary', target: 'prod' },
      });

    const approved = await launch();
    const first = await pendingApproval(api, approved.id);
    await api.json('POST', `${V2}/workflow_approvals/${first.id}/approve/`, {}, 204);
    await endedWorkflowJob(api, approved.id);
    const denied = await launch();
    const second = await pendingApproval(api, denied.id);
    await api.json('POST', `${V2}/workflow_approvals/${second.id}/deny/`, {}, 204);
    await endedWorkflowJob(api, denied.id);
    const canceled = await launch();
    await pendingApproval(api, canceled.id);
    await api.json('POST', `${V2}/workflow_jobs/${canceled.id}/cancel/`, {}, 202);
    await endedWorkflowJob(api, canceled.id);
    const relaunched = await api.json<Obj>('POST', `${V2}/workflow_jobs/${approved.id}/relaunch/`, {});
    await api.json('POST', `${V2}/workflow_jobs/${relaunched.id}/cancel/`, {}, 202);
    await endedWorkflowJob(api, relaunched.id);

    const launches = await entries('object1=workflow_job&operation=create');
    expect(launches.map((e) => [e.summary_fields.workflow_job[0].id, e.changes.launch_type])).toEqual([
      [approved.id, 'manual'],
      [denied.id, 'manual'],
      [canceled.id, 'manual'],
      [relaunched.id, 'relaunch'],
    ]);
    expect(launches[0].changes).toMatchObject({
      workflow_job_template: gated.id,
      name: 'Gated',
      status: 'pending',
      cancel_flag: false,
    });
    expect(JSON.parse(launches[0].changes.extra_vars as string)).toEqual({
      deploy_token: '$encrypted$',
      target: 'prod',
    });
    const answers = await entries('object1=workflow_approval');
    expect(
      answers.map((e) => [e.summary_fields.workflow_approval[0].id, e.operation, e.changes.status]),
    ).toEqual([
      [first.id, 'update', ['pending', 'successful']],
      [second.id, 'update', ['pending', 'failed']],
    ]);
    expect(answers[0].changes.approved_or_denied_by).toEqual([null, 'admin']);
    const ofJob = await api.json<Page<Entry>>('GET', `${V2}/workflow_jobs/${canceled.id}/activity_stream/`);
    expect(ofJob.results.map((e) => e.operation)).toEqual(['create', 'update']);
    expect(ofJob.results[1].changes.cancel_flag).toEqual([false, true]);
    expect(await storedEntries()).not.toContain('launch-secret-canary');
    expect(await wholeTable()).not.toContain('launch-secret-canary');
  }, 60_000);

  it("records roles granted and revoked, as associations of the user with the role's object", async () => {
    const wf = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name: 'Roles',
      organization: org.id,
    });
    const role = roleId('workflow_job_template', wf.id, 'execute_role');
    await api.json('POST', `${V2}/users/${bob.id}/roles/`, { id: role }, 204);
    // A role already held changes nothing, so records nothing.
    await api.json('POST', `${V2}/users/${bob.id}/roles/`, { id: role }, 204);
    await api.json('POST', `${V2}/roles/${role}/users/`, { id: bob.id, disassociate: true }, 204);
    const changes = await entries(`role=${role}`);
    expect(changes.map((e) => [e.operation, e.object1, e.object2, e.object_association])).toEqual([
      ['associate', 'user', 'workflow_job_template', 'role'],
      ['disassociate', 'user', 'workflow_job_template', 'role'],
    ]);
    expect(changes[0]).toMatchObject({
      summary_fields: {
        user: [{ id: bob.id, username: 'bob' }],
        workflow_job_template: [{ id: wf.id, name: 'Roles' }],
        role: [{ id: role, role_field: 'execute_role' }],
      },
      related: { role: [`${V2}/roles/${role}/`] },
      changes: {
        object1: 'user',
        object1_pk: bob.id,
        object2: 'workflow_job_template',
        object2_pk: wf.id,
        action: 'associate',
        relationship: 'workflow_job_template.execute_role',
      },
    });
    const ofTemplate = await api.json<Page<Entry>>(
      'GET',
      `${V2}/workflow_job_templates/${wf.id}/activity_stream/`,
    );
    expect(ofTemplate.results.map((e) => e.operation)).toEqual(['create', 'associate', 'disassociate']);
    const ofBob = await api.json<Page<Entry>>(
      'GET',
      `${V2}/users/${bob.id}/activity_stream/?object_association=role`,
    );
    expect(ofBob.count).toBe(2);
  });

  it('shows someone without the superuser flag only their own calls and entries about them', async () => {
    const basic = Buffer.from('bob:').toString('base64');
    expect(
      (await api.api.request(`${V2}/me/`, { headers: { Authorization: `Basic ${basic}` } })).status,
    ).toBe(401);
    const created = await api.call('POST', `${V2}/tokens/`, { description: 'mine' }, bob.token);
    expect(created.status).toBe(201);
    const mine = await api.call('GET', `${V2}/activity_stream/?page_size=200`, undefined, bob.token);
    const shown = (await mine.json()) as Page<Entry>;
    expect(shown.results.length).toBeGreaterThan(0);
    const mineOrAboutMe = (e: Entry) =>
      e.summary_fields.actor?.username === 'bob' ||
      (e.summary_fields.user ?? []).some((u) => u.id === bob.id);
    expect(shown.results.every(mineOrAboutMe)).toBe(true);
    expect(shown.results.some((e) => e.object_association === 'role')).toBe(true);
    const all = await entries();
    const hidden = all.find((e) => e.summary_fields.actor?.username === 'admin')!;
    expect((await api.call('GET', `${V2}/activity_stream/${hidden.id}/`, undefined, bob.token)).status).toBe(
      404,
    );
    const ofBob = await api.json<Page<Entry>>('GET', `${V2}/users/${bob.id}/activity_stream/?object2=`);
    expect(ofBob.results.map((e) => [e.operation, e.object1])).toEqual([['create', 'o_auth2_access_token']]);
  });
});
