import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';

/**
 * A group's place among the groups of its inventory, walked as AWX walks it (Group.get_all_hosts,
 * get_all_children and get_all_parents in awx/main/models/inventory.py): through the `children`
 * lists of the groups of the same inventory. A walk never passes a group twice, so a cycle of
 * children ends it rather than looping.
 */

/** Every host of the group and of the groups below it, each once, in id order. */
export async function allHosts(definitions: DefinitionCatalog, group: DefinitionRecord): Promise<number[]> {
  const groups = await inventoryGroups(definitions, group);
  const below = [group.id, ...reachable(group.id, (id) => childrenOf(groups.get(id)))];
  const hosts = below.flatMap((id) => (groups.get(id)?.hosts as number[] | undefined) ?? []);
  return [...new Set(hosts)].sort((a, b) => a - b);
}

/**
 * The groups of the inventory the group may take as children (AWX's `potential_children`): all
 * but itself and the groups above or below it, which would close a cycle or repeat a child.
 */
export async function potentialChildren(
  definitions: DefinitionCatalog,
  group: DefinitionRecord,
): Promise<number[]> {
  const groups = await inventoryGroups(definitions, group);
  const below = reachable(group.id, (id) => childrenOf(groups.get(id)));
  const above = reachable(group.id, (id) =>
    [...groups.values()].filter((other) => childrenOf(other).includes(id)).map((other) => other.id),
  );
  return [...groups.keys()].filter((id) => id !== group.id && !below.has(id) && !above.has(id));
}

async function inventoryGroups(
  definitions: DefinitionCatalog,
  group: DefinitionRecord,
): Promise<Map<number, DefinitionRecord>> {
  const groups = await definitions.store.list<DefinitionRecord>('group');
  return new Map(
    groups.filter((other) => other.inventory === group.inventory).map((other) => [other.id, other]),
  );
}

function childrenOf(group: DefinitionRecord | undefined): number[] {
  return (group?.children as number[] | undefined) ?? [];
}

/** The ids reached from `start` by `next`, one step or more (`start` too only through a cycle). */
function reachable(start: number, next: (id: number) => readonly number[]): Set<number> {
  const seen = new Set<number>();
  const waiting = [...next(start)];
  while (waiting.length > 0) {
    const id = waiting.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    waiting.push(...next(id));
  }
  return seen;
}
