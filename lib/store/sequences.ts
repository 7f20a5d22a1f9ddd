import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { RecordTable } from './record-table';

/**
 * Integer ids as AWX hands them out: one atomic counter item per sequence (`SEQ#<sequence>`), so
 * two writers never get the same id and ids only grow. Kinds that share an id space in AWX share a
 * sequence (all unified job templates; all unified jobs).
 */
export class Sequences {
  constructor(private readonly table: RecordTable) {}

  async next(sequence: string): Promise<number> {
    return (await this.reserve(sequence, 1))[0];
  }

  /** `count` consecutive ids in one write (a workflow job's nodes, created together). */
  async reserve(sequence: string, count: number): Promise<number[]> {
    if (count < 1) return [];
    const { Attributes } = await this.table.client.send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: marshall({ pk: `SEQ#${sequence}`, sk: 'C' }),
        UpdateExpression: 'ADD #value :count',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: marshall({ ':count': count }),
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(Attributes!.value.N);
    return Array.from({ length: count }, (_, i) => last - count + 1 + i);
  }
}
