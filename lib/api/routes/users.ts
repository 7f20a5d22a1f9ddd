import type { UserRecord } from '../../access/accounts';
import { requireSuperuser } from '../permissions';
import { resourceRoutes } from '../resource-routes';
import { addHeldRoleRoutes } from './roles';
import { serializeUser } from '../serializers/user';

/**
 * `/api/v2/users/`: users, created by a superuser. The password is write-only: it is kept as a
 * scrypt hash and shown as `$encrypted$`.
 */
export const users = resourceRoutes<UserRecord>({
  kind: 'user',
  authorize: {
    create: (c) => requireSuperuser(c.get('user')),
    // A user may change themselves (name, email, password), as in AWX; a superuser anyone.
    change: (c, record) => {
      if (record.id !== c.get('user').id) requireSuperuser(c.get('user'));
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
  create: (services, fields, body) =>
    services.accounts.createUser(
      fields as Parameters<typeof services.accounts.createUser>[0],
      newPassword(body),
    ),
  update: (services, id, fields, body) => services.accounts.updateUser(id, fields, newPassword(body)),
  // Through the accounts, which forget at once whom the user's tokens authenticated.
  remove: (services, id) => services.accounts.deleteUser(id),
});

/** The password a body sets: `$encrypted$` (what a client read back) or nothing keeps the old one. */
function newPassword(body: Record<string, unknown>): string | undefined {
  return typeof body.password === 'string' && body.password !== '' && body.password !== '$encrypted$'
    ? body.password
    : undefined;
}

addHeldRoleRoutes(users, 'user');
