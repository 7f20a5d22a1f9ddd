import { randomBytes, randomUUID } from 'node:crypto';
import type { Sealer } from '../store/sealer';
import type { SecretFiles, StoredSecret } from './secret-files';

/**
 * What the Secrets Manager twin does for each operation, with Secrets Manager's request and
 * response fields and error types, so the AWS SDK's client reads its answers (and raises its own
 * exception classes) as it reads AWS's. The subset Towerless uses; what the twin does not do is
 * refused with InvalidParameterException, never ignored (see docs/local-data.md).
 */

/** An error answered as AWS answers it: `{"__type": type, "Message": message}`. */
export class SecretsManagerError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type Operation = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Where the twin's secrets are said to live: ARNs need a region and an account. */
const ARN_PREFIX = 'arn:aws:secretsmanager:local:000000000000:secret:';
const CURRENT = 'AWSCURRENT';
/** Secrets Manager's limits and name rule. */
const MAX_VALUE_BYTES = 65536;
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const MAX_RESULTS = 100;

const notFound = () =>
  new SecretsManagerError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const invalid = (message: string) => new SecretsManagerError('InvalidParameterException', message);

export function secretsManagerOperations(files: SecretFiles, sealer: Sealer): Record<string, Operation> {
  /** The secret a SecretId names: its name, or its full ARN. */
  const find = async (input: Record<string, unknown>): Promise<StoredSecret> => {
    const id = text(input, 'SecretId');
    const byArn = id.startsWith(ARN_PREFIX);
    // An ARN is the prefix, the name, `-` and six random characters.
    const secret = await files.read(byArn ? id.slice(ARN_PREFIX.length, -7) : id);
    if (secret === undefined || (byArn && secret.ARN !== id)) throw notFound();
    return secret;
  };

  const seal = (name: string, value: string) => sealer.seal(Buffer.from(JSON.stringify([name, value])));

  const open = (secret: StoredSecret, sealed: string): string => {
    let name: unknown, value: unknown;
    try {
      [name, value] = JSON.parse(sealer.open(sealed).toString('utf8')) as unknown[];
    } catch {
      throw new SecretsManagerError(
        'DecryptionFailure',
        `the value of secret ${secret.Name} does not open with the data folder's sealing key (the key was replaced, or the file altered): put the value again`,
      );
    }
    // A value moved from another secret's file opens, but is not this secret's.
    if (name !== secret.Name || typeof value !== 'string')
      throw new SecretsManagerError(
        'DecryptionFailure',
        `the value of secret ${secret.Name} belongs to another secret`,
      );
    return value;
  };

  /**
   * The new current version; a retried request (same ClientRequestToken, which the SDK fills
   * in) with the same value changes nothing, as in AWS.
   */
  const newVersion = (
    secret: StoredSecret | undefined,
    name: string,
    value: string,
    token: string | undefined,
  ) => {
    if (secret?.Current && token === secret.Current.VersionId) {
      if (open(secret, secret.Current.Sealed) === value) return secret.Current;
      throw new SecretsManagerError(
        'ResourceExistsException',
        "You can't modify an existing version, you can only create a new version.",
      );
    }
    return { VersionId: token ?? randomUUID(), CreatedDate: now(), Sealed: seal(name, value) };
  };

  return {
    async CreateSecret(input) {
      const name = text(input, 'Name');
      if (!NAME.test(name))
        throw invalid(
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      const value = secretString(input, false);
      const description = optionalText(input, 'Description');
      const token = optionalText(input, 'ClientRequestToken');
      return files.exclusive(name, async () => {
        const existing = await files.read(name);
        if (existing) {
          // The same request retried (the SDK sends the same token) succeeds, as in AWS.
          if (value !== undefined && token !== undefined && existing.Current?.VersionId === token)
            return created(existing, newVersion(existing, name, value, token));
          throw new SecretsManagerError(
            'ResourceExistsException',
            `The operation failed because the secret ${name} already exists.`,
          );
        }
        const at = now();
        const secret: StoredSecret = {
          Name: name,
          ARN: `${ARN_PREFIX}${name}-${randomBytes(3).toString('hex')}`,
          ...(description === undefined ? {} : { Description: description }),
          CreatedDate: at,
          LastChangedDate: at,
          ...(value === undefined ? {} : { Current: newVersion(undefined, name, value, token) }),
        };
        await files.write(secret);
        return created(secret, secret.Current);
      });
    },

    async PutSecretValue(input) {
      const value = secretString(input, true) as string;
      const { Name: name } = await find(input);
      return files.exclusive(name, async () => {
        const secret = await files.read(name);
        if (secret === undefined) throw notFound(); // deleted meanwhile
        const version = newVersion(secret, name, value, optionalText(input, 'ClientRequestToken'));
        if (version !== secret.Current)
          await files.write({ ...secret, LastChangedDate: now(), Current: version });
        return { ARN: secret.ARN, Name: name, VersionId: version.VersionId, VersionStages: [CURRENT] };
      });
    },

    async GetSecretValue(input) {
      const secret = await find(input);
      const versionId = optionalText(input, 'VersionId');
      const stage = optionalText(input, 'VersionStage');
      const current = secret.Current;
      if (
        current === undefined ||
        (stage !== undefined && stage !== CURRENT) ||
        (versionId !== undefined && versionId !== current.VersionId)
      )
        throw new SecretsManagerError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${versionId === undefined ? `staging label: ${stage ?? CURRENT}` : `VersionId: ${versionId}`}`,
        );
      return {
        ARN: secret.ARN,
        Name: secret.Name,
        VersionId: current.VersionId,
        SecretString: open(secret, current.Sealed),
        VersionStages: [CURRENT],
        CreatedDate: current.CreatedDate,
      };
    },

    async DescribeSecret(input) {
      const secret = await find(input);
      return { ...shown(secret), ...stages(secret, 'VersionIdsToStages') };
    },

    async DeleteSecret(input) {
      // Nothing could recover a local secret: scheduled deletion is not pretended.
      if (input.ForceDeleteWithoutRecovery !== true)
        throw invalid(
          'the local Secrets Manager twin deletes secrets only with ForceDeleteWithoutRecovery: true',
        );
      const { Name: name } = await find(input);
      return files.exclusive(name, async () => {
        const secret = await files.read(name);
        if (secret === undefined) throw notFound();
        await files.remove(name);
        return { ARN: secret.ARN, Name: name, DeletionDate: now() };
      });
    },

    async ListSecrets(input) {
      const matches = nameFilter(input.Filters);
      const limit = input.MaxResults ?? MAX_RESULTS;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS)
        throw invalid(`MaxResults must be an integer from 1 to ${MAX_RESULTS}`);
      const after = input.NextToken === undefined ? undefined : tokenName(input.NextToken);
      const secrets = (await files.all())
        .filter((secret) => matches(secret.Name) && (after === undefined || secret.Name > after))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1));
      const page = secrets.slice(0, limit);
      const last = page.at(-1);
      return {
        SecretList: page.map((secret) => ({ ...shown(secret), ...stages(secret, 'SecretVersionsToStages') })),
        ...(secrets.length > page.length && last
          ? { NextToken: Buffer.from(last.Name).toString('base64url') }
          : {}),
      };
    },
  };
}

function created(secret: StoredSecret, version: StoredSecret['Current']): Record<string, unknown> {
  return { ARN: secret.ARN, Name: secret.Name, ...(version ? { VersionId: version.VersionId } : {}) };
}

/** What Secrets Manager shows of a secret (never its value). */
function shown(secret: StoredSecret): Record<string, unknown> {
  const { Name, ARN, Description, CreatedDate, LastChangedDate } = secret;
  return { Name, ARN, Description, CreatedDate, LastChangedDate };
}

/** Its versions and their stages, under the field name each operation uses. */
function stages(secret: StoredSecret, field: string): Record<string, unknown> {
  return secret.Current ? { [field]: { [secret.Current.VersionId]: [CURRENT] } } : {};
}

/** ListSecrets' filters, by name only: each value a prefix (`!` before it negates); values of a filter are alternatives, filters all apply. */
function nameFilter(filters: unknown): (name: string) => boolean {
  if (filters === undefined) return () => true;
  if (!Array.isArray(filters)) throw invalid('Filters must be a list');
  const tests = filters.map((filter: { Key?: unknown; Values?: unknown }) => {
    if (filter?.Key !== 'name') throw invalid('the local Secrets Manager twin filters secrets by name only');
    const values = filter.Values;
    if (!Array.isArray(values) || values.length === 0 || !values.every((value) => typeof value === 'string'))
      throw invalid('a filter needs Values, a list of strings');
    return (name: string) =>
      (values as string[]).some((value) =>
        value.startsWith('!') ? !name.startsWith(value.slice(1)) : name.startsWith(value),
      );
  });
  return (name) => tests.every((test) => test(name));
}

function tokenName(token: unknown): string {
  if (typeof token !== 'string' || token === '')
    throw new SecretsManagerError('InvalidNextTokenException', 'The NextToken value is invalid.');
  return Buffer.from(token, 'base64url').toString('utf8');
}

/** SecretString, required or optional; the twin keeps strings only (Towerless writes no others). */
function secretString(input: Record<string, unknown>, required: boolean): string | undefined {
  if (input.SecretBinary !== undefined)
    throw invalid('the local Secrets Manager twin keeps SecretString values only, not SecretBinary');
  const value = input.SecretString;
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') throw invalid('You must provide either SecretString or SecretBinary.');
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES)
    throw invalid(`SecretString must be at most ${MAX_VALUE_BYTES} bytes`);
  return value;
}

function text(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw invalid(`${field} must be a non-empty string`);
  return value;
}

function optionalText(input: Record<string, unknown>, field: string): string | undefined {
  return input[field] === undefined ? undefined : text(input, field);
}

/** Epoch seconds, as the AWS JSON protocol writes timestamps. */
function now(): number {
  return Date.now() / 1000;
}
