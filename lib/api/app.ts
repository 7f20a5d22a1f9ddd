import { Hono } from 'hono';
import { APPROVAL_LINKS_PATH } from '../approvals/approval-links';
import { resumeRoutes, TOWERLESS_WORKFLOW_JOBS_PATH } from './routes/resume';
import { stateMachineRoutes, TOWERLESS_WORKFLOW_TEMPLATES_PATH } from './routes/state-machines';
import { bodyLimit } from 'hono/body-limit';
import { appendTrailingSlash } from 'hono/trailing-slash';
import { UserError } from '../errors';
import { recordActivity } from './activity';
import { authenticate } from './auth';
import { MAX_BODY_BYTES } from './body';
import type { ApiEnv, ApiServices } from './context';
import { errorResponse } from './errors';
import { idempotentLaunch } from './idempotency';
import { optionsRoutes } from './options';
import { DEFINITIONS } from '../catalog/resources';
import { definitionRoutes } from './definition-routes';
import { activityStream, activityStreamSubLists } from './routes/activity-stream';
import { approvalLinkPages } from './routes/approval-links';
import { config } from './routes/config';
import { copyRoutes } from './routes/copy';
import { groups } from './routes/groups';
import { jobTemplates } from './routes/job-templates';
import { inventorySources } from './routes/inventory-sources';
import { jobEventRoutes, nodeJobRoutes } from './routes/jobs';
import { notificationTemplates } from './routes/notification-templates';
import { notifications } from './routes/notifications';
import { organizations } from './routes/organizations';
import { projects } from './routes/projects';
import { roles } from './routes/roles';
import { schedules } from './routes/schedules';
import { teams } from './routes/teams';
import { unifiedJobTemplates } from './routes/unified-job-templates';
import { unifiedJobs } from './routes/unified-jobs';
import { workflowApprovals } from './routes/workflow-approvals';
import { workflowJobNodes } from './routes/workflow-job-nodes';
import { workflowJobs } from './routes/workflow-jobs';
import { workflowJobTemplateNodes } from './routes/workflow-job-template-nodes';
import { workflowJobTemplates } from './routes/workflow-job-templates';
import { me } from './routes/me';
import { metrics } from './routes/metrics';
import { ping } from './routes/ping';
import { tokens } from './routes/tokens';
import { users } from './routes/users';
import { API_PREFIX, PRODUCT_NAME, PRODUCT_VERSION } from './version';

/** Kinds with routes beyond their field table's (launch, survey...). */
const ROUTERS: Record<string, Hono<ApiEnv>> = {
  organizations,
  teams,
  groups,
  schedules,
  notification_templates: notificationTemplates,
  job_templates: jobTemplates,
  projects,
  inventory_sources: inventorySources,
  workflow_job_templates: workflowJobTemplates,
  workflow_job_template_nodes: workflowJobTemplateNodes,
};

/**
 * The AWX-compatible REST API: one Hono app, the same in `towerless serve` (on Node) and in
 * Lambda behind API Gateway. Routes hold no business logic: they read the request, call the
 * services, and serialize as AWX does. Errors are mapped to AWX's codes and bodies in one place.
 */
export function createApi(
  services: ApiServices,
  options: { onError?: (error: unknown) => void } = {},
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>({ strict: true });
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
    c.header('X-API-Product-Name', PRODUCT_NAME);
    c.header('X-API-Product-Version', PRODUCT_VERSION);
  });
  // AWX's URLs end with a slash; a GET without it is redirected there, as Django does.
  app.use('*', appendTrailingSlash());
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ detail: `Request body is larger than ${MAX_BODY_BYTES} bytes.` }, 413),
    }),
  );
  const v2 = new Hono<ApiEnv>();
  const resources: Record<string, Hono<ApiEnv>> = {
    ping,
    config,
    me,
    tokens,
    users,
    unified_job_templates: unifiedJobTemplates,
    roles,
    workflow_jobs: workflowJobs,
    workflow_job_nodes: workflowJobNodes,
    workflow_approvals: workflowApprovals,
    jobs: nodeJobRoutes('job'),
    project_updates: nodeJobRoutes('project_update'),
    inventory_updates: nodeJobRoutes('inventory_update'),
    unified_jobs: unifiedJobs,
    notifications,
    activity_stream: activityStream,
    metrics,
  };
  for (const definition of DEFINITIONS)
    resources[definition.path] = ROUTERS[definition.path] ?? definitionRoutes(definition);
  v2.route('/ping/', ping);
  v2.use('*', async (c, next) => (c.req.path === `${API_PREFIX}/ping/` ? next() : authenticate(c, next)));
  v2.use('*', recordActivity(options.onError));
  for (const launch of ['/workflow_job_templates/:id/launch/', '/job_templates/:id/launch/'])
    v2.use(launch, idempotentLaunch(options.onError));
  for (const [name, routes] of Object.entries(resources)) if (routes !== ping) v2.route(`/${name}/`, routes);
  // Events are read one at a time here, listed under their job (not in the root map, as in AWX).
  v2.route('/job_events/', jobEventRoutes);
  v2.route('/', activityStreamSubLists());
  v2.route('/', copyRoutes());
  v2.route('/', optionsRoutes());
  // `/api/v2/`: the map of what the API has, as AWX lists it (clients such as the awx CLI read it).
  app.get(`${API_PREFIX}/`, (c) =>
    c.json(Object.fromEntries(Object.keys(resources).map((name) => [name, `${API_PREFIX}/${name}/`]))),
  );
  app.route(API_PREFIX, v2);
  app.route(APPROVAL_LINKS_PATH, approvalLinkPages);
  app.route(TOWERLESS_WORKFLOW_TEMPLATES_PATH, stateMachineRoutes);
  app.route(TOWERLESS_WORKFLOW_JOBS_PATH, resumeRoutes);
  app.get('/api/', (c) =>
    c.json({
      description: 'AWX REST API',
      current_version: `${API_PREFIX}/`,
      available_versions: { v2: `${API_PREFIX}/` },
    }),
  );
  app.notFound((c) => c.json({ detail: 'Not found.' }, 404));
  app.onError((error, c) => {
    // User errors are the caller's to read in the response; only the rest are worth a log line.
    if (!(error instanceof UserError)) options.onError?.(error);
    return errorResponse(error, c);
  });
  return app;
}
