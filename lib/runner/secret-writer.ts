import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { TowerlessError } from '../errors';

/**
 * Keeps the secret values Towerless is given (credential inputs and notification templates'
 * secrets posted to the API), so that records hold references and never values. The counterpart
 * of SecretProvider, which reads them back for node runs (see docs/secrets.md).
 */
export interface SecretWriter {
  /** Makes `value` the current value of secret `name`, creating the secret if it is new. */
  put(name: string, value: string): Promise<void>;
  /** Deletes secret `name` at once, without a recovery window; a secret already gone is fine. */
  delete(name: string): Promise<void>;
}

/**
 * Secrets Manager as the writer: AWS's when deployed, the local twin in a local session (the same
 * code, another client endpoint).
 */
export class SecretsManagerWriter implements SecretWriter {
  constructor(
    private readonly client: SecretsManagerClient,
    readonly description = 'AWS Secrets Manager',
  ) {}

  async put(name: string, value: string): Promise<void> {
    const update = () => this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    try {
      await update().catch(async (error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        // A new secret; a concurrent put of the same one may create it first, then this one updates.
        await this.client
          .send(new CreateSecretCommand({ Name: name, SecretString: value }))
          .catch((raced: unknown) => {
            if (raced instanceof ResourceExistsException) return update();
            throw raced;
          });
      });
    } catch (error) {
      throw this.failure('store', name, error);
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw this.failure('delete', name, error);
    }
  }

  /** The SDK's error names the secret at most, never its value; it is kept as the cause. */
  private failure(action: string, name: string, error: unknown): TowerlessError {
    const failure = new TowerlessError(
      `cannot ${action} secret '${name}' in ${this.description}: ${(error as Error).name}: ${(error as Error).message}`,
    );
    failure.cause = error;
    return failure;
  }
}
