import {
  CreateSecretCommand,
  DecryptionFailure,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidParameterException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDataFolder, type DataFolder } from '../../lib/local/data-folder';
import { openSecretsManagerTwin, type SecretsManagerTwin } from '../../lib/local/secrets-manager-twin';
import { socketClientConfig } from '../../lib/local/unix-socket';
import { SecretsManagerWriter } from '../../lib/runner/secret-writer';
import { SecretsManagerProvider } from '../../lib/runner/secrets';

const VALUE = 'correct horse battery staple';

let data: DataFolder;
let twin: SecretsManagerTwin;
let client: SecretsManagerClient;

beforeEach(async () => {
  data = prepareDataFolder(join(mkdtempSync(join(tmpdir(), 'towerless-sm-')), 'data'));
  twin = await openSecretsManagerTwin(data);
  client = twin.client;
});
afterEach(async () => {
  await twin.close();
});

async function restart(): Promise<void> {
  await twin.close();
  twin = await openSecretsManagerTwin(data);
  client = twin.client;
}

/** The error a call rejects with (the SDK's own class). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error) => error,
  );
}

describe('the Secrets Manager twin, through the AWS SDK client', () => {
  it('creates, puts, gets, describes and deletes a secret', async () => {
    const created = await client.send(
      new CreateSecretCommand({ Name: 'app/db', SecretString: 'first', Description: 'the db' }),
    );
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:local:000000000000:secret:app\/db-.{6}$/);
    expect(created.Name).toBe('app/db');
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: VALUE }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect(put.VersionId).not.toBe(created.VersionId);

    const got = await client.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    expect(got).toMatchObject({ Name: 'app/db', SecretString: VALUE, VersionId: put.VersionId });
    expect(got.CreatedDate).toBeInstanceOf(Date);
    // By ARN too, as references may name one.
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn.SecretString).toBe(VALUE);

    const described = await client.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(described).toMatchObject({ Name: 'app/db', ARN: created.ARN, Description: 'the db' });
    expect(described.VersionIdsToStages).toEqual({ [put.VersionId as string]: ['AWSCURRENT'] });
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect(JSON.stringify(described)).not.toContain(VALUE);

    const deleted = await client.send(
      new DeleteSecretCommand({ SecretId: 'app/db', ForceDeleteWithoutRecovery: true }),
    );
    expect(deleted).toMatchObject({ Name: 'app/db', ARN: created.ARN });
    expect(await failure(client.send(new GetSecretValueCommand({ SecretId: 'app/db' })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(readdirSync(data.secretsManager)).toEqual([]);
  });

  it("raises the SDK's own exceptions with AWS's messages", async () => {
    const missing = await failure(client.send(new GetSecretValueCommand({ SecretId: 'absent' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe("Secrets Manager can't find the specified secret.");
    for (const call of [
      new PutSecretValueCommand({ SecretId: 'absent', SecretString: 'x' }),
      new DescribeSecretCommand({ SecretId: 'absent' }),
      new DeleteSecretCommand({ SecretId: 'absent', ForceDeleteWithoutRecovery: true }),
      // An ARN whose random suffix is not the secret's.
      new GetSecretValueCommand({
        SecretId: 'arn:aws:secretsmanager:local:000000000000:secret:absent-AAAAAA',
      }),
    ])
      expect(await failure(client.send(call))).toBeInstanceOf(ResourceNotFoundException);

    await client.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'x' }));
    const exists = await failure(client.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'y' })));
    expect(exists).toBeInstanceOf(ResourceExistsException);
    expect(exists.message).toBe('The operation failed because the secret taken already exists.');

    const badName = await failure(
      client.send(new CreateSecretCommand({ Name: 'has space', SecretString: 'x' })),
    );
    expect(badName).toBeInstanceOf(InvalidParameterException);
    expect(badName.message).toMatch(/^Invalid name/);
    const tooLong = await failure(
      client.send(new PutSecretValueCommand({ SecretId: 'taken', SecretString: 'x'.repeat(65537) })),
    );
    expect(tooLong).toBeInstanceOf(InvalidParameterException);
    // What the twin does not do is refused, not pretended.
    const scheduled = await failure(client.send(new DeleteSecretCommand({ SecretId: 'taken' })));
    expect(scheduled).toBeInstanceOf(InvalidParameterException);
    expect(scheduled.message).toMatch(/only with ForceDeleteWithoutRecovery/);
  });

  it('answers a secret created without a value as AWS does, until one is put', async () => {
    await client.send(new CreateSecretCommand({ Name: 'empty' }));
    const error = await failure(client.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe(
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    );
    await client.send(new PutSecretValueCommand({ SecretId: 'empty', SecretString: VALUE }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'empty' }))).SecretString).toBe(VALUE);
  });

  it('treats a retried request (same ClientRequestToken) as AWS does', async () => {
    await client.send(new CreateSecretCommand({ Name: 'retried', SecretString: 'a' }));
    const token = randomUUID();
    const first = await client.send(
      new PutSecretValueCommand({ SecretId: 'retried', SecretString: VALUE, ClientRequestToken: token }),
    );
    const again = await client.send(
      new PutSecretValueCommand({ SecretId: 'retried', SecretString: VALUE, ClientRequestToken: token }),
    );
    expect([first.VersionId, again.VersionId]).toEqual([token, token]);
    const changed = await failure(
      client.send(
        new PutSecretValueCommand({ SecretId: 'retried', SecretString: 'b', ClientRequestToken: token }),
      ),
    );
    expect(changed).toBeInstanceOf(ResourceExistsException);
  });

  it('lists secrets by name prefix, a page at a time, never with values', async () => {
    for (const name of ['towerless/credentials/1/password', 'towerless/credentials/2/password', 'other/x'])
      await client.send(new CreateSecretCommand({ Name: name, SecretString: VALUE }));
    const filter = { Key: 'name' as const, Values: ['towerless/credentials/'] };
    const first = await client.send(new ListSecretsCommand({ Filters: [filter], MaxResults: 1 }));
    expect(first.SecretList?.map((s) => s.Name)).toEqual(['towerless/credentials/1/password']);
    expect(first.NextToken).toBeDefined();
    const second = await client.send(
      new ListSecretsCommand({ Filters: [filter], MaxResults: 1, NextToken: first.NextToken }),
    );
    expect(second.SecretList?.map((s) => s.Name)).toEqual(['towerless/credentials/2/password']);
    expect(second.NextToken).toBeUndefined();
    const negated = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['!towerless/'] }] }),
    );
    expect(negated.SecretList?.map((s) => s.Name)).toEqual(['other/x']);
    expect(Object.values(second.SecretList?.[0].SecretVersionsToStages ?? {})).toEqual([['AWSCURRENT']]);
    expect(JSON.stringify([first, second, negated])).not.toContain(VALUE);
    const unsupported = await failure(
      client.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['x'] }] })),
    );
    expect(unsupported).toBeInstanceOf(InvalidParameterException);
  });

  it('needs no signature: any credentials, or none, are accepted', async () => {
    await client.send(new CreateSecretCommand({ Name: 'open', SecretString: VALUE }));
    const stranger = new SecretsManagerClient({
      ...socketClientConfig(twin.socket),
      region: 'eu-west-3',
      credentials: { accessKeyId: 'AKIAANYTHING', secretAccessKey: 'whatever' },
    });
    try {
      expect((await stranger.send(new GetSecretValueCommand({ SecretId: 'open' }))).SecretString).toBe(VALUE);
    } finally {
      stranger.destroy();
    }
    const unsigned = await post(twin.socket, 'secretsmanager.GetSecretValue', { SecretId: 'open' });
    expect(unsigned.status).toBe(200);
    expect(JSON.parse(unsigned.body)).toMatchObject({ SecretString: VALUE });
    const unknown = await post(twin.socket, 'secretsmanager.RotateSecret', { SecretId: 'open' });
    expect([unknown.status, JSON.parse(unknown.body).__type]).toEqual([400, 'UnknownOperationException']);
  });
});

describe('what the twin keeps on disk', () => {
  it('persists across a restart, sealed: no file holds the value in clear', async () => {
    await client.send(new CreateSecretCommand({ Name: 'kept', SecretString: VALUE }));
    await restart();
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'kept' }))).SecretString).toBe(VALUE);
    const files = readdirSync(data.secretsManager);
    expect(files).toHaveLength(1);
    const text = readFileSync(join(data.secretsManager, files[0]));
    expect(text.includes(VALUE)).toBe(false);
    expect(text.includes(Buffer.from(VALUE).toString('base64'))).toBe(false);
  });

  it('is private: files 600 in a folder 700', async () => {
    await client.send(new CreateSecretCommand({ Name: 'private', SecretString: VALUE }));
    await client.send(new PutSecretValueCommand({ SecretId: 'private', SecretString: 'v2-value' }));
    expect(statSync(data.secretsManager).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(data.secretsManager))
      expect(statSync(join(data.secretsManager, file)).mode & 0o777).toBe(0o600);
  });

  it('applies concurrent puts one after the other, none lost or torn', async () => {
    await client.send(new CreateSecretCommand({ Name: 'busy', SecretString: 'first' }));
    const values = Array.from({ length: 20 }, (_, i) => `value-${i}-${'x'.repeat(i * 100)}`);
    const versions = await Promise.all(
      values.map((value) =>
        client.send(new PutSecretValueCommand({ SecretId: 'busy', SecretString: value })),
      ),
    );
    // The version kept is one that was put, with its own value.
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'busy' }));
    const index = versions.findIndex((version) => version.VersionId === current.VersionId);
    expect(current.SecretString).toBe(values[index]);
    expect(readdirSync(data.secretsManager)).toHaveLength(1);
  });

  it('creates a secret once when many create it at once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        client.send(new CreateSecretCommand({ Name: 'once', SecretString: `v${i}` })),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results)
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ResourceExistsException);
  });

  it('lets many writers create the same secret at once: one creates it, the others update it', async () => {
    const writer = new SecretsManagerWriter(client);
    const creates: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'CreateSecretCommand') creates.push(context.commandName);
        return next(args);
      },
      { step: 'initialize' },
    );
    const values = Array.from({ length: 10 }, (_, i) => `value-${i}`);
    await Promise.all(values.map((value) => writer.put('new', value)));
    expect(creates.length).toBeGreaterThan(1); // the race happened
    expect(values).toContain(
      (await client.send(new GetSecretValueCommand({ SecretId: 'new' }))).SecretString,
    );
    await Promise.all(values.map((value, i) => writer.put(`many/${i}`, value)));
    for (const [i, value] of values.entries())
      expect((await client.send(new GetSecretValueCommand({ SecretId: `many/${i}` }))).SecretString).toBe(
        value,
      );
    expect(readdirSync(data.secretsManager).filter((file) => !file.endsWith('.json'))).toEqual([]);
  });

  it('removes half-written files a killed process left', async () => {
    writeFileSync(join(data.secretsManager, 'abc.json.0123.partial'), '{"Name":', { mode: 0o600 });
    await restart();
    expect(readdirSync(data.secretsManager)).toEqual([]);
  });

  it('says when the sealing key no longer opens a value, and still lets the secret be seen and deleted', async () => {
    await client.send(new CreateSecretCommand({ Name: 'orphan', SecretString: VALUE }));
    await twin.close();
    rmSync(data.sealingKey);
    twin = await openSecretsManagerTwin(data);
    client = twin.client;
    const error = await failure(client.send(new GetSecretValueCommand({ SecretId: 'orphan' })));
    expect(error).toBeInstanceOf(DecryptionFailure);
    expect(error.message).toMatch(/does not open with the data folder's sealing key/);
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'orphan' }))).Name).toBe('orphan');
    await client.send(new DeleteSecretCommand({ SecretId: 'orphan', ForceDeleteWithoutRecovery: true }));
  });

  it('refuses a value moved from another secret’s file', async () => {
    await client.send(new CreateSecretCommand({ Name: 'a', SecretString: 'value-of-a' }));
    await client.send(new CreateSecretCommand({ Name: 'b', SecretString: 'value-of-b' }));
    const files = readdirSync(data.secretsManager).map((file) => join(data.secretsManager, file));
    const [a, b] = files.map((file) => JSON.parse(readFileSync(file, 'utf8')));
    const fileOfA = a.Name === 'a' ? files[0] : files[1];
    const [ofA, ofB] = a.Name === 'a' ? [a, b] : [b, a];
    writeFileSync(fileOfA, JSON.stringify({ ...ofA, Current: ofB.Current }));
    expect(await failure(client.send(new GetSecretValueCommand({ SecretId: 'a' })))).toBeInstanceOf(
      DecryptionFailure,
    );
  });

  it('names a damaged file rather than failing without a word', async () => {
    await client.send(new CreateSecretCommand({ Name: 'damaged', SecretString: VALUE }));
    const [file] = readdirSync(data.secretsManager);
    writeFileSync(join(data.secretsManager, file), '{"Name": "dam');
    const error = await failure(client.send(new GetSecretValueCommand({ SecretId: 'damaged' })));
    expect(error).toBeInstanceOf(InternalServiceError);
    expect(error.message).toContain(`the secret file ${join(data.secretsManager, file)} is damaged`);
  });
});

describe('SecretsManagerWriter against the twin', () => {
  it('creates, then updates, then deletes; deleting what is gone is fine', async () => {
    const writer = new SecretsManagerWriter(client);
    await writer.put('w', 'one-value');
    await writer.put('w', 'two-value');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'w' }))).SecretString).toBe('two-value');
    await writer.delete('w');
    await writer.delete('w');
    expect(readdirSync(data.secretsManager)).toEqual([]);
  });
  it('says which secret it could not store, and where, never the value', async () => {
    const error = await failure(new SecretsManagerWriter(client, 'the twin').put('has space', VALUE));
    expect(error.message).toMatch(
      /^cannot store secret 'has space' in the twin: InvalidParameterException: Invalid name/,
    );
    expect(error.message).not.toContain(VALUE);
  });
});

describe('SecretsManagerProvider against the twin', () => {
  it('reads secrets and keys of JSON secrets, unchanged', async () => {
    await client.send(new CreateSecretCommand({ Name: 'json', SecretString: '{"password":"pw-12345"}' }));
    const provider = new SecretsManagerProvider(client, 'the twin');
    expect(await provider.get('json#password')).toBe('pw-12345');
    await expect(provider.get('absent')).rejects.toThrow("secret 'absent' is not in the twin");
  });
});

/** A raw, unsigned request to the twin. */
function post(socket: string, target: string, body: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        method: 'POST',
        path: '/',
        headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
