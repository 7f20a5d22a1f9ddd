import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { PRODUCT_VERSION } from '../version';

/** `GET /api/v2/ping/`: public, as AWX's (clients use it to find the server and its version). */
export const ping = new Hono<ApiEnv>().get('/', (c) =>
  c.json({
    ha: false,
    version: PRODUCT_VERSION,
    active_node: 'towerless',
    install_uuid: 'towerless',
    instances: [
      {
        node: 'towerless',
        node_type: 'control',
        uuid: 'towerless',
        heartbeat: new Date().toISOString(),
        capacity: 0,
        version: PRODUCT_VERSION,
      },
    ],
    instance_groups: [{ name: 'default', capacity: 0, instances: ['towerless'] }],
  }),
);
