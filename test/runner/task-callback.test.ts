import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HEARTBEAT_SECONDS, HEARTBEAT_ENVIRONMENT } from '../../lib/compiler/target';
import { heartbeatInterval, heartbeatSecondsOf, TaskCallback } from '../../lib/runner/task-callback';

const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'us-east-1' });

function named(name: string): Error {
  return Object.assign(new Error(name), { name });
}

/** Lets the mocked SDK calls settle between timer ticks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

beforeEach(() => {
  sfn.reset();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('heartbeat settings', () => {
  it('reads the compiled HeartbeatSeconds from the environment, else the compiler default', () => {
    expect(heartbeatSecondsOf({ [HEARTBEAT_ENVIRONMENT]: '90' })).toBe(90);
    expect(heartbeatSecondsOf({})).toBe(DEFAULT_HEARTBEAT_SECONDS);
    expect(heartbeatSecondsOf({ [HEARTBEAT_ENVIRONMENT]: 'soon' })).toBe(DEFAULT_HEARTBEAT_SECONDS);
    expect(heartbeatSecondsOf({ [HEARTBEAT_ENVIRONMENT]: '0' })).toBe(DEFAULT_HEARTBEAT_SECONDS);
  });

  it('beats at a third of it', () => {
    expect(heartbeatInterval(300)).toBe(100_000);
    expect(heartbeatInterval(3)).toBe(1000);
  });
});

describe('TaskCallback', () => {
  it('beats every third of the heartbeat timeout until it reports', async () => {
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});
    const callback = new TaskCallback(client, 'token', 30);
    callback.startHeartbeats();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(3);
    await callback.succeed();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(3);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input).toEqual({
      taskToken: 'token',
      output: '{}',
    });
    expect(callback.released.aborted).toBe(false);
  });

  it('retries a beat that failed on the network at the next one, telling the log', async () => {
    sfn.on(SendTaskHeartbeatCommand).rejectsOnce(named('TimeoutError')).resolves({});
    const errors: string[] = [];
    const callback = new TaskCallback(client, 'token', 3, (error) => errors.push(error.name));
    callback.startHeartbeats();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(3);
    expect(errors).toEqual(['TimeoutError']);
    expect(callback.released.aborted).toBe(false);
    await callback.fail('NodeFailed', 'boom');
  });

  it.each(['TaskTimedOut', 'InvalidToken'])(
    'releases the node when a beat is answered %s, and beats no more',
    async (answer) => {
      sfn.on(SendTaskHeartbeatCommand).resolvesOnce({}).rejects(named(answer));
      const errors: string[] = [];
      const callback = new TaskCallback(client, 'token', 3, (error) => errors.push(error.name));
      callback.startHeartbeats();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(callback.released.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(callback.released.aborted).toBe(true);
      expect((callback.released.reason as Error).name).toBe(answer);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(2);
      expect(errors).toEqual([]);
    },
  );

  it('cuts the failure cause to what Step Functions accepts', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    await new TaskCallback(client, 'token').fail('NodeFailed', 'x'.repeat(40_000));
    expect(sfn.commandCalls(SendTaskFailureCommand)[0].args[0].input.cause).toHaveLength(32_768);
  });
});
