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
    const { Attributes } = await this.table.client.send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: marshall({ pk: `SEQ#${sequence}`, sk: 'C' }),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: marshall({ ':one': 1 }),
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes!.value.N);
  }
}
