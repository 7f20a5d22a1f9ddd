import type { IncomingMessage } from 'node:http';

/**
 * A request body as the AWS JSON protocols send it: one JSON object. The local twins (Secrets
 * Manager here, and the tests' twins of Step Functions and ECS) read requests with this and answer
 * an unreadable one with their service's own error.
 */
export class UnreadableRequest extends Error {}

export async function jsonObjectOf(
  request: IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new UnreadableRequest('the request is too large');
    chunks.push(chunk);
  }
  let input: unknown;
  try {
    input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UnreadableRequest('the request body is not JSON');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new UnreadableRequest('the request body is not a JSON object');
  return input as Record<string, unknown>;
}
