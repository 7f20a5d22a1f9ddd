import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalLinks } from '../../lib/approvals/approval-links';
import { APPROVAL_LINK_KEY_SECRET } from '../../lib/approvals/link-key';
import { deployedRuntime, type DeployedRuntime } from '../../lib/aws/deployed-runtime';
import { FUNCTION_ENVIRONMENT } from '../../lib/infra/function-environment';
import { serviceSecretName } from '../../lib/runner/kept-secrets';
import { towerless } from '../client/servers';
import { until } from '../support/eventually';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver';
import { startSesTwin, type SesTwin } from '../twins/ses-twin';
import { matchesEventFilter } from '../twins/event-filter';
import { JOB_RECORD_STREAM_FILTER } from '../../lib/store/dynamo-job-store';
import { startApiGatewayTwin, type ApiGatewayTwin } from '../twins/api-gateway-twin';
import { startAwsTwin, type AwsTwin } from '../twins/aws-twin';
import { startCloudWatchLogsTwin, type CloudWatchLogsTwin } from '../twins/cloudwatch-logs-twin';
import {
  guideRunnerFolder,
  inProcessRunTask,
  invokeByArn,
  keepGuideSecrets,
  loadHandlers,
  type FunctionHandler,
} from '../twins/deployed-functions';
import { lambdaContext } from '../twins/lambda-context';

/**
 * Towerless as `cdk deploy` stands it up, on the AWS twin: an AWX client applies the guide through
 * API Gateway to the api function, launches the Full Deployment Pipeline, reads its jobs' events
 * from the runner's logs, approves a production deployment through its signed link, runs nested
 * workflows, and reads every final status through the API. Job nodes run real playbooks.
 */
const TOKEN = 'twin-admin-token-0123456789abcdefghijklmnopqrst';
const RUNNER_LOG_GROUP = '/towerless/runner';
let twin: AwsTwin;
let logs: CloudWatchLogsTwin;
let gateway: ApiGatewayTwin;
let runtime: DeployedRuntime;
let slack: HttpReceiver;
let ses: SesTwin;
const SES_IDENTITY = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';

beforeAll(async () => {
  const workDir = guideRunnerFolder();
  logs = await startCloudWatchLogsTwin();
  ses = await startSesTwin();
  slack = await startHttpReceiver(() => ({ status: 200, body: { ok: true, ts: '1.2' } }));
  let handlers: Record<string, FunctionHandler> = {};
  twin = await startAwsTwin({
    // The notifier's event source passes job records only (the stack's filter).
    onStream: async (records) => {
      const jobRecords = records.filter((record) => matchesEventFilter(JOB_RECORD_STREAM_FILTER, record));
      if (jobRecords.length > 0) await handlers.notifier({ Records: jobRecords }, lambdaContext('notifier'));
    },
    invokeFunction: (arn, payload) => invokeByArn(handlers)(arn, payload),
    runTask: inProcessRunTask(workDir, (task, line) =>
      logs.append(RUNNER_LOG_GROUP, `runner/runner/${task}`, line),
    ),
    onExecutionStatusChange: (event) => void handlers.lifecycle(event, lambdaContext('lifecycle')),
  });
  gateway = await startApiGatewayTwin((event, context) => handlers.api(event, context));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.endpoint,
    [FUNCTION_ENVIRONMENT.adminTokenSecret]: serviceSecretName('admin-token'),
    [FUNCTION_ENVIRONMENT.runnerLogGroup]: RUNNER_LOG_GROUP,
    // As with a custom domain: links point at the gateway.
    [FUNCTION_ENVIRONMENT.publicUrl]: gateway.url,
    [FUNCTION_ENVIRONMENT.slackApiUrl]: slack.url,
    // Deployed with an SES identity: email templates go through SES's API.
    [FUNCTION_ENVIRONMENT.sesIdentity]: SES_IDENTITY,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
  });
  handlers = await loadHandlers(['api', 'record', 'approval', 'sync', 'lifecycle', 'notifier']);
  // What the stack makes, and what the user keeps in Secrets Manager for the guide's credentials.
  await twin.secrets.put(serviceSecretName('admin-token'), TOKEN);
  await keepGuideSecrets(twin.secrets);
  await twin.secrets.put('towerless/notifications/slack-token', 'xoxb-twin-token');
  await twin.secrets.put('towerless/notifications/smtp-password', 'smtp-twin-password');
  runtime = await deployedRuntime();
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await slack?.close();
  await ses?.close();
  await logs?.close();
  await twin?.close();
});

type Obj = Record<string, unknown> & { id: number };

async function api<T = Obj>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function launch(name: string, body: object = {}): Promise<number> {
  const { results } = await api<{ results: Obj[] }>(
    'GET',
    `/api/v2/workflow_job_templates/?name=${encodeURIComponent(name)}`,
  );
  return (await api('POST', `/api/v2/workflow_job_templates/${results[0].id}/launch/`, body)).id;
}

async function ended(id: number): Promise<Obj> {
  return until(
    async () => {
      const job = await api('GET', `/api/v2/workflow_jobs/${id}/`);
      return ['successful', 'failed', 'error', 'canceled'].includes(job.status as string) ? job : undefined;
    },
    120_000,
    250,
  );
}

describe('the deployed API on the AWS twin', () => {
  it('applies the guide with the towerless CLI through API Gateway', async () => {
    const applied = await towerless(['apply', 'examples/guide', '--url', gateway.url, '--token', TOKEN]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const { count } = await api<{ count: number }>('GET', '/api/v2/workflow_job_templates/');
    expect(count).toBeGreaterThanOrEqual(7);
  }, 120_000);

  it('runs the Full Deployment Pipeline; its jobs and their events are read through the API', async () => {
    const id = await launch('Full Deployment Pipeline', {
      extra_vars: { app_version: '2.4.1', target_env: 'staging' },
    });
    expect((await ended(id)).status).toBe('successful');
    const nodes = await api<{
      results: (Obj & { summary_fields: { job?: { id: number; status: string } } })[];
    }>('GET', `/api/v2/workflow_jobs/${id}/workflow_nodes/`);
    const jobs = nodes.results.flatMap((node) => (node.summary_fields.job ? [node.summary_fields.job] : []));
    expect(jobs.map((job) => job.status)).toEqual(['successful', 'successful', 'successful', 'successful']);
    const events = await api<{ count: number; results: { event: string }[] }>(
      'GET',
      `/api/v2/jobs/${jobs[0].id}/job_events/`,
    );
    expect(events.results.map((event) => event.event)).toContain('playbook_on_stats');
    // The template's machine, published at this first launch behind the live alias.
    const { results } = await api<{ results: Obj[] }>(
      'GET',
      '/api/v2/workflow_job_templates/?name=Full+Deployment+Pipeline',
    );
    expect(
      await api('GET', `/api/towerless/workflow_job_templates/${results[0].id}/state_machine/`),
    ).toMatchObject({
      state_machine: expect.stringMatching(
        /^arn:aws:states:us-east-1:123456789012:stateMachine:towerless-Full-Deployment-Pipeline-/,
      ),
      live_version: expect.stringMatching(/:1$/),
      error: null,
    });
    // The table's stream told the notifier: Slack heard the start and the success.
    await twin.drained();
    const said = slack.received.map(
      (request) => JSON.parse(request.body) as { text?: string; channel?: string },
    );
    expect(said).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'deployments',
          text: 'Workflow Full Deployment Pipeline started',
        }),
        expect.objectContaining({ text: 'Workflow Full Deployment Pipeline completed successfully' }),
      ]),
    );
    // And the email template's recipients got the success through SES, as the stack's identity.
    const mail = ses.sent.find((m) => m.mail.subject?.includes('successful'));
    expect(mail?.identityArn).toBe(SES_IDENTITY);
    expect(mail?.mail.to).toMatchObject({ text: 'devops@example.com, oncall@example.com' });
  }, 180_000);

  it('approves a production deployment through its signed link, as a browser posts the page', async () => {
    const id = await launch('Production Deployment with Approval');
    const approval = await until(
      async () => {
        const { results } = await api<{ results: Obj[] }>(
          'GET',
          `/api/v2/workflow_approvals/?status=pending`,
        );
        return results.find(
          (a) =>
            (a.summary_fields as { source_workflow_job?: { id: number } }).source_workflow_job?.id === id,
        );
      },
      60_000,
      250,
    );
    const record = (await runtime.store.getApproval(approval.id))!;
    const key = Buffer.from(await runtime.secrets.get(APPROVAL_LINK_KEY_SECRET), 'hex');
    const { approve_url } = await new ApprovalLinks(key, () => gateway.url).links(record);
    const page = await fetch(approve_url);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    const form =
      /<form method="post" action="([^"]+\/approve\/[^"]*)">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(
        await page.text(),
      )!;
    const decided = await fetch(new URL(form[1].replaceAll('&amp;', '&'), gateway.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams({ csrf: form[2] }).toString(),
    });
    expect(decided.status).toBe(200);
    expect((await ended(id)).status).toBe('successful');
    expect(await api('GET', `/api/v2/workflow_approvals/${approval.id}/`)).toMatchObject({
      status: 'successful',
    });
  }, 180_000);

  it('runs nested workflows: each inner workflow job listed under the outer one', async () => {
    const id = await launch('Multi-Region Deployment');
    expect((await ended(id)).status).toBe('successful');
    const nodes = await api<{
      results: (Obj & { summary_fields: { job?: { id: number; status: string; type?: string } } })[];
    }>('GET', `/api/v2/workflow_jobs/${id}/workflow_nodes/`);
    for (const node of nodes.results) {
      const inner = await api('GET', `/api/v2/workflow_jobs/${node.summary_fields.job!.id}/`);
      expect(inner).toMatchObject({ status: 'successful' });
    }
  }, 180_000);
});
