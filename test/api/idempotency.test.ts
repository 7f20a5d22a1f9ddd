import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../../lib/store/idempotency-keys';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
let other: string;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
let flow: Obj;
let surveyed: Obj;

beforeAll(async () => {
  api = await openApiFixture();
  const user = await api.services.accounts.createUser({
    name: 'second',
    first_name: '',
    last_name: '',
    email: '',
    is_superuser: true,
  });
  other = (await api.services.accounts.createToken(user)).token;
  const org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
  flow = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Flow',
    organization: org.id,
    ask_variables_on_launch: true,
    ask_limit_on_launch: false,
  });
  surveyed = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
    name: 'Other',
    organization: org.id,
  });
});
afterAll(() => api.close());

function launch(template: number, body: unknown, key?: string, token = api.admin) {
  return Promise.resolve(
    api.api.request(`${V2}/workflow_job_templates/${template}/launch/`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...(key === undefined ? {} : { 'Idempotency-Key': key }),
      },
      body: JSON.stringify(body),
    }),
  );
}

const jobCount = async () => (await api.json<Page>('GET', `${V2}/workflow_jobs/`)).count;

describe('Idempotency-Key on a workflow launch', () => {
  it('answers a retry with the same workflow job instead of launching again', async () => {
    const before = await jobCount();
    const first = await launch(flow.id, { extra_vars: { run: 1 } }, 'deploy-42');
    expect(first.status).toBe(201);
    const shown = (await first.json()) as Obj;
    expect(shown).toMatchObject({ workflow_job: shown.id, type: 'workflow_job', name: 'Flow' });
    // Spacing and key order do not make it another request.
    const again = await api.api.request(`${V2}/workflow_job_templates/${flow.id}/launch/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${api.admin}`, 'Idempotency-Key': 'deploy-42' },
      body: '{ "extra_vars" : {"run": 1} }',
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    expect(again.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await again.json()).toEqual(shown);
    expect(await jobCount()).toBe(before + 1);
    // Without a key, or with another one, each launch is a new job.
    expect(((await (await launch(flow.id, { extra_vars: { run: 1 } })).json()) as Obj).id).not.toBe(shown.id);
    expect(
      ((await (await launch(flow.id, { extra_vars: { run: 1 } }, 'deploy-43')).json()) as Obj).id,
    ).not.toBe(shown.id);
    expect(await jobCount()).toBe(before + 3);
  });

  it('launches once when requests with the same key race', async () => {
    const before = await jobCount();
    const entriesBefore = (await api.json<Page>('GET', `${V2}/activity_stream/?object1=workflow_job`)).count;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => launch(flow.id, { extra_vars: { race: true } }, 'race-key')),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    const ids = await Promise.all(responses.map(async (response) => ((await response.json()) as Obj).id));
    expect(new Set(ids).size).toBe(1);
    expect(await jobCount()).toBe(before + 1);
    // One launch, so one activity stream entry.
    expect((await api.json<Page>('GET', `${V2}/activity_stream/?object1=workflow_job`)).count).toBe(
      entriesBefore + 1,
    );
  });

  it('refuses a key used again with another body or another template (400), and keeps keys per user', async () => {
    await launch(flow.id, { extra_vars: { a: 1 } }, 'reused');
    const before = await jobCount();
    for (const [template, body] of [
      [flow.id, { extra_vars: { a: 2 } }],
      [surveyed.id, { extra_vars: { a: 1 } }],
    ] as const) {
      const response = await launch(template, body, 'reused');
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        detail:
          'This Idempotency-Key was used in the last 24 hours with a different request; use a new key for a new launch.',
      });
    }
    expect(await jobCount()).toBe(before);
    const theirs = await launch(flow.id, { extra_vars: { a: 2 } }, 'reused', other);
    expect(theirs.status).toBe(201);
    expect(await jobCount()).toBe(before + 1);
    const blank = await launch(flow.id, {}, '   ');
    expect(blank.status).toBe(400);
  });

  it('frees the key of a refused launch, so a corrected retry launches', async () => {
    const refused = await launch(flow.id, { limit: 'web' }, 'fix-me');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ limit: ['Field is not configured to prompt on launch.'] });
    const fixed = await launch(flow.id, {}, 'fix-me');
    expect(fixed.status).toBe(201);
  });

  it('frees a key after 24 hours, and takes over a claim whose request never answered', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const keys = new IdempotencyKeys(api.session.table, { now: () => now });
    const claim = await keys.claim('u1', 'k', 'f1');
    expect(claim.mine).toBe(true);
    await keys.settle('u1', 'k', (claim as { owner: string }).owner, { status: 201, body: '{}' });
    now += 23 * 3_600_000;
    expect(await keys.claim('u1', 'k', 'f1')).toMatchObject({
      mine: false,
      record: { answer: { status: 201 } },
    });
    now += 3_600_001;
    expect(await keys.claim('u1', 'k', 'f2')).toMatchObject({ mine: true });
    // Claimed, never answered (its process died): another request takes it over once stale.
    expect(await keys.claim('u1', 'k', 'f2')).toMatchObject({ mine: false });
    now += 61_000;
    expect(await keys.claim('u1', 'k', 'f2')).toMatchObject({ mine: true });
  });
});
