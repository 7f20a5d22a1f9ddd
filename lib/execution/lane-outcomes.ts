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
  readonly outcomes: Outcomes;
}

/** A published outcome: succeeded, failed, or did not run. */
export type Outcome = 's' | 'f' | 'd';

export function outcomeOf(outcomes: Outcomes, key: string): Outcome {
  return key in outcomes.s ? 's' : key in outcomes.f ? 'f' : 'd';
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
