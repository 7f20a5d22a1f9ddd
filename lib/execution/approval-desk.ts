import type { ApprovalPolicy, ApprovalRequest } from '../jobs/approvals';

/**
 * The approval policy of a server: a waiting approval is answered by an approve or deny call
 * through the execution port, which records the answer first (lib/jobs/approvals.ts) and then
 * tells the waiter here.
 */
export class ApprovalDesk implements ApprovalPolicy {
  private readonly waiting = new Map<number, (answer: 'approved' | 'denied') => void>();

  decide(request: ApprovalRequest): Promise<'approved' | 'denied'> {
    return new Promise((resolve, reject) => {
      if (request.signal.aborted) return reject(new Error('approval no longer pending'));
      const stop = () => {
        this.waiting.delete(request.id);
        reject(new Error('approval no longer pending'));
      };
      request.signal.addEventListener('abort', stop, { once: true });
      this.waiting.set(request.id, (answer) => {
        request.signal.removeEventListener('abort', stop);
        this.waiting.delete(request.id);
        resolve(answer);
      });
    });
  }

  /** Tells the waiter of approval `id` its answer; false when nothing here waits for it. */
  answer(id: number, answer: 'approved' | 'denied'): boolean {
    const waiter = this.waiting.get(id);
    waiter?.(answer);
    return waiter !== undefined;
  }
}
