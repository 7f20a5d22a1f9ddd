import { Hono, type Context } from 'hono';
import type { UserRecord } from '../../access/accounts';
import type { Holder } from '../../access/role-grants';
import { roleId, roleOf, type RoleKind } from '../../access/roles';
import type { DefinitionRecord } from '../../catalog/definition';
import { definitionOf } from '../../catalog/resources';
import { NotFoundError } from '../../errors';
import { BodyFields, jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { definitionSerializer } from '../definition-routes';
import { accessOf, requireAccess, requireUserCreate } from '../permissions';
import { listPage, readBody } from '../resource-routes';
import { serializeRole } from '../serializers/role';
import { serializeUser } from '../serializers/user';
import { createUser, USER_RESOURCE } from '../user-resource';
import { resourceId } from './resource-id';

/**
 * Roles (docs/api.md "Roles"): `/api/v2/roles/<id>/` with its holders; granting is associating a
 * user or team with the role (`POST …/users/ {"id": N}`), revoking adds `"disassociate": true`.
 * Who may grant a role: whoever may change its object.
 */
export const roles = new Hono<ApiEnv>()
  .get('/', async (c) => {
    const { grants } = c.get('services');
    const held = (await grants.all()).filter((grant) => grant.users.size + grant.teams.size > 0);
    const shown = (await Promise.all(held.map((grant) => visibleRole(c, grant.role)))).filter(
      (role) => role !== undefined,
    );
    return c.json(await listPage(c, shown, (role) => role));
  })
  .get('/:id/', async (c) => {
    const role = await visibleRole(c, resourceId(c));
    if (!role) throw new NotFoundError(`role ${c.req.param('id')} not found`);
    return c.json(role);
  })
  .get('/:id/users/', async (c) => {
    const { role } = await roleObject(c, resourceId(c), 'read');
    const { grants, catalog } = c.get('services');
    const users = await Promise.all(
      [...(await grants.get(role)).users].map((id) => catalog.find<UserRecord>('user', id)),
    );
    return c.json(
      await listPage(
        c,
        users.filter((user) => user !== undefined),
        serializeUser,
        ['name'],
      ),
    );
  })
  .post('/:id/users/', async (c) => {
    const { id, remove } = await association(c);
    return holderChange(c, resourceId(c), 'user', id, remove);
  })
  .get('/:id/teams/', async (c) => {
    const { role } = await roleObject(c, resourceId(c), 'read');
    const services = c.get('services');
    const teams = await Promise.all(
      [...(await services.grants.get(role)).teams].map((id) =>
        services.catalog.find<DefinitionRecord>('team', id),
      ),
    );
    return c.json(
      await listPage(
        c,
        teams.filter((team) => team !== undefined),
        definitionSerializer(definitionOf('team')!, services),
      ),
    );
  })
  .post('/:id/teams/', async (c) => {
    const { id, remove } = await association(c);
    return holderChange(c, resourceId(c), 'team', id, remove);
  });

/** An association body: `{"id": N}`, with `"disassociate": true` to take away. */
async function association(
  c: Context<ApiEnv>,
  body?: Record<string, unknown>,
): Promise<{ id: number; remove: boolean }> {
  const fields = new BodyFields(body ?? (await jsonBody(c)));
  const id = fields.id('id', true);
  const remove = fields.boolean('disassociate', { fallback: false });
  fields.check();
  return { id: id!, remove: remove! };
}

/** The role and its object, once the caller may `action` the object; 404 for no such role. */
async function roleObject(c: Context<ApiEnv>, id: number, action: 'read' | 'change') {
  const role = roleOf(id);
  const record = role && (await c.get('services').catalog.find<DefinitionRecord>(role.kind, role.objectId));
  if (!role || !record) throw new NotFoundError(`role ${id} not found`);
  await requireAccess(c, action, role.kind, record);
  return { role: id, kind: role.kind, record };
}

async function visibleRole(c: Context<ApiEnv>, id: number) {
  const role = roleOf(id);
  const record = role && (await c.get('services').catalog.find<DefinitionRecord>(role.kind, role.objectId));
  if (!role || !record || !(await (await accessOf(c)).can('read', role.kind, record))) return undefined;
  return serializeRole(id, String(record.name));
}

/** Grants (or revokes) a role to a user or team: 204. */
async function holderChange(
  c: Context<ApiEnv>,
  role: number,
  kind: 'user' | 'team',
  id: number,
  remove: boolean,
): Promise<Response> {
  await roleObject(c, role, 'change');
  const { catalog, grants } = c.get('services');
  if (!(await catalog.find(kind, id))) throw new NotFoundError(`${kind} ${id} not found`);
  const holder: Holder = kind === 'user' ? { user: id } : { team: id };
  if (remove) await grants.revoke(role, holder);
  else await grants.grant(role, holder);
  return c.body(null, 204);
}

/**
 * `…/roles/` of a user or team: the roles it holds (directly), and granting one by posting the
 * role's id.
 */
export function addHeldRoleRoutes(routes: Hono<ApiEnv>, kind: 'user' | 'team'): void {
  routes
    .get('/:id/roles/', async (c) => {
      const id = resourceId(c);
      const { grants, catalog } = c.get('services');
      if (!(await catalog.find(kind, id))) throw new NotFoundError(`${kind} ${id} not found`);
      const held = (await grants.all()).filter((grant) =>
        (kind === 'user' ? grant.users : grant.teams).has(id),
      );
      const shown = (await Promise.all(held.map((grant) => visibleRole(c, grant.role)))).filter(
        (role) => role !== undefined,
      );
      return c.json(await listPage(c, shown, (role) => role));
    })
    .post('/:id/roles/', async (c) => {
      const holder = resourceId(c);
      const { id: role, remove } = await association(c);
      if (!roleOf(role)) throw new NotFoundError(`role ${role} not found`);
      return holderChange(c, role, kind, holder, remove);
    });
}

/**
 * A role's holders as a sub-list of its object (`/teams/1/users/` are the team's members,
 * `/organizations/1/admins/` its admins): listing them, adding one by id, and, posted a user's
 * fields without an id, creating the user who then holds the role (AWX's users sub-lists: how an
 * organization admin creates users, and how the awx.awx user module creates one in an
 * organization).
 */
export function addRoleHolderRoutes(
  routes: Hono<ApiEnv>,
  kind: RoleKind,
  relation: string,
  field: string,
): void {
  routes
    .get(`/:id/${relation}/`, async (c) => {
      const role = roleId(kind, resourceId(c), field);
      await roleObject(c, role, 'read');
      const { grants, catalog } = c.get('services');
      const users = await Promise.all(
        [...(await grants.get(role)).users].map((id) => catalog.find<UserRecord>('user', id)),
      );
      const present = users.filter((user) => user !== undefined);
      return c.json(await listPage(c, present, serializeUser, ['name']));
    })
    .post(`/:id/${relation}/`, async (c) => {
      const role = roleId(kind, resourceId(c), field);
      const body = await jsonBody(c);
      if (!('disassociate' in body) && !body.id) return createHolder(c, role, body);
      const { id, remove } = await association(c, body);
      return holderChange(c, role, 'user', id, remove);
    });
}

/** Creates a user who holds `role` from their fields: 201 with the user. */
async function createHolder(c: Context<ApiEnv>, role: number, body: Record<string, unknown>) {
  await roleObject(c, role, 'change');
  const fields = readBody(USER_RESOURCE, body, false);
  await requireUserCreate(c, fields.is_superuser === true);
  const services = c.get('services');
  const user = await createUser(services, fields, body);
  await services.grants.grant(role, { user: user.id });
  return c.json(serializeUser(user), 201);
}
