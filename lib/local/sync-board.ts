import {
  isReady,
  outcomeOf,
  withAwaited,
  type Outcome,
  type Outcomes,
  type SyncRequest,
} from '../execution/lane-outcomes';

/**
 * The synchronisation service of compiled lanes (see lib/compiler/plan.ts), in process: a lane
 * publishes the outcomes of its nodes that other lanes wait for, and waits for the outcomes of
 * parents in other lanes. In AWS the same exchange is a Lambda with a task token and DynamoDB.
 */
export interface SyncService {
  /** Publishes, waits, and returns the lane's `outcomes` with the awaited outcomes merged in. */
  exchange(request: SyncRequest): Promise<Outcomes>;
  /** Forgets an execution that ended; lanes still waiting in it are released with an error. */
  release(execution: string): void;
}

export class SyncBoard implements SyncService {
  private readonly outcomes = new Map<string, Map<string, Outcome>>();
  private readonly waiters = new Map<
    string,
    { request: SyncRequest; resolve: () => void; reject: (error: Error) => void }[]
  >();

  async exchange(request: SyncRequest): Promise<Outcomes> {
    const known = this.board(request.execution);
    for (const key of request.publish) {
      known.set(key, outcomeOf(request.outcomes, key));
    }
    this.wake(request.execution);
    if (!isReady(request, known)) {
      await new Promise<void>((resolve, reject) => {
        const list = this.waiters.get(request.execution) ?? [];
        list.push({ request, resolve, reject });
        this.waiters.set(request.execution, list);
      });
    }
    return withAwaited(request.outcomes, request.wait, known);
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
      list.filter((w) => isReady(w.request, known)),
      list.filter((w) => !isReady(w.request, known)),
    ];
    this.waiters.set(execution, waiting);
    for (const waiter of ready) waiter.resolve();
  }
}
