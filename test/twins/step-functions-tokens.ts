import '../../lib/local/polyfills';
import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  jsonText,
  optionalText,
  requiredText,
  StepFunctionsError,
  type Request,
} from './step-functions-wire';

/**
 * Task tokens: each `.waitForTaskToken` task entry gets its own, answered by SendTaskSuccess,
 * SendTaskFailure or kept alive by SendTaskHeartbeat, as in Step Functions.
 */

/** A task's failure as Retry and Catch see it: `name` is the error, `message` the cause. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** The errors of an expired task, made so the interpreter's Retry and Catch treat them as AWS does. */
export interface TimeoutErrors {
  timeout(): Error;
  heartbeat(): Error;
}

/**
 * The interpreter keeps timeouts out of the `States.TaskFailed` wildcard (as AWS does) by testing
 * for its own, unexported, States.Timeout class: the twin gets that class from a Task that times
 * out after a millisecond, and makes its timeout errors instances of it.
 */
export async function interpreterTimeoutErrors(): Promise<TimeoutErrors> {
  const probe = new StateMachine(
    {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'probe', TimeoutSeconds: 0.001, End: true } },
    } as never,
    { validationOptions: { noValidate: true } },
  );
  const never = () => new Promise<never>(() => undefined);
  const failure = await probe.run({}, { overrides: { taskResourceLocalHandlers: { T: never } } }).result.then(
    () => undefined,
    (error: Error) => error.cause,
  );
  if (!(failure instanceof Error) || failure.name !== 'States.Timeout')
    throw new Error('aws-local-stepfunctions no longer times Task states out as the twin expects');
  const Timeout = failure.constructor as new () => Error;
  return {
    timeout: () => new Timeout(),
    heartbeat: () =>
      Object.assign(new Timeout(), { name: 'States.HeartbeatTimeout', message: 'States.HeartbeatTimeout' }),
  };
}

interface Waiter {
  succeed(output: unknown): void;
  fail(error: TaskError): void;
  beat(): void;
}

export interface OpenToken {
  readonly token: string;
  /** Settles with the answer; never settles once the task is released. */
  readonly answer: Promise<unknown>;
  close(): void;
}

/** Opaque, as AWS's are; the twin can tell its own from malformed ones. */
const TOKEN = /^AQ[A-Za-z0-9_-]{160}$/;

export class TaskTokens {
  private readonly waiting = new Map<string, Waiter>();

  constructor(private readonly errors: TimeoutErrors) {}

  /** A token that waits until answered, `heartbeatSeconds` pass without news, or `released` aborts. */
  open(heartbeatSeconds: number | undefined, released: AbortSignal): OpenToken {
    const token = `AQ${randomBytes(120).toString('base64url')}`;
    let resolve!: (value: unknown) => void;
    let reject!: (error: Error) => void;
    const answer = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    let timer: NodeJS.Timeout | undefined;
    const close = () => {
      clearTimeout(timer);
      this.waiting.delete(token);
      released.removeEventListener('abort', close);
    };
    const beat = () => {
      if (heartbeatSeconds === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        close();
        reject(this.errors.heartbeat());
      }, heartbeatSeconds * 1000);
    };
    this.waiting.set(token, {
      succeed: (output) => (close(), resolve(output)),
      fail: (error) => (close(), reject(error)),
      beat,
    });
    released.addEventListener('abort', close, { once: true });
    beat();
    return { token, answer, close };
  }

  succeed(input: Request): Record<string, unknown> {
    const waiter = this.waiter(input);
    waiter.succeed(jsonText(requiredText(input, 'output'), 'InvalidOutput', 'Invalid Output'));
    return {};
  }

  fail(input: Request): Record<string, unknown> {
    const waiter = this.waiter(input);
    waiter.fail(new TaskError(optionalText(input, 'error') ?? '', optionalText(input, 'cause') ?? ''));
    return {};
  }

  heartbeat(input: Request): Record<string, unknown> {
    this.waiter(input).beat();
    return {};
  }

  private waiter(input: Request): Waiter {
    const token = requiredText(input, 'taskToken');
    if (!TOKEN.test(token))
      throw new StepFunctionsError('InvalidToken', `Invalid Token: '${token.slice(0, 40)}'`);
    const waiter = this.waiting.get(token);
    // What AWS answers for a token whose task is no longer waiting (answered, timed out, stopped).
    if (!waiter)
      throw new StepFunctionsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return waiter;
  }
}
