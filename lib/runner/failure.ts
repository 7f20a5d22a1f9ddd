import { TowerlessError } from '../errors';

/**
 * Why a node failed, in words for the job record and the terminal. Thrown anywhere in a node run;
 * the message must never contain a secret value.
 */
export class NodeRunFailure extends TowerlessError {
  constructor(
    message: string,
    /** The job status AWX would show: failed (the default), error, or canceled. */
    readonly status: 'failed' | 'error' | 'canceled' = 'failed',
  ) {
    super(message);
  }

  get errorName(): string {
    return nodeErrorName(this.status);
  }
}

/** The Step Functions error name a node's task fails with: NodeFailed, NodeError or NodeCanceled. */
export function nodeErrorName(status: 'failed' | 'error' | 'canceled'): string {
  return `Node${status[0].toUpperCase()}${status.slice(1)}`;
}
