import { roleId, roleName, roleOf, type RoleKind } from '../../access/roles';
import { API_PREFIX } from '../version';
import { collectionOf } from './definition';

/** A role as AWX shows one: its object in `summary_fields`, its holders under `related`. */
export function serializeRole(id: number, resourceName: string): Record<string, unknown> {
  const { kind, objectId, field } = roleOf(id)!;
  const url = `${API_PREFIX}/roles/${id}/`;
  return {
    id,
    type: 'role',
    url,
    related: {
      users: `${url}users/`,
      teams: `${url}teams/`,
      [kind]: `${API_PREFIX}/${collectionOf(kind)}/${objectId}/`,
    },
    summary_fields: {
      resource_name: resourceName,
      resource_type: kind,
      resource_type_display_name: kind.replace(/_/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase()),
      resource_id: objectId,
    },
    name: roleName(field),
    description: `May ${roleName(field).toLowerCase()} the ${kind.replace(/_/g, ' ')}`,
  };
}

/** `summary_fields.object_roles` of an object: each role field with its id (the awx.awx role module reads it). */
export function objectRoles(
  kind: RoleKind,
  objectId: number,
  fields: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((field) => [
      field,
      {
        id: roleId(kind, objectId, field),
        name: roleName(field),
        description: `May ${roleName(field).toLowerCase()}`,
      },
    ]),
  );
}
