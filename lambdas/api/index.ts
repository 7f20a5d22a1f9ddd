import type { Context } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { createDeployedApi, type DeployedApi } from '../../lib/aws/deployed-api';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented } from '../../lib/aws/observability';

/** API Gateway (HTTP API, payload 2.0) → the AWX-compatible API (lib/aws/deployed-api.ts). */
let api: Promise<DeployedApi> | undefined;

function deployedApi(): Promise<DeployedApi> {
  api ??= deployedRuntime()
    .then((runtime) => createDeployedApi(runtime, process.env))
    .catch((error: unknown) => {
      api = undefined; // the next request tries again
      throw error;
    });
  return api;
}

export const handler = instrumented(
  'api',
  async (event: LambdaEvent & { requestContext: { domainName: string } }, context: Context) => {
    const opened = await deployedApi();
    opened.reachedAt(`https://${event.requestContext.domainName}`);
    return handle(opened.app)(event, context);
  },
);
