import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './context';

/** Methods that change nothing, so have nothing to record. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every state-changing API call in the activity stream (docs/api.md "Activity stream"):
 * the call runs inside the stream's `during`, which collects what the stores report it changed.
 * A refused call (4xx) records nothing; an internal error (5xx) records what it had changed
 * before it failed. A recording that fails after the call succeeded does not turn the answer into
 * an error (the change is made; a client retrying would make it twice): it goes to `onError`.
 */
export function recordActivity(onError?: (error: unknown) => void): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const user = c.get('user');
    const actor = {
      id: user.id,
      username: user.name,
      first_name: user.first_name,
      last_name: user.last_name,
    };
    let answered = false;
    try {
      await c.get('services').activity.during(actor, async () => {
        await next();
        answered = true;
        return c.res.status < 400 || c.res.status >= 500;
      });
    } catch (error) {
      if (!answered) throw error;
      onError?.(error);
    }
  };
}
