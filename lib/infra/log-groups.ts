import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * How long every log of the stack is kept. Logs are the only record of a run's output besides the
 * store, and the only cost of an idle deployment besides storage: three months bounds both.
 */
export const LOG_RETENTION = RetentionDays.THREE_MONTHS;

/**
 * A log group with the stack's retention. CloudWatch Logs encrypts at rest with its own key; a
 * customer managed KMS key would bill every month whether or not a workflow runs.
 */
export function retainedLogGroup(scope: Construct, id: string, logGroupName?: string): LogGroup {
  return new LogGroup(scope, id, { logGroupName, retention: LOG_RETENTION });
}
