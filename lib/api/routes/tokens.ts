import { Hono } from 'hono';
import type { TokenRecord } from '../../access/accounts';
import { NotFoundError } from '../../errors';
import { BodyFields, jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { listPage } from '../resource-routes';
import { serializeToken } from '../serializers/token';
import { resourceId } from './resource-id';

/**
 * `/api/v2/tokens/`: personal access tokens. The awx.awx collection logs in with a username and
 * password by POSTing here with Basic auth, and uses the token it gets back. The token is shown
 * in that answer only.
 */
export const tokens = new Hono<ApiEnv>()
  .get('/', async (c) => {
    const user = c.get('user');
    const all = await c.get('services').catalog.list<TokenRecord>('token');
    const visible = all.filter((token) => user.is_superuser || token.user === user.id);
    // Filtered as every list is: the awx.awx token module finds a token by `?id=`.
    return c.json(await listPage(c, visible, (token) => serializeToken(token), ['description']));
  })
  .post('/', async (c) => {
    const fields = new BodyFields(await jsonBody(c));
    const description = fields.string('description') ?? '';
    const scope = fields.string('scope', { fallback: 'write' });
    if (scope !== undefined && scope !== 'read' && scope !== 'write')
      fields.fail('scope', "Must be a simple space-separated string with allowed scopes ['read', 'write'].");
    fields.check();
    const { record, token } = await c
      .get('services')
      .accounts.createToken(c.get('user'), { description, scope: scope as 'read' | 'write' });
    return c.json(serializeToken(record, token), 201);
  })
  .delete('/:id/', async (c) => {
    const user = c.get('user');
    const { catalog, accounts } = c.get('services');
    const token = await catalog.get<TokenRecord>('token', resourceId(c));
    if (!user.is_superuser && token.user !== user.id) throw new NotFoundError(`token ${token.id}`);
    // Through the accounts, which forget the token at once (they remember whom tokens authenticate).
    await accounts.deleteToken(token.id);
    return c.body(null, 204);
  });
