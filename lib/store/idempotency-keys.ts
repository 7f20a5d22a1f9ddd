import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import type { RecordTable } from './record-table';

/** The answer a request gave, kept so that a retry with the same key gets it again. */
export interface KeptAnswer {
  readonly status: number;
  readonly body: string;
  readonly location?: string;
}

/** What a key holds: the request it was first used with, and once answered, the answer. */
export interface KeyRecord {
  /** A digest of the request (its path and body) the key was first used with. */
  readonly fingerprint: string;
  /** Which request holds the claim (a random id); only it answers or releases it. */
  readonly owner: string;
  readonly claimed: string;
  /** Milliseconds since the epoch after which the key is free again. */
  readonly expires: number;
  readonly answer?: KeptAnswer;
}

/** A claim on a key: this request's to act on, or someone else's (answered or still under way). */
export type Claim =
  { readonly mine: true; readonly owner: string } | { readonly mine: false; readonly record: KeyRecord };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency keys (the `Idempotency-Key` header, docs/api.md): per user, a key names one request
 * for 24 hours. Of requests racing with the same key, the one whose conditional write claims it
 * first acts; the others read the claim and wait for its answer. A claim whose request never
 * answered (its process died) is taken over once stale. Items `IDEMPOTENCY#<scope>#<digest of the
 * key>` in the single table; an expired one is replaced by the next claim.
 */
export class IdempotencyKeys {
  private readonly lifetimeMs: number;
  private readonly staleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly table: RecordTable,
    options: { lifetimeMs?: number; staleMs?: number; now?: () => number } = {},
  ) {
    this.lifetimeMs = options.lifetimeMs ?? DAY_MS;
    this.staleMs = options.staleMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Claims `key` for a request, or tells who holds it (a claim written only if none holds). */
  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    const pk = itemKey(scope, key);
    for (;;) {
      const now = this.now();
      const owner = await this.write(pk, fingerprint, now, 'attribute_not_exists(pk) OR expires < :now', {
        ':now': now,
      });
      if (owner) return { mine: true, owner };
      const record = await this.table.get<KeyRecord>(pk, 'K');
      if (!record) continue; // released meanwhile: try again
      const abandoned = !record.answer && now - Date.parse(record.claimed) > this.staleMs;
      if (!abandoned) return { mine: false, record };
      const taken = await this.write(pk, fingerprint, now, 'owner = :owner', { ':owner': record.owner });
      if (taken) return { mine: true, owner: taken };
    }
  }

  /** Keeps the answer of the request that holds the claim. */
  async settle(scope: string, key: string, owner: string, answer: KeptAnswer): Promise<void> {
    const pk = itemKey(scope, key);
    const record = await this.table.get<KeyRecord>(pk, 'K');
    if (record?.owner !== owner) return; // taken over: the other request answers
    const settled: KeyRecord = { ...record, answer };
    await this.table
      .put(pk, 'K', settled, {
        condition: 'owner = :owner',
        values: { ':owner': owner },
        attributes: { owner, expires: record.expires },
      })
      .catch(ignoreConditionFailed);
  }

  /** Frees the key (the request failed): a retry with it acts again. */
  async release(scope: string, key: string, owner: string): Promise<void> {
    await this.table.remove(itemKey(scope, key), 'K', {
      condition: 'owner = :owner',
      values: { ':owner': owner },
    });
  }

  private async write(
    pk: string,
    fingerprint: string,
    now: number,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<string | undefined> {
    const owner = randomUUID();
    const record: KeyRecord = {
      fingerprint,
      owner,
      claimed: new Date(now).toISOString(),
      expires: now + this.lifetimeMs,
    };
    try {
      await this.table.put(pk, 'K', record, {
        condition,
        values,
        attributes: { owner, expires: record.expires },
      });
      return owner;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}

function itemKey(scope: string, key: string): string {
  return `IDEMPOTENCY#${scope}#${createHash('sha256').update(key).digest('hex')}`;
}

function ignoreConditionFailed(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}
