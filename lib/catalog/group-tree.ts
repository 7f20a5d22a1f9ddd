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
  const hosts = below.flatMap((id) => hostsOf(groups.get(id)));
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

/**
 * What AWX deletes with a group (its Group.delete_recursive, what `DELETE /groups/N/` does): the
 * group, each group below it that has no parent left once the groups deleted before it are gone,
 * and each host of a deleted group that is then in no group at all.
 */
export async function deletedWithGroup(
  definitions: DefinitionCatalog,
  group: DefinitionRecord,
): Promise<{ groups: number[]; hosts: number[] }> {
  const groups = await inventoryGroups(definitions, group);
  const parents = new Map<number, Set<number>>();
  const memberships = new Map<number, Set<number>>();
  for (const each of groups.values()) {
    for (const child of childrenOf(each)) setOf(parents, child).add(each.id);
    for (const host of hostsOf(each)) setOf(memberships, host).add(each.id);
  }
  const deleted = new Set<number>();
  const hosts: number[] = [];
  const remove = (id: number) => {
    deleted.add(id);
    for (const host of hostsOf(groups.get(id))) {
      const left = setOf(memberships, host);
      left.delete(id);
      if (left.size === 0) hosts.push(host);
    }
    return childrenOf(groups.get(id)).map((child) => [id, child] as const);
  };
  const edges = remove(group.id);
  for (const [parent, child] of edges) {
    const left = setOf(parents, child);
    left.delete(parent);
    // A group deleted already (through a cycle of children) is not walked again.
    if (left.size === 0 && !deleted.has(child)) edges.push(...remove(child));
  }
  return { groups: [...deleted], hosts };
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

function hostsOf(group: DefinitionRecord | undefined): number[] {
  return (group?.hosts as number[] | undefined) ?? [];
}

function setOf(sets: Map<number, Set<number>>, id: number): Set<number> {
  let set = sets.get(id);
  if (!set) sets.set(id, (set = new Set()));
  return set;
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
