import type { UserAccess } from '../access/access';
import type { Accounts, UserRecord } from '../access/accounts';
import type { RoleGrants } from '../access/role-grants';
import type { ApprovalLinks } from '../approvals/approval-links';
import type { ActivityStream } from '../audit/activity-stream';
import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionCatalog } from '../catalog/definitions';
import type { DefinitionCopies } from '../catalog/copy';
import type { ExecutionPort } from '../execution/execution-port';
import type { CatalogLauncher } from '../launch/catalog-launcher';
import type { Notifier } from '../notifications/notifier';
import type { DeploymentRecords } from '../store/deployment-records';
import type { IdempotencyKeys } from '../store/idempotency-keys';
import type { JobEventSource } from '../store/job-events';
import type { JobStore } from '../store/job-store';

/** What every route reaches: the stores behind the API, and who is asking. */
export interface ApiServices {
  readonly catalog: CatalogStore;
  /** Every definition kind's writes; secrets kept out of the store (docs/secrets.md). */
  readonly definitions: DefinitionCatalog;
  /** AWX's copies of definitions (docs/api.md "Copies"). */
  readonly copies: DefinitionCopies;
  readonly jobs: JobStore;
  /** What the jobs' playbooks emitted (`/jobs/{id}/job_events/`). */
  readonly events: JobEventSource;
  readonly execution: ExecutionPort;
  readonly launcher: CatalogLauncher;
  readonly accounts: Accounts;
  readonly grants: RoleGrants;
  /** What API calls changed (docs/api.md "Activity stream"). */
  readonly activity: ActivityStream;
  /** Launches' `Idempotency-Key`s (docs/api.md "Idempotent launches"). */
  readonly idempotency: IdempotencyKeys;
  /** Signs and checks approval links (docs/approvals.md). */
  readonly approvalLinks: ApprovalLinks;
  /** Sends notifications on job events and keeps their records (docs/notifications.md). */
  readonly notifications: Notifier;
  /** Each workflow's state machine in AWS, as the deployer recorded it (docs/deploying.md). */
  readonly deployments: DeploymentRecords;
}

export interface ApiEnv {
  Variables: {
    services: ApiServices;
    /** Set by the authentication middleware on every route but the public ones. */
    user: UserRecord;
    /** What the user may do, read once per request when a route first asks (lib/api/permissions.ts). */
    access?: Promise<UserAccess>;
  };
}
