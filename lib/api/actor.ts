import type { UserRecord } from '../access/accounts';
import type { Actor } from '../store/records';

/** The user as job records name who launched or decided something. */
export function actorOf(user: UserRecord): Actor {
  return { id: user.id, username: user.name };
}
