import type { ApprovalPolicy, ApprovalRequest } from '../jobs/approvals';

/**
 * The approval policy of a server: a waiting approval is answered by an approve or deny call
 * through the execution port, which records the answer first (lib/jobs/approvals.ts) and then
 * tells the waiter here by the approval's task token, as Step Functions' SendTaskSuccess and
 * SendTaskFailure do in AWS.
 */
export class ApprovalDesk implements ApprovalPolicy {
  private readonly waiting = new Map<string, (answer: 'approved' | 'denied') => void>();

  decide(request: ApprovalRequest): Promise<'approved' | 'denied'> {
    return new Promise((resolve, reject) => {
      if (request.signal.aborted) return reject(new Error('approval no longer pending'));
      const stop = () => {
        this.waiting.delete(request.taskToken);
        reject(new Error('approval no longer pending'));
      };
      request.signal.addEventListener('abort', stop, { once: true });
      this.waiting.set(request.taskToken, (answer) => {
        request.signal.removeEventListener('abort', stop);
        this.waiting.delete(request.taskToken);
        resolve(answer);
      });
    });
  }

  /** Tells the waiter of a task token its answer; false when nothing here waits on it. */
  answer(taskToken: string, answer: 'approved' | 'denied'): boolean {
    const waiter = this.waiting.get(taskToken);
    waiter?.(answer);
    return waiter !== undefined;
  }
}
