import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { serializeUser } from '../serializers/user';

/** `GET /api/v2/me/`: the caller, as a one-item list (AWX's shape). */
export const me = new Hono<ApiEnv>().get('/', (c) =>
  c.json({ count: 1, next: null, previous: null, results: [serializeUser(c.get('user'))] }),
);
