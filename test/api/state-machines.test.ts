import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, type ApiFixture } from './api-fixture';

/** `/api/towerless/workflow_job_templates/{id}/state_machine/` (docs/deploying.md). */
let api: ApiFixture;
let template: { id: number };

beforeAll(async () => {
  api = await openApiFixture();
  template = await api.json('POST', '/api/v2/workflow_job_templates/', { name: 'Release', organization: 1 });
});
afterAll(() => api.close());

const path = () => `/api/towerless/workflow_job_templates/${template.id}/state_machine/`;

describe("a workflow job template's state machine", () => {
  it('is none before its first launch in AWS, and says so', async () => {
    const response = await api.call('GET', path());
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      detail: `Workflow job template ${template.id} has no state machine: one is deployed at its first launch in AWS (towerless serve runs workflows on its local engine).`,
    });
  });

  it('shows what the deployer recorded: the machine, its live version, and why a new definition did not deploy', async () => {
    await api.services.deployments.put({
      workflow: 'Release',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:towerless-Release-0a1b2c3d4e5f',
      versionArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:towerless-Release-0a1b2c3d4e5f:3',
      definitionHash: 'f'.repeat(64),
      deployed: '2026-11-28T21:00:00.000Z',
      error: "workflow 'Release' compiles to 1100000 bytes of ASL, over the Step Functions limit",
    });
    expect(await api.json('GET', path())).toEqual({
      workflow_job_template: template.id,
      state_machine: 'arn:aws:states:us-east-1:123456789012:stateMachine:towerless-Release-0a1b2c3d4e5f',
      live_version: 'arn:aws:states:us-east-1:123456789012:stateMachine:towerless-Release-0a1b2c3d4e5f:3',
      definition_sha256: 'f'.repeat(64),
      deployed: '2026-11-28T21:00:00.000Z',
      error: "workflow 'Release' compiles to 1100000 bytes of ASL, over the Step Functions limit",
    });
  });

  it('needs a token, as the rest of the API', async () => {
    expect((await api.call('GET', path(), undefined, 'not-a-token')).status).toBe(401);
    expect(
      (await api.call('GET', '/api/towerless/workflow_job_templates/999999/state_machine/')).status,
    ).toBe(404);
  });
});
