import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Hono } from 'hono';
import { createApi } from '../api/app';
import type { ApiEnv } from '../api/context';
import { createApiServices } from '../api/services';
import { SecretsManagerWriter } from '../runner/secret-writer';
import { RUNNER_PROJECTS_ROOT } from './deployed-catalog';
import { deployedExecution, type DeployedRuntime } from './deployed-runtime';
import { optionalSetting, setting, type Environment } from './function-settings';
import { RunnerLogEvents } from './runner-log-events';

/**
 * The API as the api function serves it: the same Hono app as `towerless serve`, over the table,
 * Secrets Manager, Step Functions and the runner's logs. The admin's token is the one the stack
 * made (docs/deploying.md); links start with the custom domain, else with the address the last
 * request came to (API Gateway's own URL).
 */
export interface DeployedApi {
  readonly app: Hono<ApiEnv>;
  /** Tells the API where it was reached (`https://<host>`), for links when no domain is set. */
  reachedAt(origin: string): void;
}

export async function createDeployedApi(runtime: DeployedRuntime, env: Environment): Promise<DeployedApi> {
  let origin = '';
  const domain = optionalSetting(env, 'publicUrl');
  const services = await createApiServices(
    runtime.table,
    { writer: new SecretsManagerWriter(runtime.secretsClient), reader: runtime.secrets },
    {
      jobs: runtime.store,
      events: new RunnerLogEvents(new CloudWatchLogsClient({}), setting(env, 'runnerLogGroup')),
      execution: deployedExecution(runtime, env),
      projectsRoot: RUNNER_PROJECTS_ROOT,
    },
    { publicUrl: () => domain ?? origin },
  );
  await services.accounts.bootstrap(await runtime.secrets.get(setting(env, 'adminTokenSecret')));
  return { app: createApi(services), reachedAt: (reached) => (origin = reached) };
}
