import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeploymentTarget } from '../../lib/compiler/target';
import { FUNCTION_ENVIRONMENT } from '../../lib/infra/function-environment';
import { SecretFiles } from '../../lib/local/secret-files';
import { secretsManagerOperations } from '../../lib/local/secrets-manager-operations';
import { answerSecretsManagerRequest } from '../../lib/local/secrets-manager-twin';
import { serviceSecretName } from '../../lib/runner/kept-secrets';
import { SecretsManagerWriter } from '../../lib/runner/secret-writer';
import { KeySealer } from '../../lib/store/sealer';
import { ensureTable } from '../../lib/store/table';
import { startDynamoDbStreamTwin, type StreamRecord } from './dynamodb-stream-twin';
import {
  startStepFunctionsTwin,
  type StepFunctionsTwin,
  type StepFunctionsTwinOptions,
} from './step-functions-twin';

/**
 * The AWS a deployed Towerless talks to, on loopback: DynamoDB (dynalite), Secrets Manager (the
 * local twin's operations on TCP) and Step Functions (its twin). The real SDK clients reach them
 * through the standard AWS_ENDPOINT_URL_* variables, set in this process's environment with the
 * variables the stack gives its functions, so the handlers in lambdas/ run unchanged.
 */
export interface AwsTwin {
  readonly sfn: StepFunctionsTwin;
  readonly secrets: SecretsManagerWriter;
  readonly target: DeploymentTarget;
  /** Resolves once the table's stream has delivered every change so far. */
  drained(): Promise<void>;
  /** The environment a function or runner task of the stack would have. */
  readonly environment: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export const TWIN_REGION = 'us-east-1';
export const TWIN_ACCOUNT = '123456789012';
const TABLE = 'towerless-twin';

export interface AwsTwinIntegrations extends Pick<
  StepFunctionsTwinOptions,
  'invokeFunction' | 'runTask' | 'onExecutionStatusChange'
> {
  /** The table's stream, as its event source mapping delivers it (none: no stream). */
  readonly onStream?: (records: StreamRecord[]) => Promise<void>;
}

export async function startAwsTwin(integrations: AwsTwinIntegrations): Promise<AwsTwin> {
  const dynalite = (await import('dynalite')).default as (options: object) => Server;
  const table = await listen(dynalite({ createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 }));
  const stream = integrations.onStream && (await startDynamoDbStreamTwin(table.url, integrations.onStream));
  const dynamo = stream ? { url: stream.endpoint, close: stream.close } : table;
  const operations = secretsManagerOperations(
    new SecretFiles(mkdtempSync(join(tmpdir(), 'towerless-twin-secrets-'))),
    new KeySealer(randomBytes(32)),
  );
  const secretsManager = await listen(
    createServer((request, response) => void answerSecretsManagerRequest(operations, request, response)),
  );
  const sfn = await startStepFunctionsTwin({ region: TWIN_REGION, account: TWIN_ACCOUNT, ...integrations });
  const function_ = (name: string) =>
    `arn:aws:lambda:${TWIN_REGION}:${TWIN_ACCOUNT}:function:towerless-${name}`;
  const target: DeploymentTarget = {
    cluster: `arn:aws:ecs:${TWIN_REGION}:${TWIN_ACCOUNT}:cluster/towerless`,
    taskDefinition: `arn:aws:ecs:${TWIN_REGION}:${TWIN_ACCOUNT}:task-definition/towerless-runner:1`,
    containerName: 'runner',
    subnets: ['subnet-0twin'],
    securityGroups: ['sg-0twin'],
    assignPublicIp: true,
    approvalFunction: function_('approval'),
    syncFunction: function_('sync'),
    recordFunction: function_('record'),
    stateMachineArnPrefix: `arn:aws:states:${TWIN_REGION}:${TWIN_ACCOUNT}:stateMachine:`,
  };
  const sealingKeySecret = serviceSecretName('sealing-key');
  const environment: Record<string, string> = {
    AWS_REGION: TWIN_REGION,
    AWS_ACCESS_KEY_ID: 'twin',
    AWS_SECRET_ACCESS_KEY: 'twin',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    [FUNCTION_ENVIRONMENT.table]: TABLE,
    [FUNCTION_ENVIRONMENT.sealingKeySecret]: sealingKeySecret,
    [FUNCTION_ENVIRONMENT.deploymentTarget]: JSON.stringify(target),
    [FUNCTION_ENVIRONMENT.workflowRoleArn]: `arn:aws:iam::${TWIN_ACCOUNT}:role/towerless-workflow`,
  };
  Object.assign(process.env, environment);
  const client = new DynamoDBClient({});
  await ensureTable(client, TABLE);
  client.destroy();
  const secrets = new SecretsManagerWriter(new SecretsManagerClient({}));
  // What the stack makes: the table's sealing key (lib/infra/service-secrets.ts).
  await secrets.put(sealingKeySecret, randomBytes(32).toString('base64'));
  return {
    sfn,
    secrets,
    target,
    environment,
    drained: async () => stream?.drained(),
    close: async () => {
      await sfn.close();
      await stream?.close();
      await Promise.all([table.close(), secretsManager.close()]);
    },
  };
}

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
