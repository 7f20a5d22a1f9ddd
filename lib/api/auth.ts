import type { MiddlewareHandler } from 'hono';
import { UnauthenticatedError } from '../errors';
import type { ApiEnv } from './context';

/**
 * Who is asking: a Bearer token (how AWX clients and the awx.awx collection call), or HTTP Basic
 * with a username and password (how the collection first gets a token). Without either, 401 with
 * AWX's message.
 */
export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const header = c.req.header('Authorization') ?? '';
  const { accounts } = c.get('services');
  const [scheme, value] = header.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme) && value) c.set('user', await accounts.userOfToken(value));
  else if (/^basic$/i.test(scheme) && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new UnauthenticatedError('Invalid basic header. No credentials provided.');
    c.set('user', await accounts.userOfPassword(decoded.slice(0, colon), decoded.slice(colon + 1)));
  } else throw new UnauthenticatedError('Authentication credentials were not provided.');
  await next();
};
