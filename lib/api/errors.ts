import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotAllowedError,
  NotFoundError,
  StateConflictError,
  UnauthenticatedError,
  UserError,
} from '../errors';

/**
 * The one mapping from Towerless errors to HTTP: AWX's status codes and error bodies. A 400
 * names fields (`{"name": ["..."]}`) or stands alone (`{"detail": "..."}`); the other codes carry
 * `detail`. Anything that is not a user error is a 500 whose text is not shown (it may hold
 * internals); it is logged by the caller.
 */
export function errorResponse(error: unknown, c: Context): Response {
  const [status, body] = awxError(error);
  return c.json(body, status);
}

function awxError(error: unknown): [ContentfulStatusCode, Record<string, unknown>] {
  if (error instanceof InvalidError)
    return [400, Object.keys(error.fields).length > 0 ? { ...error.fields } : { detail: error.message }];
  if (error instanceof ConflictError) return [400, { [error.field]: [error.message] }];
  if (error instanceof UnauthenticatedError) return [401, { detail: error.message }];
  if (error instanceof ForbiddenError) return [403, { detail: error.message }];
  if (error instanceof NotFoundError) return [404, { detail: error.detail }];
  if (error instanceof NotAllowedError) return [405, { detail: error.message }];
  if (error instanceof StateConflictError) return [409, { detail: error.message }];
  if (error instanceof UserError) return [400, { detail: error.message }];
  return [500, { detail: 'A server error has occurred.' }];
}
