import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { NodeRunFailure } from './failure';
import { isServiceSecret } from './kept-secrets';

/**
 * Where credential secrets come from: Secrets Manager in AWS, a secrets file locally. A reference
 * is a secret's name, or `name#key` for one key of a secret holding a JSON object.
 */
export interface SecretProvider {
  /** The secret's value; throws a NodeRunFailure naming the secret (never a value) when missing. */
  get(name: string): Promise<string>;
  /** Throws a NodeRunFailure when the provider cannot serve at all (checked once, before a launch). */
  check(): Promise<void>;
  /** Says where secrets live, for messages. */
  readonly description: string;
}

/**
 * A YAML or JSON file mapping secret names to values. Refused when group or others may read it,
 * as ssh refuses such a private key.
 */
export class FileSecretProvider implements SecretProvider {
  private values?: Record<string, unknown>;

  constructor(readonly path: string) {}

  get description(): string {
    return `the secrets file ${this.path}`;
  }

  async get(name: string): Promise<string> {
    const values = this.load();
    // A name holding `#` is first looked up whole, so such names keep working.
    const [secretId, key] = Object.hasOwn(values, name) ? [name, undefined] : splitReference(name);
    // Own keys only: a reference named `constructor` is a missing secret, not Object's.
    const value = Object.hasOwn(values, secretId) ? values[secretId] : undefined;
    if (value === undefined || value === null)
      throw new NodeRunFailure(`secret '${secretId}' is not in ${this.description}`);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return key === undefined ? text : pickKey(secretId, text, key);
  }

  /** A missing file is fine until a secret is needed; one that exists must be safe and readable. */
  async check(): Promise<void> {
    if (existsSync(this.path)) this.load();
  }

  private load(): Record<string, unknown> {
    if (this.values) return this.values;
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(this.path);
    } catch {
      throw new NodeRunFailure(
        `${this.description} does not exist (create it with mode 600, a mapping of secret names to values)`,
      );
    }
    if (!stat.isFile()) throw new NodeRunFailure(`${this.description} is not a file`);
    const mode = stat.mode;
    if ((mode & 0o077) !== 0) {
      throw new NodeRunFailure(
        `${this.description} is readable by others (mode ${(mode & 0o777).toString(8)}): run chmod 600 on it`,
      );
    }
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new NodeRunFailure(`${this.description} cannot be read (${(error as { code?: string }).code})`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text, { prettyErrors: false });
    } catch (error) {
      // Never the parser's message: it quotes the offending line, which holds secrets.
      const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      throw new NodeRunFailure(
        `${this.description} is not valid YAML or JSON${at ? ` (line ${at.line}, column ${at.col})` : ''}`,
      );
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new NodeRunFailure(`${this.description} must be a mapping of secret names to values`);
    }
    this.values = (parsed ?? {}) as Record<string, unknown>;
    return this.values;
  }
}

/**
 * Secrets Manager: the reference is a secret name or ARN; JSON secrets may pick a key with
 * `name#key`. AWS's, or the local twin's (the same code, another client endpoint).
 */
export class SecretsManagerProvider implements SecretProvider {
  constructor(
    private readonly client: SecretsManagerClient = new SecretsManagerClient({}),
    readonly description = 'AWS Secrets Manager',
  ) {}

  async get(name: string): Promise<string> {
    const [secretId, key] = splitReference(name);
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (SecretString === undefined) throw new NodeRunFailure(`secret '${secretId}' has no string value`);
      return key === undefined ? SecretString : pickKey(secretId, SecretString, key);
    } catch (error) {
      if (error instanceof NodeRunFailure) throw error;
      if (error instanceof ResourceNotFoundException)
        throw new NodeRunFailure(`secret '${secretId}' is not in ${this.description}`);
      throw new NodeRunFailure(
        `cannot read secret '${secretId}' from ${this.description}: ${(error as Error).name}`,
        'error',
      );
    }
  }

  /** Access is checked per secret, when a node reads it (a task role may read only some). */
  async check(): Promise<void> {}
}

/**
 * Two sources behind one provider: the references `owns` claims come from `owned`, every other
 * from `others`. Locally, the secrets kept through the API come from the Secrets Manager twin
 * and the user's own references from the secrets file (see docs/secrets.md).
 */
export class RoutedSecretProvider implements SecretProvider {
  constructor(
    private readonly owns: (reference: string) => boolean,
    private readonly owned: SecretProvider,
    private readonly others: SecretProvider,
  ) {}

  get description(): string {
    return `${this.owned.description} and ${this.others.description}`;
  }

  get(name: string): Promise<string> {
    return (this.owns(name) ? this.owned : this.others).get(name);
  }

  async check(): Promise<void> {
    await this.owned.check();
    await this.others.check();
  }
}

/** `name#key` → [name, key]; a plain name → [name, undefined]. */
function splitReference(reference: string): [string, string | undefined] {
  const hash = reference.lastIndexOf('#');
  return hash > 0 ? [reference.slice(0, hash), reference.slice(hash + 1)] : [reference, undefined];
}

/** One key of a secret holding a JSON object (its text is never quoted in a message). */
function pickKey(secretId: string, text: string, key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NodeRunFailure(`secret '${secretId}' is not a JSON object, so it has no key '${key}'`);
  }
  const value =
    parsed && typeof parsed === 'object' && Object.hasOwn(parsed, key)
      ? (parsed as Record<string, unknown>)[key]
      : undefined;
  if (value === undefined || value === null)
    throw new NodeRunFailure(`secret '${secretId}' has no key '${key}'`);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The value of one credential input: plain, or fetched from the secret store (and remembered for scrubbing). */
export async function credentialInput(
  credential: {
    readonly name: string;
    readonly inputs: Readonly<Record<string, string | number | boolean | { readonly secret: string }>>;
  },
  input: string,
  provider: SecretProvider,
  found: string[],
): Promise<string | undefined> {
  const value = credential.inputs[input];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object') return String(value);
  // The API refuses such references; a bundle run locally could still hold one.
  if (isServiceSecret(value.secret))
    throw new NodeRunFailure(
      `credential '${credential.name}' input '${input}': '${value.secret}' is a secret of Towerless itself, which no credential may use`,
    );
  const secret = await provider.get(value.secret).catch((error: Error) => {
    throw new NodeRunFailure(`credential '${credential.name}' input '${input}': ${error.message}`);
  });
  found.push(secret);
  return secret;
}
