import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import {
  isParkedReady,
  outcomeOf,
  parkedWait,
  releasedAtOnce,
  withAwaited,
  type Outcome,
  type Outcomes,
  type ParkedWait,
  type SyncRequest,
} from './lane-outcomes';
import type { RecordTable } from '../store/record-table';
import { EXPIRY_ATTRIBUTE } from '../store/table';
import { ignoreClosedTask } from '../runner/task-callback';

/**
 * The synchronisation of compiled lanes in AWS (lib/compiler/plan.ts), on the table. Per
 * execution, one item holds the outcomes lanes published (`o_<key>`), and one item per waiting lane
 * holds its task token and what it waits for: a workflow may park hundreds of lanes at once, more
 * than one 400 KB item holds.
 *
 * Each exchange parks its waiter, then publishes its outcomes by one atomic update that returns
 * every outcome, then reads what the parked waiters wait for (strongly consistent). Updates of the
 * outcome item are serialised, and each exchange parked its waiter before its update: the exchange
 * whose update comes last therefore sees every outcome and every waiter, so no waiter is missed. A
 * ready waiter is deleted by a conditional write first, so it is resumed once. (dynalite has no
 * transactions, and this order needs none.) A lane an ALL node's early parent releases at once is
 * never parked. The same exchange runs in process as lib/local/sync-board.ts.
 */
export interface SyncTableRequest extends SyncRequest {
  /** The waiting task's token: resumed with the lane's outcomes, the awaited ones merged in. */
  readonly token: string;
}

/** A parked lane: its token and outcomes are read only to resume it. */
interface Waiter extends ParkedWait {
  readonly sk: string;
  readonly token: string;
  readonly outcomes: Outcomes;
}

/**
 * Sync items are deleted when their execution ends (forget); the table's TTL takes what is left,
 * once their execution cannot be running any more: a Standard execution runs for a year at most,
 * and an approval may keep lanes waiting that long.
 */
const KEEP_SECONDS = 366 * 24 * 3600;
const OUTCOMES_SK = '#';
const WAITER_PREFIX = 'w#';

export class SyncTable {
  constructor(
    private readonly table: RecordTable,
    private readonly sfn: SFNClient,
  ) {}

  async exchange(request: SyncTableRequest): Promise<void> {
    const pk = syncKey(request.execution);
    const expires = Math.floor(Date.now() / 1000) + KEEP_SECONDS;
    const atOnce = releasedAtOnce(request);
    if (!atOnce) await this.park(pk, request, expires);
    const known = await this.publish(pk, request, expires);
    if (atOnce) await this.succeed(request, known);
    const ready = (await this.parked(pk)).filter((parked) => isParkedReady(parked, known));
    await Promise.all(ready.map(({ sk }) => this.resume(pk, sk, known)));
  }

  private async park(pk: string, request: SyncTableRequest, expires: number): Promise<void> {
    const waiter: Waiter = {
      sk: `${WAITER_PREFIX}${createHash('sha256').update(request.token).digest('hex').slice(0, 24)}`,
      token: request.token,
      outcomes: request.outcomes,
      ...parkedWait(request),
    };
    await this.table.client.send(
      new PutItemCommand({
        TableName: this.table.tableName,
        Item: marshall({ pk, ...waiter, [EXPIRY_ATTRIBUTE]: expires }),
      }),
    );
  }

  /**
   * Deletes an execution's sync items once it ended, task tokens with them: the table's TTL only
   * catches what an exchange still in flight wrote after.
   */
  async forget(execution: string): Promise<void> {
    const keys = await this.table.query<{ pk: string; sk: string }>({
      KeyConditionExpression: 'pk = :pk',
      ProjectionExpression: 'pk, sk',
      ExpressionAttributeValues: marshall({ ':pk': syncKey(execution) }),
    });
    await this.table.deleteKeys(keys);
  }

  /** Publishes the request's outcomes; returns every outcome published so far. */
  private async publish(
    pk: string,
    request: SyncTableRequest,
    expires: number,
  ): Promise<Map<string, Outcome>> {
    const names: Record<string, string> = { '#expires': EXPIRY_ATTRIBUTE };
    const values: Record<string, unknown> = { ':expires': expires };
    const sets = ['#expires = :expires'];
    request.publish.forEach((key, i) => {
      names[`#o${i}`] = `o_${key}`;
      values[`:o${i}`] = outcomeOf(request.outcomes, key);
      sets.push(`#o${i} = :o${i}`);
    });
    const { Attributes } = await this.table.client.send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: marshall({ pk, sk: OUTCOMES_SK }),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return new Map(
      Object.entries(unmarshall(Attributes!))
        .filter(([name]) => name.startsWith('o_'))
        .map(([name, outcome]) => [name.slice(2), outcome as Outcome]),
    );
  }

  /** What every parked waiter waits for (not its token and outcomes: the read stays small). */
  private async parked(pk: string): Promise<(ParkedWait & { readonly sk: string })[]> {
    return this.table.query<ParkedWait & { readonly sk: string }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :waiter)',
      ProjectionExpression: '#sk, #wait, #join',
      ExpressionAttributeNames: { '#sk': 'sk', '#wait': 'wait', '#join': 'join' },
      ExpressionAttributeValues: marshall({ ':pk': pk, ':waiter': WAITER_PREFIX }),
      ConsistentRead: true,
    });
  }

  /** Resumes a ready waiter, unless another exchange deleted (and so resumed) it first. */
  private async resume(pk: string, sk: string, known: Map<string, Outcome>): Promise<void> {
    let deleted;
    try {
      deleted = await this.table.client.send(
        new DeleteItemCommand({
          TableName: this.table.tableName,
          Key: marshall({ pk, sk }),
          ConditionExpression: 'attribute_exists(sk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
    await this.succeed(unmarshall(deleted.Attributes!) as Waiter, known);
  }

  /** Resumes the lane's task with its outcomes, the awaited ones merged in. */
  private async succeed(
    waiter: Pick<Waiter, 'token' | 'outcomes' | 'wait'>,
    known: Map<string, Outcome>,
  ): Promise<void> {
    const output = JSON.stringify(withAwaited(waiter.outcomes, waiter.wait, known));
    await this.sfn
      .send(new SendTaskSuccessCommand({ taskToken: waiter.token, output }))
      .catch(ignoreClosedTask);
  }
}

function syncKey(execution: string): string {
  return `SYNC#${execution}`;
}
