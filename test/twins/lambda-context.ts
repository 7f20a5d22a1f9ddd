import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/** The stack's default function timeout (lib/infra/towerless-function.ts). */
const TIMEOUT_MS = 30_000;

/** The context Lambda hands a function's invocation: its name, a request id and a deadline. */
export function lambdaContext(name: string, timeoutMs = TIMEOUT_MS): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName: name,
    awsRequestId: randomUUID(),
    invokedFunctionArn: name,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as Context;
}
