import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocalSession } from '../../lib/local/local-session';
import { KeptSecrets } from '../../lib/runner/kept-secrets';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'towerless-secrets-')), 'data');

describe("a local session's secrets", () => {
  it("keeps a credential input and a notification template's secret through a restart of the session, and node runs read them back", async () => {
    const path = fresh();
    let session = await openLocalSession(path);
    const secretsFile = join(path, 'secrets.yml');
    writeFileSync(secretsFile, 'prod/db: from-the-file\n', { mode: 0o600 });
    let reference: { secret: string };
    try {
      reference = await new KeptSecrets(session.secrets.writer, 'credentials').keep(
        7,
        'password',
        'hunter2-kept',
      );
      expect(reference).toEqual({ secret: 'towerless/credentials/7/password' });
      await new KeptSecrets(session.secrets.writer, 'notification_templates').keep(3, 'token', 'xoxb-kept');
    } finally {
      await session.close();
    }
    session = await openLocalSession(path);
    try {
      const provider = session.secrets.provider(secretsFile);
      await provider.check();
      expect(await provider.get(reference.secret)).toBe('hunter2-kept');
      expect(await provider.get('towerless/notification_templates/3/token')).toBe('xoxb-kept');
      // The user's own references still come from the secrets file.
      expect(await provider.get('prod/db')).toBe('from-the-file');
      await expect(provider.get('towerless/credentials/8/password')).rejects.toThrow(
        `secret 'towerless/credentials/8/password' is not in the data folder's Secrets Manager twin (${join(path, 'secrets-manager')})`,
      );
      await expect(provider.get('prod/other')).rejects.toThrow(`is not in the secrets file ${secretsFile}`);
    } finally {
      await session.close();
    }
  });

  it('listens on a socket in the data folder while the session is open, and removes it', async () => {
    const path = fresh();
    const session = await openLocalSession(path);
    try {
      expect(statSync(join(path, 'secrets.sock')).isSocket()).toBe(true);
    } finally {
      await session.close();
    }
    expect(existsSync(join(path, 'secrets.sock'))).toBe(false);
  });

  it('uses a private temp folder when the data folder path is too long for a socket', async () => {
    const path = join(fresh(), 'a-folder-name-long-enough'.repeat(4), 'data');
    mkdirSync(dirname(path), { recursive: true });
    const session = await openLocalSession(path);
    try {
      expect(existsSync(join(path, 'secrets.sock'))).toBe(false);
      await new KeptSecrets(session.secrets.writer, 'credentials').keep(1, 'token', 'token-value');
      expect(
        await session.secrets.provider(join(path, 'secrets.yml')).get('towerless/credentials/1/token'),
      ).toBe('token-value');
    } finally {
      await session.close();
    }
  });

  it('refuses a secrets folder that is not a folder of its own', async () => {
    const path = fresh();
    mkdirSync(path, { recursive: true, mode: 0o700 });
    writeFileSync(join(path, 'secrets-manager'), '');
    chmodSync(join(path, 'secrets-manager'), 0o600);
    await expect(openLocalSession(path)).rejects.toThrow(
      `holds a file where a folder belongs (${join(path, 'secrets-manager')})`,
    );
  });
});
