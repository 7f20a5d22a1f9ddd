import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { JobEventSource } from '../store/job-events';

/**
 * The events of node jobs in AWS: each runner task writes its job's events to stdout as JSON lines
 * (runner-image/entrypoint.ts), which the awslogs driver keeps in the runner's log group. One node's
 * events are found with a JSON filter on the two fields every event carries. Lines that are log
 * messages (with a `level`) rather than job events are left out.
 */
export class RunnerLogEvents implements JobEventSource {
  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly logGroupName: string,
  ) {}

  async events(workflowJob: number, node: string): Promise<Record<string, unknown>[]> {
    const filterPattern = `{ ($.workflow_job = ${workflowJob}) && ($.node = ${JSON.stringify(node)}) }`;
    const events: Record<string, unknown>[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.logs.send(
        new FilterLogEventsCommand({ logGroupName: this.logGroupName, filterPattern, nextToken }),
      );
      for (const logged of page.events ?? []) {
        const event = parseEvent(logged.message);
        if (event && !('level' in event)) events.push(event);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    // One node's events are one task's log stream, which FilterLogEvents returns in written order.
    return events;
  }
}

function parseEvent(message: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(message ?? '');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
