import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../lib/catalog/catalog-store';
import type { DefinitionRecord } from '../../lib/catalog/definition';
import { openLocalSession, type LocalSession } from '../../lib/local/local-session';
import { Notifier } from '../../lib/notifications/notifier';
import { NotificationStore } from '../../lib/store/notification-store';
import { storeContents } from '../support/stored-secrets';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver';
import { workflowJobRecord } from '../support/job-records';

let session: LocalSession;
let catalog: CatalogStore;
let notifier: Notifier;
const receivers: HttpReceiver[] = [];

beforeAll(async () => {
  session = await openLocalSession(join(mkdtempSync(join(tmpdir(), 'towerless-notifier-')), 'data'));
  catalog = new CatalogStore(session.table);
  notifier = new Notifier({
    catalog,
    jobs: session.store,
    notifications: new NotificationStore(session.table),
    secrets: session.secrets.provider(session.data.secrets),
    baseUrl: () => 'https://towerless.example.com',
    retries: { attempts: 3, backoffMs: 5 },
  });
  session.changes.listen((change) => notifier.changed(change));
});

afterAll(async () => {
  await notifier.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await session.close();
});

async function receiver(...args: Parameters<typeof startHttpReceiver>) {
  const started = await startHttpReceiver(...args);
  receivers.push(started);
  return started;
}

const webhookTemplate = (name: string, configuration: Record<string, unknown>) =>
  catalog.create<DefinitionRecord>('notification_template', {
    name,
    organization: null,
    notification_type: 'webhook',
    notification_configuration: { headers: {}, ...configuration },
    messages: null,
  });

describe('Notifier delivery', () => {
  it('retries a receiver that fails twice, recording each attempt, with the kept password read only to send', async () => {
    await session.secrets.writer.put('towerless/notification_templates/900/password', 'hook-pw-canary');
    const hook = await receiver((_request, index) => (index < 2 ? { status: 503 } : { status: 200 }));
    const template = await webhookTemplate('Flaky', {
      url: `${hook.url}/in`,
      username: 'ops',
      password: { secret: 'towerless/notification_templates/900/password' },
    });
    const sent = await notifier.test(template);
    expect(sent).toMatchObject({
      status: 'pending',
      notification_type: 'webhook',
      recipients: `${hook.url}/in`,
    });
    await notifier.idle();
    const record = await notifier.store.get(sent.id);
    expect(record).toMatchObject({ status: 'successful', notifications_sent: 1, error: '' });
    expect(record!.attempts.map((attempt) => attempt.error)).toEqual([
      'Error sending webhook notification: 503',
      'Error sending webhook notification: 503',
      undefined,
    ]);
    expect(hook.received).toHaveLength(3);
    expect(hook.received[2].headers.authorization).toBe(
      `Basic ${Buffer.from('ops:hook-pw-canary').toString('base64')}`,
    );
    expect(await storeContents(session.table)).not.toContain('hook-pw-canary');
  });

  it('gives up after the last attempt with the error, and a secret that cannot be read fails without its value', async () => {
    const down = await receiver(() => ({ status: 500 }));
    const failing = await notifier.test(await webhookTemplate('Down', { url: down.url }));
    const missing = await notifier.test(
      await webhookTemplate('No secret', { url: down.url, password: { secret: 'nowhere/hook' } }),
    );
    await notifier.idle();
    expect(await notifier.store.get(failing.id)).toMatchObject({
      status: 'failed',
      error: 'Error sending webhook notification: 500',
      notifications_sent: 0,
    });
    expect((await notifier.store.get(failing.id))!.attempts).toHaveLength(3);
    const unread = await notifier.store.get(missing.id);
    expect(unread).toMatchObject({ status: 'failed' });
    expect(unread!.error).toMatch(/secrets file/);
  });

  it('records a type Towerless does not deliver as failed, saying so', async () => {
    const template = await catalog.create<DefinitionRecord>('notification_template', {
      name: 'Pager',
      organization: null,
      notification_type: 'pagerduty',
      notification_configuration: {
        subdomain: 'x',
        token: { secret: 't' },
        service_key: 'k',
        client_name: 'c',
      },
      messages: null,
    });
    const record = await notifier.test(template);
    await notifier.idle();
    expect(await notifier.store.get(record.id)).toMatchObject({
      status: 'failed',
      error: 'Towerless does not deliver pagerduty notifications',
      recipients: 'k',
    });
  });
});

describe('job store changes', () => {
  it("notify the workflow template's lists when a workflow job starts and ends", async () => {
    const hook = await receiver();
    const template = await webhookTemplate('On events', { url: hook.url });
    const workflow = await catalog.create<DefinitionRecord>('workflow_job_template', {
      name: 'Watched',
      organization: null,
      notification_templates_started: [template.id],
      notification_templates_success: [],
      notification_templates_error: [template.id],
      notification_templates_approvals: [],
    });
    const id = await session.store.nextJobId();
    await session.store.createWorkflowJob(
      workflowJobRecord({ id, name: 'Watched', workflow_job_template: workflow.id, status: 'pending' }),
    );
    await session.store.startWorkflowJob(id, new Date().toISOString());
    await session.store.finishWorkflowJob(id, { status: 'failed', finished: new Date().toISOString() });
    await notifier.idle();
    const bodies = hook.received.map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => [body.id, body.name, body.status])).toEqual([
      [id, 'Watched', 'running'],
      [id, 'Watched', 'failed'],
    ]);
    expect(bodies[0].url).toBe(`https://towerless.example.com/api/v2/workflow_jobs/${id}/`);
    const records = (await notifier.store.list()).filter((record) => record.job === id);
    expect(records.map((record) => record.status)).toEqual(['successful', 'successful']);
  });
});
