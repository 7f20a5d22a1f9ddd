import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';

/**
 * Reports a node's outcome to the waiting `.waitForTaskToken` state, with heartbeats while it
 * runs (the state's HeartbeatSeconds fails a node whose container died without reporting).
 */
export class TaskCallback {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: SFNClient,
    private readonly token: string,
    private readonly heartbeatSeconds = 60,
  ) {}

  startHeartbeats(): void {
    this.timer = setInterval(() => {
      this.client.send(new SendTaskHeartbeatCommand({ taskToken: this.token })).catch(() => undefined);
    }, this.heartbeatSeconds * 1000);
    this.timer.unref();
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

  private stop(): void {
    clearInterval(this.timer);
  }
}
