import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { RecordChange } from '../notifications/events';
import type { DynamoJobStore } from '../store/dynamo-job-store';
import type { MainItem } from '../store/record-table';

/**
 * DynamoDB Streams' view of the job store's writes (NEW_AND_OLD_IMAGES), as the record changes
 * notifications are made from: what lib/notifications/record-changes.ts tells in one process.
 * Removed items and items that are not job records tell nothing.
 */
export interface StreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly OldImage?: Record<string, AttributeValue>;
    readonly NewImage?: Record<string, AttributeValue>;
  };
}

export async function recordChanges(
  store: DynamoJobStore,
  records: readonly StreamRecord[],
): Promise<RecordChange[]> {
  const changes: RecordChange[] = [];
  for (const { dynamodb } of records) {
    if (!dynamodb?.NewImage) continue;
    const after = await store.streamedRecord(unmarshall(dynamodb.NewImage) as MainItem);
    if (!after) continue;
    const old = dynamodb.OldImage && (await store.streamedRecord(unmarshall(dynamodb.OldImage) as MainItem));
    changes.push({ type: after.type, before: old?.record, after: after.record } as RecordChange);
  }
  return changes;
}
