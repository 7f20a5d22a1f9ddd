import type { CatalogRecord, CatalogStore } from '../catalog/catalog-store';
import { UnauthenticatedError } from '../errors';
import type { RecordTable } from '../store/record-table';
import { hashPassword, newToken, passwordMatches, tokenDigest } from './secrets-hash';

export interface UserRecord extends CatalogRecord {
  /** The username (AWX's `username`), unique on the server. */
  readonly name: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string;
  readonly is_superuser: boolean;
  /** scrypt hash; absent for users that can only use tokens. */
  readonly password_hash?: string;
}

export interface TokenRecord extends CatalogRecord {
  readonly user: number;
  readonly description: string;
  readonly scope: 'read' | 'write';
  readonly expires: string;
}

/** AWX's default lifetime of a personal access token (OAUTH2 ACCESS_TOKEN_EXPIRE_SECONDS). */
const TOKEN_LIFETIME_MS = 31_536_000_000 * 1000;

/**
 * Users and their API tokens. A token is shown once, when it is made; the store keeps its
 * digest, under which one read finds the token record (`TOKEN#<digest>`).
 */
export class Accounts {
  /**
   * Performance: whom a token authenticates, remembered for AUTH_MEMORY_MS, so that an API call
   * does not read the token's lookup item, the token and its user (three store reads, most of a
   * status GET's time) again. What changes the answer through this class (deleteToken,
   * updateUser, deleteUser: the API's only ways) forgets at once, and `generation` keeps a read
   * that raced such a change from being remembered. A change by another process (never locally:
   * one process holds the data folder) is seen within AUTH_MEMORY_MS.
   */
  private readonly known = new Map<string, KnownToken>();
  private generation = 0;

  constructor(
    private readonly catalog: CatalogStore,
    private readonly table: RecordTable,
  ) {}

  async createUser(
    fields: Omit<UserRecord, 'id' | 'created' | 'modified' | 'password_hash'>,
    password?: string,
  ): Promise<UserRecord> {
    return this.catalog.create<UserRecord>('user', {
      ...fields,
      ...(password ? { password_hash: hashPassword(password) } : {}),
    });
  }

  async updateUser(
    id: number,
    fields: Partial<Omit<UserRecord, 'id' | 'created' | 'modified' | 'password_hash'>>,
    password?: string,
  ): Promise<UserRecord> {
    try {
      return await this.catalog.update<UserRecord>('user', id, {
        ...fields,
        ...(password ? { password_hash: hashPassword(password) } : {}),
      });
    } finally {
      this.forget((known) => known.user.id === id);
    }
  }

  async deleteUser(id: number): Promise<void> {
    try {
      await this.catalog.delete('user', id);
    } finally {
      this.forget((known) => known.user.id === id);
    }
  }

  async deleteToken(id: number): Promise<void> {
    try {
      await this.catalog.delete('token', id);
    } finally {
      this.forget((known) => known.token === id);
    }
  }

  async createToken(
    user: UserRecord,
    options: { description?: string; scope?: 'read' | 'write'; token?: string } = {},
  ): Promise<{ record: TokenRecord; token: string }> {
    const token = options.token ?? newToken();
    const record = await this.catalog.create<TokenRecord>('token', {
      user: user.id,
      description: options.description ?? '',
      scope: options.scope ?? 'write',
      expires: new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString(),
    });
    await this.table.put(tokenKey(token), 'T', { token: record.id });
    return { record, token };
  }

  /** The user a Bearer token belongs to. */
  async userOfToken(token: string): Promise<UserRecord> {
    const digest = tokenDigest(token);
    const known = this.known.get(digest);
    if (known && known.until > Date.now()) {
      if (known.expires < Date.now()) throw new UnauthenticatedError('Invalid token.');
      return known.user;
    }
    const generation = this.generation;
    const entry = await this.table.get<{ token: number }>(digestKey(digest), 'T');
    const record = entry && (await this.catalog.find<TokenRecord>('token', entry.token));
    if (!record || Date.parse(record.expires) < Date.now()) throw new UnauthenticatedError('Invalid token.');
    const user = await this.catalog.find<UserRecord>('user', record.user);
    if (!user) throw new UnauthenticatedError('Invalid token.');
    if (generation === this.generation) {
      if (this.known.size >= MAX_KNOWN_TOKENS) this.known.clear();
      const until = Date.now() + AUTH_MEMORY_MS;
      this.known.set(digest, { user, token: record.id, expires: Date.parse(record.expires), until });
    }
    return user;
  }

  /** The user a username and password (HTTP Basic) name. */
  async userOfPassword(username: string, password: string): Promise<UserRecord> {
    const user = await this.catalog.findByName<UserRecord>('user', username);
    if (!user?.password_hash || !passwordMatches(password, user.password_hash))
      throw new UnauthenticatedError('Invalid username/password.');
    return user;
  }

  /**
   * The first start of a server makes its superuser `admin` and an admin token: the one given
   * (TOWERLESS_ADMIN_TOKEN) or a new one, returned so that it can be shown once.
   */
  async bootstrap(givenToken: string | undefined): Promise<{ created: boolean; token?: string }> {
    let admin = await this.catalog.findByName<UserRecord>('user', 'admin');
    const created = !admin;
    admin ??= await this.createUser({
      name: 'admin',
      first_name: '',
      last_name: '',
      email: '',
      is_superuser: true,
    });
    if (givenToken) {
      if (!(await this.tokenEntry(givenToken)))
        await this.createToken(admin, { description: 'TOWERLESS_ADMIN_TOKEN', token: givenToken });
      return { created };
    }
    if (!created) return { created };
    const { token } = await this.createToken(admin, { description: 'made at the first start' });
    return { created, token };
  }

  private forget(which: (known: KnownToken) => boolean): void {
    this.generation++;
    for (const [digest, known] of this.known) if (which(known)) this.known.delete(digest);
  }

  /** The lookup item of a token, found by its digest. */
  private tokenEntry(token: string): Promise<{ token: number } | undefined> {
    return this.table.get<{ token: number }>(tokenKey(token), 'T');
  }
}

/** How long whom a token authenticates is remembered (see `Accounts.known`). */
const AUTH_MEMORY_MS = 5_000;
/** Tokens remembered at most (all are forgotten when full). */
const MAX_KNOWN_TOKENS = 10_000;

interface KnownToken {
  readonly user: UserRecord;
  /** The token record's id. */
  readonly token: number;
  /** When the token expires (ms). */
  readonly expires: number;
  /** Until when this is remembered (ms). */
  readonly until: number;
}

function tokenKey(token: string): string {
  return digestKey(tokenDigest(token));
}

function digestKey(digest: string): string {
  return `TOKEN#${digest}`;
}
