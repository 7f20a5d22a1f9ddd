import type { Context } from 'hono';
import type { UserRecord } from '../access/accounts';
import { ForbiddenError } from '../errors';
import { BodyFields, jsonBody } from './body';
import type { Fields } from '../catalog/catalog-store';
import type { ApiEnv, ApiServices } from './context';
import { FORBIDDEN, requireSuperuser, requireUserAdmin } from './permissions';
import type { ResourceSpec } from './resource-routes';
import { serializeUser } from './serializers/user';

/**
 * Users as a resource (docs/api.md "Roles"): `/api/v2/users/` and the users sub-lists that create
 * one (`/organizations/N/users/`...). The password is write-only: it is kept as a scrypt hash and
 * shown as `$encrypted$`. Only a superuser posts to `/users/`; organization admins create users
 * through their organization's sub-list, and change and delete its members (AWX's UserAccess).
 */
export const USER_RESOURCE: ResourceSpec<UserRecord> = {
  kind: 'user',
  authorize: {
    create: (c) => requireSuperuser(c.get('user')),
    // A user may change themselves (name, email, password), as in AWX.
    change: async (c, record) => {
      if (record.id !== c.get('user').id) await requireUserAdmin(c, record);
      await refuseSuperuserGrant(c);
    },
    // Nobody deletes themselves, not even a superuser (AWX).
    remove: async (c, record) => {
      if (record.id === c.get('user').id) throw new ForbiddenError(FORBIDDEN);
      await requireUserAdmin(c, record);
    },
    read: () => true,
  },
  serializer: () => serializeUser,
  searchable: ['name', 'first_name', 'last_name', 'email'],
  read: (fields) => ({
    name: fields.string('username', { required: true, max: 150 }),
    first_name: fields.string('first_name', { max: 150 }),
    last_name: fields.string('last_name', { max: 150 }),
    email: fields.string('email', { max: 254 }),
    is_superuser: fields.boolean('is_superuser', { fallback: false }),
  }),
  create: createUser,
  update: (services, id, fields, body) => services.accounts.updateUser(id, fields, newPassword(body)),
  // Through the accounts, which forget at once whom the user's tokens authenticated.
  remove: (services, id) => services.accounts.deleteUser(id),
};

/** Creates a user from the fields read and the body's password. */
export function createUser(
  services: ApiServices,
  fields: Partial<Fields<UserRecord>>,
  body: Record<string, unknown>,
): Promise<UserRecord> {
  return services.accounts.createUser(
    fields as Parameters<typeof services.accounts.createUser>[0],
    newPassword(body),
  );
}

/** Only a superuser makes someone a superuser, themselves included (AWX's can_change). */
async function refuseSuperuserGrant(c: Context<ApiEnv>): Promise<void> {
  if (c.get('user').is_superuser) return;
  const fields = new BodyFields(await jsonBody(c), true);
  if (fields.boolean('is_superuser')) throw new ForbiddenError(FORBIDDEN);
}

/** The password a body sets: `$encrypted$` (what a client read back) or nothing keeps the old one. */
function newPassword(body: Record<string, unknown>): string | undefined {
  return typeof body.password === 'string' && body.password !== '' && body.password !== '$encrypted$'
    ? body.password
    : undefined;
}
