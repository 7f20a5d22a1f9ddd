import { Hono, type Context } from 'hono';
import { NotFoundError } from '../../errors';
import type { ApprovalRecord } from '../../store/records';
import { actorOf } from '../actor';
import type { ApiEnv } from '../context';
import { requireSuperuser } from '../permissions';
import { listPage } from '../resource-routes';
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
    return c.json(
      await listPage(c, await jobs.listApprovals(), (approval) => serializer.approval(approval), ['name']),
    );
  })
  .get('/:id/', async (c) => {
    const { jobs, catalog } = c.get('services');
    return c.json(new JobSerializer(jobs, catalog).approval(await approval(c)));
  })
  .post('/:id/approve/', async (c) => {
    requireSuperuser(c.get('user'));
    await c.get('services').execution.approve((await approval(c)).id, actorOf(c.get('user')));
    return c.body(null, 204);
  })
  .post('/:id/deny/', async (c) => {
    requireSuperuser(c.get('user'));
    await c.get('services').execution.deny((await approval(c)).id, actorOf(c.get('user')));
    return c.body(null, 204);
  });

async function approval(c: Context<ApiEnv>): Promise<ApprovalRecord> {
  const id = resourceId(c);
  const found = await c.get('services').jobs.getApproval(id);
  if (!found) throw new NotFoundError(`workflow approval ${id} not found`);
  return found;
}
