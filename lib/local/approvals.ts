import { createInterface } from 'node:readline';
import type { ApprovalPolicy, ApprovalRequest } from '../jobs/approvals';

/** The approval policies of `towerless run`: the terminal, or a fixed answer for unattended runs. */

export function fixedApproval(answer: 'approved' | 'denied'): ApprovalPolicy {
  return { decide: async () => answer };
}

/** Asks on the terminal; one question at a time when parallel branches reach approvals together. */
export function terminalApproval(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): ApprovalPolicy {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = async (request: ApprovalRequest): Promise<'approved' | 'denied'> => {
    if (request.signal.aborted) throw new Error('approval no longer pending');
    const prompt = createInterface({ input, output, terminal: false });
    const where = [...request.path, request.node].join('/');
    const timeout = request.approval.timeout > 0 ? ` (expires in ${request.approval.timeout} s)` : '';
    try {
      return await new Promise<'approved' | 'denied'>((resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(new Error('approval no longer pending')), {
          once: true,
        });
        const question = () =>
          prompt.question(
            `Approve '${request.approval.name}' (${where})${timeout}? ${request.approval.description ? `${request.approval.description} ` : ''}[y/n] `,
            (answer) => {
              if (/^y(es)?$/i.test(answer.trim())) resolve('approved');
              else if (/^no?$/i.test(answer.trim())) resolve('denied');
              else question();
            },
          );
        question();
      });
    } finally {
      prompt.close();
    }
  };
  return {
    decide: (request) => {
      const answer = queue.then(() => ask(request));
      queue = answer.catch(() => undefined);
      return answer;
    },
  };
}
