import { Accounts } from '../access/accounts';
import { ApprovalLinks } from '../approvals/approval-links';
import { approvalLinkKey } from '../approvals/link-key';
import { RoleGrants } from '../access/role-grants';
import { ActivityStream } from '../audit/activity-stream';
import { observeExecution, observeGrants, observeJobs, observeSecrets } from '../audit/observers';
import { createAwxDefaults } from '../catalog/awx-defaults';
import { CatalogStore } from '../catalog/catalog-store';
import { DefinitionCatalog } from '../catalog/definitions';
import { DefinitionCopies } from '../catalog/copy';
import { ensureManagedCredentialTypes } from '../catalog/credential-types';
import type { SecretWriter } from '../runner/secret-writer';
import type { SecretProvider } from '../runner/secrets';
import type { ExecutionPort } from '../execution/execution-port';
import { CatalogLauncher } from '../launch/catalog-launcher';
import { Notifier } from '../notifications/notifier';
import type { RecordChanges } from '../notifications/record-changes';
import { checkNotificationTemplate } from '../notifications/validation';
import { DeploymentRecords } from '../store/deployment-records';
import { IdempotencyKeys } from '../store/idempotency-keys';
import { NotificationStore } from '../store/notification-store';
import type { JobEventSource } from '../store/job-events';
import type { JobStore } from '../store/job-store';
import type { RecordTable } from '../store/record-table';
import type { ApiServices } from './context';

/**
 * Where the secret values posted to the API are kept (docs/secrets.md): Secrets Manager, locally
 * its twin.
 */
export interface ApiSecrets {
  readonly writer: SecretWriter;
  /** Reads kept values back, for a copy to keep values of its own (the provider node runs read). */
  readonly reader: SecretProvider;
}

/** Where jobs run and are recorded, for the API. */
export interface JobServices {
  readonly jobs: JobStore;
  /** The events the jobs emitted, as the runner logged them. */
  readonly events: JobEventSource;
  readonly execution: ExecutionPort;
  /** The folder local projects' `local_path` is under (AWX's PROJECTS_ROOT). */
  readonly projectsRoot: string;
  /** What the job store writes, which notifications are sent on (lib/notifications). */
  readonly changes?: RecordChanges;
}

/** Where the server is, as people reach it. */
export interface ApiSite {
  /** The public URL (AWX's TOWER_URL_BASE) links in notifications start with; read when one is made. */
  readonly publicUrl: () => string;
  /** Slack's Web API for notifications (default https://slack.com/api). */
  readonly slackApiUrl?: string;
  /** Told of failures nobody waits for (a notification that could not even be recorded). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The services behind the API on one table, with what every AWX has from its first start in place:
 * the managed credential types, and on a fresh table AWX's default objects (lib/catalog/awx-defaults.ts).
 */
export async function createApiServices(
  table: RecordTable,
  secrets: ApiSecrets,
  { jobs, events, execution, projectsRoot, changes }: JobServices,
  site: ApiSite,
): Promise<ApiServices> {
  // Every change through the catalog, the launcher's job store, the execution port, the role
  // grants and the kept secrets is reported to the activity stream, which records those an
  // API call makes.
  const activity = new ActivityStream(table);
  const catalog = new CatalogStore(table, activity.catalogObserver);
  await ensureManagedCredentialTypes(catalog);
  const approvalLinks = new ApprovalLinks(await approvalLinkKey(secrets), site.publicUrl);
  const notifications = new Notifier({
    catalog,
    jobs,
    notifications: new NotificationStore(table),
    secrets: secrets.reader,
    baseUrl: site.publicUrl,
    approvalLinks,
    slackApiUrl: site.slackApiUrl,
    onError: site.onError,
  });
  changes?.listen((change) => notifications.changed(change));
  const definitions = new DefinitionCatalog(catalog, observeSecrets(secrets.writer, activity), {
    notification_template: (values, current) =>
      checkNotificationTemplate(notifications.sandbox, values, current),
  });
  await createAwxDefaults(definitions);
  const observed = observeExecution(execution, jobs, activity);
  return {
    catalog,
    accounts: new Accounts(catalog, table),
    grants: observeGrants(new RoleGrants(table), activity),
    definitions,
    copies: new DefinitionCopies(definitions, secrets.reader, (work) => activity.unrecorded(work)),
    jobs,
    events,
    execution: observed,
    launcher: new CatalogLauncher(catalog, observeJobs(jobs, activity), observed, projectsRoot),
    activity,
    idempotency: new IdempotencyKeys(table),
    approvalLinks,
    notifications,
    deployments: new DeploymentRecords(table),
  };
}
