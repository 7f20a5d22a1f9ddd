import type { TokenRecord } from '../../access/accounts';
import { envelope } from './envelope';

/** A token as AWX lists it: the token itself only in the answer to its creation. */
export function serializeToken(record: TokenRecord, token?: string): Record<string, unknown> {
  return {
    ...envelope('o_auth2_access_token', 'tokens', record, { user: `/users/${record.user}` }),
    description: record.description,
    user: record.user,
    token: token ?? '************',
    refresh_token: null,
    application: null,
    expires: record.expires,
    scope: record.scope,
  };
}
