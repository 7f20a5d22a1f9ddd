import { SESv2Client } from '@aws-sdk/client-sesv2';
import { CatalogStore } from '../catalog/catalog-store';
import type { SesSending } from '../notifications/backends/backend';
import { ApprovalLinks } from '../approvals/approval-links';
import { approvalLinkKey } from '../approvals/link-key';
import { Notifier } from '../notifications/notifier';
import { SecretsManagerWriter } from '../runner/secret-writer';
import { NotificationStore } from '../store/notification-store';
import type { DeployedRuntime } from './deployed-runtime';
import { optionalSetting, setting, type Environment } from './function-settings';

/**
 * Notifications as the notifier function sends them (docs/notifications.md): the same Notifier
 * as `towerless serve`, told of job record changes by the table's stream instead of by the store
 * in process. Links start with the API's public URL, which the stack gives the function.
 */
export async function createDeployedNotifier(runtime: DeployedRuntime, env: Environment): Promise<Notifier> {
  const publicUrl = setting(env, 'publicUrl');
  const slackTokenSecret = optionalSetting(env, 'slackTokenSecret');
  const key = await approvalLinkKey({
    reader: runtime.secrets,
    writer: new SecretsManagerWriter(runtime.secretsClient),
  });
  return new Notifier({
    catalog: new CatalogStore(runtime.table),
    jobs: runtime.store,
    notifications: new NotificationStore(runtime.table),
    secrets: runtime.secrets,
    baseUrl: () => publicUrl,
    approvalLinks: new ApprovalLinks(key, () => publicUrl),
    slackApiUrl: optionalSetting(env, 'slackApiUrl'),
    slackToken: slackTokenSecret ? () => runtime.secrets.get(slackTokenSecret) : undefined,
    ses: sesSending(env),
  });
}

/** SES, when the stack was given an identity (its ARN): email goes through SES's API as it. */
function sesSending(env: Environment): SesSending | undefined {
  const identityArn = optionalSetting(env, 'sesIdentity');
  return identityArn ? { client: new SESv2Client({}), identityArn } : undefined;
}
