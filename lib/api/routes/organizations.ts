import { ORGANIZATION_DEFINITION } from '../../catalog/resources/others';
import { definitionRoutes } from '../definition-routes';
import { addRoleHolderRoutes } from './roles';

/** `/api/v2/organizations/`: organizations (Default exists), their members and admins. */
export const organizations = definitionRoutes(ORGANIZATION_DEFINITION);
addRoleHolderRoutes(organizations, 'organization', 'users', 'member_role');
addRoleHolderRoutes(organizations, 'organization', 'admins', 'admin_role');
