import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { DEFAULT_HEARTBEAT_SECONDS, HEARTBEAT_ENVIRONMENT } from '../compiler/target';

/**
 * The compiled tasks' HeartbeatSeconds, which the stack gives the runner's task definition from
 * the compiler's own constant (lib/compiler/target.ts); that default when it is absent or not a
 * positive number.
 */
export function heartbeatSecondsOf(env: Readonly<Record<string, string | undefined>>): number {
  const seconds = Number(env[HEARTBEAT_ENVIRONMENT]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_HEARTBEAT_SECONDS;
}

/**
 * Milliseconds between beats: a third of the heartbeat timeout, so that two beats lost in a row
 * (a network error, a slow answer) still leave a third of it for the next one before Step
 * Functions fails the task as a dead container.
 */
export function heartbeatInterval(heartbeatSeconds: number): number {
  return (heartbeatSeconds * 1000) / 3;
}

/**
 * Whether Step Functions answered that nobody waits for a token any more: `TaskTimedOut` (the
 * execution was stopped or timed out, the task timed out or was answered already) or
 * `InvalidToken` (one it never issued).
 */
export function isClosedTask(error: Error): boolean {
  return error.name === 'TaskTimedOut' || error.name === 'InvalidToken';
}

/** For whoever resumes a task after the fact: a task that no longer waits needs nothing more. */
export function ignoreClosedTask(error: Error): void {
  if (!isClosedTask(error)) throw error;
}

/**
 * Reports a node's outcome to the waiting `.waitForTaskToken` state, with heartbeats while it
 * runs (the state's HeartbeatSeconds fails a node whose container died without reporting). A beat
 * answered with a closed task aborts `released`: nobody waits for the node, its run should stop.
 * Any other failed beat (the network) is retried by the next one.
 */
export class TaskCallback {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly closed = new AbortController();

  constructor(
    private readonly client: SFNClient,
    private readonly token: string,
    /** The task's HeartbeatSeconds (heartbeatSecondsOf); beats come at a third of it. */
    private readonly heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS,
    /** Told of each beat that failed and will be retried (for the log). */
    private readonly onBeatError: (error: Error) => void = () => undefined,
  ) {}

  /** Aborts, with the error Step Functions answered, once the task no longer waits. */
  get released(): AbortSignal {
    return this.closed.signal;
  }

  startHeartbeats(): void {
    this.schedule();
  }

  async succeed(): Promise<void> {
    this.stop();
    await this.client.send(new SendTaskSuccessCommand({ taskToken: this.token, output: '{}' }));
  }

  /** `error` becomes the Step Functions error name; `cause` the explanation (never a secret). */
  async fail(error: string, cause: string): Promise<void> {
    this.stop();
    await this.client.send(
      new SendTaskFailureCommand({ taskToken: this.token, error, cause: cause.slice(0, 32_768) }),
    );
  }

  /** One beat at a time: the next is scheduled when this one is answered. */
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat(), heartbeatInterval(this.heartbeatSeconds));
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      await this.client.send(new SendTaskHeartbeatCommand({ taskToken: this.token }));
    } catch (error) {
      if (this.stopped) return;
      if (isClosedTask(error as Error)) {
        this.stop();
        this.closed.abort(error);
        return;
      }
      this.onBeatError(error as Error);
    }
    this.schedule();
  }

  private stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
