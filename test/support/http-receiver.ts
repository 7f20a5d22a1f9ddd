import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** When it arrived (performance.now()), for benches. */
  readonly at: number;
}

/**
 * A real HTTP server on 127.0.0.1 that records what it receives and answers with `answer` (by
 * default 200 `{"ok": true}`): what webhook, chat and Slack notifications are sent to in tests.
 */
export interface HttpReceiver {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startHttpReceiver(
  answer: (request: ReceivedRequest, index: number) => { status: number; body?: unknown } = () => ({
    status: 200,
    body: { ok: true },
  }),
): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        at: performance.now(),
      };
      received.push(entry);
      const { status, body: reply } = answer(entry, received.length - 1);
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(reply ?? {}));
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor: (count) =>
      new Promise((resolve) => {
        if (received.length >= count) return resolve(received);
        waiters.push({ count, resolve: () => resolve(received) });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
