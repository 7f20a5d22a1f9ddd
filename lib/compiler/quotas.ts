import { forEachState, type StateMachineDefinition } from './asl';

/** Step Functions quotas checked at compile time (DESIGN §4). */
export const MAX_DEFINITION_BYTES = 1_048_576;
export const MAX_HISTORY_EVENTS = 25_000;

/** History events a state adds when entered once (Standard workflows). */
const EVENTS_PER_STATE: Record<string, number> = {
  Task: 6, // Entered, Scheduled, Started, Submitted, Succeeded|Failed|TimedOut, Exited
  Parallel: 4, // Entered, Started, Succeeded, Exited
  Pass: 2,
  Choice: 2,
  Succeed: 2,
  Fail: 2,
  Wait: 4,
};
const EXECUTION_EVENTS = 2; // ExecutionStarted, ExecutionSucceeded|Failed

export function definitionBytes(definition: StateMachineDefinition): number {
  return Buffer.byteLength(JSON.stringify(definition), 'utf8');
}

/**
 * An upper bound of the events one execution can write: compiled machines have no loops, so each
 * state is entered at most once, and retries of infrastructure tasks are ignored.
 */
export function projectedHistoryEvents(definition: StateMachineDefinition): number {
  let events = EXECUTION_EVENTS;
  forEachState(definition, (_name, state) => {
    events += EVENTS_PER_STATE[state.Type] ?? 2;
  });
  return events;
}
