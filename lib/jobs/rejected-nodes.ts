import type { JobStore } from '../store/job-store';
import { createNestedWorkflowJob } from './nested-workflow-jobs';
import { endNodeJob, locate, spawnNodeJob, type NodeAddress } from './node-jobs';

/**
 * Nodes that fail as they are spawned (docs/semantics.md §1.7): a nested workflow that would
 * recurse gets its workflow job, created already `failed` with the explanation (§5); a node
 * without a template fails without any job (§1.2).
 */
export async function rejectNode(store: JobStore, address: NodeAddress, explanation: string): Promise<void> {
  const template = locate(address).node.unified_job_template;
  if (template?.type === 'workflow_job_template') {
    await createNestedWorkflowJob(
      store,
      {
        bundle: address.bundle,
        id: await store.nextJobId(),
        workflowName: template.name,
        parent: { workflowJob: address.workflowJob, workflowName: address.workflowName, node: address.node },
      },
      explanation,
    );
    return;
  }
  await spawnNodeJob(store, address, { status: 'running' });
  await endNodeJob(store, address, { status: 'failed', job_explanation: explanation });
}
