import type { CatalogRecord } from '../../catalog/catalog-store';
import { API_PREFIX } from '../version';

/**
 * The fields every AWX object has: `id, type, url, related, summary_fields, created, modified`
 * (and `name`, `description` where the kind has them). Serializers add their own fields.
 */
export function envelope(
  type: string,
  path: string,
  record: CatalogRecord,
  related: Record<string, string> = {},
  summary: Record<string, unknown> = {},
): Record<string, unknown> {
  const url = `${API_PREFIX}/${path}/${record.id}/`;
  return {
    id: record.id,
    type,
    url,
    // A relative link is below the object (`users` → …/organizations/1/users/); one starting
    // with `/` is another object (`/users/3` → /api/v2/users/3/).
    related: Object.fromEntries(
      Object.entries(related).map(([name, link]) => [
        name,
        link.startsWith('/') ? `${API_PREFIX}${link}/` : `${url}${link}/`,
      ]),
    ),
    summary_fields: summary,
    created: record.created,
    modified: record.modified,
  };
}
