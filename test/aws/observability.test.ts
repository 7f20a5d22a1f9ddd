import { afterEach, describe, expect, it, vi } from 'vitest';
import { instrumented, TIMEOUT_MARGIN_MS } from '../../lib/aws/observability';
import { lambdaContext } from '../twins/lambda-context';

/** The FunctionErrors values of the embedded-metric-format lines written while `run` ran. */
async function functionErrorsWhile(run: () => Promise<unknown>): Promise<number[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run().catch(() => undefined);
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => 'FunctionErrors' in record)
    .map((record) => record.FunctionErrors as number);
}

describe('instrumented handlers', () => {
  afterEach(() => vi.useRealTimers());

  it('counts a failed invocation once and passes the error on', async () => {
    const handler = instrumented('record', async () => {
      throw new Error('store unreachable');
    });
    let thrown: unknown;
    const counted = await functionErrorsWhile(() =>
      handler({}, lambdaContext('record')).catch((error: unknown) => {
        thrown = error;
      }),
    );
    expect((thrown as Error).message).toBe('store unreachable');
    expect(counted).toEqual([1]);
  });

  it('counts nothing for an invocation that succeeds', async () => {
    const handler = instrumented('record', async () => 'done');
    expect(await functionErrorsWhile(() => handler({}, lambdaContext('record')))).toEqual([]);
  });

  it('counts an invocation still running just before its deadline, before Lambda ends it', async () => {
    vi.useFakeTimers();
    const handler = instrumented('sync', () => new Promise(() => undefined));
    const counted = await functionErrorsWhile(async () => {
      void handler({}, lambdaContext('sync', 5000));
      await vi.advanceTimersByTimeAsync(5000 - TIMEOUT_MARGIN_MS - 1);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(counted).toEqual([1]);
  });
});
