import { SFNClient } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Executions, type StatusChange } from './step-functions-executions';
import { Machines } from './step-functions-machines';
import { interpreterTimeoutErrors } from './step-functions-tokens';
import { StepFunctionsError, toWire, type Request } from './step-functions-wire';
import { jsonObjectOf, UnreadableRequest } from '../../lib/local/json-request';

/**
 * The local twin of AWS Step Functions: an HTTP server on 127.0.0.1 speaking its AWS JSON 1.0
 * protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`), reached by the SDK's real SFNClient.
 * Executions run the definitions given to CreateStateMachine, unchanged but for the adjustments
 * in step-functions-program.ts, on aws-local-stepfunctions; the twin does the service integrations
 * (Lambda, ECS, nested executions) through the callbacks it is given, with real task tokens.
 * Requests are not signature-checked.
 */

export interface StepFunctionsTwinOptions {
  readonly region?: string;
  readonly account?: string;
  /**
   * Lambda integration: called for `lambda:invoke` and `lambda:invoke.waitForTaskToken` with the
   * Parameters' FunctionName (as given) and Payload (path-resolved, with the real task token).
   * Resolves with the function's return value; rejects with an Error whose `name` is the
   * function's errorType (a Lambda "Unhandled" function error).
   */
  readonly invokeFunction: (functionName: string, payload: unknown) => Promise<unknown>;
  /**
   * ECS integration (`ecs:runTask.waitForTaskToken`): called with the RunTask request in ECS's
   * camelCase JSON. Resolves with RunTask's response (`{tasks, failures}`); a rejection with an
   * Error named N fails the state with `ECS.N`; `failures` without `tasks` fails it with
   * `ECS.AmazonECSException`. Once it resolves, the state waits for its task token.
   */
  readonly runTask: (request: Record<string, unknown>) => Promise<unknown>;
  /** EventBridge's "Step Functions Execution Status Change" events, after the status changed. */
  readonly onExecutionStatusChange?: StatusChange;
}

export interface StepFunctionsTwin {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** A client bound to the twin. */
  readonly client: SFNClient;
  /** Resolves when the execution has ended (for tests), with its DescribeExecution output. */
  executionEnded(executionArn: string): Promise<Record<string, unknown>>;
  /** Every state entered so far by the execution (Step Functions bills per transition). */
  transitions(executionArn: string): number;
  /** Aborts running executions, closes the server. */
  close(): Promise<void>;
}

type Operation = (input: Request) => Record<string, unknown>;

const TARGET_PREFIX = 'AWSStepFunctions.';
/** Above Step Functions' 1 MB definition quota, with room for escaping. */
const MAX_BODY_BYTES = 4 << 20;

export async function startStepFunctionsTwin(options: StepFunctionsTwinOptions): Promise<StepFunctionsTwin> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const machines = new Machines(`arn:aws:states:${region}:${account}:stateMachine:`);
  const executions = new Executions(
    machines,
    { ...options, region, account },
    await interpreterTimeoutErrors(),
  );
  const operations = operationsOf(machines, executions);
  const server = createServer((request, response) => void answer(operations, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SFNClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  });
  return {
    endpoint,
    client,
    executionEnded: (arn) => executions.ended(arn),
    transitions: (arn) => executions.transitions(arn),
    close: async () => {
      executions.stopAll();
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function operationsOf(machines: Machines, executions: Executions): Record<string, Operation> {
  const { tokens } = executions;
  return {
    CreateStateMachine: (input) => machines.create(input),
    UpdateStateMachine: (input) => machines.update(input),
    PublishStateMachineVersion: (input) => machines.publish(input),
    ListStateMachineVersions: (input) => machines.listVersions(input),
    DeleteStateMachineVersion: (input) => machines.deleteVersion(input),
    DescribeStateMachine: (input) => machines.describe(input),
    DeleteStateMachine: (input) => machines.delete(input),
    CreateStateMachineAlias: (input) => machines.createAlias(input),
    UpdateStateMachineAlias: (input) => machines.updateAlias(input),
    DescribeStateMachineAlias: (input) => machines.describeAlias(input),
    StartExecution: (input) => executions.start(input),
    DescribeExecution: (input) => executions.describe(input),
    StopExecution: (input) => executions.stop(input),
    GetExecutionHistory: (input) => executions.history(input),
    SendTaskSuccess: (input) => tokens.succeed(input),
    SendTaskFailure: (input) => tokens.fail(input),
    SendTaskHeartbeat: (input) => tokens.heartbeat(input),
  };
}

async function answer(
  operations: Record<string, Operation>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let status = 200;
  let body: Record<string, unknown>;
  try {
    const operation = operationOf(operations, request);
    body = operation(await serviceJsonOf(request));
  } catch (error) {
    const known = error instanceof StepFunctionsError;
    status = known ? 400 : 500;
    body = {
      __type: known ? error.type : 'InternalServerError',
      message: (error as Error).message,
    };
  }
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': randomUUID(),
    // A body left unread (too large) cannot be skipped to reach the next request.
    ...(request.complete ? {} : { connection: 'close' }),
  });
  response.end(toWire(body));
}

function operationOf(operations: Record<string, Operation>, request: IncomingMessage): Operation {
  const target = request.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (request.method !== 'POST' || !Object.hasOwn(operations, name))
    throw new StepFunctionsError(
      'UnknownOperationException',
      `the local Step Functions twin does not do ${String(target)}`,
    );
  return operations[name];
}

async function serviceJsonOf(request: IncomingMessage): Promise<Request> {
  try {
    return (await jsonObjectOf(request, MAX_BODY_BYTES)) as Request;
  } catch (error) {
    if (error instanceof UnreadableRequest)
      throw new StepFunctionsError('SerializationException', error.message);
    throw error;
  }
}
