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
