import type { EdgeKind } from '../model/types';
import { fires as firesFor } from '../semantics/evaluator';

/**
 * What compiled lanes exchange when they synchronise (lib/compiler/plan.ts): the outcomes of nodes
 * other lanes wait for. One exchange, two boards: in process (lib/local/sync-board.ts) and on the
 * table in AWS (lib/execution/sync-table.ts).
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
  /**
   * For an ALL node waiting for its parents: the edge from each awaited parent. AWX skips the node
   * as soon as one parent did not fire its edge (docs/semantics.md §1.5), so the wait ends then.
   */
  readonly join?: readonly JoinEdge[];
  readonly outcomes: Outcomes;
}

export interface JoinEdge {
  readonly key: string;
  readonly kind: EdgeKind;
}

/** A published outcome: succeeded, failed, or did not run. */
export type Outcome = 's' | 'f' | 'd';

export function outcomeOf(outcomes: Outcomes, key: string): Outcome {
  return key in outcomes.s ? 's' : key in outcomes.f ? 'f' : 'd';
}

/**
 * Whether a waiting lane can go on: every awaited outcome is known, or it waits for an ALL node
 * one of whose parents is known not to have fired its edge (a node that did not run fires none).
 */
export function isReady(
  waiter: Pick<SyncRequest, 'wait' | 'join' | 'outcomes'>,
  known: ReadonlyMap<string, Outcome>,
): boolean {
  return releasedAtOnce(waiter) || isParkedReady(waiter, known);
}

/**
 * A parent of the ALL node that the lane does not wait for resolved before the lanes began (its
 * outcome is the lane's own), so it releases the lane at once or never.
 */
export function releasedAtOnce(waiter: Pick<SyncRequest, 'wait' | 'join' | 'outcomes'>): boolean {
  return (waiter.join ?? []).some(
    ({ key, kind }) => !waiter.wait.includes(key) && !fires(kind, outcomeOf(waiter.outcomes, key)),
  );
}

/** What a lane not released at once waits for: the awaited keys, and the ALL node's edges from them. */
export type ParkedWait = Pick<SyncRequest, 'wait' | 'join'>;

export function parkedWait(request: ParkedWait): ParkedWait {
  const join = request.join?.filter(({ key }) => request.wait.includes(key));
  return { wait: request.wait, ...(join ? { join } : {}) };
}

/** isReady, for a lane not released at once: the outcomes it waits for decide. */
export function isParkedReady(waiter: ParkedWait, known: ReadonlyMap<string, Outcome>): boolean {
  if (waiter.wait.every((key) => known.has(key))) return true;
  return (waiter.join ?? []).some(({ key, kind }) => {
    const outcome = waiter.wait.includes(key) ? known.get(key) : undefined;
    return outcome !== undefined && !fires(kind, outcome);
  });
}

/** A node that did not run fires no edge; one that did, as docs/semantics.md §1.2 says. */
function fires(kind: EdgeKind, outcome: Outcome): boolean {
  return outcome !== 'd' && firesFor({ kind }, outcome === 's' ? 'success' : 'failure');
}

/** The lane's outcomes with the awaited ones merged in (the sync task's ResultPath is `$.o`). */
export function withAwaited(
  outcomes: Outcomes,
  wait: readonly string[],
  known: ReadonlyMap<string, Outcome>,
): Outcomes {
  const merged = { s: { ...outcomes.s }, f: { ...outcomes.f } };
  for (const key of wait) {
    if (known.get(key) === 's') merged.s[key] = {};
    if (known.get(key) === 'f') merged.f[key] = {};
  }
  return merged;
}
