import type { JobStore } from '../store/job-store';
import type { NodeJobRecord } from '../store/records';
import { inheritedArtifacts } from './ancestor-artifacts';
import { locate, type NodeAddress } from './node-jobs';

/**
 * A resume's kept node, reached (docs/semantics.md §13.11): its record in the resuming workflow
 * job is the job it had in the resumed one (same id, status, artifacts and timing), except the
 * artifacts it inherits, which are its parents' in this job, as for any node spawned now. Written
 * only when reached, so a kept node the new run does not reach ends DNR, as AWX would mark it.
 * Safe to repeat (the machine retries it).
 */
export async function keepNode(store: JobStore, address: NodeAddress): Promise<NodeJobRecord> {
  const written = await store.getNodeJob(address.workflowJob, address.node);
  if (written) return written;
  const job = await store.getWorkflowJob(address.workflowJob);
  const resumed = job?.resumes;
  if (!resumed?.kept.includes(address.node))
    throw new Error(`node ${address.node} of workflow job ${address.workflowJob} is not kept by a resume`);
  const earlier = await store.getNodeJob(resumed.workflowJob, address.node);
  if (earlier?.status !== 'successful')
    throw new Error(`node ${address.node} did not succeed in workflow job ${resumed.workflowJob}`);
  const { workflow, node } = locate(address);
  const record: NodeJobRecord = {
    ...earlier,
    workflowJob: address.workflowJob,
    ancestor_artifacts: inheritedArtifacts(workflow, node, await store.nodeJobs(address.workflowJob)),
    // Where the job belongs: a record kept twice still names the job that ran.
    kept_from: earlier.kept_from ?? resumed.workflowJob,
  };
  await store.putNodeJob(record);
  return record;
}
