import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface TableStreamSubscriptionProps {
  readonly table: ITable;
  readonly handler: IFunction;
  /** Event filter patterns: only matching records reach (and bill) the function. */
  readonly filters?: readonly Record<string, unknown>[];
}

/**
 * Feeds the table's stream to a function in small batches. A batch that fails is split to find
 * the record at fault, retried three times, then described in a queue (encrypted, TLS only), so
 * one bad record neither blocks the stream nor vanishes.
 */
export class TableStreamSubscription extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: TableStreamSubscriptionProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the on-failure destination of the table stream's event source mapping: it receives the descriptions of records the handler gave up on, and nothing consumes it automatically.",
    });
    props.handler.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 3,
        onFailure: new SqsDlq(this.deadLetters),
        filters: props.filters?.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
  }
}
