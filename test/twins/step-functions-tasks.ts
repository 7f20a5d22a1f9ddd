import { randomUUID } from 'node:crypto';
import { ECS_RUN_TASK, LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT } from '../../lib/compiler/asl';
import type { AslState } from './step-functions-program';
import { TaskError, type TaskTokens } from './step-functions-tokens';
import { StepFunctionsError } from './step-functions-wire';

/**
 * The service integrations a Task state's Resource names, done as Step Functions does them: what
 * the integrated service is sent, what the task's result is, and which error fails the state.
 */

export interface Integrations {
  readonly invokeFunction: (functionName: string, payload: unknown) => Promise<unknown>;
  readonly runTask: (request: Record<string, unknown>) => Promise<unknown>;
}

/** A nested execution as `startExecution.sync:2` sees it. */
export interface ChildExecution {
  readonly ended: Promise<void>;
  readonly status: string;
  /** The DescribeExecution fields. */
  describe(): Record<string, unknown>;
}

export interface NestedExecutions {
  start(request: { stateMachineArn: string; input: string; name?: string }): ChildExecution;
  stop(child: ChildExecution): void;
}

/** One entry of a Task state: its definition, its input after Parameters, and its release. */
export interface TaskCall {
  readonly state: AslState;
  readonly parameters: Record<string, unknown>;
  /** Aborts when the task no longer matters (timed out, execution ended): tokens close, children stop. */
  readonly released: AbortSignal;
}

export class TaskIntegrations {
  constructor(
    private readonly integrations: Integrations,
    private readonly tokens: TaskTokens,
    private readonly nested: NestedExecutions,
    /** The fixed `$$.Task.Token` the interpreter substitutes, replaced by each task's own token. */
    private readonly tokenSentinel: string,
  ) {}

  run(call: TaskCall): Promise<unknown> {
    switch (call.state.Resource) {
      case LAMBDA_INVOKE:
        return this.invoke(call.parameters).then(lambdaResult);
      case LAMBDA_INVOKE_WAIT:
        return this.callback(call, (parameters) => this.invoke(parameters));
      case ECS_RUN_TASK:
        return this.callback(call, (parameters) => this.startEcsTask(parameters));
      default:
        // compileProgram admits no other resource.
        return this.startNested(call);
    }
  }

  private async invoke(parameters: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.integrations.invokeFunction(
        String(parameters.FunctionName),
        parameters.Payload ?? {},
      );
    } catch (error) {
      // A function error: the errorType is the state's error, the Lambda error document its cause.
      const { name, message } = rejection(error, 'Lambda.Unknown');
      throw new TaskError(name, JSON.stringify({ errorType: name, errorMessage: message, trace: [] }));
    }
  }

  /**
   * `.waitForTaskToken`: the call goes out with the task's own token, then the task waits for the
   * token's answer (which may come before the call returns).
   */
  private async callback(
    call: TaskCall,
    start: (parameters: Record<string, unknown>) => Promise<unknown>,
  ): Promise<unknown> {
    const heartbeat = call.state.HeartbeatSeconds as number | undefined;
    const open = this.tokens.open(heartbeat, call.released);
    const started = start(
      withToken(call.parameters, this.tokenSentinel, open.token) as Record<string, unknown>,
    );
    started.catch(open.close);
    const [, answer] = await Promise.all([started, open.answer]);
    return answer;
  }

  private async startEcsTask(parameters: Record<string, unknown>): Promise<void> {
    let response: { tasks?: unknown[]; failures?: unknown[] };
    try {
      response = ((await this.integrations.runTask(camelCase(parameters) as Record<string, unknown>)) ??
        {}) as never;
    } catch (error) {
      const { name, message } = rejection(error, 'AmazonECSException');
      throw new TaskError(`ECS.${name}`, message);
    }
    const { tasks = [], failures = [] } = response;
    if (failures.length > 0 && tasks.length === 0)
      throw new TaskError('ECS.AmazonECSException', JSON.stringify(failures));
  }

  /** `startExecution.sync:2`: runs the child to its end; stopping this task stops the child. */
  private async startNested(call: TaskCall): Promise<unknown> {
    const { StateMachineArn, Input, Name } = call.parameters;
    let child: ChildExecution;
    try {
      child = this.nested.start({
        stateMachineArn: String(StateMachineArn),
        input: typeof Input === 'string' ? Input : JSON.stringify(Input ?? {}),
        ...(typeof Name === 'string' ? { name: Name } : {}),
      });
    } catch (error) {
      if (!(error instanceof StepFunctionsError)) throw error;
      throw new TaskError(`StepFunctions.${error.type}Exception`, error.message);
    }
    const stop = () => this.nested.stop(child);
    call.released.addEventListener('abort', stop, { once: true });
    await child.ended;
    call.released.removeEventListener('abort', stop);
    const description = syncDescription(child.describe());
    if (child.status !== 'SUCCEEDED') throw new TaskError('States.TaskFailed', JSON.stringify(description));
    return description;
  }
}

/** An integration callback's rejection: its error's name (or `fallback`) and message. */
function rejection(error: unknown, fallback: string): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name || fallback, message: error.message }
    : { name: fallback, message: String(error) };
}

/** What `lambda:invoke` returns: the invocation response around the function's return value. */
function lambdaResult(payload: unknown): Record<string, unknown> {
  const requestId = randomUUID();
  const headers = {
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload ?? null,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** `sync:2` describes the child with PascalCase keys, input and output as JSON, dates in epoch ms. */
function syncDescription(description: Record<string, unknown>): Record<string, unknown> {
  const value = (key: string, raw: unknown): unknown => {
    if (raw instanceof Date) return raw.getTime();
    if ((key === 'input' || key === 'output') && typeof raw === 'string') return JSON.parse(raw) as unknown;
    return raw;
  };
  return Object.fromEntries(
    Object.entries(description).map(([key, raw]) => [key[0].toUpperCase() + key.slice(1), value(key, raw)]),
  );
}

/** ECS's API names fields in camelCase where Step Functions' Parameters use PascalCase. */
function camelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key[0].toLowerCase() + key.slice(1), camelCase(inner)]),
  );
}

function withToken(value: unknown, sentinel: string, token: string): unknown {
  if (typeof value === 'string') return value.replaceAll(sentinel, token);
  if (Array.isArray(value)) return value.map((item) => withToken(item, sentinel, token));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, withToken(inner, sentinel, token)]),
  );
}
