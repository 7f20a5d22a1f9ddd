import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * CloudWatch Logs on loopback, as far as Towerless uses it: the awslogs driver's writes (the test
 * appends a runner task's stdout lines, as the driver would) and FilterLogEvents with JSON filter
 * patterns made of `($.field = value)` terms joined by `&&`, through the real SDK client (AWS JSON
 * 1.1, `X-Amz-Target: Logs_20140328.<Operation>`).
 */
export interface CloudWatchLogsTwin {
  readonly endpoint: string;
  append(logGroup: string, logStream: string, message: string): void;
  close(): Promise<void>;
}

interface Stored {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
}

export async function startCloudWatchLogsTwin(): Promise<CloudWatchLogsTwin> {
  const groups = new Map<string, Stored[]>();
  const server = createServer((request, response) => void answer(groups, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    append: (group, logStreamName, message) => {
      const events = groups.get(group) ?? [];
      events.push({ logStreamName, timestamp: Date.now(), message });
      groups.set(group, events);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function answer(groups: Map<string, Stored[]>, request: IncomingMessage, response: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
  const send = (status: number, body: object) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  };
  if (request.headers['x-amz-target'] !== 'Logs_20140328.FilterLogEvents')
    return send(400, {
      __type: 'UnknownOperationException',
      message: String(request.headers['x-amz-target']),
    });
  const events = groups.get(input.logGroupName);
  if (!events)
    return send(400, {
      __type: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  const matches = jsonFilter(input.filterPattern ?? '');
  send(200, {
    events: events
      .filter((event) => matches(event.message))
      .map((event, i) => ({ ...event, eventId: String(i), ingestionTime: event.timestamp })),
    searchedLogStreams: [],
  });
}

/** `{ ($.a = 1) && ($.b = "x") }`; an empty pattern matches everything. */
function jsonFilter(pattern: string): (message: string) => boolean {
  const terms = [...pattern.matchAll(/\(\s*\$\.(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)\s*\)/g)].map(
    ([, field, value]) => [field, JSON.parse(value) as unknown] as const,
  );
  return (message) => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(message) as Record<string, unknown>;
    } catch {
      return terms.length === 0;
    }
    return terms.every(([field, value]) => parsed?.[field] === value);
  };
}
