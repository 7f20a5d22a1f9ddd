import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import { isSecretRef } from '../model/resources/credential';
import type { SecretProvider } from '../runner/secrets';
import type { JobStore } from '../store/job-store';
import type { NotificationRecord, NotificationStore } from '../store/notification-store';
import type { ApprovalLinkIssuer } from './approval-links';
import { BACKENDS } from './backends';
import type { OutgoingMessage, SesSending } from './backends/backend';
import { sendingConfiguration, shownRecipients } from './configuration';
import { DeliveryQueue, DEFAULT_RETRIES, withRetries, type RetryPolicy } from './delivery-queue';
import { notificationEvents, type NotificationEvent, type RecordChange } from './events';
import { approvalFacts, nodeJobFacts, workflowJobFacts, type JobFacts } from './job-data';
import { buildMessage, type MessageEvent } from './messages';
import { isNotificationType, type NotificationType } from '../model/resources/notification-template';
import { TemplateSandbox } from './sandbox';
import { JobTemplates, notificationTemplatesOf } from './template-lists';

export interface NotifierOptions {
  readonly catalog: CatalogStore;
  readonly jobs: JobStore;
  readonly notifications: NotificationStore;
  readonly secrets: SecretProvider;
  /**
   * Where this Towerless is reached (AWX's TOWER_URL_BASE), for the links messages give; read
   * when a message is made (a server knows its port once it listens).
   */
  readonly baseUrl: () => string;
  readonly approvalLinks?: ApprovalLinkIssuer;
  /** Slack's Web API; https://slack.com/api unless given. */
  readonly slackApiUrl?: string;
  /** The deployment's Slack bot token, for Slack templates without one. */
  readonly slackToken?: () => Promise<string>;
  /** Amazon SES for email, when deployed with an SES identity. */
  readonly ses?: SesSending;
  readonly retries?: RetryPolicy;
  /** Told of what could not even be recorded (a store that failed). */
  readonly onError?: (error: unknown) => void;
}

/** What an event needs to be told: its message's event, its facts, and the templates it goes to. */
interface Telling {
  readonly which: MessageEvent;
  readonly facts: JobFacts;
  readonly templates: readonly DefinitionRecord[];
  readonly job: number;
  readonly links?: OutgoingMessage['links'];
}

/**
 * Turns job record changes into notifications (docs/notifications.md): each event's templates
 * are found, each one's message built and recorded as a pending notification, and delivered off
 * the job's path with retries, every attempt recorded. Nothing here can fail or hold up a job.
 */
export class Notifier {
  readonly sandbox = new TemplateSandbox();
  /** The notification records (AWX's `/api/v2/notifications/`). */
  readonly store: NotificationStore;
  private readonly queue: DeliveryQueue;
  private readonly templates: JobTemplates;

  constructor(private readonly options: NotifierOptions) {
    this.store = options.notifications;
    this.queue = new DeliveryQueue(options.onError ?? (() => undefined));
    this.templates = new JobTemplates(options.catalog, options.jobs);
  }

  /** A job store change: its events are told in the background, a workflow job's in order. */
  changed(change: RecordChange): void {
    for (const event of notificationEvents(change)) this.queue.add(() => this.tell(event), event.workflowJob);
  }

  /**
   * AWX's test notification (`POST /notification_templates/{id}/test/`): recorded at once, sent
   * in the background.
   */
  async test(template: DefinitionRecord): Promise<NotificationRecord> {
    const type = template.notification_type as NotificationType;
    const baseUrl = this.options.baseUrl();
    const subject = `Notification Test ${template.id} ${baseUrl}`;
    const text = `Test Notification ${template.id} ${baseUrl}`;
    const body = ['email', 'pagerduty'].includes(type)
      ? text
      : ['webhook', 'grafana'].includes(type)
        ? JSON.stringify({ body: text })
        : { body: text };
    const record = await this.record(template, { subject, body }, null);
    this.queue.add(() =>
      this.deliver(template, record, { subject, body: typeof body === 'string' ? body : text }),
    );
    return record;
  }

  /** Resolves once every notification begun so far has been delivered or given up. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async close(): Promise<void> {
    await this.queue.idle();
    this.sandbox.close();
  }

  private async tell(event: NotificationEvent): Promise<void> {
    const telling = await this.telling(event);
    if (!telling) return;
    await Promise.all(
      telling.templates.map(async (template) => {
        if (!isNotificationType(template.notification_type)) return;
        const built = await buildMessage(
          this.sandbox,
          template.notification_type,
          template.messages,
          telling.which,
          telling.facts.context,
        );
        const record = await this.record(template, built, telling.job);
        await this.deliver(template, record, { ...built, links: telling.links });
      }),
    );
  }

  private async telling(event: NotificationEvent): Promise<Telling | undefined> {
    const { jobs, catalog } = this.options;
    const baseUrl = this.options.baseUrl();
    const workflowJob = await jobs.getWorkflowJob(event.workflowJob);
    if (!workflowJob) return undefined;
    switch (event.subject) {
      case 'workflow_job': {
        const [nodes, nodeJobs] = await Promise.all([
          jobs.workflowJobNodes(workflowJob.id),
          jobs.nodeJobs(workflowJob.id),
        ]);
        const spawned = nodes.map((node) => ({
          node,
          job: nodeJobs.find((job) => job.node === node.identifier),
        }));
        return {
          which: { approval: false, event: event.event },
          facts: workflowJobFacts(event.record, spawned, baseUrl),
          templates: await notificationTemplatesOf(
            catalog,
            await this.templates.ofWorkflowJob(workflowJob),
            event.event,
          ),
          job: workflowJob.id,
        };
      }
      case 'job': {
        const job = event.record;
        const definitions = await jobs.getDefinitions(workflowJob.id);
        const jobTemplate = definitions?.job_templates.find((template) => template.name === job.template);
        return {
          which: { approval: false, event: event.event },
          facts: nodeJobFacts(job, workflowJob, jobTemplate, baseUrl),
          templates: await notificationTemplatesOf(
            catalog,
            await this.templates.ofNode(workflowJob.id, job.node),
            event.event,
          ),
          job: job.id,
        };
      }
      case 'approval': {
        const approval = event.record;
        const links =
          event.event === 'running' && this.options.approvalLinks
            ? await this.options.approvalLinks.links(approval)
            : undefined;
        return {
          which: { approval: true, event: event.event },
          facts: approvalFacts(approval, workflowJob, baseUrl, links),
          templates: await notificationTemplatesOf(
            catalog,
            await this.templates.ofWorkflowJob(workflowJob),
            'approvals',
          ),
          job: approval.id,
          links,
        };
      }
    }
  }

  private record(
    template: DefinitionRecord,
    message: { subject: string; body: unknown },
    job: number | null,
  ): Promise<NotificationRecord> {
    const type = template.notification_type as NotificationType;
    return this.store.create({
      notification_template: template.id,
      notification_type: type,
      recipients: shownRecipients(type, configurationOf(template)),
      subject: message.subject,
      body: message.body,
      job,
    });
  }

  /** Sends with retries, recording each attempt and the outcome on the notification record. */
  private async deliver(
    template: DefinitionRecord,
    record: NotificationRecord,
    message: OutgoingMessage,
  ): Promise<void> {
    const type = template.notification_type as NotificationType;
    const backend = BACKENDS[type];
    let current = record;
    const update = async (changes: Partial<NotificationRecord>) => {
      current = { ...current, ...changes, modified: new Date().toISOString() };
      await this.store.put(current);
    };
    if (!backend) {
      await update({ status: 'failed', error: `Towerless does not deliver ${type} notifications` });
      return;
    }
    const secretValues: string[] = [];
    const error = await withRetries(this.options.retries ?? DEFAULT_RETRIES, async () => {
      const at = new Date().toISOString();
      try {
        const configuration = await sendingConfiguration(
          type,
          configurationOf(template),
          this.options.secrets,
        );
        secretValues.push(...secretsIn(configurationOf(template), configuration));
        const sent = await backend(configuration, message, {
          slackApiUrl: this.options.slackApiUrl ?? 'https://slack.com/api',
          slackToken: this.options.slackToken,
          ses: this.options.ses,
        });
        await update({
          status: 'successful',
          notifications_sent: sent,
          error: '',
          attempts: [...current.attempts, { at }],
        });
      } catch (failure) {
        const reason = masked(failure instanceof Error ? failure.message : String(failure), secretValues);
        await update({ attempts: [...current.attempts, { at, error: reason }] });
        throw new Error(reason);
      }
    });
    if (error) await update({ status: 'failed', error: (error as Error).message });
  }
}

function configurationOf(template: DefinitionRecord): Record<string, unknown> {
  const configuration = template.notification_configuration;
  return typeof configuration === 'object' && configuration !== null
    ? (configuration as Record<string, unknown>)
    : {};
}

/** The values read from secret references, so an error that quotes one (a server echoing a URL) can be masked. */
function secretsIn(stored: Record<string, unknown>, sending: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(stored)) {
    if (isSecretRef(value)) values.push(String(sending[key]));
    else if (key === 'headers' && typeof value === 'object' && value !== null)
      for (const [name, item] of Object.entries(value))
        if (isSecretRef(item)) values.push(String((sending.headers as Record<string, unknown>)[name]));
  }
  return values.filter((value) => value.length >= 4);
}

function masked(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join('$encrypted$'), text);
}
