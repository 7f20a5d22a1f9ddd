import { INVENTORY_SOURCE } from '../../catalog/resources/inventory';
import { definitionRoutes } from '../definition-routes';
import { addStandaloneRoute } from './standalone-launch';

/** `/api/v2/inventory_sources/`: inventory sources, and their update (an inventory update job, 202). */
export const inventorySources = definitionRoutes(INVENTORY_SOURCE);
addStandaloneRoute(inventorySources, INVENTORY_SOURCE, {
  kind: 'inventory_source',
  path: 'update',
  action: 'update',
  status: 202,
  describe: () => ({ can_update: true }),
});
