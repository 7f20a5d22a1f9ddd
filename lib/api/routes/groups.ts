import { deletedWithGroup } from '../../catalog/group-tree';
import { GROUP, HOST } from '../../catalog/resources/inventory';
import { definitionRoutes } from '../definition-routes';

/**
 * `/api/v2/groups/`: groups, deleted as AWX deletes one through its API, with the groups below it
 * that no other group holds and the hosts left in no group (lib/catalog/group-tree.ts).
 */
export const groups = definitionRoutes(GROUP, {
  remove: async ({ definitions }, id) => {
    const deleted = await deletedWithGroup(definitions, await definitions.get(GROUP, id));
    for (const group of deleted.groups) await definitions.delete(GROUP, group);
    for (const host of deleted.hosts) await definitions.delete(HOST, host);
  },
});
