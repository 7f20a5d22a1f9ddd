import { describe, expect, it } from 'vitest';
import { InvalidError } from '../../lib/errors';
import {
  credentialSecretName,
  CredentialSecrets,
  isKeptCredentialSecret,
} from '../../lib/runner/credential-secrets';
import type { SecretWriter } from '../../lib/runner/secret-writer';

/** A writer that remembers, for the naming rule's tests (the real one is tested against the twin). */
function memoryWriter(): SecretWriter & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    put: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
}

describe('the names of kept credential secrets', () => {
  it('are towerless/credentials/<id>/<field>', () => {
    expect(credentialSecretName(7, 'password')).toBe('towerless/credentials/7/password');
    expect(() => credentialSecretName(0, 'password')).toThrow();
    expect(() => credentialSecretName(7, 'not/a field')).toThrow();
  });
  it("never match the names a bundle's loader makes for the user's own secrets", () => {
    expect(isKeptCredentialSecret('towerless/credentials/7/ssh_key_data')).toBe(true);
    for (const name of [
      'towerless/credentials/password', // a credential named "Credentials", from an awx.awx task file
      'towerless/notifications/slack/token',
      'towerless/credentials/7/password#key',
      'towerless/credentials/07/password',
      'prod/db',
    ])
      expect(isKeptCredentialSecret(name)).toBe(false);
  });
});

describe('CredentialSecrets', () => {
  it('keeps a value and answers the reference the record keeps instead', async () => {
    const writer = memoryWriter();
    const reference = await new CredentialSecrets(writer).keep(7, 'password', 's3cret-value');
    expect(reference).toEqual({ secret: 'towerless/credentials/7/password' });
    expect(writer.values.get(reference.secret)).toBe('s3cret-value');
  });
  it('refuses a value larger than a secret may hold, naming the input', async () => {
    const error = await new CredentialSecrets(memoryWriter())
      .keep(7, 'ssh_key_data', 'x'.repeat(65537))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.fields).toEqual({
      inputs: ['ssh_key_data: longer than 65536 bytes, the most a secret may hold'],
    });
  });
  it("forgets only the credential's own kept secrets, never the user's or another credential's", async () => {
    const writer = memoryWriter();
    const secrets = new CredentialSecrets(writer);
    await secrets.keep(7, 'password', 'pw-of-7');
    await secrets.keep(8, 'password', 'pw-of-8');
    writer.values.set('prod/key', 'user-managed');
    await secrets.forget(7, {
      username: 'admin',
      password: { secret: 'towerless/credentials/7/password' },
      ssh_key_data: { secret: 'prod/key' },
      become_password: { secret: 'towerless/credentials/8/password' },
    });
    expect([...writer.values.keys()].sort()).toEqual(['prod/key', 'towerless/credentials/8/password']);
  });
});
