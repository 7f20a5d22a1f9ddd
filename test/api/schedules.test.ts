import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempBundle } from '../support/files';
import { localCatalog } from '../support/local-catalog';
import { openApiFixture, type ApiFixture } from './api-fixture';

/** Schedules keep prompts as AWX's saved launches do: only what their template prompts for. */
let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';
const RRULE = 'DTSTART:20191219T130551Z RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=1';
let plain: Obj;
let limited: Obj;
let inventory: number;

beforeAll(async () => {
  const root = tempBundle({ 'demo/hello.yml': '- hosts: all\n  tasks: []\n' });
  api = await openApiFixture({ projectsRoot: root });
  const catalog = await localCatalog(api);
  inventory = catalog.inventory;
  const template = (name: string, extra: Record<string, unknown> = {}) =>
    api.json<Obj>('POST', `${V2}/job_templates/`, {
      name,
      project: catalog.project,
      inventory,
      playbook: 'hello.yml',
      ...extra,
    });
  plain = await template('Plain');
  limited = await template('Limited', { ask_limit_on_launch: true });
});
afterAll(() => api.close());

const schedule = (name: string, template: Obj, prompts: Record<string, unknown>) =>
  api.call('POST', `${V2}/schedules/`, { name, unified_job_template: template.id, rrule: RRULE, ...prompts });

describe('schedules: prompts as AWX saves a launch', () => {
  it('refuses what the template does not prompt for, naming every field', async () => {
    const refused = await schedule('Too much', plain, {
      limit: 'node1',
      verbosity: 4,
      extra_data: { some: 'var' },
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      limit: ['Field is not configured to prompt on launch.'],
      verbosity: ['Field is not configured to prompt on launch.'],
      extra_data: [
        'Variables some are not allowed on launch. Check the Prompt on Launch setting on the Job Template to include Extra Variables.',
      ],
    });
  });

  it("takes what it prompts for, and the template's own values", async () => {
    expect((await schedule('Limited', limited, { limit: 'node1' })).status).toBe(201);
    const same = await schedule('Same inventory', plain, { inventory });
    expect(same.status).toBe(201);
    const created = (await same.json()) as Obj;
    // A change that sets no prompt is not checked again.
    await api.json('PATCH', `${V2}/schedules/${created.id}/`, { enabled: false });
    const changed = await api.call('PATCH', `${V2}/schedules/${created.id}/`, { limit: 'node2' });
    expect(await changed.json()).toEqual({ limit: ['Field is not configured to prompt on launch.'] });
  });
});

describe('schedules: rrules as AWX reads them', () => {
  it('refuses a rule AWX refuses, on either path, with its 400 body', async () => {
    const naive = 'DTSTART:20260130T020000 RRULE:FREQ=DAILY;INTERVAL=1';
    const refused = await schedule('Naive', plain, { rrule: naive });
    expect(refused.status).toBe(400);
    const body = {
      rrule: [
        'DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ.',
        'rrule parsing failed validation: A valid TZID must be provided (e.g., America/New_York)',
      ],
    };
    expect(await refused.json()).toEqual(body);
    const child = await api.call('POST', `${V2}/job_templates/${plain.id}/schedules/`, {
      name: 'Naive',
      rrule: naive,
    });
    expect([child.status, await child.json()]).toEqual([400, body]);
    const secondly = await schedule('Secondly', plain, {
      rrule: 'DTSTART:20260130T020000Z RRULE:FREQ=SECONDLY;INTERVAL=1',
    });
    expect(await secondly.json()).toEqual({
      rrule: ['SECONDLY is not supported: RULE:FREQ=SECONDLY;INTERVAL=1'],
    });
  });

  it('accepts a missing INTERVAL (RFC 5545 reads 1; the AWX guide relies on it)', async () => {
    const created = await schedule('No interval', plain, {
      rrule: 'DTSTART:20260201T060000Z RRULE:FREQ=WEEKLY;BYDAY=SU',
    });
    expect(created.status).toBe(201);
  });

  it('shows dtstart, dtend, next_run, timezone and until as AWX computes them', async () => {
    const created = await api.json<Obj>('POST', `${V2}/job_templates/${plain.id}/schedules/`, {
      name: 'Berlin',
      rrule: 'DTSTART;TZID=Europe/Berlin:20260301T090000 RRULE:FREQ=MONTHLY;INTERVAL=1;UNTIL=20990401T090000',
    });
    expect(created).toMatchObject({
      dtstart: '2026-03-01T08:00:00Z',
      dtend: '2099-04-01T07:00:00Z',
      timezone: 'Europe/Berlin',
      until: '2099-04-01T09:00:00',
    });
    const next = new Date(created.next_run as string).getTime();
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThan(32 * 86_400_000);
    const disabled = await api.json<Obj>('PATCH', `${V2}/schedules/${created.id}/`, { enabled: false });
    expect(disabled).toMatchObject({ next_run: null, dtstart: '2026-03-01T08:00:00Z' });
    const listed = await api.json<{ results: Obj[] }>(
      'GET',
      `${V2}/job_templates/${plain.id}/schedules/?name=Berlin`,
    );
    expect(listed.results.map((result) => result.id)).toEqual([created.id]);
    const ended = await api.json<Obj>('POST', `${V2}/schedules/`, {
      name: 'Ended',
      unified_job_template: plain.id,
      rrule: 'DTSTART:20200101T000000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2',
    });
    expect(ended).toMatchObject({
      next_run: null,
      dtend: '2020-01-02T00:00:00Z',
      timezone: 'UTC',
      until: '',
    });
  });

  it('previews the next ten occurrences, local and UTC', async () => {
    const preview = await api.json<{ local: string[]; utc: string[] }>(
      'POST',
      `${V2}/schedules/preview/`,
      {
        rrule: 'DTSTART;TZID=America/New_York:20300115T120000 RRULE:FREQ=DAILY;INTERVAL=1;COUNT=7',
      },
      200,
    );
    expect(preview.local[0]).toBe('2030-01-15T12:00:00-05:00');
    expect(preview.utc).toEqual([15, 16, 17, 18, 19, 20, 21].map((day) => `2030-01-${day}T17:00:00Z`));
    const daily = await api.json<{ local: string[] }>(
      'POST',
      `${V2}/schedules/preview/`,
      {
        rrule: 'DTSTART:20200101T000000Z RRULE:FREQ=DAILY;INTERVAL=1',
      },
      200,
    );
    expect(daily.local).toHaveLength(10);
    expect(daily.local[0]).toMatch(/T00:00:00Z$/);
    const refused = await api.call('POST', `${V2}/schedules/preview/`, { rrule: 'DTSTART:20200101T000000Z' });
    expect(await refused.json()).toEqual({ rrule: ['One or more rule required in rrule.'] });
  });

  it("lists the zones and their links as AWX's code does", async () => {
    const info = await api.json<{ zones: string[]; links: Record<string, string> }>(
      'GET',
      `${V2}/schedules/zoneinfo/`,
    );
    expect(info.zones).toContain('America/New_York');
    expect(info.zones).toContain('US/Eastern');
    expect(info.links['US/Eastern']).toBe('America/New_York');
    expect([...info.zones].sort()).toEqual(info.zones);
  });
});
