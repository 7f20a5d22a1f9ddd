/**
 * The synchronisation service of compiled lanes (see lib/compiler/plan.ts), in process: a lane
 * publishes the outcomes of its nodes that other lanes wait for, and waits for the outcomes of
 * parents in other lanes. In AWS the same exchange is a Lambda with a task token and DynamoDB.
 */
export interface Outcomes {
  readonly s: Readonly<Record<string, unknown>>;
  readonly f: Readonly<Record<string, unknown>>;
}

export interface SyncRequest {
  readonly execution: string;
  /** Outcome keys this lane resolved and others need; their outcome is read from `outcomes`. */
  readonly publish: readonly string[];
  readonly wait: readonly string[];
  readonly outcomes: Outcomes;
}

export interface SyncService {
  /** Publishes, waits, and returns the lane's `outcomes` with the awaited outcomes merged in. */
  exchange(request: SyncRequest): Promise<Outcomes>;
  /** Forgets an execution that ended; lanes still waiting in it are released with an error. */
  release(execution: string): void;
}

type Outcome = 's' | 'f' | 'd';

export class SyncBoard implements SyncService {
  private readonly outcomes = new Map<string, Map<string, Outcome>>();
  private readonly waiters = new Map<
    string,
    { keys: readonly string[]; resolve: () => void; reject: (error: Error) => void }[]
  >();

  async exchange(request: SyncRequest): Promise<Outcomes> {
    const known = this.board(request.execution);
    for (const key of request.publish) {
      known.set(key, key in request.outcomes.s ? 's' : key in request.outcomes.f ? 'f' : 'd');
    }
    this.wake(request.execution);
    if (!request.wait.every((key) => known.has(key))) {
      await new Promise<void>((resolve, reject) => {
        const list = this.waiters.get(request.execution) ?? [];
        list.push({ keys: request.wait, resolve, reject });
        this.waiters.set(request.execution, list);
      });
    }
    // The lane's outcomes with the awaited ones merged in (the task's ResultPath is `$.o`).
    const result = { s: { ...request.outcomes.s }, f: { ...request.outcomes.f } };
    for (const key of request.wait) {
      const outcome = known.get(key);
      if (outcome === 's') result.s[key] = {};
      if (outcome === 'f') result.f[key] = {};
    }
    return result;
  }

  release(execution: string): void {
    for (const waiter of this.waiters.get(execution) ?? []) waiter.reject(new Error('the execution ended'));
    this.outcomes.delete(execution);
    this.waiters.delete(execution);
  }

  private board(execution: string): Map<string, Outcome> {
    let known = this.outcomes.get(execution);
    if (!known) {
      known = new Map();
      this.outcomes.set(execution, known);
    }
    return known;
  }

  private wake(execution: string): void {
    const known = this.board(execution);
    const list = this.waiters.get(execution) ?? [];
    const [ready, waiting] = [
      list.filter((w) => w.keys.every((k) => known.has(k))),
      list.filter((w) => !w.keys.every((k) => known.has(k))),
    ];
    this.waiters.set(execution, waiting);
    for (const waiter of ready) waiter.resolve();
  }
}
