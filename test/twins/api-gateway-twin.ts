import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaContext } from './lambda-context';

/**
 * API Gateway's HTTP API on loopback: each request becomes the payload 2.0 event the `$default`
 * route gives a Lambda proxy integration, and the function's answer becomes the response. AWX
 * clients (the CLI, the awx.awx collection, a browser) reach the api function through it unchanged.
 */
export type ProxyHandler = (event: Record<string, unknown>, context: Context) => Promise<unknown>;

export interface ApiGatewayTwin {
  readonly url: string;
  close(): Promise<void>;
}

export async function startApiGatewayTwin(handler: ProxyHandler): Promise<ApiGatewayTwin> {
  const server = createServer((request, response) => void forward(handler, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function forward(
  handler: ProxyHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const url = new URL(request.url ?? '/', 'http://twin');
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name !== 'cookie')
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
  );
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(request.headers.cookie ? { cookies: request.headers.cookie.split(/;\s*/) } : {}),
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'twin',
      domainName: request.headers.host ?? '127.0.0.1',
      domainPrefix: 'twin',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0
      ? { body: body.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
  try {
    const answer = (await handler(event, lambdaContext('api'))) as {
      statusCode: number;
      headers?: Record<string, string>;
      multiValueHeaders?: Record<string, string[]>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    response.writeHead(answer.statusCode, {
      ...answer.headers,
      ...(answer.cookies?.length ? { 'set-cookie': answer.cookies } : {}),
    });
    response.end(Buffer.from(answer.body ?? '', answer.isBase64Encoded ? 'base64' : 'utf8'));
  } catch {
    // API Gateway's answer when the integration fails.
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end('{"message":"Internal Server Error"}');
  }
}
