import { Hono, type Context } from 'hono';
import type { UserRecord } from '../../access/accounts';
import type { ActivityEntry } from '../../audit/activity-stream';
import { typeOfKind } from '../../audit/audit-rules';
import { DEFINITIONS } from '../../catalog/resources';
import { NotFoundError } from '../../errors';
import type { ApiEnv, ApiServices } from '../context';
import { filterList } from '../filters';
import { paginate } from '../pagination';
import { serializeEntry } from '../serializers/activity-stream';
import { resourceId } from './resource-id';

/** The types entries can be about, each a filter (`?job_template=5`, `?job_template__id=5`). */
const OBJECT_TYPES = new Set([
  ...DEFINITIONS.map((definition) => typeOfKind(definition.kind)),
  'user',
  'o_auth2_access_token',
  'workflow_job',
  'workflow_approval',
  'role',
]);

/**
 * `/api/v2/activity_stream/`: what API calls changed, oldest first (docs/api.md "Activity
 * stream"). A superuser sees every entry, anyone else the entries of their own calls and about
 * themselves.
 */
export const activityStream = new Hono<ApiEnv>()
  .get('/', async (c) => c.json(await entryPage(c, () => true)))
  .get('/:id/', async (c) => {
    const entry = await c.get('services').activity.get(resourceId(c));
    if (!entry || !visible(c.get('user'), entry)) throw new NotFoundError(`activity stream entry not found`);
    return c.json(serializeEntry(entry));
  });

/**
 * `…/<id>/activity_stream/` of the objects AWX links one from (`related.activity_stream`): the
 * entries about the object; a user's also those of the calls they made.
 */
export function activityStreamSubLists(): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  const add = (
    path: string,
    type: string,
    exists: (services: ApiServices, id: number) => Promise<unknown>,
    byActor = false,
  ) =>
    routes.get(`/${path}/:id/activity_stream/`, async (c) => {
      const id = resourceId(c);
      if (!(await exists(c.get('services'), id))) throw new NotFoundError(`${type} ${id} not found`);
      return c.json(
        await entryPage(c, (entry) => about(entry, type, id) || (byActor && entry.actor?.id === id)),
      );
    });
  for (const definition of DEFINITIONS)
    if (definition.links?.includes('activity_stream'))
      add(definition.path, definition.type, (services, id) => services.catalog.find(definition.kind, id));
  add('users', 'user', (services, id) => services.catalog.find('user', id), true);
  add('workflow_jobs', 'workflow_job', (services, id) => services.jobs.getWorkflowJob(id));
  return routes;
}

function about(entry: ActivityEntry, type: string, id: number): boolean {
  return entry.objects.some((object) => object.type === type && object.id === id);
}

function visible(user: UserRecord, entry: ActivityEntry): boolean {
  return user.is_superuser || entry.actor?.id === user.id || about(entry, 'user', user.id);
}

/**
 * A page of entries: AWX's filters on the entry's fields (`operation`, `object1`,
 * `timestamp__gte`, `order_by`...), and the ones on what it is about: `actor` (`actor__id`,
 * `actor__username`), an object type with an id (`job_template=5`), `search` in the changes.
 */
async function entryPage(c: Context<ApiEnv>, selected: (entry: ActivityEntry) => boolean) {
  const user = c.get('user');
  let entries = (await c.get('services').activity.list()).filter(
    (entry) => visible(user, entry) && selected(entry),
  );
  const rest = new URLSearchParams();
  for (const [name, value] of new URL(c.req.url).searchParams) {
    const [field, lookup] = name.split(/__(?=[^_]+$)/);
    if (name === 'actor' || name === 'actor__id')
      entries = entries.filter((e) => String(e.actor?.id) === value);
    else if (name === 'actor__username') entries = entries.filter((e) => e.actor?.username === value);
    else if (OBJECT_TYPES.has(name) || (lookup === 'id' && OBJECT_TYPES.has(field))) {
      const type = OBJECT_TYPES.has(name) ? name : field;
      entries = entries.filter((entry) => about(entry, type, Number(value)));
    } else if (name === 'search') {
      const text = value.toLowerCase();
      entries = entries.filter((entry) => JSON.stringify(entry.changes).toLowerCase().includes(text));
    } else rest.append(name, value);
  }
  return paginate(c, filterList(entries.map(serializeEntry), rest, []));
}
