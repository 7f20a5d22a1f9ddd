import { Hono, type Context } from 'hono';
import { NotFoundError } from '../../errors';
import type { ApprovalRecord } from '../../store/records';
import { actorOf } from '../actor';
import type { ApiEnv } from '../context';
import { mayOnJob, requireOnJob } from '../permissions';
import { listPage, visibleTo } from '../resource-routes';
import { JobSerializer } from '../serializers/jobs';
import { resourceId } from './resource-id';

/**
 * `/api/v2/workflow_approvals/`: the approvals workflows wait at; approve and deny answer 204, or
 * AWX's 400 once the approval is decided (docs/semantics.md §3). The answer goes through the
 * execution port, which resumes the workflow.
 */
export const workflowApprovals = new Hono<ApiEnv>()
  .get('/', async (c) => {
    const { jobs, catalog } = c.get('services');
    const serializer = new JobSerializer(jobs, catalog);
    const visible = await visibleTo(c, await jobs.listApprovals(), async (context, approval) =>
      mayOnJob(context, 'read', (await jobs.getWorkflowJob(approval.workflowJob))!),
    );
    return c.json(await listPage(c, visible, (approval) => serializer.approval(approval), ['name']));
  })
  .get('/:id/', async (c) => {
    const { jobs, catalog } = c.get('services');
    return c.json(new JobSerializer(jobs, catalog).approval(await approval(c)));
  })
  .post('/:id/approve/', async (c) => {
    const decided = await approval(c, 'approve');
    await c.get('services').execution.approve(decided.id, actorOf(c.get('user')));
    return c.body(null, 204);
  })
  .post('/:id/deny/', async (c) => {
    const decided = await approval(c, 'approve');
    await c.get('services').execution.deny(decided.id, actorOf(c.get('user')));
    return c.body(null, 204);
  });

/**
 * The approval of the path, once the caller may `action` it: approving takes the approval role
 * of the workflow that directly holds the node (docs/semantics.md §3).
 */
async function approval(c: Context<ApiEnv>, action: 'read' | 'approve' = 'read'): Promise<ApprovalRecord> {
  const id = resourceId(c);
  const { jobs } = c.get('services');
  const found = await jobs.getApproval(id);
  if (!found) throw new NotFoundError(`workflow approval ${id} not found`);
  await requireOnJob(c, action, (await jobs.getWorkflowJob(found.workflowJob))!);
  return found;
}
