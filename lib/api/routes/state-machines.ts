import { Hono } from 'hono';
import { WORKFLOW_JOB_TEMPLATE } from '../../catalog/resources/templates';
import { NotFoundError } from '../../errors';
import { authenticate } from '../auth';
import type { ApiEnv } from '../context';
import { requireAccess } from '../permissions';
import { resourceId } from './resource-id';

/** Towerless's own endpoints on workflow job templates (AWX has none for state machines). */
export const TOWERLESS_WORKFLOW_TEMPLATES_PATH = '/api/towerless/workflow_job_templates';

/**
 * `GET /api/towerless/workflow_job_templates/{id}/state_machine/`: what runs the template in AWS
 * (docs/deploying.md): its state machine, the version the `live` alias routes to, the hash of
 * that definition, when it was deployed, and why the latest definition could not be, if it could
 * not. Deployed at a template's first launch in AWS; `towerless serve` runs workflows on its
 * local engine and has none.
 */
export const stateMachineRoutes = new Hono<ApiEnv>()
  .use('*', authenticate)
  .get('/:id/state_machine/', async (c) => {
    const { definitions, deployments } = c.get('services');
    const template = await definitions.get(WORKFLOW_JOB_TEMPLATE, resourceId(c));
    await requireAccess(c, 'read', 'workflow_job_template', template);
    const deployment = await deployments.get(String(template.name));
    if (!deployment) {
      const detail = `Workflow job template ${template.id} has no state machine: one is deployed at its first launch in AWS (towerless serve runs workflows on its local engine).`;
      throw new NotFoundError(detail, detail);
    }
    return c.json({
      workflow_job_template: template.id,
      state_machine: deployment.stateMachineArn,
      live_version: deployment.versionArn,
      definition_sha256: deployment.definitionHash,
      deployed: deployment.deployed,
      error: deployment.error,
    });
  });
