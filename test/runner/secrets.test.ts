import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FileSecretProvider,
  RoutedSecretProvider,
  SecretsManagerProvider,
  type SecretProvider,
} from '../../lib/runner/secrets';

function secretsFile(content: string, mode: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'towerless-secrets-')), 'secrets.yml');
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('secrets file', () => {
  it('reads secrets by name', async () => {
    expect(await new FileSecretProvider(secretsFile('prod/key: s3cret\n', 0o600)).get('prod/key')).toBe(
      's3cret',
    );
  });
  it('refuses a file others can read, and says how to fix it', async () => {
    await expect(new FileSecretProvider(secretsFile('a: b\n', 0o644)).get('a')).rejects.toThrow(
      /is readable by others \(mode 644\): run chmod 600 on it/,
    );
  });
  it('picks a key of a JSON secret with name#key, as Secrets Manager references do', async () => {
    const path = secretsFile('db: { user: app, password: pw-1234 }\nplain#hash: whole\n', 0o600);
    const provider = new FileSecretProvider(path);
    expect(await provider.get('db#password')).toBe('pw-1234');
    expect(await provider.get('plain#hash')).toBe('whole');
    await expect(provider.get('db#nope')).rejects.toThrow("secret 'db' has no key 'nope'");
  });
  it('checks the file once before a launch: unsafe or not a file is refused, missing is fine', async () => {
    await expect(new FileSecretProvider(secretsFile('a: b\n', 0o644)).check()).rejects.toThrow(/mode 644/);
    const folder = mkdtempSync(join(tmpdir(), 'towerless-secrets-'));
    await expect(new FileSecretProvider(folder).check()).rejects.toThrow(`${folder} is not a file`);
    await expect(new FileSecretProvider(join(folder, 'absent.yml')).check()).resolves.toBeUndefined();
  });
  it('names a missing secret, never a value', async () => {
    const path = secretsFile('present: value-xyz\n', 0o600);
    const error = (await new FileSecretProvider(path).get('absent').catch((e: Error) => e)) as Error;
    expect(error.message).toBe(`secret 'absent' is not in the secrets file ${path}`);
  });
});

describe('Secrets Manager (control-plane calls mocked)', () => {
  const client = mockClient(SecretsManagerClient);

  it('reads a secret, or a key of a JSON secret with name#key', async () => {
    client.reset();
    client.on(GetSecretValueCommand, { SecretId: 'plain' }).resolves({ SecretString: 'v1' });
    client.on(GetSecretValueCommand, { SecretId: 'json' }).resolves({ SecretString: '{"password":"v2"}' });
    const provider = new SecretsManagerProvider(new SecretsManagerClient({ region: 'us-east-1' }));
    expect(await provider.get('plain')).toBe('v1');
    expect(await provider.get('json#password')).toBe('v2');
  });
  it('names a secret that does not exist', async () => {
    client.reset();
    client
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(
      new SecretsManagerProvider(new SecretsManagerClient({ region: 'us-east-1' })).get('prod/ssh'),
    ).rejects.toThrow("secret 'prod/ssh' is not in AWS Secrets Manager");
  });
});

describe('two sources behind one provider', () => {
  const source = (
    description: string,
    values: Record<string, string>,
    checked: string[],
  ): SecretProvider => ({
    description,
    get: async (name) => {
      if (!Object.hasOwn(values, name)) throw new Error(`secret '${name}' is not in ${description}`);
      return values[name];
    },
    check: async () => void checked.push(description),
  });

  it('reads each reference from the source that owns it, and checks both', async () => {
    const checked: string[] = [];
    const provider = new RoutedSecretProvider(
      (name) => name.startsWith('kept/'),
      source('the twin', { 'kept/a': 'from-twin', shared: 'never' }, checked),
      source('the file', { shared: 'from-file', 'kept/b': 'never' }, checked),
    );
    expect(await provider.get('kept/a')).toBe('from-twin');
    expect(await provider.get('shared')).toBe('from-file');
    await expect(provider.get('kept/b')).rejects.toThrow("secret 'kept/b' is not in the twin");
    await provider.check();
    expect(checked).toEqual(['the twin', 'the file']);
    expect(provider.description).toBe('the twin and the file');
  });
});
