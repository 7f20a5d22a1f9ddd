/**
 * Deliveries run off the job's path: a notification is queued and the workflow goes on, whatever
 * becomes of it (docs/notifications.md "Delivery and retries"). In `towerless serve` the queue is
 * in this process; in AWS the same work runs in the notifier Lambda.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The wait before the second try; each later wait is twice the one before. */
  readonly backoffMs: number;
}

export const DEFAULT_RETRIES: RetryPolicy = { attempts: 3, backoffMs: 500 };

/**
 * Calls `attempt` (numbered from 1) until it resolves or the tries run out, waiting between
 * them; resolves undefined on success, else with the last error.
 */
export async function withRetries(
  policy: RetryPolicy,
  attempt: (number: number) => Promise<void>,
): Promise<unknown> {
  for (let number = 1; ; number++) {
    try {
      await attempt(number);
      return undefined;
    } catch (error) {
      if (number >= policy.attempts) return error ?? new Error('failed');
      await new Promise((resolve) => setTimeout(resolve, policy.backoffMs * 2 ** (number - 1)));
    }
  }
}

/**
 * Work in flight that nobody awaits, and a way to wait for all of it (tests, shutdown). Work
 * given the same key runs one after another, in the order given: a job's `started` notification
 * goes out before its `success` one.
 */
export class DeliveryQueue {
  private readonly running = new Set<Promise<void>>();
  private readonly lastOfKey = new Map<number, Promise<void>>();

  /** `onError` hears of what the work itself could not record (a store that failed). */
  constructor(private readonly onError: (error: unknown) => void) {}

  add(work: () => Promise<void>, key?: number): void {
    const previous = key === undefined ? undefined : this.lastOfKey.get(key);
    const run = (previous ? previous.then(work) : work()).catch(this.onError);
    this.running.add(run);
    if (key !== undefined) this.lastOfKey.set(key, run);
    void run.finally(() => {
      this.running.delete(run);
      if (key !== undefined && this.lastOfKey.get(key) === run) this.lastOfKey.delete(key);
    });
  }

  /** Resolves once all work queued so far, and any it queued, has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
