import { kindOf, type ResourceKind } from '../catalog/kinds';
import { definitionOf } from '../catalog/resources';
import { UserError } from '../errors';
import type { ApiObject, AwxClient } from './awx-client';

/**
 * The ids behind the names a Bundle uses. What the bundle itself defines is remembered as apply
 * writes it; what it only names (an organization, a label, one of AWX's managed credential types)
 * is found on the server, and organizations and labels that do not exist yet are created, as the
 * awx.awx modules create them.
 */
export class Names {
  private readonly ids = new Map<string, Promise<number>>();

  constructor(
    private readonly client: AwxClient,
    /** Told of each organization or label created on the way. */
    private readonly created: (label: string, name: string) => void,
  ) {}

  remember(kind: ResourceKind, name: string, id: number): void {
    this.ids.set(key(kind, name), Promise.resolve(id));
  }

  knows(kind: ResourceKind, name: string): boolean {
    return this.ids.has(key(kind, name));
  }

  /** The id of `kind` named `name`; a label is found (or made) in `organization`. */
  id(kind: ResourceKind, name: string, organization?: number): Promise<number> {
    const scoped = kind === 'label' ? key(kind, name, organization) : key(kind, name);
    let id = this.ids.get(scoped);
    if (!id) {
      id = this.find(kind, name, organization);
      this.ids.set(scoped, id);
    }
    return id;
  }

  /** Whether the server has an object of `kind` named `name` (in any organization). */
  async has(kind: ResourceKind, name: string): Promise<boolean> {
    const { path } = definitionOf(kind)!;
    return (await this.client.list(`/${path}/`, { name })).length > 0;
  }

  private async find(kind: ResourceKind, name: string, organization?: number): Promise<number> {
    const { path } = definitionOf(kind)!;
    const scope: Record<string, string | number> =
      kind === 'label' ? { organization: organization ?? '' } : {};
    const found = await this.client.list(`/${path}/`, { name, ...scope });
    const label = kindOf(kind).label.toLowerCase();
    if (found.length === 1) return found[0].id;
    if (found.length > 1)
      throw new UserError(`${label} '${name}' is ambiguous: the server has ${found.length} of that name`);
    if (kind !== 'organization' && kind !== 'label')
      throw new UserError(`no ${label} named '${name}' on ${this.client.connection.url}`);
    const made = await this.client.post<ApiObject>(`/${path}/`, { name, ...scope }, `${label} '${name}'`);
    this.created(label, name);
    return made.id;
  }
}

function key(kind: ResourceKind, name: string, scope?: number): string {
  return JSON.stringify([kind, name, scope]);
}
