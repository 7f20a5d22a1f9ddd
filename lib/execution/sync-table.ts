import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import {
  isReady,
  outcomeOf,
  withAwaited,
  type Outcome,
  type Outcomes,
  type SyncRequest,
} from './lane-outcomes';
import { EXPIRY_ATTRIBUTE } from '../store/table';
import { ignoreClosedTask } from '../runner/task-callback';

/**
 * The synchronisation of compiled lanes in AWS (lib/compiler/plan.ts), on the table: one item per
 * execution holds the outcomes lanes published (`o_<key>`) and the lanes waiting (`w_<id>`, with
 * their task token). Each exchange is one atomic update that publishes, registers its waiter and
 * returns the whole item: the last writer therefore sees every outcome and every waiter, so no
 * waiter is missed. A waiter whose outcomes are all known is removed by a conditional write first,
 * so it is resumed once. The same exchange runs in process as lib/local/sync-board.ts.
 */
export interface SyncTableRequest extends SyncRequest {
  /** The waiting task's token: resumed with the lane's outcomes, the awaited ones merged in. */
  readonly token: string;
}

interface Waiter {
  readonly token: string;
  readonly wait: readonly string[];
  readonly join?: SyncRequest['join'];
  readonly outcomes: Outcomes;
}

/** Sync items outlive their execution by a day at most (the table's TTL attribute). */
const KEEP_SECONDS = 24 * 3600;

export class SyncTable {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
    private readonly sfn: SFNClient,
  ) {}

  async exchange(request: SyncTableRequest): Promise<void> {
    const waiterId = `w_${createHash('sha256').update(request.token).digest('hex').slice(0, 24)}`;
    const values: Record<string, unknown> = { ':expires': Math.floor(Date.now() / 1000) + KEEP_SECONDS };
    const names: Record<string, string> = { '#expires': EXPIRY_ATTRIBUTE };
    const sets = ['#expires = :expires'];
    request.publish.forEach((key, i) => {
      names[`#o${i}`] = `o_${key}`;
      values[`:o${i}`] = outcomeOf(request.outcomes, key);
      sets.push(`#o${i} = :o${i}`);
    });
    names['#waiter'] = waiterId;
    values[':waiter'] = {
      token: request.token,
      wait: request.wait,
      ...(request.join ? { join: request.join } : {}),
      outcomes: request.outcomes,
    } satisfies Waiter;
    sets.push('#waiter = :waiter');
    const { Attributes } = await this.dynamo.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall(itemKey(request.execution)),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = unmarshall(Attributes!);
    const known = new Map<string, Outcome>(
      Object.entries(item)
        .filter(([name]) => name.startsWith('o_'))
        .map(([name, outcome]) => [name.slice(2), outcome as Outcome]),
    );
    const ready = Object.entries(item).filter(
      ([name, waiter]) => name.startsWith('w_') && isReady(waiter as Waiter, known),
    );
    await Promise.all(
      ready.map(([name, waiter]) => this.resume(request.execution, name, waiter as Waiter, known)),
    );
  }

  /** Resumes a ready waiter, unless another exchange removed (and so resumed) it first. */
  private async resume(
    execution: string,
    name: string,
    waiter: Waiter,
    known: Map<string, Outcome>,
  ): Promise<void> {
    try {
      await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(itemKey(execution)),
          UpdateExpression: 'REMOVE #waiter',
          ConditionExpression: 'attribute_exists(#waiter)',
          ExpressionAttributeNames: { '#waiter': name },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
    const output = JSON.stringify(withAwaited(waiter.outcomes, waiter.wait, known));
    await this.sfn
      .send(new SendTaskSuccessCommand({ taskToken: waiter.token, output }))
      .catch(ignoreClosedTask);
  }
}

function itemKey(execution: string): { pk: string; sk: string } {
  return { pk: `SYNC#${execution}`, sk: '#' };
}
