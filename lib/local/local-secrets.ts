import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isKeptSecret } from '../runner/kept-secrets';
import { SecretsManagerWriter, type SecretWriter } from '../runner/secret-writer';
import {
  FileSecretProvider,
  RoutedSecretProvider,
  SecretsManagerProvider,
  type SecretProvider,
} from '../runner/secrets';
import type { DataFolder } from './data-folder';
import { openSecretsManagerTwin } from './secrets-manager-twin';

/**
 * A local session's secrets: the Secrets Manager twin, with the writer the API keeps the secrets
 * posted to it through (credential inputs, notification templates' secrets) and the provider node
 * runs read them with (see docs/secrets.md).
 */
export interface LocalSecrets {
  /** The AWS SDK's client, bound to the twin. */
  readonly client: SecretsManagerClient;
  readonly writer: SecretWriter;
  /**
   * What node runs read: the secrets Towerless keeps (secret values posted to the API) from
   * the twin, every other reference from `secretsFile`.
   */
  provider(secretsFile: string): SecretProvider;
  close(): Promise<void>;
}

export async function openLocalSecrets(data: DataFolder): Promise<LocalSecrets> {
  const twin = await openSecretsManagerTwin(data);
  const description = `the data folder's Secrets Manager twin (${data.secretsManager})`;
  const kept = new SecretsManagerProvider(twin.client, description);
  return {
    client: twin.client,
    writer: new SecretsManagerWriter(twin.client, description),
    provider: (secretsFile) =>
      new RoutedSecretProvider(isKeptSecret, kept, new FileSecretProvider(secretsFile)),
    close: () => twin.close(),
  };
}
