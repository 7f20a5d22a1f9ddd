import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { RecordTable } from '../../lib/store/record-table';

/** Every item of the single table, in a stable order: what the store holds, to look for a secret in. */
export async function storeContents(table: RecordTable): Promise<string> {
  const { Items } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
  return JSON.stringify((Items ?? []).map((item) => JSON.stringify(item)).sort());
}

/** The secrets a Secrets Manager holds (locally, the data folder's twin), by name. */
export async function keptSecrets(client: SecretsManagerClient): Promise<Record<string, string>> {
  const listed = await client.send(new ListSecretsCommand({}));
  const names = (listed.SecretList ?? []).map((secret) => secret.Name!).sort();
  const values = await Promise.all(
    names.map(
      async (name) => (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString,
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, values[i]!]));
}
