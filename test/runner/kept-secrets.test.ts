import { describe, expect, it } from 'vitest';
import { isKeptSecret, keptSecretName, keptSecretOf, KeptSecrets } from '../../lib/runner/kept-secrets';
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

describe('the names of kept secrets', () => {
  it('are towerless/<owner>/<id>/<key>, for credentials and notification templates', () => {
    expect(keptSecretName('credentials', 7, 'password')).toBe('towerless/credentials/7/password');
    expect(keptSecretName('notification_templates', 3, 'token')).toBe(
      'towerless/notification_templates/3/token',
    );
    expect(keptSecretOf('towerless/notification_templates/3/token')).toEqual({
      owner: 'notification_templates',
      id: 3,
      key: 'token',
    });
    expect(() => keptSecretName('credentials', 0, 'password')).toThrow();
    expect(() => keptSecretName('credentials', 7, 'not/a field')).toThrow();
  });
  it("never match the names a bundle's loader makes for the user's own secrets", () => {
    expect(isKeptSecret('towerless/credentials/7/ssh_key_data')).toBe(true);
    expect(isKeptSecret('towerless/notification_templates/7/mattermost_url')).toBe(true);
    for (const name of [
      'towerless/credentials/password', // a credential named "Credentials", from an awx.awx task file
      'towerless/notification-templates/token', // a credential named "Notification templates"
      'towerless/notifications/slack/token',
      'towerless/credentials/7/password#key',
      'towerless/credentials/07/password',
      'towerless/users/7/password',
      'prod/db',
    ]) {
      expect(isKeptSecret(name)).toBe(false);
      expect(keptSecretOf(name)).toBeUndefined();
    }
  });
});

describe('KeptSecrets', () => {
  it('keeps a value and answers the reference the record keeps instead', async () => {
    const writer = memoryWriter();
    const reference = await new KeptSecrets(writer, 'notification_templates').keep(
      3,
      'token',
      's3cret-value',
    );
    expect(reference).toEqual({ secret: 'towerless/notification_templates/3/token' });
    expect(writer.values.get(reference.secret)).toBe('s3cret-value');
  });
  it("forgets only the object's own kept secrets, never the user's or another object's", async () => {
    const writer = memoryWriter();
    const credentials = new KeptSecrets(writer, 'credentials');
    const notifications = new KeptSecrets(writer, 'notification_templates');
    await credentials.keep(7, 'password', 'pw-of-7');
    await credentials.keep(8, 'password', 'pw-of-8');
    await notifications.keep(7, 'password', 'pw-of-notification-7');
    writer.values.set('prod/key', 'user-managed');
    const record = {
      username: 'admin',
      password: { secret: 'towerless/credentials/7/password' },
      ssh_key_data: { secret: 'prod/key' },
      become_password: { secret: 'towerless/credentials/8/password' },
    };
    // Another owner's object with the same id keeps its secrets.
    await notifications.forget(7, record);
    expect(writer.values.size).toBe(4);
    await credentials.forget(7, record);
    expect([...writer.values.keys()].sort()).toEqual([
      'prod/key',
      'towerless/credentials/8/password',
      'towerless/notification_templates/7/password',
    ]);
  });
});
