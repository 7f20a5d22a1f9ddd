import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogStore } from '../lib/catalog/catalog-store';
import type { DefinitionRecord } from '../lib/catalog/definition';
import { openLocalSession } from '../lib/local/local-session';
import { Notifier } from '../lib/notifications/notifier';
import { NotificationStore } from '../lib/store/notification-store';
import { startHttpReceiver } from '../test/support/http-receiver';
import { workflowJobRecord } from '../test/support/job-records';
import { median, print } from './support/report';

const RUNS = 60;

/**
 * Notification latency: from a workflow job's start written to the job store (the event) to its
 * webhook notification arriving at a receiver on 127.0.0.1, through what `towerless serve` runs:
 * the store's change feed, the template lookup, the message rendered in the sandbox (AWX's
 * default webhook body, the job's data), the notification record, the delivery. One workflow job
 * at a time, after one warm-up (which starts the renderer).
 */
export async function notificationBenchmarks(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'towerless-bench-notify-'));
  const session = await openLocalSession(join(root, 'data'));
  const receiver = await startHttpReceiver();
  const catalog = new CatalogStore(session.table);
  const notifier = new Notifier({
    catalog,
    jobs: session.store,
    notifications: new NotificationStore(session.table),
    secrets: session.secrets.provider(session.data.secrets),
    baseUrl: () => 'http://127.0.0.1',
  });
  session.changes.listen((change) => notifier.changed(change));
  try {
    const hook = await catalog.create<DefinitionRecord>('notification_template', {
      name: 'Bench hook',
      organization: null,
      notification_type: 'webhook',
      notification_configuration: { url: `${receiver.url}/hook`, headers: {} },
      messages: null,
    });
    const workflow = await catalog.create<DefinitionRecord>('workflow_job_template', {
      name: 'Bench',
      organization: null,
      notification_templates_started: [hook.id],
      notification_templates_success: [],
      notification_templates_error: [],
      notification_templates_approvals: [],
    });
    const latencies: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const id = await session.store.nextJobId();
      await session.store.createWorkflowJob(
        workflowJobRecord({ id, name: 'Bench', workflow_job_template: workflow.id, status: 'pending' }),
      );
      const before = receiver.received.length;
      const started = performance.now();
      await session.store.startWorkflowJob(id, new Date().toISOString());
      const [arrived] = (await receiver.waitFor(before + 1)).slice(before);
      if (run > 0) latencies.push(arrived.at - started);
      await notifier.idle();
    }
    print({ name: 'notification_latency_ms_p50', value: median(latencies), unit: 'ms' });
  } finally {
    await notifier.close();
    await receiver.close();
    await session.close();
    rmSync(root, { recursive: true, force: true });
  }
}
