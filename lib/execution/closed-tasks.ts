/**
 * Step Functions answers `TaskTimedOut` to a token whose task no longer waits (its execution was
 * stopped, timed out, or the task was answered already) and `InvalidToken` to one it never issued.
 * Whoever resumes a task after the fact has nothing left to do then.
 */
export function ignoreClosedTask(error: Error): void {
  if (error.name !== 'TaskTimedOut' && error.name !== 'InvalidToken') throw error;
}
