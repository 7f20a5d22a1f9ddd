import type { ActivityEntry } from '../../audit/activity-stream';
import { definitionOf } from '../../catalog/resources';
import type { ResourceKind } from '../../catalog/kinds';
import { API_PREFIX } from '../version';

/** The collections of the types entries are about that are not catalog definitions. */
const PATHS: Record<string, string> = {
  user: 'users',
  o_auth2_access_token: 'tokens',
  workflow_job: 'workflow_jobs',
  workflow_approval: 'workflow_approvals',
  role: 'roles',
};

/** The URL of an object an entry is about. */
export function objectUrl(type: string, id: number): string {
  const path = PATHS[type] ?? definitionOf(type as ResourceKind)?.path ?? type;
  return `${API_PREFIX}/${path}/${id}/`;
}

/**
 * An activity stream entry as AWX shows it: `related` and `summary_fields` hold the actor and,
 * per type, the objects the entry is about (AWX's lists per type), as they were when it was made.
 */
export function serializeEntry(entry: ActivityEntry): Record<string, unknown> {
  const related: Record<string, unknown> = {};
  const summary: Record<string, unknown> = {};
  if (entry.actor) {
    related.actor = `${API_PREFIX}/users/${entry.actor.id}/`;
    summary.actor = { ...entry.actor };
  }
  for (const object of entry.objects) {
    ((related[object.type] ??= []) as string[]).push(objectUrl(object.type, object.id));
    ((summary[object.type] ??= []) as unknown[]).push(object.summary);
  }
  return {
    id: entry.id,
    type: 'activity_stream',
    url: `${API_PREFIX}/activity_stream/${entry.id}/`,
    related,
    summary_fields: summary,
    timestamp: entry.timestamp,
    operation: entry.operation,
    changes: entry.changes,
    object1: entry.object1,
    object2: entry.object2,
    object_association: entry.object_association,
    action_node: entry.action_node,
    object_type: entry.object_association ? entry.object1 : '',
  };
}
