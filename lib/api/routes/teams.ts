import { TEAM } from '../../catalog/resources/others';
import { definitionRoutes } from '../definition-routes';
import { addHeldRoleRoutes, addRoleHolderRoutes } from './roles';

/** `/api/v2/teams/`: teams, their members (`users`: the member role's holders) and roles. */
export const teams = definitionRoutes(TEAM);
addRoleHolderRoutes(teams, 'team', 'users', 'member_role');
addHeldRoleRoutes(teams, 'team');
