import type { UserRecord } from '../../access/accounts';
import { envelope } from './envelope';

/** A user as AWX shows one: never the password, which AWX writes as `$encrypted$`. */
export function serializeUser(record: UserRecord): Record<string, unknown> {
  return {
    ...envelope('user', 'users', record, { teams: 'teams', organizations: 'organizations', roles: 'roles' }),
    username: record.name,
    first_name: record.first_name,
    last_name: record.last_name,
    email: record.email,
    is_superuser: record.is_superuser,
    is_system_auditor: false,
    password: '$encrypted$',
    ldap_dn: '',
    last_login: null,
    external_account: null,
  };
}
