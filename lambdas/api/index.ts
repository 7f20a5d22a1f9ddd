import type { Context } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { createDeployedApi } from '../../lib/aws/deployed-api';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import { instrumented } from '../../lib/aws/observability';
import { oncePerProcess } from '../../lib/aws/once-per-process';

/** API Gateway (HTTP API, payload 2.0) → the AWX-compatible API (lib/aws/deployed-api.ts). */
const deployedApi = oncePerProcess(async () => {
  const api = await createDeployedApi(await deployedRuntime(), process.env);
  return { ...api, lambdaHandler: handle(api.app) };
});

export const handler = instrumented(
  'api',
  async (event: LambdaEvent & { requestContext: { domainName: string } }, context: Context) => {
    const opened = await deployedApi();
    opened.reachedAt(`https://${event.requestContext.domainName}`);
    return opened.lambdaHandler(event, context);
  },
);
