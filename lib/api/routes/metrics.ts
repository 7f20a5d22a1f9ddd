import { Hono } from 'hono';
import type { ResourceKind } from '../../catalog/kinds';
import type { ApiEnv, ApiServices } from '../context';
import { requireSuperuser } from '../permissions';
import { PROMETHEUS_CONTENT_TYPE, prometheusJson, prometheusText, type Metric } from '../prometheus';
import { listedWorkflowJobs } from '../job-lists';
import { JobSerializer } from '../serializers/jobs';
import { PRODUCT_VERSION } from '../version';

/** The one server the jobs run on (AWX's node). */
const NODE = 'towerless';
/** AWX's job statuses, each reported even when no job has it. */
const STATUSES = ['pending', 'waiting', 'running', 'successful', 'failed', 'error', 'canceled'];
/** The objects counted, by AWX's metric name. */
const COUNTED: ReadonlyArray<[string, ResourceKind, string]> = [
  ['awx_organizations_total', 'organization', 'organizations'],
  ['awx_users_total', 'user', 'users'],
  ['awx_teams_total', 'team', 'teams'],
  ['awx_inventories_total', 'inventory', 'inventories'],
  ['awx_projects_total', 'project', 'projects'],
  ['awx_job_templates_total', 'job_template', 'job templates'],
  ['awx_workflow_job_templates_total', 'workflow_job_template', 'workflow job templates'],
  ['awx_schedules_total', 'schedule', 'schedules'],
];

/**
 * `GET /api/v2/metrics/`: the server's state in Prometheus's text format with AWX's metric names
 * (docs/api.md "Metrics"), or as JSON with `?format=json`. Superusers only.
 */
export const metrics = new Hono<ApiEnv>().get('/', async (c) => {
  requireSuperuser(c.get('user'));
  const collected = await collectMetrics(c.get('services'), new URL(c.req.url).origin);
  if (c.req.query('format') === 'json') return c.json(prometheusJson(collected));
  return c.body(prometheusText(collected), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
});

async function collectMetrics(services: ApiServices, origin: string): Promise<Metric[]> {
  const { catalog, jobs } = services;
  const counts = await Promise.all(COUNTED.map(([, kind]) => catalog.count(kind)));
  const hosts = await catalog.list<{ id: number; created: string; modified: string; enabled?: boolean }>(
    'host',
  );
  const serializer = new JobSerializer(jobs, catalog);
  const [workflowJobs, nodeJobs, approvals] = await Promise.all([
    listedWorkflowJobs(jobs),
    Promise.all(
      (['job', 'project_update', 'inventory_update'] as const).map((type) => jobs.listNodeJobs(type)),
    ),
    jobs.listApprovals(),
  ]);
  const unifiedJobs = [
    ...workflowJobs.map((job) => ({ status: job.status as string, launch_type: job.launch_type as string })),
    ...nodeJobs.flat().map((job) => ({ status: job.status as string, launch_type: 'workflow' })),
    ...approvals.map((approval) => ({
      status: serializer.approval(approval).status as string,
      launch_type: 'workflow',
    })),
  ];
  const tally = (key: 'status' | 'launch_type') => {
    const counted = new Map<string, number>();
    for (const job of unifiedJobs) counted.set(job[key], (counted.get(job[key]) ?? 0) + 1);
    return counted;
  };
  const statuses = tally('status');
  const launchTypes = tally('launch_type');
  const gauge = (name: string, help: string, value: number): Metric => ({ name, help, samples: [{ value }] });
  return [
    {
      name: 'awx_system_info',
      help: 'What this server is',
      samples: [
        {
          labels: {
            install_uuid: NODE,
            tower_url_base: origin,
            tower_version: PRODUCT_VERSION,
            license_type: 'open',
            external_logger_enabled: 'False',
          },
          value: 1,
        },
      ],
    },
    ...COUNTED.slice(0, 7).map(([name, , noun], i) => gauge(name, `Number of ${noun}`, counts[i])),
    {
      name: 'awx_hosts_total',
      help: 'Number of hosts, all and enabled',
      samples: [
        { labels: { type: 'all' }, value: hosts.length },
        { labels: { type: 'active' }, value: hosts.filter((host) => host.enabled !== false).length },
      ],
    },
    gauge('awx_schedules_total', 'Number of schedules', counts[7]),
    {
      name: 'awx_status_total',
      help: 'Number of jobs by status',
      samples: STATUSES.map((status) => ({ labels: { status }, value: statuses.get(status) ?? 0 })),
    },
    gauge(
      'awx_running_jobs_total',
      'Number of jobs running',
      (statuses.get('running') ?? 0) + (statuses.get('waiting') ?? 0),
    ),
    gauge('awx_pending_jobs_total', 'Number of jobs waiting to start', statuses.get('pending') ?? 0),
    {
      name: 'awx_instance_status_total',
      help: 'Number of jobs by status on each node',
      samples: [...statuses].map(([status, value]) => ({ labels: { node: NODE, status }, value })),
    },
    {
      name: 'awx_instance_launch_type_total',
      help: 'Number of jobs by how they were launched on each node',
      samples: [...launchTypes].map(([launch_type, value]) => ({
        labels: { node: NODE, launch_type },
        value,
      })),
    },
  ];
}
