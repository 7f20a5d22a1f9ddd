import { ForbiddenError } from '../errors';
import type { UserRecord } from '../access/accounts';

/** AWX's answer to an action the caller's roles do not allow. */
export const FORBIDDEN = 'You do not have permission to perform this action.';

/** Only a superuser may do this (until roles on the resource say otherwise). */
export function requireSuperuser(user: UserRecord): void {
  if (!user.is_superuser) throw new ForbiddenError(FORBIDDEN);
}
