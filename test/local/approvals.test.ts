import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalApproval } from '../../lib/local/approvals';

const approval = {
  name: 'Production Deployment Approval',
  description: 'Approve production deployment',
  timeout: 3600,
};

describe('approvals on the terminal', () => {
  it('asks, re-asks on an unclear answer, and takes y or n', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk) => (shown += chunk));
    const policy = terminalApproval(input, output);
    const decision = policy.decide({
      id: 1,
      taskToken: 'local:1',
      workflowJob: 1,
      workflowName: 'W',
      path: [],
      node: 'approval',
      approval,
      signal: new AbortController().signal,
    });
    input.write('maybe\n');
    input.write('y\n');
    expect(await decision).toBe('approved');
    expect(shown).toContain(
      "Approve 'Production Deployment Approval' (approval) (expires in 3600 s)? Approve production deployment [y/n]",
    );
    const denial = policy.decide({
      id: 1,
      taskToken: 'local:1',
      workflowJob: 1,
      workflowName: 'W',
      path: ['us_region'],
      node: 'gate',
      approval,
      signal: new AbortController().signal,
    });
    input.write('no\n');
    expect(await denial).toBe('denied');
  });

  it('stops asking when the approval times out or the workflow is canceled', async () => {
    const controller = new AbortController();
    const decision = terminalApproval(new PassThrough(), new PassThrough()).decide({
      id: 1,
      taskToken: 'local:1',
      workflowJob: 1,
      workflowName: 'W',
      path: [],
      node: 'approval',
      approval,
      signal: controller.signal,
    });
    controller.abort('timed out');
    await expect(decision).rejects.toThrow('approval no longer pending');
  });
});
