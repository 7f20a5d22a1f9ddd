import type { UserRecord } from '../../access/accounts';
import { resourceRoutes } from '../resource-routes';
import { USER_RESOURCE } from '../user-resource';
import { addHeldRoleRoutes } from './roles';

/** `/api/v2/users/`: users (lib/api/user-resource.ts) and the roles each holds. */
export const users = resourceRoutes<UserRecord>(USER_RESOURCE);
addHeldRoleRoutes(users, 'user');
