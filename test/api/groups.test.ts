import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, type ApiFixture } from './api-fixture';

let api: ApiFixture;
type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; results: Obj[] };
const V2 = '/api/v2';
const groups: Record<string, Obj> = {};
const hosts: Record<string, Obj> = {};

// top → middle → bottom, with hosts at each level (h2 twice); apart stands alone; elsewhere is
// another inventory's.
beforeAll(async () => {
  api = await openApiFixture();
  const org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
  const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, { name: 'Inv', organization: org.id });
  const other = await api.json<Obj>('POST', `${V2}/inventories/`, { name: 'Other', organization: org.id });
  for (const name of ['h1', 'h2', 'h3', 'h4', 'h5'])
    hosts[name] = await api.json<Obj>('POST', `${V2}/hosts/`, { name, inventory: inventory.id });
  for (const name of ['top', 'middle', 'bottom', 'apart'])
    groups[name] = await api.json<Obj>('POST', `${V2}/groups/`, { name, inventory: inventory.id });
  groups.elsewhere = await api.json<Obj>('POST', `${V2}/groups/`, { name: 'elsewhere', inventory: other.id });
  const associate = (group: string, list: string, id: number) =>
    api.json('POST', `${V2}/groups/${groups[group].id}/${list}/`, { id }, 204);
  await associate('top', 'hosts', hosts.h1.id);
  await associate('top', 'hosts', hosts.h2.id);
  await associate('top', 'children', groups.middle.id);
  await associate('middle', 'hosts', hosts.h2.id);
  await associate('middle', 'hosts', hosts.h3.id);
  await associate('middle', 'children', groups.bottom.id);
  await associate('bottom', 'hosts', hosts.h4.id);
  await associate('apart', 'hosts', hosts.h5.id);
});
afterAll(() => api.close());

const names = (page: Page) => page.results.map((item) => item.name);

describe('groups: the lists AWX computes', () => {
  it('all_hosts: the hosts of the group and of every group below it, each once', async () => {
    const top = await api.json<Obj>('GET', `${V2}/groups/${groups.top.id}/`);
    expect(top.related).toMatchObject({
      all_hosts: `${V2}/groups/${groups.top.id}/all_hosts/`,
      potential_children: `${V2}/groups/${groups.top.id}/potential_children/`,
    });
    const all = await api.json<Page>('GET', `${V2}/groups/${groups.top.id}/all_hosts/`);
    expect(all.count).toBe(4);
    expect(names(all)).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(all.results[0]).toMatchObject({ type: 'host', id: hosts.h1.id });
    expect(names(await api.json<Page>('GET', `${V2}/groups/${groups.middle.id}/all_hosts/`))).toEqual([
      'h2',
      'h3',
      'h4',
    ]);
    expect(names(await api.json<Page>('GET', `${V2}/groups/${groups.top.id}/all_hosts/?name=h3`))).toEqual([
      'h3',
    ]);
    expect(
      (await api.json<Page>('GET', `${V2}/groups/${groups.top.id}/all_hosts/?page_size=3`)).results,
    ).toHaveLength(3);
  });

  it('potential_children: the groups of its inventory neither above nor below it', async () => {
    const middle = await api.json<Page>('GET', `${V2}/groups/${groups.middle.id}/potential_children/`);
    expect(names(middle)).toEqual(['apart']);
    const apart = await api.json<Page>('GET', `${V2}/groups/${groups.apart.id}/potential_children/`);
    expect(names(apart)).toEqual(['top', 'middle', 'bottom']);
  });

  it('walks a cycle of children once', async () => {
    await api.json('POST', `${V2}/groups/${groups.bottom.id}/children/`, { id: groups.top.id }, 204);
    try {
      const all = await api.json<Page>('GET', `${V2}/groups/${groups.bottom.id}/all_hosts/`);
      expect(names(all)).toEqual(['h1', 'h2', 'h3', 'h4']);
    } finally {
      await api.json(
        'POST',
        `${V2}/groups/${groups.bottom.id}/children/`,
        { id: groups.top.id, disassociate: true },
        204,
      );
    }
  });

  it('answers 404 for a group that does not exist', async () => {
    expect((await api.call('GET', `${V2}/groups/999999/all_hosts/`)).status).toBe(404);
    expect((await api.call('GET', `${V2}/groups/999999/potential_children/`)).status).toBe(404);
  });
});

describe('groups: deleting one as AWX does', () => {
  it('deletes the groups below it that no other group holds, and the hosts left in no group', async () => {
    const org = (await api.json<Page>('GET', `${V2}/organizations/?name=Default`)).results[0];
    const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, {
      name: 'Del',
      organization: org.id,
    });
    const made: Record<string, Obj> = {};
    for (const name of ['parent', 'only', 'grandchild', 'shared', 'keeper'])
      made[name] = await api.json<Obj>('POST', `${V2}/groups/`, { name, inventory: inventory.id });
    for (const name of ['x', 'y', 'z', 'w'])
      made[name] = await api.json<Obj>('POST', `${V2}/hosts/`, { name, inventory: inventory.id });
    const associate = (group: string, list: string, member: string) =>
      api.json('POST', `${V2}/groups/${made[group].id}/${list}/`, { id: made[member].id }, 204);
    await associate('parent', 'children', 'only');
    await associate('parent', 'children', 'shared');
    await associate('only', 'children', 'grandchild');
    // A cycle back to the group deleted is walked once.
    await associate('grandchild', 'children', 'parent');
    await associate('keeper', 'children', 'shared');
    await associate('parent', 'hosts', 'x');
    await associate('only', 'hosts', 'y');
    await associate('keeper', 'hosts', 'y');
    await associate('grandchild', 'hosts', 'z');
    await associate('shared', 'hosts', 'w');

    await api.json('DELETE', `${V2}/groups/${made.parent.id}/`, undefined, 204);
    const left = async (list: string) =>
      names(await api.json<Page>('GET', `${V2}/inventories/${inventory.id}/${list}/`)).sort();
    expect(await left('groups')).toEqual(['keeper', 'shared']);
    expect(await left('hosts')).toEqual(['w', 'y']);
    const keeper = await api.json<Page>('GET', `${V2}/groups/${made.keeper.id}/children/`);
    expect(names(keeper)).toEqual(['shared']);
  });
});
