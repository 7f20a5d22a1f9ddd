import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { PRODUCT_VERSION } from '../version';

/** `GET /api/v2/config/`: what the awx.awx collection reads to check the server. */
export const config = new Hono<ApiEnv>().get('/', (c) =>
  c.json({
    time_zone: 'UTC',
    license_info: { license_type: 'open', valid_key: true, product_name: 'AWX' },
    version: PRODUCT_VERSION,
    eula: '',
    analytics_status: 'off',
    analytics_collectors: {},
    become_methods: [
      ['sudo', 'Sudo'],
      ['su', 'Su'],
      ['pbrun', 'Pbrun'],
      ['pfexec', 'Pfexec'],
      ['dzdo', 'DZDO'],
      ['pmrun', 'Pmrun'],
      ['runas', 'Runas'],
      ['enable', 'Enable'],
      ['doas', 'Doas'],
      ['ksu', 'Ksu'],
      ['machinectl', 'Machinectl'],
      ['sesu', 'Sesu'],
    ],
    ui_next: false,
    project_base_dir: '',
    project_local_paths: [],
    custom_virtualenvs: [],
  }),
);
